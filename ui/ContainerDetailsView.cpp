#include "ContainerDetailsView.h"

#include "JsonTreeModel.h"
#include "LogsView.h"
#include "StatsChart.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/Text.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace dockscope::ui {

namespace models = client::models;

namespace {

void setText(const QHash<QString, QLabel*>& labels, const QString& name, const QString& text)
{
    if (QLabel* label = labels.value(name))
        label->setText(text);
}

QString timeText(state::Timestamp ns)
{
    if (ns == 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(models::toMsecs(ns))
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString portsAndMounts(const state::Container& c)
{
    QStringList mounts;
    for (const auto& m : c.mounts) {
        const QString source = QString::fromStdString(m.name.empty() ? m.source : m.name);
        mounts.append(source + QStringLiteral(" → ") + QString::fromStdString(m.destination) +
                      (m.rw ? QString() : QStringLiteral(" (ro)")));
    }
    return mounts.isEmpty() ? QStringLiteral("—") : mounts.join(QStringLiteral("\n"));
}

} // namespace

ContainerDetailsView::ContainerDetailsView(client::Replica& replica, QWidget* parent)
    : QWidget(parent)
    , replica_(replica)
    , tabs_(new QTabWidget(this))
    , title_(new QLabel(this))
    , form_(new QFormLayout)
    , logs_(new LogsView(replica, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    QFont titleFont = title_->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title_->setFont(titleFont);
    layout->addWidget(title_);
    layout->addWidget(tabs_, 1);

    auto* overview = new QWidget(tabs_);
    auto* columns = new QHBoxLayout(overview);
    auto* right = new QFormLayout;
    columns->addLayout(form_, 1);
    columns->addLayout(right, 1);
    for (const QString& name :
         {tr("Id"), tr("Image"), tr("Command"), tr("State"), tr("Created"), tr("Started"), tr("Finished")})
        fields_.insert(name, addField(name));
    for (const QString& name : {tr("Ports"), tr("Networks"), tr("Mounts"), tr("Project"), tr("Restarts")}) {
        auto* label = new QLabel(overview);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        right->addRow(name + QLatin1Char(':'), label);
        fields_.insert(name, label);
    }
    tabs_->addTab(overview, tr("Overview"));

    tabs_->addTab(logs_, tr("Logs"));

    auto* statsPage = new QWidget(tabs_);
    auto* statsLayout = new QHBoxLayout(statsPage);
    auto* statsForm = new QFormLayout;
    statsLayout->addLayout(statsForm);
    for (const QString& name :
         {tr("CPU"), tr("Memory"), tr("Network I/O"), tr("Block I/O"), tr("PIDs"), tr("Sampled")}) {
        auto* label = new QLabel(QStringLiteral("—"), statsPage);
        statsForm->addRow(name + QLatin1Char(':'), label);
        stats_.insert(name, label);
    }
    chart_ = new StatsChart(statsPage);
    statsLayout->addWidget(chart_, 1);
    tabs_->addTab(statsPage, tr("Stats"));
    tabs_->addTab(buildInspectTab(), tr("Inspect"));

    connect(tabs_, &QTabWidget::currentChanged, this, &ContainerDetailsView::syncStreams);
    connect(&replica_, &client::Replica::applied, this, [this](const state::Batch& batch) {
        for (const auto& change : batch.changes)
            if (change.kind == state::EntityKind::Container && QString::fromStdString(change.id) == id_) {
                refreshOverview();
                // A new state (started, died, paused, …) changes the inspect document: fetch it again now if
                // it is on screen, else when its tab is shown.
                const auto& containers = replica_.state().containers();
                const auto found = containers.find(id_.toStdString());
                if (!inspectedId_.isEmpty() && found != containers.end() &&
                    static_cast<int>(found->second.state) != inspectedState_) {
                    inspectStale_ = true;
                    syncInspect();
                }
                return;
            }
    });
    connect(&replica_, &client::Replica::reset, this, &ContainerDetailsView::refreshOverview);
    // "Up 5 minutes" in the title follows a local clock, like the models' setNow(): no request to the daemon.
    auto* clock = new QTimer(this);
    clock->setInterval(5000);
    connect(clock, &QTimer::timeout, this, [this] {
        if (isVisible())
            refreshOverview();
    });
    clock->start();
    showContainer({});
}

ContainerDetailsView::~ContainerDetailsView()
{
    closeStreams();
}

QLabel* ContainerDetailsView::addField(const QString& title)
{
    auto* label = new QLabel(this);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    form_->addRow(title + QLatin1Char(':'), label);
    return label;
}

void ContainerDetailsView::showContainer(const QString& id)
{
    if (id == id_ && !id.isEmpty())
        return;
    closeStreams();
    id_ = id;
    logs_->setContainer(id_);
    chart_->clear();
    for (QLabel* label : std::as_const(stats_))
        label->setText(QStringLiteral("—"));
    inspectModel_->clear();
    inspectedId_.clear();
    inspectStale_ = false;
    ++inspectRequest_; // an answer about the previous container is dropped
    inspectStatus_->clear();
    tabs_->setEnabled(!id_.isEmpty());
    refreshOverview();
    syncStreams();
}

void ContainerDetailsView::showTab(int tab)
{
    tabs_->setCurrentIndex(tab);
}

void ContainerDetailsView::refreshOverview()
{
    const auto& containers = replica_.state().containers();
    const auto found = containers.find(id_.toStdString());
    if (found == containers.end()) {
        title_->setText(id_.isEmpty() ? tr("Select a container to see its details")
                                      : tr("%1 (removed)").arg(id_.left(12)));
        for (QLabel* label : std::as_const(fields_))
            label->clear();
        return;
    }
    const state::Container& c = found->second;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    title_->setText(QString::fromStdString(c.name) + QStringLiteral("  —  ") + models::statusText(c, now));
    setText(fields_, tr("Id"), QString::fromStdString(c.id));
    setText(fields_, tr("Image"), QString::fromStdString(c.image));
    setText(fields_, tr("Command"), QString::fromStdString(c.command));
    QString stateText = QString::fromUtf8(state::toString(c.state).data(),
                                          static_cast<qsizetype>(state::toString(c.state).size()));
    if (c.health != state::Health::None)
        stateText += QStringLiteral(", ") + models::healthText(c.health);
    if (c.state == state::ContainerState::Exited)
        stateText += tr(", exit code %1").arg(c.exitCode);
    setText(fields_, tr("State"), stateText);
    setText(fields_, tr("Created"), timeText(c.createdAt));
    setText(fields_, tr("Started"), timeText(c.startedAt));
    setText(fields_, tr("Finished"), timeText(c.finishedAt));
    const QString ports = models::portsText(c.ports);
    setText(fields_, tr("Ports"), ports.isEmpty() ? QStringLiteral("—") : ports);
    const QStringList networks = models::toStringList(c.networks);
    setText(fields_, tr("Networks"),
            networks.isEmpty() ? QStringLiteral("—") : networks.join(QStringLiteral(", ")));
    setText(fields_, tr("Mounts"), portsAndMounts(c));
    setText(fields_, tr("Project"),
            c.composeProject.empty() ? QStringLiteral("—")
                                     : QString::fromStdString(c.composeProject + " / " + c.composeService));
    setText(fields_, tr("Restarts"), QString::number(c.restartCount));
}

void ContainerDetailsView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    syncStreams();
}

void ContainerDetailsView::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    closeStreams();
}

void ContainerDetailsView::syncStreams()
{
    const bool visible = isVisible() && !id_.isEmpty();
    const bool wantLogs = visible && tabs_->currentWidget() == logs_;
    const bool wantStats = visible && tabs_->currentIndex() == StatsTab;
    logs_->setActive(wantLogs);
    if (!wantStats && !statsStream_.isEmpty()) {
        replica_.closeStream(statsStream_);
        statsStream_.clear();
    }
    if (wantStats && statsStream_.isEmpty())
        openStats();
    syncInspect();
}

void ContainerDetailsView::closeStreams()
{
    logs_->setActive(false);
    if (!statsStream_.isEmpty())
        replica_.closeStream(statsStream_);
    statsStream_.clear();
}

void ContainerDetailsView::openStats()
{
    statsStream_ = replica_.openStream(
        protocol::StreamWhat::Stats, id_.toStdString(), nlohmann::json::object(), this,
        [this](const nlohmann::json& piece) { showStats(piece); },
        [this](const std::optional<protocol::ErrorInfo>& error) {
            statsStream_.clear();
            if (error)
                setText(stats_, tr("Sampled"), QString::fromStdString(error->message));
        });
}

void ContainerDetailsView::showStats(const nlohmann::json& piece)
{
    const auto num = [&piece](const char* key) { return piece.value(key, 0.0); };
    const auto bytes = [&piece](const char* key) {
        return models::sizeText(piece.value(key, std::int64_t{0}));
    };
    setText(stats_, tr("CPU"), QStringLiteral("%1 %").arg(num("cpuPercent"), 0, 'f', 1));
    setText(stats_, tr("Memory"),
            QStringLiteral("%1 / %2 (%3 %)")
                .arg(bytes("memUsage"), bytes("memLimit"))
                .arg(num("memPercent"), 0, 'f', 1));
    setText(stats_, tr("Network I/O"), bytes("netRx") + QStringLiteral(" / ") + bytes("netTx"));
    setText(stats_, tr("Block I/O"), bytes("blockRead") + QStringLiteral(" / ") + bytes("blockWrite"));
    setText(stats_, tr("PIDs"), QString::number(piece.value("pids", 0)));
    setText(stats_, tr("Sampled"), timeText(piece.value("read", std::int64_t{0})));
    if (piece.value("read", std::int64_t{0}) != 0)
        chart_->addSample({num("cpuPercent"), num("memPercent"), piece.value("netRx", std::int64_t{0}),
                           piece.value("netTx", std::int64_t{0}), piece.value("read", std::int64_t{0})});
}

QWidget* ContainerDetailsView::buildInspectTab()
{
    inspectPage_ = new QWidget(tabs_);
    inspectModel_ = new JsonTreeModel(inspectPage_);
    inspectProxy_ = new JsonFilterProxy(inspectPage_);
    inspectProxy_->setSourceModel(inspectModel_);
    inspectView_ = new QTreeView(inspectPage_);
    inspectView_->setObjectName(QStringLiteral("inspectTree"));
    inspectView_->setModel(inspectProxy_);
    inspectView_->setUniformRowHeights(true);
    inspectView_->setAlternatingRowColors(true);
    inspectView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    inspectView_->setContextMenuPolicy(Qt::CustomContextMenu);
    inspectView_->header()->resizeSection(JsonTreeModel::KeyColumn, 240);
    inspectView_->header()->resizeSection(JsonTreeModel::ValueColumn, 420);
    inspectSearch_ = new QLineEdit(inspectPage_);
    inspectSearch_->setObjectName(QStringLiteral("inspectSearch"));
    inspectSearch_->setPlaceholderText(tr("Search keys and values…"));
    inspectSearch_->setClearButtonEnabled(true);
    inspectRefresh_ = new QPushButton(tr("Refresh"), inspectPage_);
    inspectRefresh_->setObjectName(QStringLiteral("inspectRefresh"));
    inspectStatus_ = new QLabel(inspectPage_);
    inspectDebounce_ = new QTimer(inspectPage_);
    inspectDebounce_->setSingleShot(true);
    inspectDebounce_->setInterval(200);

    auto* bar = new QHBoxLayout;
    bar->addWidget(inspectSearch_, 1);
    bar->addWidget(inspectRefresh_);
    bar->addWidget(inspectStatus_);
    auto* layout = new QVBoxLayout(inspectPage_);
    layout->addLayout(bar);
    layout->addWidget(inspectView_, 1);

    connect(inspectSearch_, &QLineEdit::textChanged, inspectDebounce_, qOverload<>(&QTimer::start));
    connect(inspectDebounce_, &QTimer::timeout, this, &ContainerDetailsView::applySearch);
    connect(inspectRefresh_, &QPushButton::clicked, this, &ContainerDetailsView::fetchInspect);
    connect(inspectView_, &QWidget::customContextMenuRequested, this, &ContainerDetailsView::showInspectMenu);
    return inspectPage_;
}

bool ContainerDetailsView::inspectVisible() const
{
    return isVisible() && !id_.isEmpty() && tabs_->currentWidget() == inspectPage_;
}

void ContainerDetailsView::syncInspect()
{
    if (inspectVisible() && (inspectedId_ != id_ || inspectStale_))
        fetchInspect();
}

void ContainerDetailsView::fetchInspect()
{
    if (id_.isEmpty())
        return;
    const quint64 request = ++inspectRequest_;
    const QString id = id_;
    inspectStale_ = false;
    inspectedId_ = id; // asked for: not asked again until it is stale
    const auto& containers = replica_.state().containers();
    const auto found = containers.find(id.toStdString());
    inspectedState_ = found == containers.end() ? -1 : static_cast<int>(found->second.state);
    inspectStatus_->setText(tr("Fetching…"));
    protocol::Action action;
    action.kind = protocol::ActionKind::Container;
    action.target = id.toStdString();
    action.op = "inspect";
    replica_.act(std::move(action), this, [this, request](const protocol::Result& result) {
        if (request != inspectRequest_)
            return; // another container, or a newer fetch
        if (!result.ok) {
            inspectStatus_->setText(tr("Could not inspect: %1")
                                        .arg(result.error ? QString::fromStdString(result.error->message)
                                                          : tr("no reason given")));
            Q_EMIT inspected(false);
            return;
        }
        // Keep what was open open across a refresh.
        QSet<QString> expanded;
        std::vector<QModelIndex> pending{QModelIndex()};
        while (!pending.empty()) {
            const QModelIndex parent = pending.back();
            pending.pop_back();
            for (int row = 0; row < inspectProxy_->rowCount(parent); ++row) {
                const QModelIndex index = inspectProxy_->index(row, 0, parent);
                if (inspectView_->isExpanded(index)) {
                    expanded.insert(index.data(JsonTreeModel::PathRole).toString());
                    pending.push_back(index);
                }
            }
        }
        inspectModel_->setJson(result.value);
        for (const QString& path : std::as_const(expanded))
            inspectView_->expand(inspectProxy_->mapFromSource(inspectModel_->indexOfPath(path)));
        ++inspectFetches_;
        inspectStatus_->setText(
            tr("as of %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
        applySearch();
        Q_EMIT inspected(true);
    });
}

void ContainerDetailsView::applySearch()
{
    inspectDebounce_->stop();
    inspectProxy_->setSearch(inspectSearch_->text());
    if (inspectProxy_->search().isEmpty())
        return;
    // Open the way to every row that matches by itself (not the whole subtree under a matching key).
    std::vector<QModelIndex> pending{QModelIndex()};
    while (!pending.empty()) {
        const QModelIndex parent = pending.back();
        pending.pop_back();
        for (int row = 0; row < inspectProxy_->rowCount(parent); ++row) {
            const QModelIndex index = inspectProxy_->index(row, 0, parent);
            if (inspectProxy_->matches(inspectProxy_->mapToSource(index))) {
                for (QModelIndex up = parent; up.isValid(); up = up.parent())
                    inspectView_->expand(up);
            }
            pending.push_back(index);
        }
    }
}

void ContainerDetailsView::showInspectMenu(const QPoint& pos)
{
    const QModelIndex index = inspectView_->indexAt(pos);
    if (!index.isValid())
        return;
    const QModelIndex row = index.siblingAtColumn(JsonTreeModel::KeyColumn);
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const QString value = row.data(JsonTreeModel::CopyRole).toString();
    const QString key = row.data().toString();
    const QString path = row.data(JsonTreeModel::PathRole).toString();
    menu->addAction(tr("Copy value"), this, [value] { QApplication::clipboard()->setText(value); })
        ->setObjectName(QStringLiteral("copyValue"));
    menu->addAction(tr("Copy key"), this, [key] { QApplication::clipboard()->setText(key); });
    menu->addAction(tr("Copy path"), this, [path] { QApplication::clipboard()->setText(path); });
    menu->popup(inspectView_->viewport()->mapToGlobal(pos));
}

} // namespace dockscope::ui
