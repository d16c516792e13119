// EngineWorker: the connection's life (connect, events stream, status, backoff, liveness, frozen engine,
// drift and burst timers). The sync itself (flushes, inspects, re-lists, commits) is in EngineSync.cpp.
#include "dockscope/engine/EngineWorker.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace dockscope::engine {

namespace {

QTimer* singleShotTimer(QObject* parent)
{
    auto* timer = new QTimer(parent);
    timer->setSingleShot(true);
    return timer;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

EngineWorker::EngineWorker(EngineOptions options, std::uint64_t epoch)
    : m_options(std::move(options))
    , m_state(initialState(m_options, epoch))
    , m_dispatchTimer(singleShotTimer(this))
    , m_commitTimer(singleShotTimer(this))
    , m_retryTimer(singleShotTimer(this))
    , m_livenessTimer(singleShotTimer(this))
    , m_frozenTimer(new QTimer(this))
    , m_driftTimer(new QTimer(this))
    , m_burstTimer(singleShotTimer(this))
{
    connect(m_dispatchTimer, &QTimer::timeout, this, &EngineWorker::dispatch);
    connect(m_commitTimer, &QTimer::timeout, this, &EngineWorker::commitPending);
    connect(m_retryTimer, &QTimer::timeout, this, &EngineWorker::connectToEngine);
    connect(m_livenessTimer, &QTimer::timeout, this, &EngineWorker::ping);
    connect(m_frozenTimer, &QTimer::timeout, this, &EngineWorker::checkFrozen);
    connect(m_driftTimer, &QTimer::timeout, this, &EngineWorker::checkDrift);
    connect(m_burstTimer, &QTimer::timeout, this, &EngineWorker::checkDrift);
    m_repairTimer = singleShotTimer(this);
    m_repairTimer->setInterval(2000); // how late an event may be and still explain a drift check's change
    connect(m_repairTimer, &QTimer::timeout, this, &EngineWorker::settleRepairs);
}

EngineWorker::~EngineWorker() = default;

state::EngineState initialState(const EngineOptions& options, std::uint64_t epoch)
{
    state::EngineState state(epoch);
    if (const auto& seed = options.seed)
        state.resetTo(epoch, seed->version(), seed->containers(), seed->images(), seed->volumes(),
                      seed->networks(), seed->engine());
    return state;
}

void EngineWorker::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_stopped = false;
    setStatus(state::EngineStatus::Connecting, {});
    connectToEngine();
}

void EngineWorker::stop()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_stopped = true;
    for (QTimer* timer : {m_dispatchTimer, m_commitTimer, m_retryTimer, m_livenessTimer, m_frozenTimer,
                          m_driftTimer, m_burstTimer, m_repairTimer})
        timer->stop();
    m_events.reset();
    delete m_session;
    retireClient();
}

void EngineWorker::retireClient()
{
    if (!m_client)
        return;
    for (const auto& [endpoint, count] : m_client->callCounts())
        m_retiredCalls[endpoint] += count;
    m_client.reset();
}

void EngineWorker::connectToEngine()
{
    if (m_stopped)
        return;
    // A fresh client per attempt: a frozen engine leaves requests hanging on the old pool's connections.
    retireClient();
    m_client = std::make_unique<docker::DockerClient>(docker::DockerClient::Options{m_options.endpoint});
    delete m_session;
    m_session = new QObject(this);
    m_client->ping(
        m_session,
        [this](docker::Result<docker::ApiVersion> pong) {
            if (!pong)
                return connectionLost(pong.error());
            m_client->negotiate(m_session, [this](docker::Result<docker::ApiVersion> version) {
                if (!version)
                    return connectionLost(version.error());
                openEvents();
            });
        },
        m_options.pingTimeout);
}

void EngineWorker::openEvents()
{
    // Opened before the lists are read, with `since` a moment back: the response head arrives before the
    // daemon has subscribed us, and replayed events are harmless (inspects are idempotent).
    const auto since = (nowMs() - 1000) * 1'000'000;
    m_events.reset(m_client->events({since, std::nullopt, {}}));
    connect(m_events.get(), &docker::DockerStream::started, m_session, [this] {
        m_enginePid = m_events->peerProcessId();
        if (m_enginePid > 0 && m_options.frozenCheck.count() > 0)
            m_frozenTimer->start(m_options.frozenCheck);
        startFullSync();
    });
    connect(m_events.get(), &docker::DockerStream::event, m_session,
            [this](const state::DockerEvent& event) { onEvent(event); });
    connect(m_events.get(), &docker::DockerStream::warning, m_session, [this](const QString& message) {
        ++m_metrics.eventsMalformed;
        spdlog::warn("engine: {}", message.toStdString());
    });
    connect(
        m_events.get(), &docker::DockerStream::finished, m_session, [this](const docker::DockerError& error) {
            connectionLost(
                error ? error : docker::DockerError{docker::ErrorKind::Transport, 0, "events stream ended"});
        });
}

