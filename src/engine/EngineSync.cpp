// EngineWorker's sync. Events mark entities dirty; after a short window every dirty entity is inspected (404
// = removed), kinds whose events name nothing precise are re-listed, and what has arrived is committed as one
// batch per turn of the event loop.
//
// Requests for different entities run concurrently (the client's connection pool), one at a time per entity:
// an entity marked again while its inspect is in flight is inspected once more after the answer, so the last
// answer applied for an entity is always one asked after its last event. Every request is numbered in the
// order it is sent (m_seq) and an answer is applied to an entity only if no answer of a later request has
// been (m_appliedSeq): a re-list answered after an inspect that was sent later cannot put back a container
// the inspect found removed, nor remove one the inspect found created after the list was read. The numbers
// are forgotten once no older request is in flight.
//
// The full sync of a new connection and the drift check run alone (m_flushInFlight): they start when nothing
// else is in flight, nothing else is sent until they are committed, and a re-list's absences then simply mean
// removals.
#include "dockscope/engine/EngineWorker.h"

#include <QElapsedTimer>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace dockscope::engine {

using Kind = EventWork::Kind;

struct EngineWorker::Flush {
    state::StateTransaction transaction;
    int pending = 0;
    bool full = false;       ///< the full sync of a new connection
    bool drift = false;      ///< a drift check: what it changes is a repair
    bool inspectAll = false; ///< inspect every listed container, not only new or different ones
    docker::DockerError failure;
    QElapsedTimer clock;
};

namespace {

enum Op { Inspect = 0, Relist = 1, ReadInfo = 2 };

// Nanoseconds, as the events' timeNano: an event applied from its own word commits well within a millisecond.
state::Timestamp nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
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

// The engine's info as read, with the status of a live connection (connected since it first was).
state::EngineInfo connectedInfo(state::EngineInfo info, const std::optional<state::EngineInfo>& known)
{
    info.status = state::EngineStatus::Connected;
    info.lastError.clear();
    info.statusSince =
        known && known->status == state::EngineStatus::Connected ? known->statusSince : nowNs();
    return info;
}

// Puts every listed entity and removes the known ones the list no longer has (a full sync or drift check).
template <typename Entity, typename Map>
void mergeList(state::StateTransaction& transaction, std::vector<Entity> listed, const Map& known,
               state::EntityKind kind)
{
    std::set<std::string> seen;
    for (auto& entity : listed) {
        seen.insert(state::idOf(entity));
        transaction.put(std::move(entity));
    }
    for (const auto& [id, entity] : known)
        if (!seen.count(id))
            transaction.remove(kind, id);
}

// The newest known version of an entity: uncommitted (m_pending; null if removed there), else committed.
template <typename Pending, typename Committed>
auto latest(const Pending& pending, const Committed& committed, const std::string& id) -> const
    typename Committed::mapped_type*
{
    if (const auto it = pending.find(id); it != pending.end())
        return it->second ? &*it->second : nullptr;
    const auto found = committed.find(id);
    return found == committed.end() ? nullptr : &found->second;
}

// The entities an event names (to inspect, remove or rename): what a drift check must not count as repaired.
std::vector<std::pair<state::EntityKind, std::string>> namedEntities(const EventWork& work)
{
    std::vector<std::pair<state::EntityKind, std::string>> named;
    for (const auto* marks : {&work.dirty, &work.removed})
        for (const auto& mark : *marks)
            named.emplace_back(entityKind(mark.kind), mark.id);
    if (work.renamed)
        named.emplace_back(state::EntityKind::Container, work.renamed->id);
    return named;
}

} // namespace

