#include "FakeServer.h"

#include <QHostAddress>

namespace dockscope::client::testing {

FakeServer::FakeServer(QObject* parent)
    : QObject(parent)
    , m_server(QStringLiteral("fake dockscope"), QWebSocketServer::NonSecureMode)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeServer::onNewConnection);
}

FakeServer::~FakeServer()
{
    if (m_peer)
        m_peer->abort();
    m_server.close();
}

QUrl FakeServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()));
}

bool FakeServer::connected() const
{
    return m_peer && m_peer->state() == QAbstractSocket::ConnectedState;
}

void FakeServer::onNewConnection()
{
    while (QWebSocket* socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        m_handshakes.push_back(std::chrono::steady_clock::now());
        if (m_refusing) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("refusing"));
            continue;
        }
        if (m_peer)
            m_peer->abort();
        m_peer = socket;
        m_lastOrigin = socket->origin();
        ++m_connections;
        connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString& text) {
            onFrame(socket, protocol::Frame{false, text.toStdString()});
        });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray& bytes) {
            onFrame(socket, protocol::Frame{true, bytes.toStdString()});
        });
    }
}

void FakeServer::onFrame(QWebSocket* from, protocol::Frame frame)
{
    if (from != m_peer)
        return;
    Received received{m_connections, std::move(frame), std::nullopt, {}};
    try {
        received.message = protocol::decodeClientFrame(received.frame);
    } catch (const std::exception& e) {
        received.error = e.what();
    }
    m_received.push_back(std::move(received));
}

void FakeServer::send(const protocol::ServerMessage& message)
{
    const protocol::Frame frame = protocol::encode(message, m_encoding);
    sendRaw(QByteArray::fromStdString(frame.bytes), frame.binary);
}

void FakeServer::sendCompressed(const protocol::ServerMessage& message)
{
    const protocol::Frame frame = protocol::compress(protocol::encode(message, m_encoding));
    sendRaw(QByteArray::fromStdString(frame.bytes), frame.binary);
}

void FakeServer::sendJson(const nlohmann::json& json)
{
    const protocol::Frame frame = protocol::encode(json, m_encoding);
    sendRaw(QByteArray::fromStdString(frame.bytes), frame.binary);
}

void FakeServer::sendRaw(const QByteArray& bytes, bool binary)
{
    if (!m_peer)
        return;
    if (binary)
        m_peer->sendBinaryMessage(bytes);
    else
        m_peer->sendTextMessage(QString::fromUtf8(bytes));
}

void FakeServer::close(int code, const QString& reason)
{
    if (m_peer)
        m_peer->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
}

void FakeServer::drop()
{
    if (m_peer)
        m_peer->abort();
}

} // namespace dockscope::client::testing
