#pragma once

#include "dockscope/protocol/Codec.h"
#include "dockscope/protocol/Messages.h"
#include "dockscope/state/EngineState.h"

#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::test {

using namespace std::chrono_literals;

/// A bare protocol v1 client for server tests: it sends exactly what a test says and records every message
/// the server sends (decoded), keeping its own copy of the state from snapshots and changes (applied with the
/// shared apply code, sparse when the test says its subscription is filtered).
class ProtocolClient : public QObject {
    Q_OBJECT

public:
    explicit ProtocolClient(QUrl url, QString origin = {});

    bool open(std::chrono::milliseconds timeout = 5s);
    void send(const protocol::ClientMessage& message);
    void sendText(const QString& text);
    void sendBinary(const QByteArray& bytes);
    void hello(const QString& token, std::optional<protocol::Subscription> subscription = std::nullopt,
               std::optional<protocol::ResumePoint> resume = std::nullopt, bool zstd = false);
    /// Waits for welcome and the state that follows (snapshot or resumed changes up to welcome's version).
    bool waitLive(std::chrono::milliseconds timeout = 5s);

    /// Every message received, in order.
    std::vector<protocol::ServerMessage> messages;
    template <typename T>
    std::vector<T> all() const
    {
        std::vector<T> out;
        for (const auto& m : messages)
            if (const T* t = std::get_if<T>(&m))
                out.push_back(*t);
        return out;
    }
    template <typename T>
    std::size_t count() const
    {
        return all<T>().size();
    }

    protocol::Encoding encoding = protocol::Encoding::Json;
    std::vector<std::string> features; ///< hello.features (none: a plain v1 client)
    bool sparse = false;               ///< apply changes with applySparse (filtered subscription)
    state::EngineState state;
    std::optional<protocol::Welcome> welcome;
    std::vector<std::string> applyErrors;
    std::vector<QByteArray> rawFrames; ///< binary frames as received (for identity checks)
    std::vector<QString> rawTexts;     ///< text frames as received
    bool connected = false;
    bool closed = false;
    int closeCode = 0;
    QWebSocket socket;

private:
    void onFrame(const protocol::Frame& frame);
};

/// Sends a raw HTTP upgrade request with the given Host and Origin (empty: header left out) and returns the
/// HTTP status of the answer (101 when upgraded), or 0 when the server closed without answering.
int rawHandshake(quint16 port, const QByteArray& host, const QByteArray& origin);

} // namespace dockscope::test
