// --screenshot-dir: visits each page once the view has settled, grabs the window, writes PNGs and reports.
// Everything is driven by timers: the event loop keeps running (streams and batches arrive meanwhile).
#include "ContainersPage.h"
#include "MainWindow.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ContainerModel.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QInputDialog>
#include <QPixmap>
#include <QStackedWidget>
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
        };
        if (qEnvironmentVariableIsSet("DOCKSCOPE_SCREENSHOT_ACTIONS"))
            addActionShots();
        shots_.insert(shots_.end(),
                      {
                          {QStringLiteral("images.png"), [this] { window_.showPage(ImagesPageIndex); }},
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
            } else if (!window_.grab().save(path)) {
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
