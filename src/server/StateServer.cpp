#include "dockscope/server/StateServer.h"

#include "ActionRunner.h"
#include "HandshakeGate.h"
#include "Session.h"
#include "StateCache.h"
#include "StateHub.h"
#include "StreamHub.h"

#include "dockscope/docker/DockerClient.h"
#include "dockscope/protocol/Codec.h"
#include "dockscope/protocol/Filter.h"

#include <QDateTime>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#include <spdlog/spdlog.h>

#include <chrono>
#include <list>

namespace dockscope::server {

namespace {

constexpr qsizetype kMaxRequestHead = 8192;

QString randomToken()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 4);
    return QString::fromLatin1(bytes.toHex());
}

/// Constant-time comparison: the time depends only on the expected token's length.
bool sameSecret(std::string_view given, std::string_view expected)
{
    unsigned diff = given.size() == expected.size() ? 0u : 1u;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto g = static_cast<unsigned char>(i < given.size() ? given[i] : 0);
        diff |= g ^ static_cast<unsigned char>(expected[i]);
    }
    return diff == 0;
}

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

struct StateServer::Private final : SessionHost {
    Private(StateServer* owner, ServerOptions o, state::EngineState initial)
        : q(owner)
        , opts(std::move(o))
        , token(opts.token.isEmpty() ? randomToken() : opts.token)
        , tokenBytes(token.toStdString())
        , hubState(std::move(initial), opts.changeLogChanges, opts.changeLogBytes, opts.eventReplay)
        , docker(docker::DockerClient::Options{opts.dockerEndpoint})
        , runner(docker)
        , streamHub(docker)
        , ws(QStringLiteral("dockscope"), QWebSocketServer::NonSecureMode)
    {}

    // SessionHost
    const ServerOptions& options() const override { return opts; }
    bool tokenMatches(const std::string& given) const override { return sameSecret(given, tokenBytes); }
    StateHub& hub() override { return hubState; }
    ActionRunner& actions() override { return runner; }
    StreamHub& streams() override { return streamHub; }
    ServerMetrics& counters() override { return metrics; }
    void sessionEnded(Session* session) override
    {
        sessions.remove(session);
        // Deleted from the event loop (not inside its own signal), and by the destructor if that comes first.
        ended.push_back(session);
        QTimer::singleShot(0, q, [this] { purgeEnded(); });
        metrics.sessions = static_cast<int>(sessions.size());
        Q_EMIT q->sessionCountChanged(metrics.sessions);
    }
    void purgeEnded()
    {
        for (Session* s : ended)
            delete s;
        ended.clear();
    }

    void saveCache()
    {
        if (opts.cacheFile.isEmpty())
            return;
        QString error;
        if (!saveState(hubState.state(), opts.cacheFile, &error))
            spdlog::warn("server: could not save the state to {}: {}", opts.cacheFile.toStdString(),
                         error.toStdString());
    }
    void onTcpConnection();
    void inspectHead(QTcpSocket* socket);
    void onWebSocket();

    StateServer* q;
    ServerOptions opts;
    QString token;
    std::string tokenBytes;
    StateHub hubState;
    docker::DockerClient docker;
    ActionRunner runner;
    StreamHub streamHub;
    QTcpServer tcp;
    QWebSocketServer ws;
    QTimer heartbeat;
    QTimer cacheTimer;
    std::list<Session*> sessions;
    std::list<Session*> ended;
    ServerMetrics metrics;
    std::uint64_t nextSession = 1;
    GatePolicy policy;
};

StateServer::StateServer(ServerOptions options, state::EngineState initial, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(options), std::move(initial)))
{
    d->ws.setParent(this);
    d->tcp.setParent(this);
    d->heartbeat.setParent(this);
    d->cacheTimer.setParent(this);
    d->cacheTimer.setSingleShot(true);
    connect(&d->cacheTimer, &QTimer::timeout, this, [this] { d->saveCache(); });
    d->runner.setParent(this);
    d->streamHub.setParent(this);
    d->docker.setParent(this);
    d->ws.setHandshakeTimeout(d->opts.helloTimeout);
    // Connected directly, as QWebSocketServer accepts every origin when nothing answers this signal.
    connect(
        &d->ws, &QWebSocketServer::originAuthenticationRequired, this,
        [this](QWebSocketCorsAuthenticator* authenticator) {
            const QString origin = authenticator->origin();
            authenticator->setAllowed(origin.isEmpty() || originAllowed(origin, d->opts.allowedOrigins));
        },
        Qt::DirectConnection);
    connect(&d->ws, &QWebSocketServer::newConnection, this, [this] { d->onWebSocket(); });
    connect(&d->tcp, &QTcpServer::newConnection, this, [this] { d->onTcpConnection(); });
    connect(&d->heartbeat, &QTimer::timeout, this, [this] {
        const std::int64_t now = nowNs();
        for (Session* s : std::list<Session*>(d->sessions))
            s->heartbeat(now);
    });
}

StateServer::~StateServer()
{
    // Sessions use the hub, the runner and the stream hub: they go first. (Private's QObject members are
    // parented to this object only for thread affinity; being members, they are destroyed with Private,
    // before QObject's own child cleanup, so nothing is deleted twice.)
    for (Session* s : d->sessions)
        delete s;
    d->sessions.clear();
    d->purgeEnded();
}

bool StateServer::listen(QString* error)
{
    if (!d->tcp.listen(d->opts.address, d->opts.port)) {
        if (error)
            *error = d->tcp.errorString();
        return false;
    }
    d->policy.port = d->tcp.serverPort();
    d->policy.listenAddress = d->opts.address;
    d->policy.allowedOrigins = d->opts.allowedOrigins;
    d->heartbeat.start(d->opts.heartbeat);
    d->docker.negotiate(this, [](docker::Result<docker::ApiVersion> r) {
        if (!r.ok())
            spdlog::warn("server: Docker API negotiation failed ({}); actions use API 1.41",
                         r.error().message);
    });
    spdlog::info("server: listening on {}", url().toString().toStdString());
    return true;
}