// --- Events and the per-entity path
// ---------------------------------------------------------------------------

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
    if (m_flushInFlight)
        noteDuringFlush(work);
    else if (!m_repairCandidates.empty())
        explainRepairs(work);
    // The event's time goes with its first piece of work: the latency runs to the commit of that answer. Not
    // for events replayed at a (re)connect (the stream starts a second back) or marked during a full sync:
    // their wait is the sync's, not the pipeline's.
    state::Timestamp time = m_live ? event.timeNano : 0;
    // Outside a full sync or drift check (whose lists may predate the event), what an event says in full is
    // applied at once; otherwise it is asked like the rest.
    const bool applyNow = m_live && !m_flushInFlight;
    for (const auto& mark : work.removed) {
        if (applyNow)
            removeNow(mark, std::exchange(time, 0));
        else
            markDirty(Target{Inspect, static_cast<int>(mark.kind), mark.id}, std::exchange(time, 0));
    }
    if (work.renamed && !(applyNow && renameNow(*work.renamed, time)))
        markDirty(Target{Inspect, static_cast<int>(Kind::Container), work.renamed->id}, time);
    if (work.renamed)
        time = 0;
    // A create shows the new entity as the event describes it; its inspect (marked below) brings the rest.
    if (applyNow && work.createdContainer &&
        !latest(m_pending.containers(), m_state.containers(), work.createdContainer->id))
        putNow(std::move(*work.createdContainer), Kind::Container, std::exchange(time, 0));
    if (applyNow && work.createdVolume &&
        !latest(m_pending.volumes(), m_state.volumes(), work.createdVolume->name))
        putNow(std::move(*work.createdVolume), Kind::Volume, std::exchange(time, 0));
    if (!work.tag.empty()) {
        const std::string holder = work.dirty.empty() ? std::string{} : work.dirty.front().id;
        markFormerHolders(work.tag, holder); // first: tagNow takes the tag off them in m_pending
        if (applyNow && !holder.empty())
            tagNow(holder, work.tag, std::exchange(time, 0));
    }
    for (const auto& mark : work.dirty)
        markDirty(Target{Inspect, static_cast<int>(mark.kind), mark.id}, std::exchange(time, 0));
    for (Kind kind : work.relist)
        markDirty(Target{Relist, static_cast<int>(kind), {}}, std::exchange(time, 0));
    if (work.rereadInfo)
        markDirty(Target{ReadInfo, 0, {}}, std::exchange(time, 0));
    scheduleDispatch();
}

void EngineWorker::noteDuringFlush(const EventWork& work)
{
    for (auto& entity : namedEntities(work))
        m_namedDuringDrift.insert(std::move(entity));
    for (Kind kind : work.relist)
        m_relistedDuringDrift.insert(entityKind(kind));
    if (!work.tag.empty()) // the former holder is not named; any image may have lost the tag
        m_relistedDuringDrift.insert(state::EntityKind::Image);
}

void EngineWorker::explainRepairs(const EventWork& work)
{
    for (const auto& entity : namedEntities(work))
        m_repairCandidates.erase(entity);
}

void EngineWorker::removeNow(const Mark& mark, state::Timestamp eventTime)
{
    // Gone for good: an inspect in flight for it is older and will be dropped; nothing is left to ask.
    const auto kind = static_cast<int>(mark.kind);
    m_appliedSeq[{kind, mark.id}] = ++m_seq;
    m_dirty.erase(Target{Inspect, kind, mark.id});
    m_pending.remove(entityKind(mark.kind), mark.id);
    if (eventTime > 0)
        m_pendingEventTimes.push_back(eventTime);
    commitSoon();
}

bool EngineWorker::renameNow(const EventWork::Rename& rename, state::Timestamp eventTime)
{
    const state::Container* known = latest(m_pending.containers(), m_state.containers(), rename.id);
    if (!known)
        return false; // not read yet: its inspect will bring the name
    state::Container renamed = *known;
    renamed.name = rename.name;
    putNow(std::move(renamed), Kind::Container, eventTime);
    return true;
}

// What an event says is applied as the newest word on the entity: an inspect in flight was asked before the
// event, so its answer is now dropped (m_appliedSeq) and it is asked once more.
template <typename T>
void EngineWorker::putNow(T entity, Kind kind, state::Timestamp eventTime)
{
    const Target target{Inspect, static_cast<int>(kind), state::idOf(entity)};
    m_appliedSeq[{static_cast<int>(kind), state::idOf(entity)}] = ++m_seq;
    m_pending.put(std::move(entity));
    if (m_inFlight.count(target))
        markDirty(target, 0);
    if (eventTime > 0)
        m_pendingEventTimes.push_back(eventTime);
    commitSoon();
}

