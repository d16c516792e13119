// --screenshot-dir: visits each page once the view has settled, grabs the window, writes PNGs and reports.
// Everything is driven by timers: the event loop keeps running (streams and batches arrive meanwhile).
#include "ContainersPage.h"
#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "RunDialog.h"
#include "Settings.h"
#include "TablePage.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ContainerModel.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QInputDialog>
#include <QLineEdit>
#include <QPixmap>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

namespace dockscope::ui {

using client::models::ContainerModel;

namespace {

constexpr int kSettleMs = 1500;
constexpr int kWaitLimitMs = 60000;

struct Shot {
    QString file; ///< empty: a step without a picture
    std::function<void()> prepare;
    int delayMs = 800;
    std::function<QWidget*()> target = {}; ///< what to grab (a dialog); null: the main window
};

} // namespace

class MainWindow::Screenshots : public QObject {
public:
    Screenshots(MainWindow& window, QString dir, std::function<void(bool)> done)
        : QObject(&window)
        , window_(window)
        , dir_(std::move(dir))
        , done_(std::move(done))
    {
        connect(&window_.replica_, &client::Replica::applied, this,
                [this] { lastChange_ = QDateTime::currentMSecsSinceEpoch(); });
        started_ = lastChange_ = QDateTime::currentMSecsSinceEpoch();
        ContainersPage* page = window_.containersPage_;
        shots_ = {
            {QStringLiteral("containers.png"),
             [this, page] {
                 window_.showPage(ContainersPageIndex);
                 page->selectFirst(QStringLiteral("web"));
                 page->showDetailsTab(0);
             }},
            {QStringLiteral("containers-grouped-logs.png"),
             [page] {
                 page->setGrouped(true);
                 page->selectFirst(QStringLiteral("api"));
                 page->showDetailsTab(1);
             },
             2500},
            {QStringLiteral("containers-stats.png"),
             [page] {
                 page->setGrouped(false);
                 page->selectFirst(QStringLiteral("web"));
                 page->showDetailsTab(2);
             },
             3500},
            {QStringLiteral("containers-inspect.png"),
             [page] {
                 page->selectFirst(QStringLiteral("shop-api"));
                 page->showDetailsTab(3);
                 if (auto* search = page->findChild<QLineEdit*>(QStringLiteral("inspectSearch")))
                     search->setText(QStringLiteral("Env"));
             },
             2000},
            {QStringLiteral("containers-dark.png"),
             [this, page] {
                 if (auto* search = page->findChild<QLineEdit*>(QStringLiteral("inspectSearch")))
                     search->clear();
                 page->setGrouped(true);
                 page->selectFirst(QStringLiteral("analytics"));
                 page->showDetailsTab(1);
                 before_ = window_.preferences();
                 Preferences dark = before_;
                 dark.theme = Theme::Dark;
                 window_.setPreferences(dark);
             },
             2500},
            {QString(),
             [this, page] {
                 window_.setPreferences(before_);
                 page->setGrouped(false);
             },
             300},
        };
        if (qEnvironmentVariableIsSet("DOCKSCOPE_SCREENSHOT_ACTIONS"))
            addActionShots();
        shots_.insert(shots_.end(),
                      {
                          {QStringLiteral("images.png"), [this] { window_.showPage(ImagesPageIndex); }},
                          {QStringLiteral("run-dialog.png"), [this] { openRunDialog(); }, 800,
                           [] { return visibleDialog<RunDialog>(); }},
                          {QString(), [] { closeDialog<RunDialog>(); }, 200},
                          {QStringLiteral("volumes.png"),
                           [this] {
                               window_.showPage(VolumesPageIndex);
                               if (qEnvironmentVariableIsSet("DOCKSCOPE_SCREENSHOT_ACTIONS"))
                                   createVolume();
                           },
                           1200},
                          {QStringLiteral("networks.png"), [this] { window_.showPage(NetworksPageIndex); }},
                          {QStringLiteral("activity.png"), [this] { window_.showPage(ActivityPageIndex); }},
                          {QStringLiteral("engine.png"), [this] { window_.showPage(EnginePageIndex); }, 3000},
                          {QStringLiteral("preferences.png"), [this] { window_.openPreferences(); }, 800,
                           [] { return visibleDialog<PreferencesDialog>(); }},
                          {QString(), [] { closeDialog<PreferencesDialog>(); }, 200},
                      });
        QTimer::singleShot(200, this, &Screenshots::waitForState);
    }

private:
    /// Acts on the (private, seeded) engine: a stop shows its pending text, a rename onto a taken name shows
    /// Docker's refusal. Only when DOCKSCOPE_SCREENSHOT_ACTIONS is set (scripts/screenshots.sh).
    void addActionShots()
    {
        ContainersPage* page = window_.containersPage_;
        const auto trigger = [page](const char* name) {
            if (auto* action = page->findChild<QAction*>(QString::fromLatin1(name)))
                action->trigger();
        };
        shots_.push_back({QStringLiteral("containers-pending.png"),
                          [page, trigger] {
                              page->setGrouped(false);
                              page->showDetailsTab(0);
                              if (page->selectFirst(QStringLiteral("shop-web-2")))
                                  trigger("stop");
                          },
                          700});
        // Double-clicking a published port opens it in the browser (whatever xdg-open does under Xvfb).
        const auto openPort = [page] {
            if (page->selectFirst(QStringLiteral("shop-web-1"))) {
                const QModelIndex current = page->view()->currentIndex();
                Q_EMIT page->view()->doubleClicked(current.siblingAtColumn(ContainerModel::PortsColumn));
            }
        };
        shots_.push_back({QString(), openPort, 300});
        shots_.push_back({QStringLiteral("containers-refused.png"),
                          [page, trigger] {
                              if (!page->selectFirst(QStringLiteral("blog-app-2")))
                                  return;
                              trigger("rename");
                              if (auto* dialog = page->findChild<QInputDialog*>()) {
                                  dialog->setTextValue(QStringLiteral("shop-db-1"));
                                  dialog->accept();
                              }
                          },
                          1500});
    }

