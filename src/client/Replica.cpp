// Replica: the public API and the connection's life (address, hello, liveness, reconnects with backoff).
// The handling of server messages is in ReplicaMessages.cpp.
#include "ReplicaPrivate.h"

#include <QMetaObject>
#include <QNetworkRequest>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace dockscope::client {

namespace {

// Far above the largest real message (a 1000-container snapshot is about 2 MB of JSON), so that a hostile
// server cannot make us buffer gigabytes.
constexpr quint64 kMaxMessageBytes = 256u << 20;
// A heartbeat interval beyond this is clamped (QTimer takes an int of milliseconds).
constexpr std::int64_t kMaxLivenessMs = 24LL * 3600 * 1000;

protocol::ErrorInfo unavailable(const QString& why)
{
    return {std::string(protocol::errors::Unavailable), why.toStdString()};
}

QString describeClose(int code, const QString& reason)
{
    QString text = QStringLiteral("the daemon closed the connection (code %1").arg(code);
    if (!reason.isEmpty())
        text += QStringLiteral(": ") + reason;
    return text + QLatin1Char(')');
}

} // namespace

Replica::Private::Private(Replica* owner, Options opts)
    : q(owner)
    , options(std::move(opts))
    , stateSubscription(options.subscription)
    , sessionSubscription(options.subscription)
    , backoff(options.backoffMin, options.backoffMax)
{
    retryTimer.setSingleShot(true);
    livenessTimer.setSingleShot(true);
}

bool Replica::Private::resolveAddress(QString* error)
{
    if (!options.url.isEmpty()) {
        url = options.url;
        token = options.token;
    } else {
        const QString path = options.discoveryFile.isEmpty() ? defaultDiscoveryFile() : options.discoveryFile;
        // Read again on every attempt: a restarted daemon has a new port and token.
        const auto address = readDiscoveryFile(path, error);
        if (!address)
            return false;
        url = address->url;
        token = address->token;
    }
    if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        *error = QStringLiteral("not a ws:// or wss:// URL: ") + url.toDisplayString();
        return false;
    }
    return true;
}

void Replica::Private::connectNow()
{
    if (stopped || socket)
        return;
    QString error;
    if (!resolveAddress(&error)) {
        endConnection(0, error);
        return;
    }
    // An empty origin: QWebSocket then sends no Origin header. Browsers always send one, and the server
    // refuses origins it was not told to allow (cross-site WebSocket hijacking).
    socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, q);
    socket->setMaxAllowedIncomingMessageSize(kMaxMessageBytes);
    QWebSocket* s = socket;
    QObject::connect(s, &QWebSocket::connected, q, [this] { onConnected(); });
    QObject::connect(s, &QWebSocket::disconnected, q, [this] { onSocketClosed(); });
    QObject::connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), q,
                     [this, s](QAbstractSocket::SocketError) { onSocketError(s); });
    QObject::connect(s, &QWebSocket::textMessageReceived, q, [this](const QString& text) {
        const QByteArray utf8 = text.toUtf8();
        onFrame(protocol::Frame{false, std::string(utf8.constData(), static_cast<std::size_t>(utf8.size()))});
    });
    QObject::connect(s, &QWebSocket::binaryMessageReceived, q, [this](const QByteArray& bytes) {
        onFrame(
            protocol::Frame{true, std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()))});
    });
    opened = false;
    welcomed = false;
    resumeSent = false;
    malformedThisConnection = 0;
    livenessTimer.start(options.connectTimeout);
    spdlog::debug("replica: connecting to {}", url.toDisplayString().toStdString());
    s->open(QNetworkRequest(url));
}

