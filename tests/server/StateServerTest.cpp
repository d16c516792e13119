// The state server over real loopback WebSockets, fed with synthetic batches (no engine needed): snapshots,
// batches, identical streams, filters, resume, security, limits, heartbeats and backpressure.
#include "dockscope/server/StateServer.h"
#include "server/ProtocolClient.h"
#include "support/TestEngine.h"

#include "dockscope/state/StateTransaction.h"

#include <QThread>

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::test;
using protocol::Topic;

namespace {

state::Container makeContainer(const std::string& id, const std::string& name, std::string project = {},
                               std::size_t labelBytes = 0)
{
    state::Container c;
    c.id = id;
    c.name = name;
    c.image = "busybox";
    c.imageId = "sha256:1";
    c.command = "sleep 1";
    c.createdAt = 1'700'000'000'000'000'000;
    c.state = state::ContainerState::Running;
    if (!project.empty()) {
        c.composeProject = project;
        c.labels["com.docker.compose.project"] = project;
    }
    if (labelBytes)
        c.labels["padding"] = std::string(labelBytes, 'x');
    return c;
}

class StateServerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        options.dockerEndpoint.transport = docker::Endpoint::Transport::Unix;
        options.dockerEndpoint.path = "/nonexistent/docker.sock"; // actions are tested elsewhere
    }

    void startServer()
    {
        server = std::make_unique<server::StateServer>(options, source);
        QString error;
        ASSERT_TRUE(server->listen(&error)) << error.toStdString();
    }

    std::shared_ptr<const state::Batch> commit(const state::StateTransaction& tx)
    {
        auto batch = std::make_shared<const state::Batch>(source.commit(tx, ++clock));
        if (server) // before the server starts, its initial state holds these changes
            server->publish(batch);
        return batch;
    }

    std::shared_ptr<const state::Batch> put(const state::Container& c)
    {
        state::StateTransaction tx;
        tx.put(c);
        return commit(tx);
    }

    std::shared_ptr<const state::Batch> remove(const std::string& id)
    {
        state::StateTransaction tx;
        tx.remove(state::EntityKind::Container, id);
        return commit(tx);
    }

    std::unique_ptr<ProtocolClient> connectClient(protocol::Encoding encoding = protocol::Encoding::Json,
                                                  std::optional<protocol::Subscription> subscription = {},
                                                  bool zstd = false)
    {
        auto client = std::make_unique<ProtocolClient>(server->url());
        client->encoding = encoding;
        client->sparse = subscription && !(*subscription == protocol::Subscription::everything());
        EXPECT_TRUE(client->open());
        client->hello(server->token(), subscription, std::nullopt, zstd);
        EXPECT_TRUE(client->waitLive()) << "no welcome + state";
        return client;
    }

    server::ServerOptions options;
    state::EngineState source{0xE90C};
    state::Timestamp clock = 1'700'000'000'000'000'000;
    std::unique_ptr<server::StateServer> server;
};

/// Runs a ProtocolClient on a thread of its own, so that a test can stop it from reading (block the thread).
class ThreadedClient {
public:
    explicit ThreadedClient(const QUrl& url)
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        run([this, url] { m_client = std::make_unique<ProtocolClient>(url); });
    }
    ~ThreadedClient()
    {
        run([this] { m_client.reset(); });
        m_thread.quit();
        m_thread.wait();
    }
    void run(const std::function<void()>& f)
    {
        QMetaObject::invokeMethod(&m_context, f, Qt::BlockingQueuedConnection);
    }
    template <typename T>
    T read(const std::function<T(ProtocolClient&)>& f)
    {
        T out{};
        run([&] { out = f(*m_client); });
        return out;
    }
    /// The client's thread sleeps: nothing is read from its socket meanwhile.
    void block(std::chrono::milliseconds ms)
    {
        QMetaObject::invokeMethod(&m_context,
                                  [ms] { QThread::msleep(static_cast<unsigned long>(ms.count())); });
    }
    ProtocolClient& client() { return *m_client; }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<ProtocolClient> m_client;
};

} // namespace

