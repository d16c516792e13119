// The replica's connection life: no Origin header, refused tokens, reconnects with backoff and resume,
// dead connections found by the heartbeat, timeouts and stop().
#include "ReplicaFixture.h"

#include <QTcpServer>
#include <QTcpSocket>

using namespace dockscope;
using namespace dockscope::client;
using namespace dockscope::client::testing;

namespace {

using ReplicaConnection = ReplicaFixture;

std::chrono::milliseconds between(std::chrono::steady_clock::time_point a,
                                  std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(b - a);
}

} // namespace

TEST_F(ReplicaConnection, TheHandshakeCarriesNoOriginHeader)
{
    // The raw request, as the server's handshake gate sees it: browsers always send Origin, we never do.
    QTcpServer raw;
    ASSERT_TRUE(raw.listen(QHostAddress::LocalHost, 0));
    QByteArray request;
    QObject::connect(&raw, &QTcpServer::newConnection, &raw, [&] {
        QTcpSocket* socket = raw.nextPendingConnection();
        QObject::connect(socket, &QTcpSocket::readyRead, socket,
                         [&request, socket] { request += socket->readAll(); });
    });
    Replica::Options opts = options();
    opts.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(raw.serverPort()));
    startReplica(opts);
    ASSERT_TRUE(waitFor([&] { return request.contains("\r\n\r\n"); }));
    const QByteArray lower = request.toLower();
    EXPECT_TRUE(lower.startsWith("get / http/1.1\r\n")) << request.toStdString();
    EXPECT_FALSE(lower.contains("\r\norigin:")) << request.toStdString();
    EXPECT_TRUE(lower.contains(QStringLiteral("\r\nhost: 127.0.0.1:%1\r\n").arg(raw.serverPort()).toLatin1()))
        << request.toStdString();
    EXPECT_FALSE(request.contains(kToken.toLatin1())) << "the token travels in hello, never in the handshake";
    replica.reset();

    startReplica();
    awaitHello();
    EXPECT_TRUE(server.lastOrigin().isEmpty());
}

TEST_F(ReplicaConnection, ABadTokenCloseGivesUp)
{
    startReplica();
    awaitHello();
    server.close(protocol::CloseBadToken, QStringLiteral("bad token"));
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Disconnected; }));
    EXPECT_EQ(replica->closeCode(), 4401);
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("token"))) << replica->lastError().toStdString();
    spin(300ms); // many backoff periods
    EXPECT_EQ(server.connections(), 1);
    EXPECT_EQ(replica->status(), Replica::Status::Disconnected);
}

TEST_F(ReplicaConnection, AMalformedCloseGivesUp)
{
    startReplica();
    awaitHello();
    server.close(protocol::CloseMalformed, QStringLiteral("hello: bad-field"));
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Disconnected; }));
    EXPECT_EQ(replica->closeCode(), 4400);
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("4400"))) << replica->lastError().toStdString();
    spin(300ms);
    EXPECT_EQ(server.connections(), 1);
}

TEST_F(ReplicaConnection, AServerGoingAwayIsReconnectedAndResumed)
{
    startReplica();
    connectLive();
    const std::uint64_t resumeFrom = source.version();
    log.clear();
    server.close(1001, QStringLiteral("going away"));
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Reconnecting; }));
    EXPECT_EQ(replica->closeCode(), 1001);
    EXPECT_TRUE(sameState(source, replica->state())) << "Reconnecting keeps the last state";

    // Changes made while the replica was away.
    state::StateTransaction tx;
    tx.put(makeContainer("c4"));
    const state::Batch missed1 = commit(tx);
    state::StateTransaction tx2;
    tx2.remove(state::EntityKind::Container, "c1");
    const state::Batch missed2 = commit(tx2);

    const protocol::Hello hello = awaitHello(2);
    ASSERT_TRUE(hello.resume.has_value());
    EXPECT_EQ(*hello.resume, (protocol::ResumePoint{kEpoch, resumeFrom}));
    EXPECT_EQ(hello.token, kToken.toStdString());
    greet();
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Live; }));
    sendBatch(missed1);
    sendBatch(missed2);
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_TRUE(sameState(source, replica->state()));
    EXPECT_EQ(replica->stats().snapshots, 1u) << "a resume needs no snapshot";
    EXPECT_GE(replica->stats().reconnects, 1u);
    EXPECT_EQ(logged("aboutToReset"), 0);
    EXPECT_EQ(log.front(), "status:Reconnecting");
}

TEST_F(ReplicaConnection, AResumeTheServerCannotServeEndsInASnapshot)
{
    startReplica();
    connectLive();
    server.drop();
    const protocol::Hello hello = awaitHello(2);
    ASSERT_TRUE(hello.resume.has_value());
    // The daemon restarted meanwhile: another epoch, so the server answers with a snapshot.
    state::EngineState reborn(kEpoch + 5);
    state::StateTransaction tx;
    tx.put(makeContainer("fresh"));
    reborn.commit(tx, now);
    greet(reborn);
    spin(50ms);
    EXPECT_NE(replica->status(), Replica::Status::Live) << "not live on an old incarnation's state";
    server.send(protocol::Snapshot{reborn});
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Live; }));
    EXPECT_TRUE(sameState(reborn, replica->state()));
}

