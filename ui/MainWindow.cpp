#include "MainWindow.h"

#include "ActionSender.h"
#include "ActivityPage.h"
#include "ContainersPage.h"
#include "EnginePage.h"
#include "Icons.h"
#include "LiveStatus.h"
#include "Notifier.h"
#include "PreferencesDialog.h"
#include "ResourcePages.h"
#include "TablePage.h"
#include "TrayIcon.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/EventModel.h"
#include "dockscope/client/models/ImageModel.h"
#include "dockscope/client/models/NetworkModel.h"
#include "dockscope/client/models/VolumeModel.h"
#include "dockscope/engine/EngineController.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QProcess>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace dockscope::ui {

namespace models = client::models;

namespace {

constexpr int kNowIntervalMs = 5000;
constexpr int kMetricsVisibleMs = 2000;
constexpr int kMetricsHiddenMs = 3000; // for the status bar's latency: an in-process call, not Docker
constexpr int kMessageMs = 12000;
constexpr qint64 kCountsMs = 100;
constexpr qint64 kFrameMs = 25; // 40 repaints a second at most

} // namespace

MainWindow::MainWindow(client::Replica& replica, engine::EngineController* engine, const QString& endpoint,
                       QWidget* parent)
    : QMainWindow(parent)
    , replica_(replica)
    , engine_(engine)
{
    setWindowTitle(tr("Dockscope"));
    setWindowIcon(appIcon());
    resize(1360, 860);
    metricsTimer_ = new QTimer(this);
    metricsTimer_->setInterval(kMetricsHiddenMs);
    frameTimer_ = new QTimer(this);
    frameTimer_->setSingleShot(true);
    frameTimer_->setTimerType(Qt::PreciseTimer);
    connect(frameTimer_, &QTimer::timeout, this, [this] {
        QEvent request(QEvent::UpdateRequest);
        QCoreApplication::sendEvent(this, &request);
    });
    buildModels();
    buildPages(endpoint);

    live_ = new LiveStatus(replica_, this);
    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("statusMessage"));
    statusBar()->addWidget(live_);
    statusBar()->addPermanentWidget(message_);
    messageTimer_ = new QTimer(this);
    messageTimer_->setSingleShot(true);
    connect(messageTimer_, &QTimer::timeout, message_, &QLabel::clear);
    buildMenu();
    notifier_ = new Notifier(this);
    notifier_->bind(replica_);
    connect(notifier_, &Notifier::notify, this, &MainWindow::showNotification);
    tray_ = new TrayIcon(this, this);
    connect(tray_, &TrayIcon::quitRequested, this, [this] {
        close(); // saves the layout, also when the window is hidden
        QApplication::quit();
    });
    notifier_->setNotifyDied(preferences_.notifications && preferences_.notifyDied);
    notifier_->setNotifyUnhealthy(preferences_.notifications && preferences_.notifyUnhealthy);

    connect(actions_, &ActionSender::failed, this, [this](const QString& text) { showMessage(text, true); });
    connect(actions_, &ActionSender::succeeded, this,
            [this](const QString& text) { showMessage(text, false); });

    // Relative times ("Up 5 minutes") advance on a local clock: no request to the daemon.
    nowTimer_ = new QTimer(this);
    nowTimer_->setInterval(kNowIntervalMs);
    connect(nowTimer_, &QTimer::timeout, this, &MainWindow::tick);
    nowTimer_->start();

    connect(metricsTimer_, &QTimer::timeout, this, &MainWindow::requestMetrics);
    if (engine_) {
        connect(engine_, &engine::EngineController::metricsReady, this,
                [this](const engine::EngineMetrics& m) {
                    live_->setLatency(m.latencyP50);
                    if (stack_->currentIndex() == EnginePageIndex)
                        enginePage_->showMetrics(m);
                });
        metricsTimer_->start();
        requestMetrics();
    }

    // The sidebar's counts follow the batches and events, but at most every kCountsMs: during a burst each
    // batch and each event would otherwise relayout and repaint the sidebar.
    countsTimer_ = new QTimer(this);
    countsTimer_->setSingleShot(true);
    connect(countsTimer_, &QTimer::timeout, this, &MainWindow::updateCounts);
    connect(&replica_, &client::Replica::applied, this, &MainWindow::scheduleCounts);
    connect(&replica_, &client::Replica::reset, this, &MainWindow::scheduleCounts);
    connect(&replica_, &client::Replica::engineChanged, this, &MainWindow::scheduleCounts);
    connect(&replica_, &client::Replica::statusChanged, this, &MainWindow::scheduleCounts);
    connect(events_, &QAbstractItemModel::rowsInserted, this, &MainWindow::scheduleCounts);
    connect(events_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::scheduleCounts);
    updateCounts();
}

