#include "ContainerDetailsView.h"

#include "LogsView.h"
#include "StatsChart.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/Text.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QTimer>
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

    connect(tabs_, &QTabWidget::currentChanged, this, &ContainerDetailsView::syncStreams);
    connect(&replica_, &client::Replica::applied, this, [this](const state::Batch& batch) {
        for (const auto& change : batch.changes)
            if (change.kind == state::EntityKind::Container && QString::fromStdString(change.id) == id_) {
                refreshOverview();
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
    const bool wantStats = visible && tabs_->currentIndex() == 2;
    logs_->setActive(wantLogs);
    if (!wantStats && !statsStream_.isEmpty()) {
        replica_.closeStream(statsStream_);
        statsStream_.clear();
    }
    if (wantStats && statsStream_.isEmpty())
        openStats();
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
        chart_->addSample(num("cpuPercent"), num("memPercent"));
}

} // namespace dockscope::ui