TEST_F(ReplicaConnection, NoResumeFromAStateWhoseResyncWasPending)
{
    startReplica();
    connectLive();
    state::StateTransaction tx;
    tx.put(makeContainer("c4"));
    commit(tx);
    tx.put(makeContainer("c5"));
    sendBatch(commit(tx)); // a gap: the replica asks for a snapshot ...
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    server.drop(); // ... which never comes
    const protocol::Hello hello = awaitHello(2);
    EXPECT_FALSE(hello.resume.has_value());
}

TEST_F(ReplicaConnection, ReconnectsBackOffExponentiallyWithinTheBounds)
{
    server.setRefusing(true);
    Replica::Options opts = options();
    opts.backoffMin = 40ms;
    opts.backoffMax = 160ms;
    startReplica(opts);
    ASSERT_TRUE(waitFor([&] { return server.handshakes().size() >= 7; }, 10s));
    const auto& at = server.handshakes();
    std::vector<long long> gaps;
    for (std::size_t i = 1; i < at.size(); ++i)
        gaps.push_back(between(at[i - 1], at[i]).count());
    // Delays are drawn from [max(min, d/2), d] with d = min × 2^n capped at max (timers may fire 5% early).
    for (long long gap : gaps) {
        EXPECT_GE(gap, 36) << "never below backoffMin";
        EXPECT_LE(gap, 160 + 400) << "never far above backoffMax";
    }
    for (std::size_t i = 3; i < gaps.size(); ++i)
        EXPECT_GE(gaps[i], 76) << "attempt " << i << " should wait at least half the cap";
    EXPECT_EQ(replica->status(), Replica::Status::Connecting)
        << "never connected: still the first connection";
    EXPECT_GE(replica->stats().reconnects, 6u);
    EXPECT_EQ(server.connections(), 0);

    server.setRefusing(false);
    connectLive();
}

TEST_F(ReplicaConnection, ASilentConnectionIsFoundDeadByTheHeartbeat)
{
    startReplica();
    connectLive(200);
    const std::size_t heard = server.received().size();
    // Heartbeats keep it alive well past 2.5 intervals, and are never answered.
    for (int i = 0; i < 16; ++i) {
        server.send(protocol::Heartbeat{now, source.version()});
        spin(50ms);
    }
    EXPECT_EQ(server.connections(), 1);
    EXPECT_EQ(server.received().size(), heard) << "heartbeats get no answer";
    // Silence: 2.5 heartbeats later the replica gives up on the connection and reconnects.
    const auto silentSince = std::chrono::steady_clock::now();
    const protocol::Hello hello = awaitHello(2);
    EXPECT_GE(between(silentSince, std::chrono::steady_clock::now()).count(),
              400); // 2.5 × 200 ms after the last one
    EXPECT_TRUE(hello.resume.has_value());
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("no message")))
        << replica->lastError().toStdString();
    EXPECT_EQ(replica->status(), Replica::Status::Reconnecting);
}

TEST_F(ReplicaConnection, AMissingWelcomeTimesOut)
{
    Replica::Options opts = options();
    opts.connectTimeout = 200ms;
    startReplica(opts);
    awaitHello(1);
    awaitHello(2);
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("welcome")))
        << replica->lastError().toStdString();
}

TEST_F(ReplicaConnection, NothingListeningIsRetriedOrReported)
{
    QTcpServer probe;
    ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    Replica::Options opts = options();
    opts.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    startReplica(opts);
    ASSERT_TRUE(waitFor([&] { return replica->stats().reconnects >= 2; }));
    EXPECT_EQ(replica->status(), Replica::Status::Connecting);
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("cannot connect")))
        << replica->lastError().toStdString();

    opts.reconnect = false;
    startReplica(opts);
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Disconnected; }));
    EXPECT_FALSE(replica->lastError().isEmpty());
}

TEST_F(ReplicaConnection, WithoutReconnectALostConnectionStaysLost)
{
    Replica::Options opts = options();
    opts.reconnect = false;
    startReplica(opts);
    connectLive();
    server.drop();
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Disconnected; }));
    EXPECT_EQ(replica->closeCode(), 1006) << "no closing handshake";
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("connection lost")))
        << replica->lastError().toStdString();
    spin(200ms);
    EXPECT_EQ(server.connections(), 1);
    EXPECT_TRUE(sameState(source, replica->state()));
}

TEST_F(ReplicaConnection, StopClosesAndStartResumes)
{
    startReplica();
    connectLive();
    replica->stop();
    EXPECT_EQ(replica->status(), Replica::Status::Disconnected);
    ASSERT_TRUE(waitFor([&] { return !server.connected(); }));
    spin(200ms);
    EXPECT_EQ(server.connections(), 1);
    replica->start();
    const protocol::Hello hello = awaitHello(2);
    ASSERT_TRUE(hello.resume.has_value());
    EXPECT_EQ(hello.resume->version, source.version());
}

TEST_F(ReplicaConnection, AnUnsupportedProtocolVersionGivesUp)
{
    startReplica();
    awaitHello();
    protocol::Welcome welcome;
    welcome.protocol = 2;
    welcome.session = "s";
    welcome.epoch = kEpoch;
    server.send(welcome);
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Disconnected; }));
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("protocol")))
        << replica->lastError().toStdString();
}
