// The preferences: their QSettings round trip (in the tests' private folder), the endpoint check, the theme
// on the whole application, the dialog, and a window that never touches the settings unless asked to.
#include "MainWindow.h"
#include "Notifier.h"
#include "PreferencesDialog.h"
#include "Settings.h"
#include "TrayIcon.h"
#include "support/EventLoop.h"
#include "support/GuiTestMain.h"

#include "dockscope/client/Replica.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>

#include <gtest/gtest.h>

#include <algorithm>

using namespace dockscope;
using namespace dockscope::ui;

namespace {

class PreferencesTest : public ::testing::Test {
protected:
    void SetUp() override { QSettings().clear(); }
    void TearDown() override
    {
        applyTheme(Theme::System);
        QSettings().clear();
    }
};

ui::Preferences unusual()
{
    ui::Preferences p;
    p.endpoint = QStringLiteral("tcp://10.1.2.3:2376");
    p.theme = Theme::Dark;
    p.notifications = false;
    p.notifyDied = false;
    p.notifyUnhealthy = true;
    return p;
}

bool isDark(const QPalette& p)
{
    return p.color(QPalette::Window).lightness() < 100 && p.color(QPalette::Base).lightness() < 100 &&
           p.color(QPalette::WindowText).lightness() > 180 && p.color(QPalette::Text).lightness() > 180;
}

bool isLight(const QPalette& p)
{
    return p.color(QPalette::Window).lightness() > 180 && p.color(QPalette::Base).lightness() > 180 &&
           p.color(QPalette::WindowText).lightness() < 100 && p.color(QPalette::Text).lightness() < 100;
}

} // namespace

TEST_F(PreferencesTest, SettingsLiveInThePrivateTestFolder)
{
    const QString file = QSettings().fileName();
    EXPECT_TRUE(file.startsWith(test::guiStart().settingsDir)) << file.toStdString();
}

TEST_F(PreferencesTest, DefaultsWhenNothingIsSaved)
{
    EXPECT_EQ(loadPreferences(), ui::Preferences{});
    const ui::Preferences defaults;
    EXPECT_TRUE(defaults.endpoint.isEmpty());
    EXPECT_EQ(defaults.theme, Theme::System);
    EXPECT_TRUE(defaults.notifications && defaults.notifyDied && defaults.notifyUnhealthy);
}

TEST_F(PreferencesTest, RoundTrip)
{
    const auto saved = unusual();
    savePreferences(saved);
    EXPECT_EQ(loadPreferences(), saved);
    EXPECT_EQ(QSettings().value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("dark"));
    auto other = saved;
    other.endpoint.clear();
    other.theme = Theme::Light;
    other.notifications = true;
    savePreferences(other);
    EXPECT_EQ(loadPreferences(), other);
}

TEST_F(PreferencesTest, ThemeNames)
{
    for (const auto theme : {Theme::System, Theme::Light, Theme::Dark})
        EXPECT_EQ(themeFromName(themeName(theme)), theme);
    EXPECT_EQ(themeFromName(QStringLiteral("solarized")), Theme::System);
}

TEST_F(PreferencesTest, EndpointValidation)
{
    for (const char* good :
         {"", "  ", "unix:///var/run/docker.sock", "unix:///tmp/x/docker.sock", "tcp://127.0.0.1:2375",
          "tcp://docker.example.org:2376", "tcp://[::1]:2375", " tcp://localhost:1 "}) {
        QString error;
        EXPECT_TRUE(validateEndpoint(QString::fromLatin1(good), &error))
            << good << ": " << error.toStdString();
    }
    for (const char* bad :
         {"unix://", "unix:///", "unix://relative/docker.sock", "tcp://localhost", "tcp://:2375",
          "tcp://host:0", "tcp://host:65536", "tcp://host:port", "tcp://host:2375/v1.41", "ssh://user@host",
          "npipe:////./pipe/docker_engine", "http://host:2375", "/var/run/docker.sock", "fd://"}) {
        QString error;
        EXPECT_FALSE(validateEndpoint(QString::fromLatin1(bad), &error)) << bad;
        EXPECT_FALSE(error.isEmpty()) << bad;
    }
}