TEST_F(StateServerTest, SnapshotOnHelloEqualsTheServerStateInEveryEncoding)
{
    for (int i = 0; i < 50; ++i)
        put(makeContainer("c" + std::to_string(i), "web-" + std::to_string(i), "shop", 500));
    startServer();
    for (const auto& [encoding, zstd] :
         std::vector<std::pair<protocol::Encoding, bool>>{{protocol::Encoding::Json, false},
                                                          {protocol::Encoding::Msgpack, false},
                                                          {protocol::Encoding::Json, true},
                                                          {protocol::Encoding::Msgpack, true}}) {
        SCOPED_TRACE(std::string(protocol::toString(encoding)) + (zstd ? "+zstd" : ""));
        auto client = connectClient(encoding, std::nullopt, zstd);
        ASSERT_TRUE(client->welcome);
        EXPECT_EQ(client->welcome->protocol, 1);
        EXPECT_EQ(client->welcome->epoch, source.epoch());
        EXPECT_EQ(client->welcome->version, source.version());
        EXPECT_EQ(client->welcome->compress, zstd ? "zstd" : "");
        EXPECT_EQ(client->state.digest(), source.digest());
        EXPECT_EQ(client->state.containers(), source.containers());
        EXPECT_EQ(client->count<protocol::Snapshot>(), 1u);
        if (zstd) { // the snapshot is above the threshold: it came compressed
            EXPECT_FALSE(client->rawFrames.empty());
        }
    }
}

TEST_F(StateServerTest, BatchesArriveContiguousWithTheirDigest)
{
    startServer();
    auto client = connectClient();
    for (int i = 0; i < 30; ++i) {
        put(makeContainer("c" + std::to_string(i), "n" + std::to_string(i)));
        if (i % 3 == 0)
            remove("c" + std::to_string(i / 2));
    }
    ASSERT_TRUE(waitFor([&] { return client->state.version() == source.version(); }));
    EXPECT_TRUE(client->applyErrors.empty()) << client->applyErrors.front();
    EXPECT_EQ(client->state.digest(), source.digest());
    const auto changes = client->all<protocol::Changes>();
    ASSERT_FALSE(changes.empty());
    for (std::size_t i = 1; i < changes.size(); ++i)
        EXPECT_EQ(changes[i].batch.from, changes[i - 1].batch.to);
    EXPECT_EQ(changes.back().batch.digest, source.digest());
}

TEST_F(StateServerTest, TwoClientsReceiveIdenticalStreamsEncodedOnce)
{
    startServer();
    auto a = connectClient(protocol::Encoding::Msgpack);
    auto b = connectClient(protocol::Encoding::Msgpack);
    const auto encodingsBefore = server->metrics().batchEncodings;
    const std::size_t framesA = a->rawFrames.size();
    const std::size_t framesB = b->rawFrames.size();
    for (int i = 0; i < 10; ++i)
        put(makeContainer("c" + std::to_string(i), "n" + std::to_string(i)));
    ASSERT_TRUE(waitFor(
        [&] { return a->state.version() == source.version() && b->state.version() == source.version(); }));
    const std::vector<QByteArray> streamA(a->rawFrames.begin() + static_cast<std::ptrdiff_t>(framesA),
                                          a->rawFrames.end());
    const std::vector<QByteArray> streamB(b->rawFrames.begin() + static_cast<std::ptrdiff_t>(framesB),
                                          b->rawFrames.end());
    EXPECT_EQ(streamA.size(), 10u);
    EXPECT_EQ(streamA, streamB);
    EXPECT_EQ(server->metrics().batchEncodings - encodingsBefore, 10u)
        << "one encoding per batch, not per client";
}

