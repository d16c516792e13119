// A hostile or broken server never crashes the replica: malformed frames are counted and lead to a resync,
// too many of them (or any before the welcome) to a reconnect.
#include "ReplicaFixture.h"

#include "dockscope/state/StateCodec.h"

using namespace dockscope;
using namespace dockscope::client;
using namespace dockscope::client::testing;
using nlohmann::json;

namespace {

using ReplicaHostile = ReplicaFixture;

} // namespace

TEST_F(ReplicaHostile, AMalformedFrameIsCountedAndResyncs)
{
    startReplica();
    connectLive();
    server.sendRaw("this is not JSON", false);
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_EQ(replica->stats().malformed, 1u);
    server.sendJson(json{{"type", "changes"}, {"epoch", kEpoch}}); // missing fields, while resyncing
    ASSERT_TRUE(waitFor([&] { return replica->stats().malformed == 2; }));
    EXPECT_EQ(subscribes(), 1u) << "one snapshot is enough";
    server.send(protocol::Snapshot{source});
    ASSERT_TRUE(waitFor([&] { return replica->stats().snapshots == 2; }));
    EXPECT_TRUE(sameState(source, replica->state()));
    EXPECT_EQ(replica->status(), Replica::Status::Live);
    EXPECT_EQ(server.connections(), 1);
}

TEST_F(ReplicaHostile, GarbageOfEveryKindNeverCrashes)
{
    startReplica();
    connectLive();
    const std::uint64_t version = replica->state().version();
    json badSnapshot = protocol::snapshotJson(source);
    badSnapshot["digest"] = source.digest() + 1;
    json badChange = protocol::changesJson(kEpoch, state::Batch{version, version + 1, {}, 0});
    badChange["changes"] = json::array({{{"kind", "container"}, {"op", "exploded"}, {"id", "c1"}}});
    const std::vector<json> documents{
        json::array(),
        json::object(),
        json{{"type", 5}},
        json{{"type", "welcome"}, {"protocol", "one"}},
        json{{"type", "snapshot"}, {"state", 5}},
        badSnapshot,
        badChange,
        json{{"type", "changes"},
             {"epoch", -1},
             {"from", 1},
             {"to", 0},
             {"digest", 0},
             {"changes", json::array()}},
        json{{"type", "result"}, {"id", 5}, {"ok", "yes"}},
        json{{"type", "stream-data"}},
        json{{"type", "engine"}, {"status", "exploded"}},
        json{{"type", "heartbeat"}, {"ts", "noon"}},
    };
    for (const json& document : documents)
        server.sendJson(document);
    server.sendRaw(QByteArray("\x28\xb5\x2f\xfd garbage after the zstd magic", 33), true);
    server.sendRaw(QByteArray("\xc1\xc1\xc1", 3), true); // never-used MessagePack bytes
    server.sendRaw(QByteArray(200000, '['), false);      // deep nesting
    // More than a connection's allowance: the replica drops it and comes back.
    ASSERT_TRUE(waitFor([&] { return server.connections() == 2; }));
    EXPECT_GE(replica->stats().malformed, 9u);
    const protocol::Hello hello = awaitHello(2);
    EXPECT_FALSE(hello.resume.has_value()) << "its resync was pending: no resume";
    greet();
    server.send(protocol::Snapshot{source});
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Live; }));
    EXPECT_TRUE(sameState(source, replica->state()));
}

TEST_F(ReplicaHostile, AMessageTypeOfANewerProtocolIsSkipped)
{
    startReplica();
    connectLive();
    server.sendJson(json{{"type", "telemetry-v2"}, {"x", 1}});
    ASSERT_TRUE(waitFor([&] { return replica->stats().malformed == 1; }));
    spin(50ms);
    EXPECT_EQ(subscribes(), 0u);
    EXPECT_EQ(replica->status(), Replica::Status::Live);
}

TEST_F(ReplicaHostile, MessagesBeforeTheWelcomeDropTheConnection)
{
    startReplica();
    awaitHello();
    server.send(protocol::Snapshot{source});
    const protocol::Hello again = awaitHello(2);
    EXPECT_EQ(replica->stats().snapshots, 0u);
    EXPECT_EQ(replica->stats().malformed, 1u);
    EXPECT_FALSE(again.resume.has_value());
}

TEST_F(ReplicaHostile, ABatchThatDoesNotApplyIsRefusedWhole)
{
    startReplica();
    connectLive();
    const state::EngineState before = replica->state();
    // Updates an entity that does not exist: well-formed, but impossible.
    state::Batch batch{
        source.version(),
        source.version() + 1,
        {{state::EntityKind::Container, state::ChangeOp::Updated, "ghost", nullptr, json{{"name", "x"}}}},
        source.digest()};
    sendBatch(batch);
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_TRUE(sameState(before, replica->state()));
    EXPECT_EQ(replica->state().checkConsistency(), std::vector<std::string>{});
}

TEST_F(ReplicaHostile, AThrowingSlotDoesNotEscapeIntoTheEventLoop)
{
    startReplica();
    connectLive();
    QObject::connect(replica.get(), &Replica::eventReceived, replica.get(),
                     [](const state::DockerEvent&) { throw std::runtime_error("a careless slot"); });
    server.send(protocol::Event{state::DockerEvent{"container", "start", "", "c1", {}, "local", 1}});
    int results = 0;
    replica->act(protocol::Action{"", protocol::ActionKind::Container, "c1", "start", json::object()},
                 nullptr, [&](const protocol::Result&) {
                     ++results;
                     throw std::runtime_error("a careless callback");
                 });
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Action>() == 1; }));
    server.send(protocol::Result{"a1", true, std::nullopt, nullptr});
    ASSERT_TRUE(waitFor([&] { return results == 1; }));
    EXPECT_EQ(replica->status(), Replica::Status::Live);
}
