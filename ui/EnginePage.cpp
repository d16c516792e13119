#include "EnginePage.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/Text.h"
#include "dockscope/engine/EngineMetrics.h"

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dockscope::ui {

namespace {

QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString msText(std::int64_t ns)
{
    if (ns <= 0)
        return QStringLiteral("—");
    return QStringLiteral("%1 ms").arg(static_cast<double>(ns) / 1e6, 0, 'f', ns < 10'000'000 ? 2 : 0);
}

QString sinceText(state::Timestamp ns)
{
    if (ns == 0)
        return {};
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(client::models::toMsecs(ns));
    return at.toString(at.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss")
                                                         : QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

EnginePage::EnginePage(client::Replica& replica, bool embedded, const QString& endpoint, QWidget* parent)
    : QWidget(parent)
    , replica_(replica)
    , calls_(new QTableWidget(0, 2, this))
{
    auto* engineBox = new QGroupBox(tr("Engine"), this);
    auto* engineForm = new QFormLayout(engineBox);
    for (const QString& key :
         {tr("Status"), tr("Endpoint"), tr("Version"), tr("API version"), tr("OS"), tr("Kernel"), tr("CPUs"),
          tr("Memory"), tr("Host name"), tr("Containers"), tr("Images"), tr("Last error")})
        labels_.insert(key, addRow(engineForm, key));
    set(tr("Endpoint"), endpoint.isEmpty() ? tr("(the daemon's)") : endpoint);

    auto* linkBox = new QGroupBox(tr("State server link"), this);
    auto* linkForm = new QFormLayout(linkBox);
    for (const QString& key : {tr("Mode"), tr("Link"), tr("State version"), tr("Snapshots"), tr("Batches"),
                               tr("Resyncs"), tr("Received")})
        labels_.insert(key, addRow(linkForm, key));
    set(tr("Mode"), embedded ? tr("embedded engine and server") : tr("attached to dockscoped"));

    auto* metricsBox =
        new QGroupBox(tr("Engine worker (refreshed every 2 s while this page is shown)"), this);
    auto* metricsLayout = new QHBoxLayout(metricsBox);
    auto* metricsForm = new QFormLayout;
    for (const QString& key :
         {tr("Events"), tr("Ignored / coalesced"), tr("Inspects / re-lists"), tr("Batches / changes"),
          tr("Reconnects"), tr("Liveness pings"), tr("Drift checks / repairs"),
          tr("Event latency p50 / p99 / max"), tr("Last full sync"), tr("API calls")})
        labels_.insert(key, addRow(metricsForm, key));
    metricsLayout->addLayout(metricsForm, 1);
    calls_->setHorizontalHeaderLabels({tr("Docker API call"), tr("Count")});
    calls_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    calls_->verticalHeader()->hide();
    calls_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    metricsLayout->addWidget(calls_, 1);
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(engineBox, 1);
    top->addWidget(linkBox, 1);
    layout->addLayout(top);
    layout->addWidget(metricsBox, 1);
    if (!embedded) {
        // The worker runs in dockscoped's process: its counters are not reachable from here.
        metricsBox->hide();
        layout->addWidget(
            new QLabel(tr("The engine worker runs inside dockscoped; its metrics are shown when "
                          "Dockscope embeds the engine (without --attach)."),
                       this));
        layout->addStretch(1);
    }
    auto* note = new QLabel(tr("Dockscope never polls Docker: it follows the engine's event stream and "
                               "inspects only what an event names. The call counts above grow only when "
                               "something happens."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    refresh();
}

QLabel* EnginePage::addRow(QFormLayout* form, const QString& title)
{
    auto* label = new QLabel(QStringLiteral("—"), this);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    form->addRow(title + QLatin1Char(':'), label);
    return label;
}

void EnginePage::set(const QString& key, const QString& text)
{
    if (QLabel* label = labels_.value(key))
        label->setText(text.isEmpty() ? QStringLiteral("—") : text);
}

void EnginePage::refresh()
{
    if (const auto engine = replica_.engine()) {
        set(tr("Status"),
            fromView(state::toString(engine->status)) + tr(" since ") + sinceText(engine->statusSince));
        set(tr("Version"), QString::fromStdString(engine->version));
        set(tr("API version"), QString::fromStdString(engine->apiVersion));
        set(tr("OS"),
            QString::fromStdString(engine->arch.empty() ? engine->os : engine->os + " / " + engine->arch));
        set(tr("Kernel"), QString::fromStdString(engine->kernel));
        set(tr("CPUs"), QString::number(engine->cpus));
        set(tr("Memory"), client::models::sizeText(engine->memTotal));
        set(tr("Host name"), QString::fromStdString(engine->name));
        const auto& c = engine->counts;
        set(tr("Containers"),
            tr("%1 running, %2 paused, %3 stopped").arg(c.running).arg(c.paused).arg(c.stopped));
        set(tr("Images"), QString::number(c.images));
        set(tr("Last error"), QString::fromStdString(engine->lastError));
    }
    static const char* const statusNames[] = {"disconnected", "connecting", "live", "reconnecting"};
    set(tr("Link"), QString::fromLatin1(statusNames[static_cast<int>(replica_.status())]) +
                        (replica_.lastError().isEmpty()
                             ? QString()
                             : QStringLiteral(" (") + replica_.lastError() + QLatin1Char(')')));
    set(tr("State version"), QString::number(replica_.state().version()));
    const auto stats = replica_.stats();
    set(tr("Snapshots"), QString::number(stats.snapshots));
    set(tr("Batches"), QString::number(stats.batches));
    set(tr("Resyncs"), QString::number(stats.resyncs));
    set(tr("Received"), client::models::sizeText(static_cast<qint64>(stats.bytesReceived)));
}

void EnginePage::showMetrics(const engine::EngineMetrics& m)
{
    set(tr("Events"), QString::number(m.eventsReceived) +
                          (m.eventsMalformed ? tr(" (%1 malformed)").arg(m.eventsMalformed) : QString()));
    set(tr("Ignored / coalesced"), QStringLiteral("%1 / %2").arg(m.eventsIgnored).arg(m.eventsCoalesced));
    set(tr("Inspects / re-lists"), QStringLiteral("%1 / %2").arg(m.inspects).arg(m.relists));
    set(tr("Batches / changes"), QStringLiteral("%1 / %2").arg(m.batches).arg(m.changes));
    set(tr("Reconnects"), QString::number(m.reconnects));
    set(tr("Liveness pings"), QString::number(m.livenessPings));
    set(tr("Drift checks / repairs"), QStringLiteral("%1 / %2").arg(m.driftChecks).arg(m.driftRepairs));
    set(tr("Event latency p50 / p99 / max"), msText(m.latencyP50) + QStringLiteral(" / ") +
                                                 msText(m.latencyP99) + QStringLiteral(" / ") +
                                                 msText(m.latencyMax));
    set(tr("Last full sync"), msText(m.initialSyncNs));
    set(tr("API calls"), QString::number(m.totalApiCalls()));
    calls_->setRowCount(static_cast<int>(m.apiCalls.size()));
    int row = 0;
    for (const auto& [endpoint, count] : m.apiCalls) {
        calls_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(endpoint)));
        auto* countItem = new QTableWidgetItem(QString::number(count));
        countItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        calls_->setItem(row, 1, countItem);
        ++row;
    }
    refresh();
}

} // namespace dockscope::ui
