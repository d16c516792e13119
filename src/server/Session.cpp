#include "Session.h"

#include "ActionRunner.h"
#include "StreamHub.h"

#include "dockscope/protocol/Codec.h"
#include "dockscope/protocol/Filter.h"

#include <QDateTime>
#include <QTimer>
#include <QWebSocket>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace dockscope::server {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

Session::Session(QWebSocket* socket, SessionHost& host, QString id, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_host(host)
    , m_id(std::move(id))
{
    const ServerOptions& options = m_host.options();
    socket->setParent(this);
    // Qt's own limit is a hard stop (close 1009); below it, an oversized message gets an `error`.
    socket->setMaxAllowedIncomingMessageSize(options.maxMessageBytes * 4);
    socket->setMaxAllowedIncomingFrameSize(options.maxMessageBytes * 4);
    m_lastAliveMs = nowMs();
    connect(socket, &QWebSocket::textMessageReceived, this, &Session::onText);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &Session::onBinary);
    connect(socket, &QWebSocket::disconnected, this, &Session::onDisconnected);
    connect(socket, &QWebSocket::bytesWritten, this, &Session::onBytesWritten);
    connect(socket, &QWebSocket::pong, this, [this] { m_lastAliveMs = nowMs(); });
    QTimer::singleShot(options.helloTimeout, this, [this] {
        if (!m_live && !m_closing) {
            ++m_host.counters().closedTimeout;
            close(protocol::CloseTimeout, QStringLiteral("no hello in time"));
        }
    });
}

Session::~Session()
{
    for (const auto& [id, handle] : m_streams)
        if (handle)
            m_host.streams().unwatch(handle);
    m_host.hub().release(m_view);
}

bool Session::wantsEvents() const
{
    return m_live && m_subscription.topics.count(protocol::Topic::Events) != 0;
}

void Session::close(int code, const QString& reason)
{
    if (m_closing || !m_socket)
        return;
    m_closing = true;
    spdlog::info("session {}: closing with {} ({})", m_id.toStdString(), code, reason.toStdString());
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
}

void Session::onDisconnected()
{
    m_closing = true;
    m_host.sessionEnded(this);
}

void Session::onText(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    onFrame(protocol::Frame{false, std::string(utf8.constData(), static_cast<std::size_t>(utf8.size()))});
}

void Session::onBinary(const QByteArray& bytes)
{
    onFrame(protocol::Frame{true, std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()))});
}

bool Session::withinRate()
{
    const qint64 now = nowMs();
    if (now - m_rateWindowStartMs >= 1000) {
        m_rateWindowStartMs = now;
        m_rateCount = 0;
    }
    return ++m_rateCount <= m_host.options().maxMessagesPerSecond;
}

void Session::refuse(std::string_view code, const std::string& message)
{
    sendMessage(protocol::Error{protocol::ErrorInfo{std::string(code), message}});
    if (++m_errors > m_host.options().maxErrorsBeforeClose) {
        ++m_host.counters().closedMalformed;
        close(protocol::CloseMalformed, QStringLiteral("too many malformed messages"));
    }
}

void Session::onFrame(const protocol::Frame& frame)
{
    if (m_closing)
        return;
    m_lastAliveMs = nowMs();
    if (!withinRate()) {
        ++m_host.counters().closedTooMany;
        close(protocol::CloseTooMany, QStringLiteral("too many messages"));
        return;
    }
    protocol::Limits limits;
    limits.maxMessageBytes = m_host.options().maxMessageBytes;
    protocol::ClientMessage message;
    try {
        message = protocol::decodeClientFrame(frame, limits);
    } catch (const protocol::ProtocolError& e) {
        if (!m_live) {
            // Nothing is sent before a good hello: not even an error. A hello without a (string) token is a
            // missing token, which DESIGN.md answers like a wrong one.
            if (std::string_view(e.what()).starts_with("hello.token")) {
                ++m_host.counters().closedBadToken;
                close(protocol::CloseBadToken, QStringLiteral("bad token"));
                return;
            }
            ++m_host.counters().closedMalformed;
            close(protocol::CloseMalformed, QString::fromStdString(e.what()).left(120));
            return;
        }
        refuse(e.code(), e.what());
        return;
    }
    if (!m_live) {
        if (auto* hello = std::get_if<protocol::Hello>(&message)) {
            handleHello(std::move(*hello));
        } else {
            ++m_host.counters().closedMalformed;
            close(protocol::CloseMalformed, QStringLiteral("the first message must be hello"));
        }
        return;
    }
    std::visit([this](const auto& m) { handle(m); }, message);
}