protocol::Hello Replica::Private::makeHello()
{
    protocol::Hello hello;
    hello.token = token.toStdString();
    hello.client = options.clientName.toStdString();
    hello.encoding = options.encoding;
    if (options.compress && protocol::zstdAvailable())
        hello.compress = {"zstd"};
    if (options.idSets)
        hello.features = {std::string(protocol::kFeatureIdSets)};
    // Resume only from a state that is a true view of the same subscription: the server then sends just the
    // batches after it.
    resumeSent = haveState && stateInSync && stateSubscription == options.subscription;
    if (resumeSent)
        hello.resume = protocol::ResumePoint{state.epoch(), state.version()};
    hello.subscribe = options.subscription;
    sessionSubscription = options.subscription;
    awaitedSnapshots.clear();
    if (!resumeSent)
        awaitedSnapshots.push_back(options.subscription);
    return hello;
}

void Replica::Private::onConnected()
{
    opened = true;
    QString error;
    if (!send(makeHello(), &error))
        endConnection(0, QStringLiteral("cannot send hello: ") + error, false);
}

void Replica::Private::onSocketClosed()
{
    if (!socket)
        return;
    if (!opened) {
        // A refused connection or handshake ends here too, with a meaningless close code.
        endConnection(0, QStringLiteral("cannot connect to ") + url.toDisplayString() + QStringLiteral(": ") +
                             socket->errorString());
        return;
    }
    if (socket->error() != QAbstractSocket::UnknownSocketError) {
        // No closing handshake (Qt then reports 1000, which would read as a clean close): RFC 6455's 1006.
        endConnection(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
                      QStringLiteral("connection lost: ") + socket->errorString());
        return;
    }
    endConnection(socket->closeCode(), describeClose(socket->closeCode(), socket->closeReason()));
}

void Replica::Private::onSocketError(QWebSocket* from)
{
    // A failed connect emits no disconnected(); a connected socket's error is followed by one. Decide once
    // the socket has settled, and only if this socket is still the current one.
    QTimer::singleShot(0, from, [this, from] {
        if (socket != from || from->state() == QAbstractSocket::ConnectedState ||
            from->state() == QAbstractSocket::ClosingState)
            return;
        endConnection(0, QStringLiteral("cannot connect to ") + url.toDisplayString() + QStringLiteral(": ") +
                             from->errorString());
    });
}

void Replica::Private::detachSocket(bool graceful)
{
    livenessTimer.stop();
    QWebSocket* s = socket;
    socket = nullptr;
    welcomed = false;
    if (!s)
        return;
    QObject::disconnect(s, nullptr, q, nullptr);
    if (graceful && s->state() == QAbstractSocket::ConnectedState) {
        // Let the closing handshake finish, but not forever.
        QObject::connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
        QTimer::singleShot(2000, s, [s] {
            s->abort();
            s->deleteLater();
        });
        s->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("client stopped"));
        return;
    }
    s->abort();
    s->deleteLater();
}

void Replica::Private::noteResumePoint()
{
    // A state is a resume point when no snapshot was outstanding: then it equals the server's view at its
    // version. One whose resync was still pending is not (it may have missed a batch).
    if (welcomed)
        stateInSync = haveState && awaitedSnapshots.empty();
}

void Replica::Private::endConnection(int code, const QString& why, bool mayRetry)
{
    const bool wasWelcomed = welcomed;
    // Only a session that held for a while starts the backoff afresh: one that a server accepts and then
    // closes at once (too many clients, too slow) must not turn into a reconnect storm.
    if (wasWelcomed && sessionAge.isValid() &&
        std::chrono::milliseconds(sessionAge.elapsed()) >= options.backoffMax)
        backoff.reset();
    noteResumePoint();
    detachSocket(false);
    awaitedSnapshots.clear();
    outbox.clear();
    closeCode = code;
    lastError = why;
    bool retry = mayRetry && options.reconnect && !stopped;
    if (code == protocol::CloseBadToken) {
        lastError = QStringLiteral("the daemon refused the token (close code 4401); check the token or the "
                                   "discovery file");
        retry = false;
    } else if (code == protocol::CloseMalformed) {
        lastError =
            QStringLiteral("the daemon refused this client's messages as malformed (close code 4400): ") +
            why;
        retry = false;
    }
    if (wasWelcomed)
        spdlog::warn("replica: {}", lastError.toStdString());
    else
        spdlog::info("replica: {}", lastError.toStdString());
    if (retry) {
        setStatus(haveState || wasWelcomed || status == Status::Reconnecting ? Status::Reconnecting
                                                                             : Status::Connecting);
    } else {
        stopped = true;
        retryTimer.stop();
        setStatus(Status::Disconnected);
    }
    requests.failAll(unavailable(QStringLiteral("the connection to the daemon ended: ") + lastError));
    // A callback may have stopped or restarted the replica meanwhile.
    if (retry && !stopped && !socket && !retryTimer.isActive())
        scheduleRetry();
}

