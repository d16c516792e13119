#pragma once

#include "Settings.h"

#include <QColor>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>

#include <functional>

class QLabel;
class QListWidget;
class QStackedWidget;
class QTimer;

namespace dockscope::client {
class Replica;
}
namespace dockscope::client::models {
class ComposeTreeModel;
class ContainerModel;
class EventModel;
class ImageModel;
class NetworkModel;
class VolumeModel;
} // namespace dockscope::client::models
namespace dockscope::engine {
class EngineController;
}

namespace dockscope::ui {

class ActionSender;
class ContainersPage;
class EnginePage;
class LiveStatus;
class Notifier;
class PreferencesDialog;
class TrayIcon;

/// The main window: a sidebar of pages with live counts, the pages, and a status bar that always says
/// whether the view is live. All data comes from the replica; the engine controller (null with --attach) is
/// asked only for its metrics.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    enum Page {
        ContainersPageIndex,
        ImagesPageIndex,
        VolumesPageIndex,
        NetworksPageIndex,
        ActivityPageIndex,
        EnginePageIndex,
        PageCount
    };

    MainWindow(client::Replica& replica, engine::EngineController* engine, const QString& endpoint,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    void showPage(int page);
    /// Restores the window's geometry, page and grouping and the preferences from QSettings (saved when the
    /// window closes, the preferences when the dialog is accepted). Without this call (tests, screenshots)
    /// the window neither reads nor writes the user's settings.
    void restoreSettings();
    /// Opens the Preferences dialog (non-modal to the event loop: open(), never exec()).
    PreferencesDialog* openPreferences();
    const Preferences& preferences() const { return preferences_; }
    /// Uses new preferences (theme, notifications); saved when the settings are enabled.
    void setPreferences(const Preferences& preferences);
    Notifier* notifier() const { return notifier_; }
    /// The command line for "Restart now": `arguments` without -H/--host and its value.
    static QStringList withoutHostOption(const QStringList& arguments);
    TrayIcon* trayIcon() const { return tray_; }

protected:
    bool event(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

public:
    /// Visits every page, saves a PNG of the window for each into `dir`, then calls `done`
    /// (--screenshot-dir).
    void takeScreenshots(const QString& dir, std::function<void(bool ok)> done);

private:
    void buildModels();
    void buildPages(const QString& endpoint);
    void scheduleCounts();
    void updateCounts();
    void tick();
    void requestMetrics();
    void showMessage(const QString& text, bool error);
    void buildMenu();
    void showNotification(const QString& title, const QString& body);
    void restartApplication();

    client::Replica& replica_;
    engine::EngineController* engine_;
    client::models::ContainerModel* containers_ = nullptr;
    client::models::ComposeTreeModel* tree_ = nullptr;
    client::models::ImageModel* images_ = nullptr;
    client::models::VolumeModel* volumes_ = nullptr;
    client::models::NetworkModel* networks_ = nullptr;
    client::models::EventModel* events_ = nullptr;
    ActionSender* actions_ = nullptr;
    QListWidget* sidebar_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    ContainersPage* containersPage_ = nullptr;
    EnginePage* enginePage_ = nullptr;
    LiveStatus* live_ = nullptr;
    QLabel* message_ = nullptr;
    QTimer* messageTimer_ = nullptr;
    QTimer* nowTimer_ = nullptr;
    QTimer* metricsTimer_ = nullptr;
    QTimer* countsTimer_ = nullptr;
    QTimer* frameTimer_ = nullptr;
    QElapsedTimer frameClock_;  ///< since the window last repainted
    QElapsedTimer countsClock_; ///< since the counts were last shown
    QColor engineDot_;          ///< the colour of the Engine entry's icon
    Notifier* notifier_ = nullptr;
    TrayIcon* tray_ = nullptr;
    Preferences preferences_;
    bool settingsEnabled_ = false; ///< not in screenshot mode: a run must not change the user's layout
    class Screenshots;
    friend class Screenshots;
};

} // namespace dockscope::ui