MainWindow::~MainWindow() = default;

QStringList MainWindow::withoutHostOption(const QStringList& arguments)
{
    QStringList out;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if (a == QLatin1String("--")) {
            out << arguments.mid(i);
            break;
        }
        if (a == QLatin1String("-H") || a == QLatin1String("--host")) {
            ++i; // and its value
            continue;
        }
        if (a.startsWith(QLatin1String("--host=")) || (a.startsWith(QLatin1String("-H")) && a.size() > 2))
            continue;
        out << a;
    }
    return out;
}

void MainWindow::buildModels()
{
    containers_ = new models::ContainerModel(this);
    tree_ = new models::ComposeTreeModel(this);
    images_ = new models::ImageModel(this);
    volumes_ = new models::VolumeModel(this);
    networks_ = new models::NetworkModel(this);
    events_ = new models::EventModel(this);
    containers_->bind(replica_);
    tree_->bind(replica_);
    images_->bind(replica_);
    volumes_->bind(replica_);
    networks_->bind(replica_);
    events_->bind(replica_);
    actions_ = new ActionSender(replica_, this);
}

void MainWindow::buildPages(const QString& endpoint)
{
    sidebar_ = new QListWidget(this);
    sidebar_->setFixedWidth(190);
    sidebar_->setIconSize(QSize(18, 18));
    sidebar_->setSpacing(2);
    QFont font = sidebar_->font();
    font.setPointSizeF(font.pointSizeF() * 1.08);
    sidebar_->setFont(font);
    for (int i = 0; i < PageCount; ++i)
        sidebar_->addItem(QString());
    for (const Glyph glyph :
         {Glyph::Containers, Glyph::Images, Glyph::Volumes, Glyph::Networks, Glyph::Activity})
        if (QListWidgetItem* item = sidebar_->item(static_cast<int>(glyph)))
            item->setIcon(glyphIcon(glyph));

    stack_ = new QStackedWidget(this);
    containersPage_ = new ContainersPage(replica_, *containers_, *tree_, *actions_, stack_);
    stack_->addWidget(containersPage_);
    stack_->addWidget(createImagesPage(*images_, *actions_, stack_, networks_));
    stack_->addWidget(createVolumesPage(*volumes_, *actions_, stack_));
    stack_->addWidget(createNetworksPage(*networks_, *containers_, *actions_, stack_));
    stack_->addWidget(new ActivityPage(*events_, stack_));
    enginePage_ = new EnginePage(replica_, engine_ != nullptr, endpoint, stack_);
    stack_->addWidget(enginePage_);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(sidebar_);
    layout->addWidget(stack_, 1);
    setCentralWidget(central);

    connect(sidebar_, &QListWidget::currentRowChanged, this, &MainWindow::showPage);
    sidebar_->setCurrentRow(ContainersPageIndex);
}

void MainWindow::showPage(int page)
{
    if (page < 0 || page >= PageCount)
        return;
    if (sidebar_->currentRow() != page)
        sidebar_->setCurrentRow(page);
    stack_->setCurrentIndex(page);
    if (page == EnginePageIndex) {
        enginePage_->refresh();
        metricsTimer_->setInterval(kMetricsVisibleMs);
        requestMetrics();
    } else {
        metricsTimer_->setInterval(kMetricsHiddenMs);
    }
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    showPage(settings.value(QStringLiteral("window/page"), int(ContainersPageIndex)).toInt());
    containersPage_->setGrouped(settings.value(QStringLiteral("containers/grouped"), false).toBool());
    settingsEnabled_ = true;
    setPreferences(loadPreferences());
}

void MainWindow::buildMenu()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* preferences = file->addAction(tr("Preferences…"), this, [this] { openPreferences(); });
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setShortcutContext(Qt::ApplicationShortcut);
    preferences->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
}

