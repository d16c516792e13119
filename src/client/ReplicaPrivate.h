#pragma once

#include "Backoff.h"
#include "PendingRequests.h"

#include "dockscope/client/Replica.h"
#include "dockscope/protocol/Codec.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWebSocket>

#include <deque>
#include <vector>

namespace dockscope::client {

/// The replica's innards. Connection life is in Replica.cpp, the handling of server messages in
/// ReplicaMessages.cpp.
struct Replica::Private {
    Private(Replica* owner, Options opts);

    // Connection life (Replica.cpp).
    void connectNow();
    bool resolveAddress(QString* error);
    void onConnected();
    void onSocketClosed();
    void onSocketError(QWebSocket* from);
    void detachSocket(bool graceful);
    /// Ends the current connection (or attempt): pending requests fail with "unavailable"; then a retry is
    /// scheduled, unless `mayRetry` is false, the close code says retrying is pointless, or reconnecting is
    /// off.
    void endConnection(int code, const QString& why, bool mayRetry = true);
    void noteResumePoint();
    void scheduleRetry();
    void armLiveness();
    void onLivenessTimeout();
    void setStatus(Status next);
    bool send(const protocol::ClientMessage& message, QString* error = nullptr);
    void sendOrHold(protocol::ClientMessage message);
    void flushOutbox();
    protocol::Hello makeHello();

    // Server messages (ReplicaMessages.cpp).
    void onFrame(protocol::Frame frame);
    void dispatch(protocol::ServerMessage message);
    void onMalformed(const std::string& code, const std::string& why);
    void handle(protocol::Welcome welcome);
    void handle(protocol::Snapshot snapshot);
    void handle(protocol::Changes changes);
    void handle(protocol::EngineUpdate update);
    void handle(protocol::Event event);
    void handle(protocol::Heartbeat heartbeat);
    void handle(protocol::Pong pong);
    void handle(protocol::Result result);
    void handle(protocol::StreamData data);
    void handle(protocol::StreamEnd end);
    void handle(protocol::Error error);
    bool fits(const protocol::Changes& changes, std::string* why) const;
    void applyBatch(const state::Batch& batch);
    void requestResync(const std::string& why);
    void noteEngine(const std::optional<state::EngineInfo>& engine);
    bool sparse() const;

    Replica* q;
    Options options;
    Status status = Status::Disconnected;
    QString lastError;
    int closeCode = 0;
    bool stopped = true;

    state::EngineState state;
    std::optional<state::EngineInfo> engine;
    bool haveState = false;                   ///< a snapshot was loaded (the state is the server's)
    protocol::Subscription stateSubscription; ///< the subscription `state` is a view of
    bool stateInSync = false;                 ///< state is a trustworthy resume point (no resync was pending)
    Stats stats;

    QUrl url;                     ///< of the current connection
    QString token;                ///< of the current connection
    QWebSocket* socket = nullptr; ///< the current connection, owned (child of q)
    bool opened = false;          ///< this connection's WebSocket handshake completed
    bool welcomed = false;        ///< this connection's welcome arrived
    QString session;
    QElapsedTimer sessionAge; ///< since the welcome
    std::uint32_t heartbeatMs = 0;
    bool resumeSent = false;
    int malformedThisConnection = 0;
    protocol::Subscription sessionSubscription;          ///< the last subscription sent on this connection
    std::deque<protocol::Subscription> awaitedSnapshots; ///< subscribes (or hello) not yet answered
    std::vector<protocol::ClientMessage> outbox;         ///< actions and streams waiting for the welcome
    PendingRequests requests;

    QTimer retryTimer;
    QTimer livenessTimer;
    Backoff backoff;
};

} // namespace dockscope::client
