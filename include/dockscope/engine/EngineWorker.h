#pragma once

#include "dockscope/docker/DockerClient.h"
#include "dockscope/engine/EngineMetrics.h"
#include "dockscope/engine/EngineOptions.h"
#include "dockscope/engine/EventClassifier.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateTransaction.h"

#include <QObject>
#include <QPointer>

#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <utility>

class QTimer;

namespace dockscope::engine {

/// Keeps an EngineState exact by the sync algorithm of DESIGN.md: the events stream is opened first, then the
/// lists are read; each event only marks (kind, id) dirty; marks gathered within a short window are resolved
/// with one inspect each (404 = removed). Inspects of different entities run concurrently, one at a time per
/// entity, and what has arrived is committed as one batch per turn of the event loop; a sequence number per
/// request keeps an older answer from overwriting a newer one (see EngineSync.cpp). Connection loss means
/// reconnecting with capped, jittered backoff and a full re-list diffed against the current state, so clients
/// receive only the delta and the version never goes back. No timer polls Docker: the only calls not caused
/// by an event are a liveness ping after a silent spell and the drift check.
///
/// Lives on its own thread (EngineController); every method runs there. Batches leave as immutable shared
/// values through queued signals.
class EngineWorker : public QObject {
    Q_OBJECT

public:
    EngineWorker(EngineOptions options, std::uint64_t epoch);
    ~EngineWorker() override;

    /// Starts connecting. Call on the worker's thread.
    void start();
    /// Closes the connection and stops all timers. Call on the worker's thread.
    void stop();

    const state::EngineState& state() const { return m_state; }
    EngineMetrics metrics() const;
    /// Re-lists everything and repairs differences now (normally on a timer and after bursts).
    void checkDrift();

Q_SIGNALS:
    /// A committed batch: the state went from batch->from to batch->to.
    void batchCommitted(std::shared_ptr<const dockscope::state::Batch> batch);
    /// A Docker event as received (the activity feed).
    void engineEvent(const dockscope::state::DockerEvent& event);
    /// A full sync finished (after the first connection and after each reconnect).
    void synced();

private:
    using Mark = EventWork::Mark;
    struct Flush;
    /// A piece of work for one request: (what, EventWork::Kind, id). What: inspect an entity, re-list a kind
    /// (id empty), or read the engine's info (kind 0, id empty).
    using Target = std::tuple<int, int, std::string>;
    /// An entity: (EventWork::Kind, id).
    using Entity = std::pair<int, std::string>;

    // Connection (EngineWorker.cpp).
    void connectToEngine();
    void openEvents();
    void connectionLost(const docker::DockerError& error);
    void setStatus(state::EngineStatus status, const std::string& lastError);
    void onSynced();
    void retireClient();
    void restartLiveness();
    void ping();
    void checkFrozen();
    void noteBurst();

    // Sync (EngineSync.cpp).
    void startFullSync();
    void onEvent(const state::DockerEvent& event);
    void markDirty(const Target& target, state::Timestamp eventTime);
    void removeNow(const Mark& mark, state::Timestamp eventTime);
    bool renameNow(const EventWork::Rename& rename, state::Timestamp eventTime);
    template <typename T>
    void putNow(T entity, EventWork::Kind kind, state::Timestamp eventTime);
    void tagNow(const std::string& imageId, const std::string& tag, state::Timestamp eventTime);
    void noteDuringFlush(const EventWork& work);
    void explainRepairs(const EventWork& work);
    void reportRepairs(const state::Batch* batch);
    void settleRepairs();
    void markFormerHolders(const std::string& tag, const std::string& newHolder);
    void scheduleDispatch();
    void dispatch();
    void send(const Target& target, std::vector<state::Timestamp> eventTimes);
    void answered(const Target& target, std::uint64_t seq, std::vector<state::Timestamp> eventTimes);
    void applyContainerList(std::uint64_t seq, std::vector<state::Container> listed);
    template <typename T>
    void applyList(std::uint64_t seq, EventWork::Kind kind, std::vector<T> listed);
    bool newer(const Entity& entity, std::uint64_t seq) const;
    void commitSoon();
    void commitPending();
    void startDrift();
    void runFlush(const std::shared_ptr<Flush>& flush);
    void resolve(const std::shared_ptr<Flush>& flush, const Mark& mark);
    void relist(const std::shared_ptr<Flush>& flush, EventWork::Kind kind);
    void relistContainers(const std::shared_ptr<Flush>& flush);
    void readEngineInfo(const std::shared_ptr<Flush>& flush);
    void settle(const std::shared_ptr<Flush>& flush, const docker::DockerError& error);
    void finishFlush(const std::shared_ptr<Flush>& flush);
    /// Commits and publishes a batch; returns it (null when nothing changed).
    std::shared_ptr<const state::Batch> commit(const state::StateTransaction& transaction,
                                               const std::vector<state::Timestamp>& eventTimes);

    EngineOptions m_options;
    state::EngineState m_state;
    std::unique_ptr<docker::DockerClient> m_client;
    QPointer<QObject> m_session; ///< owns this connection's streams; deleting it drops its callbacks
    std::unique_ptr<docker::DockerStream> m_events;
    bool m_live = false; ///< the first full sync of this session is done
    bool m_everConnected = false;
    bool m_flushInFlight = false; ///< a full sync or a drift check: nothing else is sent meanwhile
    bool m_stopped = true;
    std::map<Target, std::vector<state::Timestamp>> m_dirty; ///< to send, with the timeNano of its events
    std::set<Target> m_inFlight;                             ///< sent, not answered yet
    std::multiset<std::uint64_t> m_inFlightSeqs;
    std::uint64_t m_seq = 0; ///< numbers the requests in the order they are sent
    /// The request number of the newest answer applied per entity, kept while an older request is in flight.
    std::map<Entity, std::uint64_t> m_appliedSeq;
    state::StateTransaction m_pending;                 ///< answers not committed yet
    std::vector<state::Timestamp> m_pendingEventTimes; ///< timeNano of the events m_pending answers
    bool m_driftPending = false;
    /// What events named while a drift check ran: resolved within it, so its changes to these are no repairs.
    std::set<std::pair<state::EntityKind, std::string>> m_namedDuringDrift;
    std::set<state::EntityKind> m_relistedDuringDrift; ///< kinds a prune event named meanwhile
    /// A drift check's changes not yet explained by an event: an event may still be on its way (the lists can
    /// be answered before the events stream delivers). Counted as repairs when the grace period ends.
    std::map<std::pair<state::EntityKind, std::string>, std::string> m_repairCandidates;
    QTimer* m_repairTimer = nullptr;
    int m_attempt = 0;
    qint64 m_reconnectingSinceMs = 0;
    qint64 m_enginePid = 0;
    std::vector<qint64> m_recentEventMs; ///< arrival times, for burst detection
    QTimer* m_dispatchTimer;
    QTimer* m_commitTimer;
    QTimer* m_retryTimer;
    QTimer* m_livenessTimer;
    QTimer* m_frozenTimer;
    QTimer* m_driftTimer;
    QTimer* m_burstTimer;
    EngineMetrics m_metrics;
    LatencyWindow m_latency;
    std::map<std::string, std::uint64_t> m_retiredCalls; ///< call counts of clients of earlier connections
};

} // namespace dockscope::engine