// A tag event: the tag is now on `imageId` and on no other image (Docker moves a tag). Only the tag lists
// change; the inspects marked with the event confirm the rest.
void EngineWorker::tagNow(const std::string& imageId, const std::string& tag, state::Timestamp eventTime)
{
    const state::Image* image = latest(m_pending.images(), m_state.images(), imageId);
    if (!image)
        return; // not read yet: its inspect will bring the tag
    const auto holds = [&tag](const state::Image& i) {
        return std::find(i.repoTags.begin(), i.repoTags.end(), tag) != i.repoTags.end();
    };
    std::set<std::string> former;
    for (const auto& [id, known] : m_state.images())
        if (id != imageId)
            former.insert(id);
    for (const auto& [id, known] : m_pending.images())
        if (id != imageId)
            former.insert(id);
    for (const auto& id : former) {
        const state::Image* holder = latest(m_pending.images(), m_state.images(), id);
        if (!holder || !holds(*holder))
            continue;
        state::Image untagged = *holder;
        untagged.repoTags.erase(std::find(untagged.repoTags.begin(), untagged.repoTags.end(), tag));
        putNow(std::move(untagged), Kind::Image, 0);
    }
    if (holds(*image))
        return;
    state::Image tagged = *image;
    tagged.repoTags.insert(std::lower_bound(tagged.repoTags.begin(), tagged.repoTags.end(), tag), tag);
    putNow(std::move(tagged), Kind::Image, eventTime);
}

void EngineWorker::markFormerHolders(const std::string& tag, const std::string& newHolder)
{
    const auto holds = [&tag](const state::Image& image) {
        return std::find(image.repoTags.begin(), image.repoTags.end(), tag) != image.repoTags.end();
    };
    const auto mark = [this](const std::string& id) {
        markDirty(Target{Inspect, static_cast<int>(Kind::Image), id}, 0);
    };
    for (const auto& [id, image] : m_state.images())
        if (id != newHolder && holds(image))
            mark(id);
    for (const auto& [id, image] : m_pending.images())
        if (id != newHolder && image && holds(*image))
            mark(id);
}

void EngineWorker::markDirty(const Target& target, state::Timestamp eventTime)
{
    const auto [it, added] = m_dirty.try_emplace(target);
    if (!added)
        ++m_metrics.eventsCoalesced;
    if (eventTime > 0)
        it->second.push_back(eventTime);
}

void EngineWorker::scheduleDispatch()
{
    if (m_live && !m_flushInFlight && !m_dispatchTimer->isActive())
        m_dispatchTimer->start(m_options.coalesceWindow);
}

void EngineWorker::dispatch()
{
    if (!m_live || m_flushInFlight)
        return;
    if (m_driftPending) {
        // The drift check runs alone: nothing new is sent until what is in flight has been answered.
        if (m_inFlight.empty())
            startDrift();
        return;
    }
    // Taken out first: an answer handled inside send() may dispatch again, or lose the connection.
    std::vector<std::pair<Target, std::vector<state::Timestamp>>> ready;
    for (auto it = m_dirty.begin(); it != m_dirty.end();) {
        if (m_inFlight.count(it->first)) {
            ++it; // asked again once the answer in flight has arrived
            continue;
        }
        auto node = m_dirty.extract(it++);
        ready.emplace_back(std::move(node.key()), std::move(node.mapped()));
    }
    for (auto& [target, times] : ready) {
        if (!m_live)
            return;
        send(target, std::move(times));
    }
}

