#include "server/FakeRegistry.h"

#include <QCryptographicHash>
#include <QTcpSocket>

#include <nlohmann/json.hpp>

#include <cstring>

namespace dockscope::test {

namespace {

QByteArray digest(const QByteArray& bytes)
{
    return "sha256:" + QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray octal(std::size_t value, int width)
{
    return QByteArray::number(static_cast<qulonglong>(value), 8).rightJustified(width - 1, '0') + '\0';
}

// An uncompressed tar holding one file (dockerd detects compression from the bytes, not the media type).
QByteArray tarWithOneFile(const QByteArray& name, const QByteArray& content)
{
    QByteArray header(512, '\0');
    auto put = [&header](int offset, const QByteArray& field) {
        std::memcpy(header.data() + offset, field.constData(), static_cast<std::size_t>(field.size()));
    };
    put(0, name);
    put(100, octal(0644, 8));
    put(108, octal(0, 8));
    put(116, octal(0, 8));
    put(124, octal(static_cast<std::size_t>(content.size()), 12));
    put(136, octal(1700000000, 12));
    put(148, QByteArray(8, ' ')); // the checksum counts its own field as spaces
    header[156] = '0';
    put(257, QByteArrayLiteral("ustar\0"));
    put(263, QByteArrayLiteral("00"));
    unsigned sum = 0;
    for (const char c : header)
        sum += static_cast<unsigned char>(c);
    put(148, octal(sum, 7) + ' ');
    QByteArray body = content;
    body.append(QByteArray((512 - content.size() % 512) % 512, '\0'));
    return header + body + QByteArray(1024, '\0');
}

const char* architecture()
{
#if defined(__aarch64__)
    return "arm64";
#else
    return "amd64";
#endif
}

} // namespace

FakeRegistry::FakeRegistry(bool serveBlobs, QObject* parent)
    : QObject(parent)
    , m_serveBlobs(serveBlobs)
{
    m_layer = tarWithOneFile("hello.txt", "hello from a fake registry\n");
    const nlohmann::json config{
        {"architecture", architecture()},
        {"os", "linux"},
        {"config", {{"Cmd", {"/hello.txt"}}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", {digest(m_layer).toStdString()}}}},
        {"history", {{{"created_by", "dockscope test FakeRegistry"}}}}};
    m_config = QByteArray::fromStdString(config.dump());
    const nlohmann::json manifest{{"schemaVersion", 2},
                                  {"mediaType", "application/vnd.docker.distribution.manifest.v2+json"},
                                  {"config",
                                   {{"mediaType", "application/vnd.docker.container.image.v1+json"},
                                    {"size", m_config.size()},
                                    {"digest", digest(m_config).toStdString()}}},
                                  {"layers",
                                   {{{"mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip"},
                                     {"size", m_layer.size()},
                                     {"digest", digest(m_layer).toStdString()}}}}};
    m_manifest = QByteArray::fromStdString(manifest.dump());
    connect(&m_server, &QTcpServer::newConnection, this, &FakeRegistry::onConnection);
    m_server.listen(QHostAddress::LocalHost, 0);
}

std::string FakeRegistry::repository(const std::string& name) const
{
    return "localhost:" + std::to_string(m_server.serverPort()) + '/' + name;
}

void FakeRegistry::onConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
    }
}

void FakeRegistry::onReadable(QTcpSocket* socket)
{
    QByteArray head = socket->property("head").toByteArray() + socket->readAll();
    if (!head.isEmpty() && (head.at(0) < 'A' || head.at(0) > 'Z')) {
        // dockerd tries HTTPS first: refuse the TLS handshake the way a plain HTTP server does.
        socket->write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        socket->disconnectFromHost();
        return;
    }
    // Requests have no bodies: each ends with its head. dockerd keeps its connections alive.
    for (qsizetype end = head.indexOf("\r\n\r\n"); end >= 0; end = head.indexOf("\r\n\r\n")) {
        const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
        head.remove(0, end + 4);
        ++m_requests;
        answer(socket, requestLine.value(0), requestLine.value(1));
    }
    socket->setProperty("head", head);
}

void FakeRegistry::answer(QTcpSocket* socket, const QByteArray& method, const QByteArray& path)
{
    int status = 404;
    QByteArray type = "application/json";
    QByteArray body = R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]})";
    if (path == "/v2/") {
        status = 200;
        body = "{}";
    } else if (path.contains("/manifests/")) {
        status = 200;
        type = "application/vnd.docker.distribution.manifest.v2+json";
        body = m_manifest;
    } else if (m_serveBlobs && path.endsWith(digest(m_config))) {
        status = 200;
        body = m_config;
    } else if (m_serveBlobs && path.endsWith(digest(m_layer))) {
        status = 200;
        type = "application/octet-stream";
        body = m_layer;
    }
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Not Found") +
                          "\r\nDocker-Distribution-API-Version: registry/2.0\r\nContent-Type: " + type +
                          "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 200)
        response += "Docker-Content-Digest: " + digest(body) + "\r\n";
    response += "\r\n";
    if (method != "HEAD")
        response += body;
    socket->write(response);
}

} // namespace dockscope::test