TEST_F(StateServerTest, FilterAddsAndRemovesEntitiesAsTheyStartOrStopMatching)
{
    put(makeContainer("a", "web-1", "shop"));
    put(makeContainer("b", "db-1", "shop"));
    put(makeContainer("c", "web-2", "blog"));
    startServer();
    protocol::Subscription subscription;
    subscription.topics = {Topic::Containers};
    subscription.filter.name = "web-*";
    auto client = connectClient(protocol::Encoding::Json, subscription);
    EXPECT_EQ(client->state.containers().size(), 2u);
    EXPECT_TRUE(client->state.containers().count("a") && client->state.containers().count("c"));
    EXPECT_FALSE(client->state.engine().has_value()) << "engine not subscribed";

    put(makeContainer("b", "web-db", "shop")); // renamed into the filter: created for this client
    put(makeContainer("a", "api-1", "shop"));  // renamed out of it: removed
    auto c = makeContainer("c", "web-2", "blog");
    c.state = state::ContainerState::Exited; // still matching: updated
    put(c);
    put(makeContainer("d", "other", "x")); // never matching: nothing sent
    ASSERT_TRUE(waitFor([&] { return client->count<protocol::Changes>() == 3; }));
    waitFor([] { return false; }, 200ms);
    const auto changes = client->all<protocol::Changes>();
    ASSERT_EQ(changes.size(), 3u) << "the change to 'd' must not reach this client";
    EXPECT_EQ(changes[0].batch.changes.at(0).op, state::ChangeOp::Created);
    EXPECT_EQ(changes[0].batch.changes.at(0).id, "b");
    EXPECT_EQ(changes[1].batch.changes.at(0).op, state::ChangeOp::Removed);
    EXPECT_EQ(changes[1].batch.changes.at(0).id, "a");
    EXPECT_EQ(changes[2].batch.changes.at(0).op, state::ChangeOp::Updated);
    EXPECT_TRUE(client->applyErrors.empty()) << client->applyErrors.front();
    ASSERT_EQ(client->state.containers().size(), 2u);
    EXPECT_EQ(client->state.containers().at("b"), source.containers().at("b"));
    EXPECT_EQ(client->state.containers().at("c"), source.containers().at("c"));

    // A composeProject filter, given at subscribe time, answers with a snapshot of just that project.
    protocol::Subscription project;
    project.topics = {Topic::Containers};
    project.filter.composeProject = "shop";
    client->send(protocol::Subscribe{project});
    ASSERT_TRUE(waitFor([&] { return client->count<protocol::Snapshot>() == 2; }));
    EXPECT_EQ(client->state.containers().size(), 2u);
    EXPECT_TRUE(client->state.containers().count("a") && client->state.containers().count("b"));
}

TEST_F(StateServerTest, ResumeInsideTheChangeLogGetsOnlyTheMissingChanges)
{
    startServer();
    put(makeContainer("a", "one"));
    auto first = connectClient();
    const state::EngineState held = first->state;
    first.reset();
    put(makeContainer("b", "two"));
    remove("a");

    ProtocolClient again(server->url());
    ASSERT_TRUE(again.open());
    again.state = held;
    again.hello(server->token(), std::nullopt, protocol::ResumePoint{held.epoch(), held.version()});
    ASSERT_TRUE(waitFor([&] { return again.state.version() == source.version(); }));
    EXPECT_EQ(again.count<protocol::Snapshot>(), 0u);
    EXPECT_EQ(again.count<protocol::Changes>(), 2u);
    EXPECT_EQ(again.state.digest(), source.digest());
    EXPECT_EQ(server->metrics().resumes, 1u);
}