void Session::handleHello(protocol::Hello hello)
{
    if (!m_host.tokenMatches(hello.token)) {
        ++m_host.counters().closedBadToken;
        close(protocol::CloseBadToken, QStringLiteral("bad token"));
        return;
    }
    const bool zstd = protocol::zstdAvailable() &&
                      std::find(hello.compress.begin(), hello.compress.end(), "zstd") != hello.compress.end();
    const bool idSets = std::find(hello.features.begin(), hello.features.end(), protocol::kFeatureIdSets) !=
                        hello.features.end();
    m_format = FrameFormat{hello.encoding, zstd, idSets};
    m_subscription = hello.subscribe.value_or(protocol::Subscription::everything());
    m_view = m_host.hub().acquire(m_subscription);
    m_live = true;
    spdlog::info("session {}: '{}' authenticated ({}{})", m_id.toStdString(), hello.client,
                 protocol::toString(hello.encoding), zstd ? " + zstd" : "");

    const state::EngineState& view = m_view->state();
    protocol::Welcome welcome;
    welcome.session = m_id.toStdString();
    welcome.epoch = m_host.hub().state().epoch();
    welcome.version = view.version();
    welcome.heartbeatMs = static_cast<std::uint32_t>(m_host.options().heartbeat.count());
    welcome.compress = zstd ? "zstd" : "";
    sendMessage(welcome);

    std::optional<std::vector<std::shared_ptr<const state::Batch>>> missing;
    if (hello.resume && hello.resume->epoch == welcome.epoch)
        missing = m_view->since(hello.resume->version);
    if (missing) {
        ++m_host.counters().resumes;
        m_sentVersion = hello.resume->version;
        catchUp();
    } else {
        sendSnapshot();
    }
    if (wantsEvents())
        replayEvents();
}

void Session::handle(const protocol::Hello&)
{
    refuse(protocol::errors::Malformed, "hello: already received");
}

void Session::handle(const protocol::Subscribe& message)
{
    const bool hadEvents = wantsEvents();
    subscribe(message.subscription);
    if (wantsEvents() && !hadEvents)
        replayEvents();
}

void Session::subscribe(const protocol::Subscription& subscription)
{
    View* old = m_view;
    m_subscription = subscription;
    m_view = m_host.hub().acquire(subscription);
    m_host.hub().release(old);
    m_paused = false;
    sendSnapshot();
}

void Session::handle(const protocol::Ack&)
{
    // Informational: the client's version is known from what was sent.
}

void Session::handle(const protocol::Ping& message)
{
    sendMessage(protocol::Pong{message.id});
}

void Session::handle(const protocol::Action& message)
{
    QPointer<Session> self(this);
    const std::string id = message.id;
    m_host.actions().run(
        message, this,
        [self, id](protocol::Result result) {
            if (!self)
                return;
            result.id = id;
            self->sendMessage(result);
        },
        [self, id](nlohmann::json data) {
            if (self)
                self->sendMessage(protocol::StreamData{id, std::move(data)});
        });
}

void Session::handle(const protocol::StreamRequest& message)
{
    if (m_streams.count(message.id)) {
        refuse(protocol::errors::BadField, "stream.id: '" + message.id + "' is already in use");
        return;
    }
    const std::string id = message.id;
    QPointer<Session> self(this);
    m_streams[id] = 0;
    const auto handle = m_host.streams().watch(
        message.what, message.container, message.params,
        [self, id](const nlohmann::json& data) {
            if (self)
                self->sendMessage(protocol::StreamData{id, data});
        },
        [self, id](std::optional<protocol::ErrorInfo> error) {
            if (!self)
                return;
            self->forgetStream(id);
            self->sendMessage(protocol::StreamEnd{id, std::move(error)});
        });
    if (const auto it = m_streams.find(id); it != m_streams.end())
        it->second = handle;
}