    template <typename Dialog>
    static QWidget* visibleDialog()
    {
        const auto widgets = QApplication::topLevelWidgets();
        for (QWidget* widget : widgets)
            if (qobject_cast<Dialog*>(widget) && widget->isVisible())
                return widget;
        return nullptr;
    }
    template <typename Dialog>
    static void closeDialog()
    {
        if (QWidget* dialog = visibleDialog<Dialog>())
            qobject_cast<Dialog*>(dialog)->reject();
    }

    /// The Images page's Run… dialog on a shop/web image, filled in as a user would.
    void openRunDialog()
    {
        auto* page = qobject_cast<TablePage*>(window_.stack_->widget(ImagesPageIndex));
        if (!page)
            return;
        QAbstractItemModel* model = page->view()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (!model->index(row, 0).data().toString().startsWith(QLatin1String("shop/web")))
                continue;
            page->view()->selectRow(row);
            break;
        }
        if (auto* run = page->findChild<QAction*>(QStringLiteral("run")))
            run->trigger();
        if (auto* dialog = qobject_cast<RunDialog*>(visibleDialog<RunDialog>())) {
            RunForm form = dialog->form();
            form.name = QStringLiteral("shop-web-canary");
            form.command = QStringLiteral("httpd -f -p 8080");
            form.env = QStringLiteral("FEATURE_FLAGS=checkout-v2\nLOG_LEVEL=debug");
            form.ports = QStringLiteral("127.0.0.1:8088:8080");
            form.volumes = QStringLiteral("shop_uploads:/srv/uploads:ro");
            form.network = QStringLiteral("shop_default");
            form.restartPolicy = QStringLiteral("unless-stopped");
            dialog->setForm(form);
        }
    }

    /// Creates a volume through the Volumes page's own dialog (DOCKSCOPE_SCREENSHOT_ACTIONS only).
    void createVolume()
    {
        QWidget* page = window_.stack_->widget(VolumesPageIndex);
        const auto actions = page->findChildren<QAction*>();
        for (QAction* action : actions) {
            if (action->text() != tr("Create…"))
                continue;
            action->trigger();
            if (auto* dialog = page->findChild<QInputDialog*>()) {
                dialog->setTextValue(QStringLiteral("reports-archive"));
                dialog->accept();
            }
            return;
        }
    }

    bool settled() const
    {
        const auto engine = window_.replica_.engine();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // DOCKSCOPE_SCREENSHOT_OFFLINE: the engine is down on purpose (to show the status bar saying so).
        const bool engineReady = qEnvironmentVariableIsSet("DOCKSCOPE_SCREENSHOT_OFFLINE")
                                     ? now - started_ >= 4 * kSettleMs
                                     : engine && engine->status == state::EngineStatus::Connected;
        return window_.replica_.status() == client::Replica::Status::Live && engineReady &&
               now - lastChange_ >= kSettleMs;
    }

    void waitForState()
    {
        if (settled()) {
            next();
            return;
        }
        if (QDateTime::currentMSecsSinceEpoch() - started_ > kWaitLimitMs) {
            spdlog::error("screenshots: the view did not become live within {} s", kWaitLimitMs / 1000);
            finish(false);
            return;
        }
        QTimer::singleShot(200, this, &Screenshots::waitForState);
    }

    void next()
    {
        if (index_ >= shots_.size()) {
            finish(true);
            return;
        }
        const Shot& shot = shots_[index_];
        shot.prepare();
        QTimer::singleShot(shot.delayMs, this, [this] {
            const QString path = QDir(dir_).filePath(shots_[index_].file);
            if (shots_[index_].file.isEmpty()) {
                // A step without a picture.
            } else if (QWidget* target = shots_[index_].target ? shots_[index_].target() : &window_;
                       !target || !target->grab().save(path)) {
                spdlog::error("screenshots: cannot write {}", path.toStdString());
                ok_ = false;
            } else {
                spdlog::info("screenshots: wrote {}", path.toStdString());
            }
            ++index_;
            next();
        });
    }

    void finish(bool ok)
    {
        auto done = std::move(done_);
        deleteLater();
        done(ok && ok_);
    }

    MainWindow& window_;
    QString dir_;
    std::function<void(bool)> done_;
    std::vector<Shot> shots_;
    Preferences before_; ///< the preferences before the dark-theme shot
    std::size_t index_ = 0;
    qint64 started_ = 0;
    qint64 lastChange_ = 0;
    bool ok_ = true;
};

void MainWindow::takeScreenshots(const QString& dir, std::function<void(bool ok)> done)
{
    QDir().mkpath(dir);
    new Screenshots(*this, dir, std::move(done));
}

} // namespace dockscope::ui