PreferencesDialog* MainWindow::openPreferences()
{
    if (auto* open = findChild<PreferencesDialog*>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto* dialog = new PreferencesDialog(preferences_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { setPreferences(dialog->preferences()); });
    connect(dialog, &PreferencesDialog::restartRequested, this, [this, dialog] {
        setPreferences(dialog->preferences());
        restartApplication();
    });
    dialog->open();
    return dialog;
}

void MainWindow::setPreferences(const Preferences& preferences)
{
    preferences_ = preferences;
    if (settingsEnabled_)
        savePreferences(preferences_);
    applyTheme(preferences_.theme);
    notifier_->setNotifyDied(preferences_.notifications && preferences_.notifyDied);
    notifier_->setNotifyUnhealthy(preferences_.notifications && preferences_.notifyUnhealthy);
}

void MainWindow::showNotification(const QString& title, const QString& body)
{
    // Without a system tray (Xvfb, offscreen, some desktops) the status bar says it.
    if (!tray_->showMessage(title, body))
        showMessage(title + QStringLiteral(": ") + body, true);
}

void MainWindow::restartApplication()
{
    // The same program with the same arguments, but without -H/--host: the endpoint just chosen is read from
    // the settings at its start.
    if (!QProcess::startDetached(QCoreApplication::applicationFilePath(),
                                 withoutHostOption(QCoreApplication::arguments().mid(1)))) {
        showMessage(tr("Could not start Dockscope again; please restart it yourself."), true);
        return;
    }
    close();
    QApplication::quit();
}

bool MainWindow::event(QEvent* event)
{
    // Frame pacing: the window repaints at most once per kFrameMs. An update request that comes sooner after
    // the last paint waits for the rest of the frame; the regions marked dirty meanwhile are painted then,
    // together (Qt posts no other request until this one is handled). During a burst every batch marks the
    // views dirty, and at 1000 rows each repaint of the containers view costs milliseconds.
    if (event->type() == QEvent::UpdateRequest) {
        const qint64 since = frameClock_.isValid() ? frameClock_.elapsed() : kFrameMs;
        if (since < kFrameMs) {
            if (!frameTimer_->isActive())
                frameTimer_->start(int(kFrameMs - since));
            return true;
        }
        frameTimer_->stop();
        frameClock_.start();
    }
    return QMainWindow::event(event);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (settingsEnabled_) {
        QSettings settings;
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
        settings.setValue(QStringLiteral("window/page"), stack_->currentIndex());
        settings.setValue(QStringLiteral("containers/grouped"), containersPage_->isGrouped());
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::scheduleCounts()
{
    if (countsTimer_->isActive())
        return;
    // At once (on the next turn of the event loop) after a quiet spell, else kCountsMs after the last update.
    const qint64 since = countsClock_.isValid() ? countsClock_.elapsed() : kCountsMs;
    countsTimer_->start(int(std::max<qint64>(0, kCountsMs - since)));
}

void MainWindow::updateCounts()
{
    countsTimer_->stop();
    countsClock_.start();
    const auto& s = replica_.state();
    const auto engine = replica_.engine();
    // The engine's counts are kept by the engine worker: no walk over the containers per batch.
    const int running = engine ? engine->counts.running : 0;
    if (tray_)
        tray_->setCounts(running, int(s.containers().size()));
    const bool live = replica_.status() == client::Replica::Status::Live && engine &&
                      engine->status == state::EngineStatus::Connected;
    const QString entries[PageCount] = {
        tr("Containers  %1/%2").arg(running).arg(s.containers().size()),
        tr("Images  %1").arg(s.images().size()),
        tr("Volumes  %1").arg(s.volumes().size()),
        tr("Networks  %1").arg(s.networks().size()),
        tr("Activity  %1").arg(events_->rowCount()),
        tr("Engine  %1")
            .arg(live     ? tr("live")
                 : engine ? QString::fromLatin1(state::toString(engine->status))
                          : tr("…")),
    };
    for (int i = 0; i < PageCount; ++i) {
        if (QListWidgetItem* item = sidebar_->item(i); item && item->text() != entries[i])
            item->setText(entries[i]);
    }
    const QColor dot = live ? QColor(0x2e, 0xa0, 0x43)
                       : engine && engine->status == state::EngineStatus::Unreachable
                           ? QColor(0xd3, 0x2f, 0x2f)
                           : QColor(0xf0, 0xa0, 0x20);
    if (QListWidgetItem* item = sidebar_->item(EnginePageIndex); item && dot != engineDot_) {
        engineDot_ = dot; // a new icon repaints and relayouts the sidebar: only when the colour changes
        item->setIcon(dotIcon(dot));
    }
    if (stack_->currentIndex() == EnginePageIndex)
        enginePage_->refresh();
}

void MainWindow::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    containers_->setNow(now);
    tree_->setNow(now);
    images_->setNow(now);
    volumes_->setNow(now);
    live_->refresh();
}

void MainWindow::requestMetrics()
{
    if (engine_)
        engine_->requestMetrics();
}

void MainWindow::showMessage(const QString& text, bool error)
{
    message_->setStyleSheet(error ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
    // The full text stays in the tooltip; the bar shows what fits beside the live status, cut in the middle:
    // Docker puts the cause at the end ("… stat /x: no such file or directory").
    message_->setText(message_->fontMetrics().elidedText(text, Qt::ElideMiddle, width() / 2));
    message_->setToolTip(text);
    messageTimer_->start(kMessageMs);
}

} // namespace dockscope::ui