QUrl StateServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    const QHostAddress address = d->opts.address;
    url.setHost(address == QHostAddress::LocalHost || address == QHostAddress::Any
                    ? QStringLiteral("127.0.0.1")
                    : address.toString());
    url.setPort(d->tcp.serverPort());
    url.setPath(QStringLiteral("/"));
    return url;
}

QString StateServer::token() const
{
    return d->token;
}

const state::EngineState& StateServer::state() const
{
    return d->hubState.state();
}

ServerMetrics StateServer::metrics() const
{
    return d->metrics;
}

void StateServer::Private::onTcpConnection()
{
    while (QTcpSocket* socket = tcp.nextPendingConnection()) {
        // No Nagle: QtWebSockets writes a frame's header and payload separately, and a frame's tail held back
        // for the peer's delayed ACK arrives 40 ms late (seen as a 40 ms tail in the burst benchmark).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QTcpSocket::readyRead, q, [this, socket] { inspectHead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(opts.helloTimeout, q, [guard] {
            if (guard && guard->property("dockscope.gate").toString() != QLatin1String("passed"))
                guard->abort();
        });
    }
}

void StateServer::Private::inspectHead(QTcpSocket* socket)
{
    const QByteArray buffered = socket->peek(kMaxRequestHead + 1);
    const auto length = requestHeadLength(buffered);
    GateVerdict verdict;
    if (!length) {
        if (buffered.size() <= kMaxRequestHead)
            return; // wait for the rest of the head
        verdict = GateVerdict{false, 431, QStringLiteral("request head too large")};
    } else {
        verdict = checkRequestHead(buffered.left(*length), policy);
    }
    QObject::disconnect(socket, &QTcpSocket::readyRead, q, nullptr);
    if (!verdict.accepted) {
        ++metrics.handshakesRefused;
        spdlog::warn("server: refused a connection from {}: {}",
                     socket->peerAddress().toString().toStdString(), verdict.reason.toStdString());
        const QByteArray body = verdict.reason.toUtf8() + '\n';
        const QByteArray reason = verdict.status == 400   ? "Bad Request"
                                  : verdict.status == 431 ? "Request Header Fields Too Large"
                                                          : "Forbidden";
        socket->write("HTTP/1.1 " + QByteArray::number(verdict.status) + ' ' + reason +
                      "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
        return;
    }
    socket->setProperty("dockscope.gate", QStringLiteral("passed"));
    QObject::disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
    ws.handleConnection(socket);
}

void StateServer::Private::onWebSocket()
{
    while (QWebSocket* socket = ws.nextPendingConnection()) {
        ++metrics.sessionsAccepted;
        auto* session = new Session(socket, *this, QStringLiteral("s%1").arg(nextSession++), q);
        sessions.push_back(session);
        metrics.sessions = static_cast<int>(sessions.size());
        Q_EMIT q->sessionCountChanged(metrics.sessions);
    }
}

void StateServer::publish(std::shared_ptr<const state::Batch> batch)
{
    if (!batch)
        return;
    const std::optional<state::EngineInfo> engineBefore = d->hubState.state().engine();
    std::string error;
    const auto out = d->hubState.publish(batch, &error);
    if (!out) {
        spdlog::error("server: an engine batch {}→{} did not apply ({}); every session resyncs", batch->from,
                      batch->to, error);
        for (Session* s : d->sessions)
            if (s->live())
                s->sendSnapshot();
        return;
    }
    if (!d->opts.cacheFile.isEmpty() && !d->cacheTimer.isActive())
        d->cacheTimer.start(d->opts.cacheDebounce); // at most one save per interval, however busy
    for (const auto& [view, viewBatch] : *out)
        for (Session* s : std::list<Session*>(d->sessions))
            if (s->view() == view)
                s->sendBatch(view, viewBatch);

    const std::optional<state::EngineInfo>& engineAfter = d->hubState.state().engine();
    if (engineAfter && (!engineBefore || engineBefore->status != engineAfter->status ||
                        engineBefore->lastError != engineAfter->lastError)) {
        std::map<FrameFormat, OutFrame> frames;
        const nlohmann::json message =
            protocol::toJson(protocol::ServerMessage{protocol::EngineUpdate{*engineAfter}});
        for (Session* s : std::list<Session*>(d->sessions)) {
            if (!s->live())
                continue;
            auto it = frames.find(s->format());
            if (it == frames.end())
                it = frames.emplace(s->format(), makeFrame(message, s->format())).first;
            s->sendFrame(it->second);
        }
    }
}

void StateServer::publishEvent(const state::DockerEvent& event)
{
    d->hubState.remember(event);
    std::map<FrameFormat, OutFrame> frames;
    std::optional<nlohmann::json> message;
    for (Session* s : std::list<Session*>(d->sessions)) {
        if (!s->wantsEvents() || !s->view() || !protocol::matches(s->view()->subscription().filter, event))
            continue;
        if (!message)
            message = protocol::toJson(protocol::ServerMessage{protocol::Event{event}});
        auto it = frames.find(s->format());
        if (it == frames.end())
            it = frames.emplace(s->format(), makeFrame(*message, s->format())).first;
        s->sendFrame(it->second);
    }
}

void StateServer::shutdown()
{
    d->heartbeat.stop();
    d->tcp.close();
    d->cacheTimer.stop();
    d->saveCache();
    for (Session* s : std::list<Session*>(d->sessions))
        s->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"));
}

} // namespace dockscope::server