void EngineWorker::send(const Target& target, std::vector<state::Timestamp> eventTimes)
{
    const std::uint64_t seq = ++m_seq;
    m_inFlight.insert(target);
    m_inFlightSeqs.insert(seq);
    const auto& [op, kindIndex, id] = target;
    const auto kind = static_cast<Kind>(kindIndex);
    // Each answer is handled by `answered` (bookkeeping) after the kind-specific part has used it.
    auto done = [this, target, seq, times = std::move(eventTimes)]() mutable {
        answered(target, seq, std::move(times));
    };
    const auto lost = [this](const docker::DockerError& e) { connectionLost(e); };

    if (op == ReadInfo) {
        m_client->engineInfo(m_session, [this, done, lost](docker::Result<state::EngineInfo> r) mutable {
            if (!r && isConnectionError(r.error()))
                return lost(r.error());
            if (r)
                m_pending.setEngine(connectedInfo(std::move(r).value(), m_state.engine()));
            done();
        });
        return;
    }

    if (op == Relist) {
        ++m_metrics.relists;
        auto onList = [this, seq, kind, done, lost](auto r) mutable {
            if (!r && isConnectionError(r.error()))
                return lost(r.error());
            if (!r)
                spdlog::error("engine: cannot list {}: {}", state::toString(entityKind(kind)),
                              r.error().describe());
            else
                applyList(seq, kind, std::move(r).value());
            done();
        };
        switch (kind) {
        case Kind::Container:
            m_client->listContainers(m_session, [this, seq, done, lost](auto r) mutable {
                if (!r && isConnectionError(r.error()))
                    return lost(r.error());
                if (r)
                    applyContainerList(seq, std::move(r).value());
                done();
            });
            break;
        case Kind::Image:
            m_client->listImages(m_session, onList);
            break;
        case Kind::Volume:
            m_client->listVolumes(m_session, onList);
            break;
        case Kind::Network:
            m_client->listNetworks(m_session, onList);
            break;
        }
        return;
    }

    ++m_metrics.inspects;
    const auto ekind = entityKind(kind);
    auto onResult = [this, seq, kind, ekind, id, done, lost](auto result) mutable {
        const Entity entity{static_cast<int>(kind), id};
        if (result.ok()) {
            if (newer(entity, seq)) {
                m_appliedSeq[entity] = seq;
                m_pending.put(std::move(result).value());
            }
            return done();
        }
        const docker::DockerError error = result.error();
        if (isConnectionError(error))
            return lost(error);
        if (error.kind == docker::ErrorKind::NotFound) {
            if (newer(entity, seq)) {
                m_appliedSeq[entity] = seq;
                m_pending.remove(ekind, id);
            }
        } else {
            // A document we cannot read must not stop the sync: leave that entity as it was, and say so.
            spdlog::error("engine: cannot read {} {}: {}", state::toString(ekind), id, error.describe());
        }
        done();
    };
    switch (kind) {
    case Kind::Container:
        m_client->inspectContainer(id, m_session, [this, onResult](auto result) mutable {
            // Creating a container changes the volumes it mounts after their `volume create` event (the local
            // driver's createdAt is its folder's ctime, which the copy of the image's content touches), and
            // no event follows: the container's own `create` comes after that, so read its volumes now. (A
            // container shown from its create event has no mounts yet: all of them are new.)
            if (result.ok()) {
                const state::Container* known =
                    latest(m_pending.containers(), m_state.containers(), result->id);
                for (const auto& mount : result->mounts)
                    if (mount.type == "volume" && !mount.name.empty() &&
                        (!known ||
                         std::find(known->mounts.begin(), known->mounts.end(), mount) == known->mounts.end()))
                        markDirty(Target{Inspect, static_cast<int>(Kind::Volume), mount.name}, 0);
            }
            onResult(std::move(result));
        });
        break;
    case Kind::Image:
        m_client->inspectImage(id, m_session, onResult);
        break;
    case Kind::Volume:
        m_client->inspectVolume(id, m_session, onResult);
        break;
    case Kind::Network:
        m_client->inspectNetwork(id, m_session, onResult);
        break;
    }
}

void EngineWorker::answered(const Target& target, std::uint64_t seq, std::vector<state::Timestamp> eventTimes)
{
    m_inFlight.erase(target);
    m_inFlightSeqs.erase(m_inFlightSeqs.find(seq));
    // Forget the numbers no request in flight can be older than.
    const std::uint64_t oldest = m_inFlightSeqs.empty() ? m_seq + 1 : *m_inFlightSeqs.begin();
    std::erase_if(m_appliedSeq, [oldest](const auto& entry) { return entry.second < oldest; });
    m_pendingEventTimes.insert(m_pendingEventTimes.end(), eventTimes.begin(), eventTimes.end());
    commitSoon();
    dispatch();
}

bool EngineWorker::newer(const Entity& entity, std::uint64_t seq) const
{
    const auto it = m_appliedSeq.find(entity);
    return it == m_appliedSeq.end() || it->second < seq;
}

void EngineWorker::applyContainerList(std::uint64_t seq, std::vector<state::Container> listed)
{
    commitPending(); // compare with everything answered so far
    const int kind = static_cast<int>(Kind::Container);
    std::set<std::string> seen;
    for (const auto& container : listed) {
        seen.insert(container.id);
        if (!newer({kind, container.id}, seq))
            continue;
        const auto known = m_state.containers().find(container.id);
        if (known == m_state.containers().end() || summaryDiffers(container, known->second))
            markDirty(Target{Inspect, kind, container.id}, 0);
    }
    for (const auto& [id, container] : m_state.containers())
        if (!seen.count(id) && newer({kind, id}, seq)) {
            m_appliedSeq[{kind, id}] = seq;
            m_pending.remove(state::EntityKind::Container, id);
        }
}

