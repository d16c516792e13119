// The transport against a scripted fake engine on a real UNIX socket: malformed answers, timeouts, kept-alive
// connections the peer closed, refused connections, size limits and the pool bound.
#include "support/TestEngine.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::ErrorKind;
using docker::HttpRequest;
using docker::HttpResponse;

namespace {

/// A QLocalServer that answers each request with whatever `respond` returns (empty: no answer).
class FakeEngine {
public:
    using Responder = std::function<QByteArray(const QByteArray& request, QLocalSocket* socket)>;

    explicit FakeEngine(Responder respond)
        : m_respond(std::move(respond))
    {
        m_path = QStringLiteral("/tmp/dstest-fake-%1-%2.sock").arg(::getpid()).arg(++s_counter);
        QLocalServer::removeServer(m_path);
        EXPECT_TRUE(m_server.listen(m_path)) << m_server.errorString().toStdString();
        QObject::connect(&m_server, &QLocalServer::newConnection, [this] {
            while (QLocalSocket* socket = m_server.nextPendingConnection()) {
                ++connections;
                ++open;
                QObject::connect(socket, &QLocalSocket::disconnected, [this, socket] {
                    --open;
                    socket->deleteLater();
                });
                QObject::connect(socket, &QLocalSocket::readyRead, [this, socket] { onRequest(socket); });
            }
        });
    }

    docker::Endpoint endpoint() const { return *docker::Endpoint::parse("unix://" + m_path.toStdString()); }

    int connections = 0;
    int open = 0;
    int requests = 0;

private:
    void onRequest(QLocalSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        qsizetype end;
        while ((end = buffer.indexOf("\r\n\r\n")) >= 0) {
            const QByteArray request = buffer.left(end + 4);
            buffer.remove(0, end + 4);
            ++requests;
            const QByteArray answer = m_respond(request, socket);
            if (!answer.isEmpty())
                socket->write(answer);
        }
    }

    static inline int s_counter = 0;
    Responder m_respond;
    QString m_path;
    QLocalServer m_server;
    std::map<QLocalSocket*, QByteArray> m_buffers;
};

QByteArray ok(const QByteArray& body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

docker::Result<HttpResponse> get(DockerClient& client, const char* path)
{
    return await<HttpResponse>([&](auto cb) { client.send(HttpRequest::get(path), nullptr, cb); });
}

} // namespace

TEST(HttpConnection, ParsesAnswerAndReusesTheConnection)
{
    FakeEngine engine([](const QByteArray&, QLocalSocket*) { return ok(R"({"ApiVersion":"1.43"})"); });
    DockerClient client({engine.endpoint()});
    for (int i = 0; i < 3; ++i) {
        const auto r = get(client, "/version");
        ASSERT_TRUE(r.ok()) << r.error().describe();
        EXPECT_EQ(r->body, R"({"ApiVersion":"1.43"})");
    }
    EXPECT_EQ(engine.connections, 1);
    EXPECT_EQ(engine.requests, 3);
}

TEST(HttpConnection, RequestLineCarriesTheNegotiatedVersionAndEncodedQuery)
{
    QByteArray seen;
    FakeEngine engine([&](const QByteArray& request, QLocalSocket*) {
        seen = request;
        return ok("{}");
    });
    DockerClient client({engine.endpoint()});
    client.setApiVersion({1, 43});
    const auto r = await<HttpResponse>([&](auto cb) {
        client.send(HttpRequest::get("/containers/json").arg("filters", R"({"label":["a=b c"]})"), nullptr,
                    cb);
    });
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(
        seen.startsWith("GET /v1.43/containers/json?filters=%7B%22label%22%3A%5B%22a%3Db%20c%22%5D%7D "
                        "HTTP/1.1\r\n"))
        << seen.toStdString();
    EXPECT_TRUE(seen.contains("\r\nHost: docker\r\n"));
}

TEST(HttpConnection, MalformedAnswerIsAProtocolError)
{
    FakeEngine engine([](const QByteArray&, QLocalSocket*) { return QByteArray("SMTP ready\r\n\r\n"); });
    DockerClient client({engine.endpoint()});
    const auto r = get(client, "/version");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Protocol);
    EXPECT_FALSE(r.error().message.empty());
}

TEST(HttpConnection, SilentEngineTimesOut)
{
    FakeEngine engine([](const QByteArray&, QLocalSocket*) { return QByteArray(); });
    DockerClient client({engine.endpoint(), 4, std::chrono::milliseconds(300)});
    const auto r = get(client, "/version");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout);
    EXPECT_NE(r.error().message.find("/version"), std::string::npos) << r.error().message;
}

TEST(HttpConnection, KeptAliveConnectionClosedByTheEngineIsRetriedForGet)
{
    int n = 0;
    FakeEngine engine([&](const QByteArray&, QLocalSocket* socket) {
        if (++n == 2) { // the engine closes the idle connection just as the second request arrives
            socket->disconnectFromServer();
            return QByteArray();
        }
        return ok("{}");
    });
    DockerClient client({engine.endpoint()});
    ASSERT_TRUE(get(client, "/version").ok());
    const auto second = get(client, "/version");
    ASSERT_TRUE(second.ok()) << second.error().describe();
    EXPECT_EQ(engine.connections, 2);
}