TEST_F(StateServerTest, ResumeFromAVersionOutOfTheLogOrAnotherEpochGetsASnapshot)
{
    options.changeLogChanges = 3;
    startServer();
    put(makeContainer("a", "one"));
    const auto old = source.version();
    for (int i = 0; i < 6; ++i)
        put(makeContainer("x" + std::to_string(i), "n" + std::to_string(i)));

    for (const auto& resume : {protocol::ResumePoint{source.epoch(), old},
                               protocol::ResumePoint{source.epoch() + 1, source.version()}}) {
        ProtocolClient client(server->url());
        ASSERT_TRUE(client.open());
        client.hello(server->token(), std::nullopt, resume);
        ASSERT_TRUE(client.waitLive());
        EXPECT_EQ(client.count<protocol::Snapshot>(), 1u);
        EXPECT_EQ(client.state.digest(), source.digest());
    }
    EXPECT_EQ(server->metrics().resumes, 0u);
}

namespace {

// A network all of `ids` are attached to, in one commit (the state derives network.containers).
state::StateTransaction sharedNetwork(const std::vector<std::string>& ids)
{
    state::StateTransaction tx;
    state::Network n;
    n.id = "net1";
    n.name = "shared";
    n.driver = "bridge";
    tx.put(n);
    for (const auto& id : ids) {
        auto c = makeContainer(id, "name-" + id);
        c.networks = {"shared"};
        tx.put(c);
    }
    return tx;
}

state::Container onShared(const std::string& id)
{
    auto c = makeContainer(id, "name-" + id);
    c.networks = {"shared"};
    return c;
}

} // namespace

TEST_F(StateServerTest, IdSetChangesGoOnlyToClientsThatAskForThem)
{
    std::vector<std::string> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back("c" + std::to_string(100 + i));
    commit(sharedNetwork(ids));
    startServer();
    auto plain = connectClient();
    auto client = std::make_unique<ProtocolClient>(server->url());
    client->features = {"idSets"};
    ASSERT_TRUE(client->open());
    client->hello(server->token());
    ASSERT_TRUE(client->waitLive());
    const std::size_t plainBefore = plain->rawTexts.size();
    const std::size_t setsBefore = client->rawTexts.size();
    const auto encodingsBefore = server->metrics().batchEncodings;

    put(onShared("c200"));               // the network's 20 ids gain one
    remove("c105");                      // and lose one
    put(makeContainer("c300", "alone")); // no network: the same frame for both
    ASSERT_TRUE(waitFor([&] {
        return plain->state.version() == source.version() && client->state.version() == source.version();
    }));
    EXPECT_TRUE(plain->applyErrors.empty());
    EXPECT_TRUE(client->applyErrors.empty());
    EXPECT_EQ(plain->state.digest(), source.digest());
    EXPECT_EQ(client->state.digest(), source.digest());
    EXPECT_EQ(client->state.networks().at("net1").containers, source.networks().at("net1").containers);

    ASSERT_EQ(plain->rawTexts.size() - plainBefore, 3u);
    ASSERT_EQ(client->rawTexts.size() - setsBefore, 3u);
    const QString withSets = client->rawTexts[setsBefore];
    const QString whole = plain->rawTexts[plainBefore];
    EXPECT_TRUE(withSets.contains(QStringLiteral("\"containers\":{\"add\":[\"c200\"],\"remove\":[]}")))
        << withSets.toStdString();
    EXPECT_FALSE(whole.contains(QStringLiteral("\"add\""))) << whole.toStdString();
    EXPECT_TRUE(whole.contains(QStringLiteral("\"c119\",\"c200\"]"))) << "the whole list";
    EXPECT_TRUE(client->rawTexts[setsBefore + 1].contains(QStringLiteral("\"remove\":[\"c105\"]")));
    EXPECT_EQ(plain->rawTexts[plainBefore + 2], client->rawTexts[setsBefore + 2]);
    EXPECT_EQ(server->metrics().batchEncodings - encodingsBefore, 5u)
        << "two forms of the two network batches, one of the other";
}

