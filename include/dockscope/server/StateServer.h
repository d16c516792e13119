#pragma once

#include "dockscope/docker/Endpoint.h"
#include "dockscope/protocol/Messages.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/EngineState.h"

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <cstddef>
#include <memory>

namespace dockscope::server {

using namespace std::chrono_literals;

struct ServerOptions {
    QHostAddress address = QHostAddress::LocalHost; ///< 127.0.0.1 unless told otherwise
    quint16 port = 0;                               ///< 0: a free port
    QString token;                   ///< empty: 128 random bits, hex; fixed tokens ≥ 32 hex chars
    QStringList allowedOrigins;      ///< exact Origin values accepted; none by default
    docker::Endpoint dockerEndpoint; ///< for actions and streams (the worker has its own client)

    std::chrono::milliseconds helloTimeout = 5s;
    std::chrono::milliseconds heartbeat = 10s; ///< `heartbeat` message and WebSocket ping; two missed → 4408
    std::size_t maxMessageBytes = 64 * 1024;
    int maxMessagesPerSecond = 200;           ///< above it → 4429
    int maxErrorsBeforeClose = 8;             ///< malformed messages answered by `error` before closing 4400
    std::size_t backpressureBytes = 4u << 20; ///< unsent bytes above which a session stops getting batches
    std::size_t changeLogChanges = 100000;
    std::size_t changeLogBytes = 64u << 20;
    std::size_t eventReplay = 1000;               ///< last events replayed to a new `events` subscriber
    QString cacheFile;                            ///< where the offline cache is saved; empty: no cache
    std::chrono::milliseconds cacheDebounce = 2s; ///< a save waits this long after the last batch
};

/// Counters of the server, readable for tests and the Engine view.
struct ServerMetrics {
    std::uint64_t sessionsAccepted = 0;
    std::uint64_t handshakesRefused = 0; ///< Host or Origin refused before the upgrade
    std::uint64_t closedBadToken = 0;
    std::uint64_t closedTimeout = 0;
    std::uint64_t closedTooMany = 0;
    std::uint64_t closedMalformed = 0;
    std::uint64_t batchEncodings = 0; ///< batch encodings made (one per batch × shape × encoding in use)
    std::uint64_t framesSent = 0;
    std::uint64_t bytesSent = 0;
    std::uint64_t snapshotsSent = 0;
    std::uint64_t resumes = 0; ///< hellos answered with changes from the log instead of a snapshot
    std::uint64_t backpressurePauses = 0;
    std::uint64_t unsentHighWater = 0; ///< most bytes ever waiting in one session's socket after a send
    int sessions = 0;
};

/// The state server (DESIGN.md "Wire protocol v1", "Security"): a QWebSocketServer behind a handshake gate
/// (Host and Origin checked before the upgrade), sessions authenticated by the per-start token, subscriptions
/// with filters, snapshots, batches encoded once per shape and encoding, resume from the change log,
/// heartbeats, backpressure, actions and streams. Lives on one thread (ServerController gives it its own);
/// it owns a copy of the engine's state, fed by the engine's batches through the same apply code.
class StateServer : public QObject {
    Q_OBJECT

public:
    /// `initial` is the engine's state at the time the server starts (the batches that follow must apply on
    /// it): an empty state of the engine's epoch, or the saved state the engine was seeded with.
    StateServer(ServerOptions options, state::EngineState initial, QObject* parent = nullptr);
    ~StateServer() override;

    /// Starts listening. False with `*error` when the address cannot be bound.
    bool listen(QString* error = nullptr);
    /// ws://127.0.0.1:PORT/ once listening.
    QUrl url() const;
    QString token() const;
    const state::EngineState& state() const;
    ServerMetrics metrics() const;

public Q_SLOTS:
    /// A batch committed by the engine (queued from its thread). A batch that does not apply (a bug) makes
    /// every session resync from a snapshot; it is logged.
    void publish(std::shared_ptr<const dockscope::state::Batch> batch);
    /// A Docker event for the `events` topic.
    void publishEvent(const dockscope::state::DockerEvent& event);
    /// Closes every session (going away), stops listening and saves the cache now.
    void shutdown();

Q_SIGNALS:
    void sessionCountChanged(int sessions);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dockscope::server
