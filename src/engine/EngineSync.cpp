// EngineWorker's sync: events mark entities dirty; a flush resolves the marks (one inspect each, 404 =
// removed) and the re-lists, and commits everything as one batch. One flush runs at a time, so a later
// inspect always sees a later state than an earlier one, and a re-list's absences mean removals.
#include "dockscope/engine/EngineWorker.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <map>

namespace dockscope::engine {

using Kind = EventWork::Kind;

struct EngineWorker::Flush {
    state::StateTransaction transaction;
    std::vector<state::Timestamp> eventTimes;
    int pending = 0;
    bool full = false;       ///< the full sync of a new connection
    bool drift = false;      ///< a drift check: what it changes is a repair
    bool inspectAll = false; ///< inspect every listed container, not only new or different ones
    docker::DockerError failure;
    QElapsedTimer clock;
};

namespace {

state::Timestamp nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1'000'000;
}

bool isConnectionError(const docker::DockerError& e)
{
    return e.kind == docker::ErrorKind::Transport || e.kind == docker::ErrorKind::Timeout ||
           e.kind == docker::ErrorKind::Protocol;
}

// The fields a container list carries; a difference means the container needs an inspect. (The list lacks
// startedAt, finishedAt and restartCount, and shows no health for a paused container.)
bool summaryDiffers(const state::Container& listed, const state::Container& known)
{
    return listed.name != known.name || listed.state != known.state || listed.labels != known.labels ||
           listed.networks != known.networks || listed.ports != known.ports ||
           listed.mounts != known.mounts || listed.imageId != known.imageId ||
           (listed.state != state::ContainerState::Paused && listed.health != known.health) ||
           listed.createdAt / 1'000'000'000 != known.createdAt / 1'000'000'000;
}

state::EntityKind entityKind(Kind kind)
{
    switch (kind) {
    case Kind::Container:
        return state::EntityKind::Container;
    case Kind::Image:
        return state::EntityKind::Image;
    case Kind::Volume:
        return state::EntityKind::Volume;
    case Kind::Network:
        return state::EntityKind::Network;
    }
    return state::EntityKind::Container;
}

} // namespace

void EngineWorker::startFullSync()
{
    auto full = std::make_shared<Flush>();
    full->full = true;
    full->inspectAll = true;
    m_flushInFlight = true;
    full->clock.start();
    runFlush(full);
}

void EngineWorker::checkDrift()
{
    m_driftPending = true;
    scheduleFlush();
}

void EngineWorker::onEvent(const state::DockerEvent& event)
{
    ++m_metrics.eventsReceived;
    Q_EMIT engineEvent(event);
    restartLiveness();
    noteBurst();
    const EventWork work = classifyEvent(event);
    if (work.ignored()) {
        ++m_metrics.eventsIgnored;
        return;
    }
    for (const auto& mark : work.dirty)
        if (!m_dirty.emplace(static_cast<int>(mark.kind), mark.id).second)
            ++m_metrics.eventsCoalesced;
    for (Kind kind : work.relist)
        m_relist.insert(static_cast<int>(kind));
    m_rereadInfo = m_rereadInfo || work.rereadInfo;
    m_pendingEventTimes.push_back(event.timeNano);
    scheduleFlush();
}

void EngineWorker::scheduleFlush()
{
    if (m_live && !m_flushInFlight && !m_flushTimer->isActive())
        m_flushTimer->start(m_options.coalesceWindow);
}

void EngineWorker::flush()
{
    if (!m_live || m_flushInFlight)
        return;
    if (m_dirty.empty() && m_relist.empty() && !m_rereadInfo && !m_driftPending)
        return;
    auto next = std::make_shared<Flush>();
    next->clock.start();
    next->eventTimes = std::exchange(m_pendingEventTimes, {});
    next->drift = std::exchange(m_driftPending, false);
    m_flushInFlight = true;
    runFlush(next);
}