TEST_F(StateServerTest, AResumeOverIdSetChangesGivesAClientWithoutThemASnapshot)
{
    std::vector<std::string> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back("c" + std::to_string(100 + i));
    commit(sharedNetwork(ids));
    startServer();
    for (const bool idSets : {false, true}) {
        SCOPED_TRACE(idSets ? "idSets" : "plain");
        auto first = connectClient();
        const state::EngineState held = first->state;
        first.reset();
        put(onShared("d" + std::to_string(idSets)));

        ProtocolClient again(server->url());
        if (idSets)
            again.features = {"idSets"};
        ASSERT_TRUE(again.open());
        again.state = held;
        again.hello(server->token(), std::nullopt, protocol::ResumePoint{held.epoch(), held.version()});
        ASSERT_TRUE(again.waitLive());
        ASSERT_TRUE(waitFor([&] { return again.state.version() == source.version(); }));
        EXPECT_EQ(again.count<protocol::Snapshot>(), idSets ? 0u : 1u);
        EXPECT_EQ(again.count<protocol::Changes>(), idSets ? 1u : 0u);
        EXPECT_EQ(again.state.digest(), source.digest());
    }
}

// The server's end of a client's connection (this process's socket whose peer is the client's local port):
// whether TCP_NODELAY is set on it, or nullopt when not found.
std::optional<bool> serverSideNoDelay(quint16 clientPort)
{
    DIR* dir = opendir("/proc/self/fd");
    if (!dir)
        return std::nullopt;
    std::optional<bool> found;
    while (const dirent* entry = readdir(dir)) {
        const int fd = std::atoi(entry->d_name);
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        if (fd <= 2 || getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0)
            continue;
        const quint16 port =
            peer.ss_family == AF_INET    ? ntohs(reinterpret_cast<const sockaddr_in*>(&peer)->sin_port)
            : peer.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_port)
                                         : 0;
        int noDelay = 0;
        socklen_t size = sizeof noDelay;
        if (port == clientPort && getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &size) == 0)
            found = noDelay != 0;
    }
    closedir(dir);
    return found;
}

// Nagle's algorithm would hold back the tail of a frame larger than a segment until the client's delayed ACK
// (40 ms on Linux): the burst benchmark showed it as a 40 ms latency tail.
TEST_F(StateServerTest, TheServerSendsWithoutNagle)
{
    startServer();
    auto client = connectClient();
    EXPECT_EQ(serverSideNoDelay(client->socket.localPort()), std::optional<bool>(true));
}

TEST_F(StateServerTest, NoHelloInTimeClosesWith4408)
{
    options.helloTimeout = 300ms;
    startServer();
    ProtocolClient client(server->url());
    ASSERT_TRUE(client.open());
    ASSERT_TRUE(waitFor([&] { return client.closed; }, 3s));
    EXPECT_EQ(client.closeCode, 4408);
    EXPECT_TRUE(client.messages.empty());
}

TEST_F(StateServerTest, WrongTokenClosesWith4401AndNothingIsSentBefore)
{
    put(makeContainer("a", "secret-name"));
    startServer();
    for (const QString& token :
         QStringList{QStringLiteral("wrong"), QString(), QString(server->token() + QLatin1Char('x')),
                     server->token().left(31)}) {
        ProtocolClient client(server->url());
        ASSERT_TRUE(client.open());
        client.hello(token);
        ASSERT_TRUE(waitFor([&] { return client.closed; }, 3s));
        EXPECT_EQ(client.closeCode, 4401);
        EXPECT_TRUE(client.messages.empty());
        EXPECT_TRUE(client.rawTexts.empty() && client.rawFrames.empty());
    }
    // A hello with no token at all is a missing token: 4401 too.
    ProtocolClient none(server->url());
    ASSERT_TRUE(none.open());
    none.sendText(QStringLiteral("{\"type\":\"hello\",\"client\":\"x\",\"encoding\":\"json\"}"));
    ASSERT_TRUE(waitFor([&] { return none.closed; }, 3s));
    EXPECT_EQ(none.closeCode, 4401);
    EXPECT_TRUE(none.messages.empty());
    EXPECT_EQ(server->metrics().closedBadToken, 5u);
}

