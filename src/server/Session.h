#pragma once

#include "StateHub.h"

#include "dockscope/protocol/Messages.h"
#include "dockscope/server/StateServer.h"

#include <QObject>
#include <QPointer>

#include <map>
#include <memory>

class QWebSocket;

namespace dockscope::server {

class ActionRunner;
class StreamHub;

/// What a session needs of its server (StateServer's private part implements it).
class SessionHost {
public:
    virtual ~SessionHost() = default;
    virtual const ServerOptions& options() const = 0;
    virtual bool tokenMatches(const std::string& token) const = 0;
    virtual StateHub& hub() = 0;
    virtual ActionRunner& actions() = 0;
    virtual StreamHub& streams() = 0;
    virtual ServerMetrics& counters() = 0;
    /// The session's socket is gone; the host deletes the session later.
    virtual void sessionEnded(class Session* session) = 0;
};

/// One client connection: hello and authentication, its subscription (a View of the hub), sending snapshots,
/// batches, events, results and stream data, heartbeats, limits, and backpressure (a session whose unsent
/// bytes pass the threshold gets no batches until it drains, then catches up from the change log or with a
/// snapshot). Lives on the server thread.
class Session : public QObject {
    Q_OBJECT

public:
    Session(QWebSocket* socket, SessionHost& host, QString id, QObject* parent = nullptr);
    ~Session() override;

    const QString& id() const { return m_id; }
    bool live() const { return m_live; }
    View* view() const { return m_view; }
    FrameFormat format() const { return m_format; }
    bool wantsEvents() const;
    bool paused() const { return m_paused; }

    /// The view's batch (already applied to the view). Skipped while paused (caught up later).
    void sendBatch(View* view, const std::shared_ptr<const state::Batch>& batch);
    /// Sends a snapshot of the view (resync) and resumes batches after it.
    void sendSnapshot();
    void sendFrame(const OutFrame& frame);
    void sendMessage(const protocol::ServerMessage& message);
    /// Heartbeat tick: `heartbeat` message and WebSocket ping; closes with 4408 after two missed.
    void heartbeat(std::int64_t nowNs);
    void close(int code, const QString& reason);

private:
    void onText(const QString& text);
    void onBinary(const QByteArray& bytes);
    void onFrame(const protocol::Frame& frame);
    void onDisconnected();
    void onBytesWritten();
    bool withinRate();
    void refuse(std::string_view code, const std::string& message);

    void handleHello(protocol::Hello hello);
    void handle(const protocol::Subscribe& message);
    void handle(const protocol::Ack& message);
    void handle(const protocol::Ping& message);
    void handle(const protocol::Action& message);
    void handle(const protocol::StreamRequest& message);
    void handle(const protocol::Unstream& message);
    void handle(const protocol::Hello& message);
    void subscribe(const protocol::Subscription& subscription);
    void replayEvents();
    void forgetStream(const std::string& id);
    void catchUp();
    bool congested() const;

    QPointer<QWebSocket> m_socket;
    SessionHost& m_host;
    QString m_id;
    bool m_live = false;
    bool m_closing = false;
    FrameFormat m_format;
    View* m_view = nullptr;
    protocol::Subscription m_subscription;
    std::uint64_t m_sentVersion = 0; ///< the view version the client holds once it read what we sent
    bool m_paused = false;
    int m_errors = 0;
    qint64 m_rateWindowStartMs = 0;
    int m_rateCount = 0;
    qint64 m_lastAliveMs = 0;
    std::map<std::string, std::uint64_t> m_streams; ///< stream id → StreamHub handle
};

} // namespace dockscope::server
