#include "dockscope/docker/HttpConnection.h"

#include <QFile>
#include <QLocalSocket>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <sys/socket.h>

namespace dockscope::docker {

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// TLS material as the docker CLI lays it out: ca.pem, cert.pem, key.pem in one folder.
QSslConfiguration tlsConfiguration(const Endpoint& endpoint)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    const QString dir = QString::fromStdString(endpoint.certPath);
    const auto ca = QSslCertificate::fromData(readFile(dir + QStringLiteral("/ca.pem")), QSsl::Pem);
    if (!ca.isEmpty())
        config.setCaCertificates(ca);
    const auto certs = QSslCertificate::fromData(readFile(dir + QStringLiteral("/cert.pem")), QSsl::Pem);
    if (!certs.isEmpty())
        config.setLocalCertificate(certs.first());
    const QByteArray keyPem = readFile(dir + QStringLiteral("/key.pem"));
    if (!keyPem.isEmpty()) {
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        config.setPrivateKey(key);
    }
    config.setPeerVerifyMode(endpoint.tlsVerify ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    return config;
}

} // namespace

HttpConnection::HttpConnection(Endpoint endpoint, QObject* parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
{}

HttpConnection::~HttpConnection()
{
    // Owners abort exchanges before destroying a connection; a destructor never calls back into them.
    m_exchange.reset();
    blockSignals(true);
    closeSocket();
}

bool HttpConnection::isOpen() const
{
    return m_socket && m_connected;
}

qint64 HttpConnection::peerProcessId() const
{
    auto* local = qobject_cast<QLocalSocket*>(m_socket.data());
    if (!local || !m_connected)
        return 0;
    ucred credentials{};
    socklen_t size = sizeof credentials;
    if (::getsockopt(static_cast<int>(local->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &credentials,
                     &size) != 0)
        return 0;
    return credentials.pid;
}

void HttpConnection::start(Exchange exchange)
{
    Q_ASSERT(isIdle());
    m_exchange = std::make_unique<Exchange>(std::move(exchange));
    m_bytesReceived = false;
    m_completePending = false;
    m_lastFailureStale = false;
    m_outOfStep = false;
    m_parser = std::make_unique<HttpResponseParser>(
        parserCallbacks(), HttpResponseParser::Limits{64 * 1024, m_exchange->maxBodyBytes});
    m_parser->setHeadRequest(m_exchange->headRequest);
    if (isOpen())
        writeRequest();
    else if (!m_socket)
        openSocket();
}

HttpResponseParser::Callbacks HttpConnection::parserCallbacks()
{
    return {
        [this](const HttpResponseHead& head) {
            if (m_exchange && m_exchange->onHead)
                m_exchange->onHead(head);
        },
        [this](std::string_view bytes) {
            if (m_exchange && m_exchange->onBody)
                m_exchange->onBody(bytes);
        },
        [this] { m_completePending = true; },
    };
}

void HttpConnection::openSocket()
{
    if (m_endpoint.transport == Endpoint::Transport::Unix) {
        auto* socket = new QLocalSocket(this);
        m_socket = socket;
        connect(socket, &QLocalSocket::connected, this, [this] {
            m_connected = true;
            writeRequest();
        });
        connect(socket, &QLocalSocket::readyRead, this, &HttpConnection::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &HttpConnection::onDisconnected);
        connect(socket, &QLocalSocket::errorOccurred, this, [this, socket](QLocalSocket::LocalSocketError) {
            // A missing socket file fails inside connectToServer(), before the caller of send() or
            // openStream() has returned, let alone connected to our signals: report it from the event loop.
            if (m_connecting)
                QMetaObject::invokeMethod(
                    this,
                    [this, socket, text = socket->errorString()] {
                        if (m_socket == socket) // not replaced or closed meanwhile
                            onSocketError(text);
                    },
                    Qt::QueuedConnection);
            else
                onSocketError(socket->errorString());
        });
        m_connecting = true;
        socket->connectToServer(QString::fromStdString(m_endpoint.path));
        m_connecting = false;
        return;
    }
    QTcpSocket* socket = m_endpoint.tls ? new QSslSocket(this) : new QTcpSocket(this);
    m_socket = socket;
    const auto onReady = [this] {
        m_connected = true;
        writeRequest();
    };
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this,
            [this, socket](QAbstractSocket::SocketError) { onSocketError(socket->errorString()); });
    const auto host = QString::fromStdString(m_endpoint.host);
    if (auto* ssl = qobject_cast<QSslSocket*>(socket)) {
        ssl->setSslConfiguration(tlsConfiguration(m_endpoint));
        connect(ssl, &QSslSocket::encrypted, this, onReady);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
            onSocketError(errors.isEmpty() ? QStringLiteral("TLS error") : errors.first().errorString());
        });
        ssl->connectToHostEncrypted(host, m_endpoint.port);
    } else {
        connect(socket, &QTcpSocket::connected, this, onReady);
        socket->connectToHost(host, m_endpoint.port);
    }
}