TEST_F(StateServerTest, AFirstMessageOtherThanHelloClosesWith4400)
{
    startServer();
    for (const QString& first : QStringList{QStringLiteral("{\"type\":\"ping\",\"id\":\"1\"}"),
                                            QStringLiteral("not json"), QStringLiteral("[1,2]")}) {
        ProtocolClient client(server->url());
        ASSERT_TRUE(client.open());
        client.sendText(first);
        ASSERT_TRUE(waitFor([&] { return client.closed; }, 3s));
        EXPECT_EQ(client.closeCode, 4400);
        EXPECT_TRUE(client.messages.empty());
    }
}

TEST_F(StateServerTest, ForeignOriginOrHostIsRefusedAtTheHandshake)
{
    options.allowedOrigins = {QStringLiteral("https://dockscope.example")};
    startServer();
    const QByteArray port = QByteArray::number(server->url().port());
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), "127.0.0.1:" + port, {}), 101);
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), "localhost:" + port, {}), 101);
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), "localhost:" + port,
                           "https://dockscope.example"),
              101);
    // Cross-site WebSocket hijacking: any web page can open ws://127.0.0.1 (CVE-2018-14732, CVE-2025-24010).
    EXPECT_EQ(
        rawHandshake(static_cast<quint16>(server->url().port()), "127.0.0.1:" + port, "https://evil.example"),
        403);
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), "127.0.0.1:" + port, "null"), 403);
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 (CVE-2018-7160).
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), "evil.example:" + port, {}), 403);
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), "127.0.0.1:1", {}), 403);
    EXPECT_EQ(rawHandshake(static_cast<quint16>(server->url().port()), {}, {}), 400);
    EXPECT_EQ(server->metrics().handshakesRefused, 5u);

    // A browser-like client with a foreign Origin never gets connected.
    ProtocolClient browser(server->url(), QStringLiteral("https://evil.example"));
    EXPECT_FALSE(browser.open(3s));
}

TEST_F(StateServerTest, AFloodOfMessagesClosesWith4429)
{
    options.maxMessagesPerSecond = 50;
    startServer();
    auto client = connectClient();
    for (int i = 0; i < 200; ++i)
        client->send(protocol::Ping{"p" + std::to_string(i)});
    ASSERT_TRUE(waitFor([&] { return client->closed; }, 5s));
    EXPECT_EQ(client->closeCode, 4429);
    EXPECT_LE(client->count<protocol::Pong>(), 50u);
}

TEST_F(StateServerTest, MalformedAndOversizedMessagesGetErrorsThenA4400)
{
    options.maxErrorsBeforeClose = 3;
    startServer();
    auto client = connectClient();
    client->send(protocol::Ping{"alive"});
    ASSERT_TRUE(waitFor([&] { return client->count<protocol::Pong>() == 1; }));
    EXPECT_EQ(client->all<protocol::Pong>().front().id, "alive");

    client->sendText(QStringLiteral("{\"type\":\"launch-missiles\"}"));
    client->sendText(QString(70 * 1024, QLatin1Char(' ')) + QStringLiteral("{}"));
    client->sendText(QStringLiteral("{\"type\":\"ack\",\"version\":-1}"));
    ASSERT_TRUE(waitFor([&] { return client->count<protocol::Error>() == 3; }));
    const auto errors = client->all<protocol::Error>();
    EXPECT_EQ(errors[0].error.code, "unknown-type");
    EXPECT_EQ(errors[1].error.code, "too-large");
    EXPECT_EQ(errors[2].error.code, "bad-field");
    EXPECT_NE(errors[2].error.message.find("version"), std::string::npos) << errors[2].error.message;
    EXPECT_FALSE(client->closed);
    client->sendText(QStringLiteral("{"));
    ASSERT_TRUE(waitFor([&] { return client->closed; }, 3s));
    EXPECT_EQ(client->closeCode, 4400);
}