template <typename T>
void EngineWorker::applyList(std::uint64_t seq, Kind kind, std::vector<T> listed)
{
    commitPending();
    const auto ekind = entityKind(kind);
    const auto apply = [&](const std::string& key) {
        if (!newer({static_cast<int>(kind), key}, seq))
            return false;
        m_appliedSeq[{static_cast<int>(kind), key}] = seq;
        return true;
    };
    std::set<std::string> seen;
    for (auto& entity : listed) {
        std::string key = state::idOf(entity);
        if (apply(key))
            m_pending.put(std::move(entity));
        seen.insert(std::move(key));
    }
    const auto removeAbsent = [&](const auto& known) {
        for (const auto& [key, entity] : known)
            if (!seen.count(key) && apply(key))
                m_pending.remove(ekind, key);
    };
    if constexpr (std::is_same_v<T, state::Image>)
        removeAbsent(m_state.images());
    else if constexpr (std::is_same_v<T, state::Volume>)
        removeAbsent(m_state.volumes());
    else
        removeAbsent(m_state.networks());
}

void EngineWorker::commitSoon()
{
    // Answers arriving in the same turn of the event loop become one batch.
    if (!m_commitTimer->isActive())
        m_commitTimer->start(0);
}

void EngineWorker::commitPending()
{
    m_commitTimer->stop();
    if (m_pending.empty() && m_pendingEventTimes.empty())
        return;
    commit(std::exchange(m_pending, {}), std::exchange(m_pendingEventTimes, {}));
}

// --- Full sync and drift check: alone, one transaction
// -------------------------------------------------------

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
    dispatch();
}

void EngineWorker::startDrift()
{
    commitPending();
    m_namedDuringDrift.clear();
    m_relistedDuringDrift.clear();
    m_driftPending = false;
    auto drift = std::make_shared<Flush>();
    drift->drift = true;
    drift->clock.start();
    m_flushInFlight = true;
    runFlush(drift);
}

void EngineWorker::runFlush(const std::shared_ptr<Flush>& flush)
{
    // Hold one count ourselves so that answers arriving synchronously cannot finish the flush early.
    ++flush->pending;
    // Marks gathered so far are settled by the lists (the re-lists) and by the inspects below.
    std::erase_if(m_dirty, [](const auto& entry) { return std::get<0>(entry.first) == Relist; });
    relistContainers(flush);
    for (Kind kind : {Kind::Image, Kind::Volume, Kind::Network})
        relist(flush, kind);
    if (flush->full || m_dirty.erase(Target{ReadInfo, 0, {}}))
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
    m_client->inspectContainer(
        mark.id, m_session, [this, flush, id = mark.id](docker::Result<state::Container> result) {
            if (result.ok()) {
                flush->transaction.put(std::move(result).value());
                return settle(flush, {});
            }
            const docker::DockerError error = result.error();
            if (isConnectionError(error))
                return settle(flush, error);
            if (error.kind == docker::ErrorKind::NotFound)
                flush->transaction.remove(state::EntityKind::Container, id);
            else
                spdlog::error("engine: cannot read container {}: {}", id, error.describe());
            settle(flush, {});
        });
}

void EngineWorker::relist(const std::shared_ptr<Flush>& flush, Kind kind)
{
    ++m_metrics.relists;
    ++flush->pending;
    auto merge = [this, flush](auto r, const auto& known, state::EntityKind ekind) {
        if (!r)
            return settle(flush, r.error());
        mergeList(flush->transaction, std::move(r).value(), known, ekind);
        settle(flush, {});
    };
    switch (kind) {
    case Kind::Image:
        m_client->listImages(m_session, [this, merge](auto r) {
            merge(std::move(r), m_state.images(), state::EntityKind::Image);
        });
        break;
    case Kind::Volume:
        m_client->listVolumes(m_session, [this, merge](auto r) {
            merge(std::move(r), m_state.volumes(), state::EntityKind::Volume);
        });
        break;
    case Kind::Network:
        m_client->listNetworks(m_session, [this, merge](auto r) {
            merge(std::move(r), m_state.networks(), state::EntityKind::Network);
        });
        break;
    case Kind::Container:
        break;
    }
}