void EngineWorker::runFlush(const std::shared_ptr<Flush>& flush)
{
    // Hold one count ourselves so that answers arriving synchronously cannot finish the flush early.
    ++flush->pending;
    const bool everything = flush->full || flush->drift;
    std::set<int> relists = everything ? std::set<int>{0, 1, 2, 3} : std::exchange(m_relist, {});
    if (everything)
        m_relist.clear();
    for (int kind : relists)
        relist(flush, static_cast<Kind>(kind));
    for (const auto& [kind, id] : std::exchange(m_dirty, {}))
        if (!(kind == static_cast<int>(Kind::Container) && relists.count(kind) && flush->inspectAll))
            resolve(flush, Mark{static_cast<Kind>(kind), id});
    if (flush->full || std::exchange(m_rereadInfo, false))
        readEngineInfo(flush);
    settle(flush, {});
}

void EngineWorker::settle(const std::shared_ptr<Flush>& flush, const docker::DockerError& error)
{
    if (error && !flush->failure)
        flush->failure = error;
    if (--flush->pending == 0)
        finishFlush(flush);
}

void EngineWorker::resolve(const std::shared_ptr<Flush>& flush, const Mark& mark)
{
    ++flush->pending;
    ++m_metrics.inspects;
    const auto kind = entityKind(mark.kind);
    auto onResult = [this, flush, kind, id = mark.id](auto result) {
        if (result.ok()) {
            flush->transaction.put(std::move(result).value());
        } else if (result.error().kind == docker::ErrorKind::NotFound) {
            flush->transaction.remove(kind, id);
        } else if (!isConnectionError(result.error())) {
            // A document we cannot read must not stop the sync: leave that entity as it was, and say so.
            spdlog::error("engine: cannot read {} {}: {}", state::toString(kind), id,
                          result.error().describe());
        }
        settle(flush,
               result.ok() || !isConnectionError(result.error()) ? docker::DockerError{} : result.error());
    };
    switch (mark.kind) {
    case Kind::Container:
        m_client->inspectContainer(mark.id, m_session, [this, flush, onResult](auto result) {
            // Creating a container changes the volumes it mounts after their `volume create` event (the local
            // driver's createdAt is its folder's ctime, which the copy of the image's content touches), and
            // no event follows: the container's own `create` comes after that, so read its volumes now.
            if (result.ok() && !flush->full && !flush->drift && !m_state.containers().count(result->id))
                for (const auto& mount : result->mounts)
                    if (mount.type == "volume" && !mount.name.empty())
                        resolve(flush, Mark{Kind::Volume, mount.name});
            onResult(std::move(result));
        });
        break;
    case Kind::Image:
        m_client->inspectImage(mark.id, m_session, onResult);
        break;
    case Kind::Volume:
        m_client->inspectVolume(mark.id, m_session, onResult);
        break;
    case Kind::Network:
        m_client->inspectNetwork(mark.id, m_session, onResult);
        break;
    }
}

namespace {

// Puts every listed entity and removes the known ones the list no longer has.
template <typename Entity, typename Map, typename Key>
void mergeList(state::StateTransaction& transaction, std::vector<Entity> listed, const Map& known,
               state::EntityKind kind, Key key)
{
    std::set<std::string> seen;
    for (auto& entity : listed) {
        seen.insert(key(entity));
        transaction.put(std::move(entity));
    }
    for (const auto& [id, entity] : known)
        if (!seen.count(id))
            transaction.remove(kind, id);
}

} // namespace

void EngineWorker::relist(const std::shared_ptr<Flush>& flush, Kind kind)
{
    ++m_metrics.relists;
    if (kind == Kind::Container)
        return relistContainers(flush);
    ++flush->pending;
    const auto failed = [this, flush](const docker::DockerError& e) { settle(flush, e); };
    const auto byId = [](const auto& e) { return e.id; };
    switch (kind) {
    case Kind::Image:
        m_client->listImages(m_session, [this, flush, failed, byId](auto r) {
            if (!r)
                return failed(r.error());
            mergeList(flush->transaction, std::move(r).value(), m_state.images(), state::EntityKind::Image,
                      byId);
            settle(flush, {});
        });
        break;
    case Kind::Volume:
        m_client->listVolumes(m_session, [this, flush, failed](auto r) {
            if (!r)
                return failed(r.error());
            mergeList(flush->transaction, std::move(r).value(), m_state.volumes(), state::EntityKind::Volume,
                      [](const state::Volume& v) { return v.name; });
            settle(flush, {});
        });
        break;
    case Kind::Network:
        m_client->listNetworks(m_session, [this, flush, failed, byId](auto r) {
            if (!r)
                return failed(r.error());
            mergeList(flush->transaction, std::move(r).value(), m_state.networks(),
                      state::EntityKind::Network, byId);
            settle(flush, {});
        });
        break;
    case Kind::Container:
        break;
    }
}