void Replica::Private::scheduleRetry()
{
    const std::chrono::milliseconds delay = backoff.next();
    spdlog::debug("replica: next attempt in {} ms", delay.count());
    retryTimer.start(delay);
}

void Replica::Private::armLiveness()
{
    if (!welcomed)
        return; // the connect timeout is running
    if (heartbeatMs == 0) {
        livenessTimer.stop();
        return;
    }
    // Two and a half heartbeats of silence: one may be late, two lost means the connection is dead.
    const std::int64_t ms = std::min<std::int64_t>(std::int64_t{heartbeatMs} * 5 / 2, kMaxLivenessMs);
    livenessTimer.start(std::chrono::milliseconds(std::max<std::int64_t>(ms, 1)));
}

void Replica::Private::onLivenessTimeout()
{
    if (!socket)
        return;
    const QString why =
        welcomed
            ? QStringLiteral("no message from the daemon for %1 ms (heartbeat every %2 ms)")
                  .arg(std::int64_t{heartbeatMs} * 5 / 2)
                  .arg(heartbeatMs)
            : QStringLiteral("no welcome from the daemon within %1 ms").arg(options.connectTimeout.count());
    endConnection(0, why);
}

void Replica::Private::setStatus(Status next)
{
    if (status == next)
        return;
    status = next;
    Q_EMIT q->statusChanged(next);
}

