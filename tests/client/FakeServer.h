#pragma once

#include "dockscope/protocol/Codec.h"

#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::client::testing {

/// A scripted protocol v1 server for the replica tests: a QWebSocketServer on 127.0.0.1 (a free port) that
/// records every client message (decoded with protocol::decodeClientFrame) and lets a test send any message
/// or raw frame, and close or drop the connection. One peer at a time: a new connection replaces the old.
class FakeServer : public QObject {
    Q_OBJECT

public:
    struct Received {
        int connection = 0; ///< 1 for the first connection, 2 for the second, ...
        protocol::Frame frame;
        std::optional<protocol::ClientMessage> message; ///< nullopt when it did not decode
        std::string error;                              ///< why it did not decode
    };

    explicit FakeServer(QObject* parent = nullptr);
    ~FakeServer() override;

    QUrl url() const;
    /// Connections accepted so far (refused ones not counted).
    int connections() const { return m_connections; }
    /// When each handshake completed, refused ones included.
    const std::vector<std::chrono::steady_clock::time_point>& handshakes() const { return m_handshakes; }
    /// Whether a peer is connected now.
    bool connected() const;
    /// The Origin header of the last handshake (empty when none was sent).
    QString lastOrigin() const { return m_lastOrigin; }

    const std::vector<Received>& received() const { return m_received; }
    /// The decoded messages of type T, of one connection (0: of all).
    template <typename T>
    std::vector<T> messages(int connection = 0) const
    {
        std::vector<T> out;
        for (const Received& r : m_received)
            if (r.message && (connection == 0 || r.connection == connection))
                if (const auto* m = std::get_if<T>(&*r.message))
                    out.push_back(*m);
        return out;
    }
    template <typename T>
    std::size_t count(int connection = 0) const
    {
        return messages<T>(connection).size();
    }

    void setEncoding(protocol::Encoding encoding) { m_encoding = encoding; }
    void send(const protocol::ServerMessage& message);
    /// Sends the message zstd-compressed (a binary frame), whatever its size.
    void sendCompressed(const protocol::ServerMessage& message);
    void sendJson(const nlohmann::json& json);
    void sendRaw(const QByteArray& bytes, bool binary);
    /// Closes the connection with a WebSocket close code.
    void close(int code, const QString& reason = {});
    /// Drops the TCP connection without a closing handshake.
    void drop();
    /// Stops accepting connections (each new one is closed at once) or starts again.
    void setRefusing(bool refusing) { m_refusing = refusing; }

private:
    void onNewConnection();
    void onFrame(QWebSocket* from, protocol::Frame frame);

    QWebSocketServer m_server;
    QPointer<QWebSocket> m_peer;
    std::vector<Received> m_received;
    QString m_lastOrigin;
    protocol::Encoding m_encoding = protocol::Encoding::Json;
    std::vector<std::chrono::steady_clock::time_point> m_handshakes;
    int m_connections = 0;
    bool m_refusing = false;
};

} // namespace dockscope::client::testing