void EngineWorker::relistContainers(const std::shared_ptr<Flush>& flush)
{
    ++flush->pending;
    m_client->listContainers(m_session, [this, flush](docker::Result<std::vector<state::Container>> r) {
        if (!r)
            return settle(flush, r.error());
        std::set<std::string> seen;
        for (const auto& listed : *r) {
            seen.insert(listed.id);
            const auto known = m_state.containers().find(listed.id);
            if (flush->inspectAll || known == m_state.containers().end() ||
                summaryDiffers(listed, known->second))
                resolve(flush, Mark{Kind::Container, listed.id});
        }
        for (const auto& [id, container] : m_state.containers())
            if (!seen.count(id))
                flush->transaction.remove(state::EntityKind::Container, id);
        settle(flush, {});
    });
}

void EngineWorker::readEngineInfo(const std::shared_ptr<Flush>& flush)
{
    ++flush->pending;
    m_client->engineInfo(m_session, [this, flush](docker::Result<state::EngineInfo> r) {
        if (r) {
            state::EngineInfo info = std::move(r).value();
            info.status = state::EngineStatus::Connected;
            info.lastError.clear();
            const auto& known = m_state.engine();
            info.statusSince =
                known && known->status == state::EngineStatus::Connected ? known->statusSince : nowNs();
            flush->transaction.setEngine(std::move(info));
        }
        settle(flush, r ? docker::DockerError{} : r.error());
    });
}

void EngineWorker::finishFlush(const std::shared_ptr<Flush>& flush)
{
    if (flush->failure) {
        // The connection broke under the flush; the events stream ends too. Resync from scratch.
        return connectionLost(flush->failure);
    }
    const std::uint64_t before = m_state.version();
    commit(flush->transaction, flush->eventTimes);
    const std::uint64_t repaired = m_state.version() - before;
    if (flush->drift) {
        ++m_metrics.driftChecks;
        m_metrics.driftRepairs += repaired;
        if (repaired > 0)
            spdlog::warn("engine: drift check repaired {} change(s) the events had not brought", repaired);
    }
    m_flushInFlight = false;
    if (flush->full) {
        m_metrics.initialSyncNs = flush->clock.nsecsElapsed();
        spdlog::info("engine: synced with {} in {} ms: {} containers, {} images, {} volumes, {} networks",
                     m_options.endpoint.url(), m_metrics.initialSyncNs / 1'000'000,
                     m_state.containers().size(), m_state.images().size(), m_state.volumes().size(),
                     m_state.networks().size());
        onSynced();
    }
    scheduleFlush();
}

void EngineWorker::commit(const state::StateTransaction& transaction,
                          const std::vector<state::Timestamp>& eventTimes)
{
    if (transaction.empty())
        return;
    state::Batch batch;
    try {
        batch = m_state.commit(transaction, nowNs());
    } catch (const std::exception& e) {
        spdlog::error("engine: could not commit a batch: {}", e.what());
        return;
    }
#ifndef NDEBUG
    // Debug builds prove every commit: derived fields, indexes and the incremental digest.
    for (const auto& violation : m_state.checkConsistency())
        spdlog::error("engine: state inconsistent after version {}: {}", m_state.version(), violation);
#endif
    const state::Timestamp committed = nowNs();
    for (state::Timestamp t : eventTimes)
        if (t > 0)
            m_latency.add(committed - t);
    if (batch.changes.empty())
        return;
    ++m_metrics.batches;
    m_metrics.changes += batch.changes.size();
    Q_EMIT batchCommitted(std::make_shared<const state::Batch>(std::move(batch)));
}

} // namespace dockscope::engine