void Session::forgetStream(const std::string& id)
{
    if (const auto it = m_streams.find(id); it != m_streams.end())
        m_streams.erase(it);
}

void Session::handle(const protocol::Unstream& message)
{
    const auto it = m_streams.find(message.id);
    if (it == m_streams.end()) {
        refuse(protocol::errors::NotFound, "unstream.id: no stream '" + message.id + "'");
        return;
    }
    m_host.streams().unwatch(it->second);
    m_streams.erase(it);
    sendMessage(protocol::StreamEnd{message.id, std::nullopt});
}

void Session::replayEvents()
{
    for (const state::DockerEvent& event : m_host.hub().recentEvents())
        if (protocol::matches(m_subscription.filter, event))
            sendMessage(protocol::Event{event});
}

bool Session::congested() const
{
    return m_socket &&
           static_cast<std::size_t>(m_socket->bytesToWrite()) > m_host.options().backpressureBytes;
}

void Session::sendFrame(const OutFrame& frame)
{
    if (!m_socket || m_closing)
        return;
    if (frame.binary)
        m_socket->sendBinaryMessage(frame.bytes);
    else
        m_socket->sendTextMessage(frame.text);
    ServerMetrics& counters = m_host.counters();
    ++counters.framesSent;
    counters.bytesSent += static_cast<std::uint64_t>(frame.size());
    counters.unsentHighWater =
        std::max(counters.unsentHighWater, static_cast<std::uint64_t>(m_socket->bytesToWrite()));
}

void Session::sendMessage(const protocol::ServerMessage& message)
{
    sendFrame(makeFrame(protocol::toJson(message), m_format));
}

void Session::sendSnapshot()
{
    if (!m_view)
        return;
    sendFrame(m_view->snapshotFrame(m_format, &m_host.counters().batchEncodings));
    ++m_host.counters().snapshotsSent;
    m_sentVersion = m_view->state().version();
    if (congested() && !m_paused) {
        m_paused = true;
        ++m_host.counters().backpressurePauses;
    }
}

void Session::sendBatch(View* view, const std::shared_ptr<const state::Batch>& batch)
{
    if (!m_live || m_closing || view != m_view || m_paused)
        return;
    if (batch->from != m_sentVersion) {
        catchUp();
        return;
    }
    if (!m_format.idSets && batch->to != view->state().version() && hasIdSets(*batch)) {
        sendSnapshot(); // the whole lists are known only at the view's own version
        return;
    }
    sendFrame(view->batchFrame(*batch, m_format, &m_host.counters().batchEncodings));
    m_sentVersion = batch->to;
    if (congested()) {
        m_paused = true;
        ++m_host.counters().backpressurePauses;
    }
}

void Session::catchUp()
{
    m_paused = false;
    const auto missing = m_view->since(m_sentVersion);
    // A client without "idSets" cannot read the log's id-set changes, and their whole lists are known only
    // at the current version: it gets a snapshot instead.
    if (!missing || (!m_format.idSets && std::any_of(missing->begin(), missing->end(),
                                                     [](const auto& batch) { return hasIdSets(*batch); }))) {
        sendSnapshot();
        return;
    }
    const std::uint64_t epoch = m_host.hub().state().epoch();
    for (const auto& batch : *missing) {
        sendFrame(makeFrame(protocol::changesJson(epoch, *batch), m_format));
        m_sentVersion = batch->to;
        if (congested()) {
            m_paused = true;
            ++m_host.counters().backpressurePauses;
            return;
        }
    }
}

void Session::onBytesWritten()
{
    if (m_paused && m_socket &&
        static_cast<std::size_t>(m_socket->bytesToWrite()) <= m_host.options().backpressureBytes / 4)
        catchUp();
}

void Session::heartbeat(std::int64_t nowNs)
{
    if (!m_live || m_closing || !m_socket)
        return;
    const qint64 interval = m_host.options().heartbeat.count();
    if (nowMs() - m_lastAliveMs > 2 * interval + interval / 2) {
        ++m_host.counters().closedTimeout;
        close(protocol::CloseTimeout, QStringLiteral("missed two heartbeats"));
        return;
    }
    if (!m_paused)
        sendMessage(protocol::Heartbeat{nowNs, m_host.hub().state().version()});
    m_socket->ping();
}

} // namespace dockscope::server