bool Replica::Private::send(const protocol::ClientMessage& message, QString* error)
{
    if (!socket)
        return false;
    try {
        const protocol::Frame frame = protocol::encode(message, options.encoding);
        if (frame.binary)
            socket->sendBinaryMessage(
                QByteArray(frame.bytes.data(), static_cast<qsizetype>(frame.bytes.size())));
        else
            socket->sendTextMessage(QString::fromStdString(frame.bytes));
        return true;
    } catch (const std::exception& e) {
        spdlog::error("replica: cannot encode a '{}' message: {}", protocol::typeName(message), e.what());
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

void Replica::Private::sendOrHold(protocol::ClientMessage message)
{
    if (socket && welcomed)
        send(message);
    else
        outbox.push_back(std::move(message));
}

void Replica::Private::flushOutbox()
{
    std::vector<protocol::ClientMessage> held;
    held.swap(outbox);
    for (const protocol::ClientMessage& message : held)
        send(message);
}

// ----------------------------------------------------------------------------------------------------------

Replica::Replica(Options options, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(options)))
{
    connect(&d->retryTimer, &QTimer::timeout, this, [this] {
        ++d->stats.reconnects;
        d->connectNow();
    });
    connect(&d->livenessTimer, &QTimer::timeout, this, [this] { d->onLivenessTimeout(); });
}

Replica::~Replica()
{
    d->stopped = true;
    d->requests.clear();
    d->retryTimer.stop();
    d->detachSocket(false);
}

void Replica::start()
{
    if (d->status != Status::Disconnected)
        return;
    d->stopped = false;
    d->lastError.clear();
    d->closeCode = 0;
    d->backoff.reset();
    d->setStatus(Status::Connecting);
    d->connectNow();
}

void Replica::stop()
{
    if (d->stopped && d->status == Status::Disconnected)
        return;
    d->stopped = true;
    d->retryTimer.stop();
    d->noteResumePoint();
    d->detachSocket(true);
    d->awaitedSnapshots.clear();
    d->outbox.clear();
    d->setStatus(Status::Disconnected);
    d->requests.failAll(unavailable(QStringLiteral("the replica was stopped")));
}

Replica::Status Replica::status() const
{
    return d->status;
}

QString Replica::lastError() const
{
    return d->lastError;
}

int Replica::closeCode() const
{
    return d->closeCode;
}

const state::EngineState& Replica::state() const
{
    return d->state;
}

std::optional<state::EngineInfo> Replica::engine() const
{
    return d->engine;
}

void Replica::setSubscription(const protocol::Subscription& subscription)
{
    d->options.subscription = subscription;
    if (!d->socket || !d->welcomed)
        return; // the next hello carries it
    if (d->send(protocol::Subscribe{subscription})) {
        d->awaitedSnapshots.push_back(subscription);
        d->sessionSubscription = subscription;
    }
}

QString Replica::act(protocol::Action action, QObject* context, ActionDone done, Progress progress)
{
    const QString id = d->requests.addAction(context, std::move(done), std::move(progress));
    action.id = id.toStdString();
    std::optional<protocol::ErrorInfo> refusal;
    if (d->status == Status::Disconnected)
        refusal = unavailable(QStringLiteral("the replica is not connected"));
    try {
        protocol::encode(protocol::ClientMessage(action), d->options.encoding);
    } catch (const std::exception& e) {
        refusal = protocol::ErrorInfo{std::string(protocol::errors::BadField), e.what()};
    }
    if (!refusal) {
        d->sendOrHold(std::move(action));
        return id;
    }
    // Never from inside act(): the caller may not expect its callback before act() returns.
    QMetaObject::invokeMethod(
        this,
        [this, id, error = *refusal] {
            d->requests.finishAction(id, protocol::Result{id.toStdString(), false, error, nullptr});
        },
        Qt::QueuedConnection);
    return id;
}

QString Replica::openStream(protocol::StreamWhat what, const std::string& container,
                            const nlohmann::json& params, QObject* context, StreamData data, StreamEnd end)
{
    const QString id = d->requests.addStream(context, std::move(data), std::move(end));
    protocol::StreamRequest request{id.toStdString(), what, container,
                                    params.is_null() ? nlohmann::json::object() : params};
    std::optional<protocol::ErrorInfo> refusal;
    if (d->status == Status::Disconnected)
        refusal = unavailable(QStringLiteral("the replica is not connected"));
    try {
        protocol::encode(protocol::ClientMessage(request), d->options.encoding);
    } catch (const std::exception& e) {
        refusal = protocol::ErrorInfo{std::string(protocol::errors::BadField), e.what()};
    }
    if (!refusal) {
        d->sendOrHold(std::move(request));
        return id;
    }
    QMetaObject::invokeMethod(
        this, [this, id, error = *refusal] { d->requests.endStream(id, error); }, Qt::QueuedConnection);
    return id;
}

void Replica::closeStream(const QString& id)
{
    if (!d->requests.hasStream(id))
        return;
    d->requests.dropStream(id);
    const std::string wire = id.toStdString();
    const auto held = std::find_if(d->outbox.begin(), d->outbox.end(), [&](const protocol::ClientMessage& m) {
        const auto* request = std::get_if<protocol::StreamRequest>(&m);
        return request && request->id == wire;
    });
    if (held != d->outbox.end())
        d->outbox.erase(held); // never sent: nothing to close on the server
    else
        d->sendOrHold(protocol::Unstream{wire});
}

Replica::Stats Replica::stats() const
{
    return d->stats;
}

} // namespace dockscope::client