void HttpConnection::writeRequest()
{
    if (!m_exchange || !m_socket)
        return;
    m_socket->write(m_exchange->request);
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    if (!m_exchange) {
        // Bytes nobody asked for: the connection is out of step with the engine; drop it.
        spdlog::warn("docker: {} unexpected bytes on an idle connection; closing it", data.size());
        closeSocket();
        return;
    }
    m_bytesReceived = m_bytesReceived || !data.isEmpty();
    const auto used =
        m_parser->feed(std::string_view(data.constData(), static_cast<std::size_t>(data.size())));
    // Bytes past a complete response were never asked for (we do not pipeline): the connection is out of
    // step, so it is not reused.
    m_outOfStep = used < static_cast<std::size_t>(data.size());
    if (m_parser->hasError())
        finishExchange(DockerError{ErrorKind::Protocol, 0, m_parser->errorMessage()});
    else if (m_completePending)
        finishExchange(DockerError{});
}

void HttpConnection::onDisconnected()
{
    m_connected = false;
    if (m_exchange && m_parser) {
        m_parser->finish();
        if (m_completePending) {
            finishExchange(DockerError{});
        } else {
            m_lastFailureStale = !m_bytesReceived && isReused();
            const std::string why = m_parser->hasError() ? m_parser->errorMessage()
                                                         : std::string("the engine closed the connection");
            finishExchange(DockerError{ErrorKind::Transport, 0, why});
        }
    }
    closeSocket();
}

void HttpConnection::onSocketError(const QString& message)
{
    if (m_exchange) {
        m_lastFailureStale = !m_bytesReceived && isReused();
        finishExchange(
            DockerError{ErrorKind::Transport, 0,
                        "cannot talk to the engine at " + m_endpoint.url() + ": " + message.toStdString()});
    }
    closeSocket();
}

void HttpConnection::abort(const DockerError& reason)
{
    if (m_exchange)
        finishExchange(reason);
    closeSocket();
}

void HttpConnection::finishExchange(const DockerError& error)
{
    auto exchange = std::move(m_exchange);
    const bool keep = !error && m_parser && m_parser->keepAlive() && !m_outOfStep;
    m_completePending = false;
    if (!error && keep)
        ++m_completedExchanges;
    if (!keep)
        closeSocket();
    // Last: the callback may start the next exchange on this very connection, or delete it later.
    if (exchange && exchange->onDone)
        exchange->onDone(error);
}

void HttpConnection::closeSocket()
{
    if (!m_socket)
        return;
    QIODevice* socket = m_socket;
    m_socket = nullptr;
    m_connected = false;
    socket->disconnect(this);
    if (auto* local = qobject_cast<QLocalSocket*>(socket))
        local->abort();
    else if (auto* tcp = qobject_cast<QAbstractSocket*>(socket))
        tcp->abort();
    socket->deleteLater();
    if (!m_exchange)
        Q_EMIT closed();
}

} // namespace dockscope::docker