void EngineWorker::relistContainers(const std::shared_ptr<Flush>& flush)
{
    ++m_metrics.relists;
    ++flush->pending;
    m_client->listContainers(m_session, [this, flush](docker::Result<std::vector<state::Container>> r) {
        if (!r)
            return settle(flush, r.error());
        std::set<std::string> seen;
        for (const auto& listed : *r) {
            seen.insert(listed.id);
            const auto known = m_state.containers().find(listed.id);
            const bool marked =
                m_dirty.erase(Target{Inspect, static_cast<int>(Kind::Container), listed.id}) > 0;
            if (flush->inspectAll || marked || known == m_state.containers().end() ||
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
        if (r)
            flush->transaction.setEngine(connectedInfo(std::move(r).value(), m_state.engine()));
        settle(flush, r ? docker::DockerError{} : r.error());
    });
}

// A drift check's changes are repairs, except those to what events named meanwhile (resolved within the
// check), the derived fields and counts that follow from a change (image and network usage, engine counts),
// and those whose event arrives within a grace period after the check (the lists may be answered before the
// events stream delivers what changed). Each repair is counted and logged with its kind, id, op and fields.
void EngineWorker::reportRepairs(const state::Batch* batch)
{
    if (!batch)
        return;
    for (const state::StateChange& c : batch->changes) {
        if (c.kind == state::EntityKind::Engine || m_relistedDuringDrift.count(c.kind) ||
            m_namedDuringDrift.count({c.kind, c.id}))
            continue;
        if (c.op == state::ChangeOp::Updated && c.diff.is_object() &&
            std::all_of(c.diff.items().begin(), c.diff.items().end(), [](const auto& field) {
                return field.key() == "containers" || field.key() == "usedBy";
            }))
            continue; // derived from the containers' changes
        std::string what =
            fmt::format("{} {} {}", state::toString(c.kind), c.id.substr(0, 12), state::toString(c.op));
        if (c.diff.is_object())
            for (const auto& [key, value] : c.diff.items())
                what += ' ' + key;
        m_repairCandidates[{c.kind, c.id}] = std::move(what);
    }
    if (!m_repairCandidates.empty())
        m_repairTimer->start();
}

void EngineWorker::settleRepairs()
{
    m_repairTimer->stop();
    if (m_repairCandidates.empty())
        return;
    std::string what;
    std::size_t listed = 0;
    for (const auto& [entity, description] : m_repairCandidates)
        if (++listed <= 10)
            what += (what.empty() ? "" : "; ") + description;
    m_metrics.driftRepairs += m_repairCandidates.size();
    spdlog::warn("engine: drift check repaired {} change(s) the events had not brought: {}",
                 m_repairCandidates.size(), what);
    m_repairCandidates.clear();
}

void EngineWorker::finishFlush(const std::shared_ptr<Flush>& flush)
{
    if (flush->failure) {
        // The connection broke under the flush; the events stream ends too. Resync from scratch.
        return connectionLost(flush->failure);
    }
    const auto batch = commit(flush->transaction, {});
    if (flush->drift) {
        ++m_metrics.driftChecks;
        reportRepairs(batch.get());
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
    scheduleDispatch();
}

std::shared_ptr<const state::Batch> EngineWorker::commit(const state::StateTransaction& transaction,
                                                         const std::vector<state::Timestamp>& eventTimes)
{
    const state::Timestamp committed = nowNs();
    for (state::Timestamp t : eventTimes)
        if (t > 0)
            m_latency.add(committed - t);
    if (transaction.empty())
        return nullptr;
    state::Batch batch;
    try {
        batch = m_state.commit(transaction, nowNs());
    } catch (const std::exception& e) {
        spdlog::error("engine: could not commit a batch: {}", e.what());
        return nullptr;
    }
#ifndef NDEBUG
    // Debug builds prove every commit: derived fields, indexes and the incremental digest.
    for (const auto& violation : m_state.checkConsistency())
        spdlog::error("engine: state inconsistent after version {}: {}", m_state.version(), violation);
#endif
    if (batch.changes.empty())
        return nullptr;
    ++m_metrics.batches;
    m_metrics.changes += batch.changes.size();
    auto committedBatch = std::make_shared<const state::Batch>(std::move(batch));
    Q_EMIT batchCommitted(committedBatch);
    return committedBatch;
}

} // namespace dockscope::engine
