#include "server/ProtocolClient.h"

#include "support/TestEngine.h"

#include <QTcpSocket>

namespace dockscope::test {

ProtocolClient::ProtocolClient(QUrl url, QString origin)
    : socket(origin)
{
    connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
    connect(&socket, &QWebSocket::disconnected, this, [this] {
        closed = true;
        closeCode = socket.closeCode();
    });
    connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        rawTexts.push_back(text);
        const QByteArray utf8 = text.toUtf8();
        onFrame(protocol::Frame{false, std::string(utf8.constData(), static_cast<std::size_t>(utf8.size()))});
    });
    connect(&socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& bytes) {
        rawFrames.push_back(bytes);
        onFrame(
            protocol::Frame{true, std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()))});
    });
    socket.setMaxAllowedIncomingMessageSize(512u << 20);
    socket.open(url);
}

bool ProtocolClient::open(std::chrono::milliseconds timeout)
{
    return waitFor([this] { return connected || closed; }, timeout) && connected;
}

void ProtocolClient::send(const protocol::ClientMessage& message)
{
    const protocol::Frame frame = protocol::encode(message, encoding);
    if (frame.binary)
        sendBinary(QByteArray(frame.bytes.data(), static_cast<qsizetype>(frame.bytes.size())));
    else
        sendText(QString::fromStdString(frame.bytes));
}

void ProtocolClient::sendText(const QString& text)
{
    socket.sendTextMessage(text);
}

void ProtocolClient::sendBinary(const QByteArray& bytes)
{
    socket.sendBinaryMessage(bytes);
}

void ProtocolClient::hello(const QString& token, std::optional<protocol::Subscription> subscription,
                           std::optional<protocol::ResumePoint> resume, bool zstd)
{
    protocol::Hello hello;
    hello.token = token.toStdString();
    hello.client = "dockscope-tests";
    hello.encoding = encoding;
    hello.subscribe = std::move(subscription);
    hello.resume = resume;
    hello.features = features;
    if (zstd)
        hello.compress = {"zstd"};
    send(hello);
}

bool ProtocolClient::waitLive(std::chrono::milliseconds timeout)
{
    const auto live = [this] {
        return welcome && (count<protocol::Snapshot>() > 0 || state.version() == welcome->version);
    };
    return waitFor([&] { return closed || live(); }, timeout) && live();
}

void ProtocolClient::onFrame(const protocol::Frame& frame)
{
    protocol::ServerMessage message;
    try {
        message = protocol::decodeServerFrame(frame);
    } catch (const std::exception& e) {
        applyErrors.push_back(std::string("undecodable frame: ") + e.what());
        return;
    }
    if (const auto* w = std::get_if<protocol::Welcome>(&message)) {
        welcome = *w;
    } else if (auto* s = std::get_if<protocol::Snapshot>(&message)) {
        state = s->state;
    } else if (const auto* c = std::get_if<protocol::Changes>(&message)) {
        std::string error;
        const bool ok = sparse ? state.applySparse(c->batch, &error) : state.apply(c->batch, &error);
        if (!ok)
            applyErrors.push_back(error);
    }
    messages.push_back(std::move(message));
}

int rawHandshake(quint16 port, const QByteArray& host, const QByteArray& origin)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5s))
        return -1;
    QByteArray request = "GET / HTTP/1.1\r\n";
    if (!host.isEmpty())
        request += "Host: " + host + "\r\n";
    if (!origin.isEmpty())
        request += "Origin: " + origin + "\r\n";
    request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n";
    socket.write(request);
    QByteArray answer;
    waitFor(
        [&] {
            answer += socket.readAll();
            return answer.contains("\r\n") || socket.state() == QAbstractSocket::UnconnectedState;
        },
        5s);
    if (!answer.startsWith("HTTP/1.1 "))
        return 0;
    return answer.mid(9, 3).toInt();
}

} // namespace dockscope::test