TEST_F(StateServerTest, HeartbeatsFlowAndASilentPeerIsDropped)
{
    options.heartbeat = 200ms;
    startServer();
    auto client = connectClient();
    ASSERT_TRUE(waitFor([&] { return client->count<protocol::Heartbeat>() >= 3; }, 3s));
    EXPECT_EQ(client->all<protocol::Heartbeat>().back().version, source.version());

    ThreadedClient silent(server->url());
    ASSERT_TRUE(waitFor([&] { return silent.read<bool>([](ProtocolClient& c) { return c.connected; }); }));
    silent.run([&] { silent.client().hello(server->token()); });
    ASSERT_TRUE(
        waitFor([&] { return silent.read<bool>([](ProtocolClient& c) { return c.welcome.has_value(); }); }));
    silent.block(1500ms); // no pong for more than two heartbeats
    ASSERT_TRUE(waitFor([&] { return server->metrics().closedTimeout >= 1; }, 5s));
    // Reading the client's fields waits for its thread: let its sleep end first (a blocked main thread would
    // starve the live client's pongs too).
    waitFor([] { return false; }, 1500ms);
    ASSERT_TRUE(
        waitFor([&] { return silent.read<int>([](ProtocolClient& c) { return c.closeCode; }) != 0; }, 5s));
    EXPECT_EQ(silent.read<int>([](ProtocolClient& c) { return c.closeCode; }), 4408);
    EXPECT_FALSE(client->closed) << "the live client stays";
}

TEST_F(StateServerTest, ASlowClientIsHeldBackWithoutHurtingOthersAndConvergesLater)
{
    options.backpressureBytes = 256 * 1024;
    startServer();
    auto fast = connectClient(protocol::Encoding::Msgpack);
    ThreadedClient slow(server->url());
    ASSERT_TRUE(waitFor([&] { return slow.read<bool>([](ProtocolClient& c) { return c.connected; }); }));
    slow.run([&] { slow.client().hello(server->token()); });
    ASSERT_TRUE(
        waitFor([&] { return slow.read<bool>([](ProtocolClient& c) { return c.welcome.has_value(); }); }));

    slow.block(4000ms);
    waitFor([] { return false; }, 100ms);
    // About 40 MB of changes while the slow client reads nothing.
    std::vector<qint64> lagMs;
    for (int round = 0; round < 40; ++round) {
        state::StateTransaction tx;
        for (int i = 0; i < 50; ++i)
            tx.put(makeContainer("c" + std::to_string(i), "n" + std::to_string(round), "p", 20000));
        commit(tx);
        QElapsedTimer lag;
        lag.start();
        ASSERT_TRUE(waitFor([&] { return fast->state.version() == source.version(); }, 5s));
        lagMs.push_back(lag.elapsed());
    }
    const auto metrics = server->metrics();
    EXPECT_GE(metrics.backpressurePauses, 1u);
    // Memory stays bounded: what waits for the slow client never passes the threshold by more than a frame
    // (one round is about 1 MB of JSON; the largest frame here is the initial snapshot or one batch).
    EXPECT_LT(metrics.unsentHighWater, options.backpressureBytes + 2u * 1024 * 1024);
    std::sort(lagMs.begin(), lagMs.end());
    EXPECT_LT(lagMs[lagMs.size() / 2], 500) << "the fast client is not held up by the slow one";
    EXPECT_TRUE(fast->applyErrors.empty());

    // Once it reads again, it catches up (from the change log or a snapshot) and ends equal.
    ASSERT_TRUE(waitFor(
        [&] {
            return slow.read<std::uint64_t>([](ProtocolClient& c) { return c.state.version(); }) ==
                   source.version();
        },
        20s));
    EXPECT_EQ(slow.read<std::uint64_t>([](ProtocolClient& c) { return c.state.digest(); }), source.digest());
    EXPECT_TRUE(slow.read<bool>([](ProtocolClient& c) { return c.applyErrors.empty(); }));
}