void EngineWorker::connectionLost(const docker::DockerError& error)
{
    if (m_stopped)
        return;
    const bool wasLive = m_live;
    spdlog::warn("engine: connection to {} lost: {}", m_options.endpoint.url(), error.describe());
    // We may be inside the stream's own signal: let it finish before it is destroyed.
    if (m_events)
        m_events.release()->deleteLater();
    delete m_session; // drops every callback and signal connection of this connection
    m_live = false;
    // What was not committed yet is dropped: the full sync of the next connection re-reads everything.
    m_flushInFlight = false;
    m_dirty.clear();
    m_inFlight.clear();
    m_inFlightSeqs.clear();
    m_appliedSeq.clear();
    m_pending = {};
    m_pendingEventTimes.clear();
    m_driftPending = false;
    m_repairCandidates.clear(); // the next full sync re-reads everything
    m_repairTimer->stop();
    m_commitTimer->stop();
    m_frozenTimer->stop();
    m_livenessTimer->stop();
    m_dispatchTimer->stop();
    m_enginePid = 0;
    if (wasLive) {
        ++m_metrics.reconnects;
        m_reconnectingSinceMs = nowMs();
        m_attempt = 0;
    }
    const bool longGone =
        !m_everConnected || nowMs() - m_reconnectingSinceMs >= m_options.unreachableAfter.count();
    setStatus(longGone ? state::EngineStatus::Unreachable : state::EngineStatus::Reconnecting,
              error.describe());
    const auto base = std::min<qint64>(m_options.backoffMax.count(), m_options.backoffInitial.count()
                                                                         << std::min(m_attempt, 16));
    ++m_attempt;
    // Full jitter on the upper half, so that many clients of one engine do not retry in step.
    const auto delay = base / 2 + QRandomGenerator::global()->bounded(base / 2 + 1);
    m_retryTimer->start(static_cast<int>(delay));
}

void EngineWorker::setStatus(state::EngineStatus status, const std::string& lastError)
{
    state::EngineInfo engine = m_state.engine().value_or(state::EngineInfo{});
    if (m_state.engine() && engine.status == status && engine.lastError == lastError)
        return;
    if (engine.status != status || !m_state.engine())
        engine.statusSince = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    engine.status = status;
    engine.lastError = lastError;
    state::StateTransaction transaction;
    transaction.setEngine(std::move(engine));
    commit(transaction, {});
}

void EngineWorker::onSynced()
{
    m_live = true;
    m_everConnected = true;
    m_attempt = 0;
    restartLiveness();
    if (m_options.driftInterval.count() > 0 && !m_driftTimer->isActive())
        m_driftTimer->start(m_options.driftInterval);
    Q_EMIT synced();
}

void EngineWorker::restartLiveness()
{
    if (m_options.livenessIdle.count() > 0 && m_live)
        m_livenessTimer->start(m_options.livenessIdle);
}

void EngineWorker::ping()
{
    if (!m_live)
        return;
    ++m_metrics.livenessPings;
    m_client->ping(
        m_session,
        [this](docker::Result<docker::ApiVersion> pong) {
            if (!pong)
                return connectionLost(pong.error());
            restartLiveness();
        },
        m_options.pingTimeout);
}

void EngineWorker::checkFrozen()
{
    // A stopped (SIGSTOP) local engine keeps its socket open and answers nothing; /proc says so at once.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(m_enginePid));
    if (!stat.open(QIODevice::ReadOnly))
        return; // gone: the events stream reports that itself
    const QByteArray line = stat.readAll();
    const auto close = line.lastIndexOf(')');
    if (close < 0 || close + 2 >= line.size())
        return;
    const char processState = line.at(close + 2);
    if (processState == 'T' || processState == 't')
        connectionLost(docker::DockerError{docker::ErrorKind::Timeout, 0,
                                           "the engine process (pid " + std::to_string(m_enginePid) +
                                               ") is stopped and does not answer"});
}

void EngineWorker::noteBurst()
{
    const qint64 now = nowMs();
    m_recentEventMs.push_back(now);
    std::erase_if(m_recentEventMs, [now](qint64 t) { return now - t > 2000; });
    if (static_cast<int>(m_recentEventMs.size()) >= m_options.burstThreshold)
        m_burstTimer->start(1000); // re-armed by every event of the burst: fires once it calms down
}

EngineMetrics EngineWorker::metrics() const
{
    EngineMetrics m = m_metrics;
    m.apiCalls = m_retiredCalls;
    if (m_client)
        for (const auto& [endpoint, count] : m_client->callCounts())
            m.apiCalls[endpoint] += count;
    m.latencyP50 = m_latency.percentile(50);
    m.latencyP99 = m_latency.percentile(99);
    m.latencyMax = m_latency.max();
    return m;
}

} // namespace dockscope::engine
