#pragma once

#include "dockscope/docker/DockerError.h"
#include "dockscope/docker/Endpoint.h"
#include "dockscope/docker/HttpResponseParser.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <string_view>

class QIODevice;

namespace dockscope::docker {

/// One HTTP/1.1 connection to the engine (QLocalSocket for unix://, QTcpSocket or QSslSocket for tcp://),
/// carrying one exchange at a time and kept alive between exchanges when the engine allows it.
/// Everything is asynchronous: nothing here waits or blocks. Lives on the thread that created it.
class HttpConnection : public QObject {
    Q_OBJECT

public:
    /// Callbacks for one exchange. `onDone` runs exactly once, last, with ErrorKind::None on success.
    struct Exchange {
        QByteArray request; ///< serialised request bytes
        bool headRequest = false;
        std::size_t maxBodyBytes = 0; ///< 0 = unlimited (streams)
        std::function<void(const HttpResponseHead&)> onHead;
        std::function<void(std::string_view)> onBody;
        std::function<void(const DockerError&)> onDone;
    };

    explicit HttpConnection(Endpoint endpoint, QObject* parent = nullptr);
    ~HttpConnection() override;

    /// Starts an exchange, connecting first if needed. Only when isIdle().
    void start(Exchange exchange);
    /// Ends the exchange under way (its onDone gets `reason`) and closes the connection.
    void abort(const DockerError& reason);

    bool isIdle() const { return !m_exchange; }
    /// True once an exchange has completed on this connection and it was kept alive.
    bool isReused() const { return m_completedExchanges > 0; }
    /// An exchange that failed before a single response byte arrived on a reused connection: the engine had
    /// closed the kept-alive connection. Safe to retry an idempotent request on a fresh one.
    bool lastFailureWasStale() const { return m_lastFailureStale; }
    bool isOpen() const;
    /// The engine's process id for a connected UNIX socket (SO_PEERCRED), else 0. Lets a local engine's
    /// liveness be checked in /proc without calling it.
    qint64 peerProcessId() const;

Q_SIGNALS:
    /// The socket closed (by either side). The pool drops the connection.
    void closed();

private:
    void openSocket();
    void writeRequest();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(const QString& message);
    void finishExchange(const DockerError& error);
    void closeSocket();
    HttpResponseParser::Callbacks parserCallbacks();

    Endpoint m_endpoint;
    QPointer<QIODevice> m_socket;
    bool m_connected = false;
    bool m_connecting = false; ///< inside QLocalSocket::connectToServer()
    std::unique_ptr<HttpResponseParser> m_parser;
    std::unique_ptr<Exchange> m_exchange;
    bool m_completePending = false;
    bool m_bytesReceived = false;
    bool m_lastFailureStale = false;
    bool m_outOfStep = false;
    int m_completedExchanges = 0;
};

} // namespace dockscope::docker