TEST_F(PreferencesTest, ThemeAppliesThePaletteToTheWholeApplication)
{
    QWidget widget;
    widget.show();
    applyTheme(Theme::Dark);
    QCoreApplication::processEvents();
    EXPECT_EQ(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
    EXPECT_TRUE(isDark(QApplication::palette()));
    EXPECT_TRUE(isDark(widget.palette())) << "open windows follow (on the next turn of the event loop)";
    EXPECT_NE(QApplication::palette().color(QPalette::Highlight),
              QApplication::palette().color(QPalette::Base));

    applyTheme(Theme::Light);
    QCoreApplication::processEvents();
    EXPECT_EQ(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
    EXPECT_TRUE(isLight(QApplication::palette()));
    EXPECT_TRUE(isLight(widget.palette()));

    applyTheme(Theme::System);
    EXPECT_EQ(QApplication::style()->name(), test::guiStart().style);
    EXPECT_EQ(QApplication::palette(), test::guiStart().palette);
}

TEST_F(PreferencesTest, DialogValidatesPreviewsAndReturnsTheValues)
{
    const auto initial = unusual();
    PreferencesDialog dialog(initial);
    dialog.show();
    EXPECT_EQ(dialog.preferences(), initial);
    EXPECT_TRUE(dialog.okButton()->isEnabled());
    EXPECT_TRUE(dialog.restartButton()->isHidden()) << "nothing to restart for";
    EXPECT_FALSE(dialog.diedBox()->isEnabled()) << "sub-options follow the notifications switch";

    dialog.endpointEdit()->setText(QStringLiteral("tcp://nowhere"));
    EXPECT_FALSE(dialog.isValid());
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    EXPECT_TRUE(dialog.restartButton()->isHidden());
    EXPECT_TRUE(dialog.endpointMessage()->isVisible());
    EXPECT_TRUE(dialog.endpointMessage()->text().contains(QStringLiteral("port")));

    dialog.endpointEdit()->setText(QStringLiteral("unix:///run/user/1000/docker.sock"));
    EXPECT_TRUE(dialog.okButton()->isEnabled());
    EXPECT_TRUE(dialog.endpointChanged());
    EXPECT_FALSE(dialog.restartButton()->isHidden());
    EXPECT_TRUE(dialog.endpointMessage()->text().contains(QStringLiteral("starts again")));

    dialog.endpointEdit()->clear();
    EXPECT_TRUE(dialog.isValid()) << "empty: as the docker CLI finds it";

    dialog.notificationsBox()->setChecked(true);
    EXPECT_TRUE(dialog.diedBox()->isEnabled());
    dialog.diedBox()->setChecked(true);
    dialog.unhealthyBox()->setChecked(false);
    dialog.themeBox()->setCurrentIndex(dialog.themeBox()->findData(QStringLiteral("light")));
    EXPECT_TRUE(isLight(QApplication::palette())) << "the theme shows at once";

    const auto edited = dialog.preferences();
    EXPECT_TRUE(edited.endpoint.isEmpty());
    EXPECT_EQ(edited.theme, Theme::Light);
    EXPECT_TRUE(edited.notifications);
    EXPECT_TRUE(edited.notifyDied);
    EXPECT_FALSE(edited.notifyUnhealthy);

    dialog.reject();
    EXPECT_TRUE(isDark(QApplication::palette())) << "Cancel puts the theme it opened with back";
}

TEST_F(PreferencesTest, WindowWithoutSettingsNeverWritesThem)
{
    client::Replica replica(client::Replica::Options{});
    MainWindow window(replica, nullptr, QString());
    window.show();
    EXPECT_EQ(window.preferences(), ui::Preferences{});

    // The menu entry and its shortcut.
    const auto actions = window.findChildren<QAction*>();
    const auto entry = std::find_if(actions.begin(), actions.end(), [](const QAction* a) {
        return a->text() == QStringLiteral("Preferences…");
    });
    ASSERT_NE(entry, actions.end());
    EXPECT_EQ((*entry)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));

    auto* dialog = window.openPreferences();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_TRUE(dialog->isModal()) << "open(): window-modal, and the event loop goes on";
    dialog->themeBox()->setCurrentIndex(dialog->themeBox()->findData(QStringLiteral("dark")));
    dialog->notificationsBox()->setChecked(false);
    dialog->accept();
    EXPECT_EQ(window.preferences().theme, Theme::Dark);
    EXPECT_FALSE(window.preferences().notifications);
    EXPECT_FALSE(window.notifier()->notifiesDied());
    EXPECT_FALSE(window.notifier()->notifiesUnhealthy());
    EXPECT_TRUE(isDark(QApplication::palette()));
    EXPECT_TRUE(QSettings().allKeys().isEmpty()) << "a window whose settings are not enabled wrote them";
    window.close();
    EXPECT_TRUE(QSettings().allKeys().isEmpty());
}

TEST_F(PreferencesTest, WindowWithSettingsLoadsAndSavesThem)
{
    auto saved = unusual();
    saved.theme = Theme::Light;
    savePreferences(saved);
    client::Replica replica(client::Replica::Options{});
    MainWindow window(replica, nullptr, QString());
    window.restoreSettings();
    EXPECT_EQ(window.preferences(), saved);
    EXPECT_TRUE(isLight(QApplication::palette()));
    auto changed = saved;
    changed.notifications = true;
    window.setPreferences(changed);
    EXPECT_EQ(loadPreferences(), changed);
    EXPECT_TRUE(window.notifier()->notifiesUnhealthy());
    EXPECT_FALSE(window.notifier()->notifiesDied());
}

TEST_F(PreferencesTest, WithoutATrayNotificationsGoToTheStatusBar)
{
    client::Replica replica(client::Replica::Options{});
    MainWindow window(replica, nullptr, QString());
    window.show();
    ASSERT_NE(window.trayIcon(), nullptr);
    EXPECT_FALSE(window.trayIcon()->isAvailable()) << "offscreen has no system tray";
    EXPECT_FALSE(window.trayIcon()->showMessage(QStringLiteral("t"), QStringLiteral("b")));
    Q_EMIT window.notifier()->notify(QStringLiteral("Container died"),
                                     QStringLiteral("web exited with code 3"));
    bool shown = false;
    for (const auto* label : window.statusBar()->findChildren<QLabel*>())
        shown = shown || label->toolTip().contains(QStringLiteral("web exited with code 3"));
    EXPECT_TRUE(shown);
}

TEST_F(PreferencesTest, TrayBadgeShowsTheRunningCount)
{
    const QImage plain = TrayIcon::badgePixmap(0, 32).toImage();
    const QImage three = TrayIcon::badgePixmap(3, 32).toImage();
    const QImage many = TrayIcon::badgePixmap(120, 32).toImage();
    EXPECT_EQ(plain.size(), QSize(32, 32));
    EXPECT_NE(plain, three);
    EXPECT_NE(three, many);
    EXPECT_EQ(plain.pixelColor(2, 2), three.pixelColor(2, 2)) << "the badge sits at the lower right";
    TrayIcon tray(nullptr);
    tray.setCounts(3, 7);
    EXPECT_EQ(tray.toolTip(), QStringLiteral("3 running of 7"));
    if (qEnvironmentVariableIsSet("DOCKSCOPE_TEST_SHOTS")) {
        const QString dir = qEnvironmentVariable("DOCKSCOPE_TEST_SHOTS");
        TrayIcon::badgePixmap(3, 64).save(dir + QStringLiteral("/badge3.png"));
        TrayIcon::badgePixmap(120, 64).save(dir + QStringLiteral("/badge120.png"));
        TrayIcon::badgePixmap(7, 22).scaled(88, 88).save(dir + QStringLiteral("/badge7-22.png"));
        PreferencesDialog dialog(unusual());
        dialog.endpointEdit()->setText(QStringLiteral("unix:///run/docker.sock"));
        dialog.show();
        dialog.grab().save(dir + QStringLiteral("/preferences.png"));
        dialog.endpointEdit()->setText(QStringLiteral("tcp://host"));
        dialog.grab().save(dir + QStringLiteral("/preferences-invalid.png"));
        applyTheme(Theme::Dark);
        QCoreApplication::processEvents();
        dialog.grab().save(dir + QStringLiteral("/preferences-dark.png"));
    }
}

TEST(RestartArguments, DropTheHostOptionOnly)
{
    const auto strip = [](const QStringList& a) { return MainWindow::withoutHostOption(a); };
    EXPECT_EQ(strip({}), QStringList{});
    EXPECT_EQ(strip({QStringLiteral("-H"), QStringLiteral("tcp://a:1"), QStringLiteral("--log-level"),
                     QStringLiteral("info")}),
              (QStringList{QStringLiteral("--log-level"), QStringLiteral("info")}));
    EXPECT_EQ(strip({QStringLiteral("--host=unix:///x"), QStringLiteral("--cache-dir"), QStringLiteral("-")}),
              (QStringList{QStringLiteral("--cache-dir"), QStringLiteral("-")}));
    EXPECT_EQ(strip({QStringLiteral("-Htcp://a:1"), QStringLiteral("--host"), QStringLiteral("tcp://b:2")}),
              QStringList{});
    EXPECT_EQ(strip({QStringLiteral("--attach")}), QStringList{QStringLiteral("--attach")});
}