TEST(HttpConnection, PostOnAClosedConnectionIsNotRetried)
{
    int n = 0;
    FakeEngine engine([&](const QByteArray&, QLocalSocket* socket) {
        if (++n == 2) {
            socket->disconnectFromServer();
            return QByteArray();
        }
        return ok("{}");
    });
    DockerClient client({engine.endpoint()});
    ASSERT_TRUE(get(client, "/version").ok());
    const auto post = await<HttpResponse>(
        [&](auto cb) { client.send(HttpRequest::post("/containers/x/start"), nullptr, cb); });
    ASSERT_FALSE(post.ok());
    EXPECT_EQ(post.error().kind, ErrorKind::Transport);
    EXPECT_EQ(engine.requests, 2);
}

TEST(HttpConnection, NoEngineIsATransportErrorNamingTheSocket)
{
    DockerClient client({*docker::Endpoint::parse("unix:///tmp/dstest-nothing-here.sock")});
    const auto r = get(client, "/_ping");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Transport);
    EXPECT_NE(r.error().message.find("/tmp/dstest-nothing-here.sock"), std::string::npos)
        << r.error().message;
}

TEST(HttpConnection, OversizedBodyIsRefused)
{
    FakeEngine engine([](const QByteArray&, QLocalSocket*) { return ok(QByteArray(5000, 'x')); });
    DockerClient::Options options{engine.endpoint()};
    options.maxBodyBytes = 1000;
    DockerClient client(options);
    const auto r = get(client, "/version");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Protocol);
}

TEST(HttpConnection, PoolNeverOpensMoreThanItsBound)
{
    std::vector<QPointer<QLocalSocket>> held;
    int maxOpen = 0;
    FakeEngine engine([&](const QByteArray&, QLocalSocket* socket) {
        held.push_back(socket); // answer later, all at once
        return QByteArray();
    });
    DockerClient client({engine.endpoint(), 2});
    int done = 0;
    for (int i = 0; i < 6; ++i)
        client.send(HttpRequest::get("/version"), nullptr, [&](auto r) { done += r.ok() ? 1 : 100; });
    while (done < 6) {
        ASSERT_TRUE(waitFor([&] { return !held.empty(); }, 5s));
        maxOpen = std::max(maxOpen, engine.open);
        auto batch = std::exchange(held, {});
        for (auto& s : batch)
            if (s)
                s->write(ok("{}"));
        ASSERT_TRUE(waitFor([&] { return done >= 6 || !held.empty(); }, 5s));
    }
    EXPECT_EQ(done, 6);
    EXPECT_EQ(maxOpen, 2);
    EXPECT_EQ(engine.connections, 2);
}

TEST(HttpConnection, ChunkedAnswerInTinyPieces)
{
    FakeEngine engine([](const QByteArray&, QLocalSocket* socket) {
        const QByteArray answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "3;ext=1\r\n{\"a\r\n5\r\n\":42}\r\n0\r\nX-Trailer: yes\r\n\r\n";
        for (char c : answer) {
            socket->write(&c, 1);
            socket->flush();
        }
        return QByteArray();
    });
    DockerClient client({engine.endpoint()});
    const auto r = get(client, "/info");
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(r->body, R"({"a":42})");
}

TEST(HttpConnection, PlainTcpTransport)
{
    QTcpServer server;
    ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
    QByteArray seen;
    QObject::connect(&server, &QTcpServer::newConnection, [&] {
        QTcpSocket* socket = server.nextPendingConnection();
        QObject::connect(socket, &QTcpSocket::readyRead, [&seen, socket] {
            seen += socket->readAll();
            if (seen.contains("\r\n\r\n"))
                socket->write(ok(R"({"Version":"tcp"})"));
        });
    });
    DockerClient client({*docker::Endpoint::parse("tcp://127.0.0.1:" + std::to_string(server.serverPort()))});
    const auto r = await<nlohmann::json>([&](auto cb) { client.version(nullptr, cb); });
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(r->at("Version"), "tcp");
    const QByteArray host = "\r\nHost: 127.0.0.1:" + QByteArray::number(server.serverPort()) + "\r\n";
    EXPECT_TRUE(seen.contains(host)) << seen.toStdString();
}

TEST(HttpConnection, BytesBeyondTheResponseRetireTheConnection)
{
    FakeEngine engine(
        [](const QByteArray&, QLocalSocket*) -> QByteArray { return ok("{}") + "HTTP/1.1 200 OK\r\n"; });
    DockerClient client({engine.endpoint()});
    ASSERT_TRUE(get(client, "/version").ok());
    ASSERT_TRUE(get(client, "/version").ok());
    EXPECT_EQ(engine.connections, 2) << "an out-of-step connection must not carry another request";
}
