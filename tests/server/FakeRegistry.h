#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

#include <string>

class QTcpSocket;

namespace dockscope::test {

/// A Docker registry (API v2, plain HTTP on 127.0.0.1) serving one image of one small layer, for pull tests:
/// dockerd treats 127.0.0.0/8 registries as insecure and so falls back from HTTPS to HTTP. With
/// `serveBlobs` false it serves the manifest but not the blobs, so dockerd reports the failure inside the
/// progress stream ({"error": ...}) after its first progress lines. It runs on the test's event loop.
class FakeRegistry : public QObject {
    Q_OBJECT

public:
    explicit FakeRegistry(bool serveBlobs, QObject* parent = nullptr);

    /// "localhost:PORT/name": every repository and tag of this registry is the same image.
    std::string repository(const std::string& name) const;
    int requests() const { return m_requests; }

private:
    void onConnection();
    void onReadable(QTcpSocket* socket);
    void answer(QTcpSocket* socket, const QByteArray& method, const QByteArray& path);

    QTcpServer m_server;
    bool m_serveBlobs;
    QByteArray m_layer, m_config, m_manifest;
    int m_requests = 0;
};

} // namespace dockscope::test
