// The replica mirrors the server's state: hello, snapshot, contiguous batches, and resyncs on any gap, digest
// mismatch or epoch change; filtered subscriptions apply sparse batches. Over a real loopback WebSocket.
#include "ReplicaFixture.h"

#include "dockscope/protocol/Codec.h"

#include <algorithm>

using namespace dockscope;
using namespace dockscope::client;
using namespace dockscope::client::testing;

namespace {

class ReplicaSync : public ReplicaFixture {
protected:
    // A tour of changes: update, remove, create, and the other kinds.
    std::vector<state::Batch> commitTour()
    {
        std::vector<state::Batch> batches;
        state::StateTransaction t1;
        t1.put(makeContainer("c1", state::ContainerState::Paused));
        batches.push_back(commit(t1));
        state::StateTransaction t2;
        t2.remove(state::EntityKind::Container, "c2");
        t2.put(makeContainer("c3", state::ContainerState::Running, {{"app", "web"}}));
        batches.push_back(commit(t2));
        state::StateTransaction t3;
        state::Volume volume;
        volume.name = "data";
        volume.driver = "local";
        t3.put(volume);
        state::Network network;
        network.id = "n1";
        network.name = "backend";
        t3.put(network);
        batches.push_back(commit(t3));
        return batches;
    }
};

} // namespace

TEST_F(ReplicaSync, HelloCarriesTokenClientEncodingAndSubscription)
{
    startReplica();
    const protocol::Hello hello = awaitHello();
    EXPECT_EQ(hello.token, kToken.toStdString());
    EXPECT_EQ(hello.client, "replica-test");
    EXPECT_EQ(hello.encoding, protocol::Encoding::Json);
    EXPECT_EQ(hello.compress,
              protocol::zstdAvailable() ? std::vector<std::string>{"zstd"} : std::vector<std::string>{});
    EXPECT_FALSE(hello.resume.has_value()) << "nothing to resume on a first connection";
    ASSERT_TRUE(hello.subscribe.has_value());
    EXPECT_EQ(*hello.subscribe, protocol::Subscription::everything());
    EXPECT_FALSE(server.received().front().frame.binary) << "JSON is sent as text frames";
    EXPECT_EQ(replica->status(), Replica::Status::Connecting);
}

TEST_F(ReplicaSync, HelloOffersNoCompressionWhenToldNot)
{
    Replica::Options opts = options();
    opts.compress = false;
    startReplica(opts);
    EXPECT_TRUE(awaitHello().compress.empty());
}

TEST_F(ReplicaSync, SnapshotThenContiguousBatchesMirrorTheSource)
{
    startReplica();
    connectLive();
    EXPECT_EQ(log, (std::vector<std::string>{"status:Connecting", "aboutToReset", "reset", "engineChanged",
                                             "status:Live"}));
    log.clear();
    const std::vector<state::Batch> batches = commitTour();
    for (const state::Batch& batch : batches)
        sendBatch(batch);
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_TRUE(sameState(source, replica->state()));
    EXPECT_EQ(replica->state().checkConsistency(), std::vector<std::string>{});
    // The first two batches change the engine's counts (a derived field), the third does not.
    EXPECT_EQ(log, (std::vector<std::string>{"aboutToApply", "applied", "engineChanged", "aboutToApply",
                                             "applied", "engineChanged", "aboutToApply", "applied"}));
    const Replica::Stats stats = replica->stats();
    EXPECT_EQ(stats.snapshots, 1u);
    EXPECT_EQ(stats.batches, batches.size());
    EXPECT_EQ(stats.resyncs, 0u);
    EXPECT_EQ(stats.malformed, 0u);
    EXPECT_GT(stats.bytesReceived, 0u);
    EXPECT_EQ(subscribes(), 0u);
}

TEST_F(ReplicaSync, AppliedSignalSeesTheNewStateAndAboutToApplyTheOld)
{
    startReplica();
    connectLive();
    std::uint64_t before = 0;
    std::uint64_t after = 0;
    QObject::connect(replica.get(), &Replica::aboutToApply, replica.get(),
                     [&](const state::Batch&) { before = replica->state().version(); });
    QObject::connect(replica.get(), &Replica::applied, replica.get(),
                     [&](const state::Batch&) { after = replica->state().version(); });
    const std::uint64_t start = source.version();
    const state::Batch batch = commitTour().front();
    sendBatch(batch);
    ASSERT_TRUE(waitForVersion(batch.to));
    EXPECT_EQ(before, start);
    EXPECT_EQ(after, batch.to);
}

TEST_F(ReplicaSync, AGapAsksForASnapshotAndDropsBatchesUntilItArrives)
{
    startReplica();
    connectLive();
    const std::uint64_t start = replica->state().version();
    const std::vector<state::Batch> batches = commitTour();
    sendBatch(batches[1]); // batches[0] never arrives
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_EQ(server.messages<protocol::Subscribe>().front().subscription,
              protocol::Subscription::everything());
    EXPECT_EQ(replica->stats().resyncs, 1u);
    sendBatch(batches[2]); // in flight before the snapshot: dropped, and no second resync
    ASSERT_TRUE(waitFor([&] { return replica->stats().droppedBatches == 1; }));
    EXPECT_EQ(replica->state().version(), start);
    EXPECT_EQ(replica->stats().resyncs, 1u);
    EXPECT_EQ(logged("aboutToApply"), 0) << "a batch that does not fit is not announced";

    server.send(protocol::Snapshot{source});
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_TRUE(sameState(source, replica->state()));
    state::StateTransaction tx;
    tx.put(makeContainer("c9"));
    sendBatch(commit(tx));
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_TRUE(sameState(source, replica->state()));
    EXPECT_EQ(subscribes(), 1u);
    EXPECT_EQ(replica->status(), Replica::Status::Live);
}

TEST_F(ReplicaSync, AWrongDigestIsRefusedWholeAndResyncs)
{
    startReplica();
    connectLive();
    const state::EngineState before = replica->state();
    log.clear();
    state::Batch batch = commitTour().front();
    batch.digest ^= 1;
    sendBatch(batch);
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_TRUE(sameState(before, replica->state())) << "all or nothing";
    EXPECT_EQ(log, (std::vector<std::string>{"aboutToApply", "aboutToReset", "reset"}));
    EXPECT_EQ(replica->stats().resyncs, 1u);
    EXPECT_EQ(replica->stats().batches, 0u);
    server.send(protocol::Snapshot{source});
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_TRUE(sameState(source, replica->state()));
}

TEST_F(ReplicaSync, AnEpochChangeResyncsAndTheNewIncarnationIsTaken)
{
    startReplica();
    connectLive();
    state::StateTransaction tx;
    tx.put(makeContainer("c7"));
    sendBatch(commit(tx), kEpoch + 1);
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_EQ(replica->stats().resyncs, 1u);

    state::EngineState reborn(kEpoch + 1);
    state::StateTransaction fresh;
    fresh.put(makeContainer("z1"));
    fresh.setEngine(makeEngine());
    reborn.commit(fresh, now);
    server.send(protocol::Snapshot{reborn});
    ASSERT_TRUE(waitFor([&] { return replica->state().epoch() == kEpoch + 1; }));
    EXPECT_TRUE(sameState(reborn, replica->state()));
}

TEST_F(ReplicaSync, EngineChangesAreSignalledFromMessagesAndBatches)
{
    startReplica();
    connectLive();
    ASSERT_TRUE(replica->engine().has_value());
    EXPECT_EQ(*replica->engine(), *source.engine());
    log.clear();

    const state::EngineInfo reconnecting = makeEngine(state::EngineStatus::Reconnecting);
    server.send(protocol::EngineUpdate{reconnecting});
    ASSERT_TRUE(waitFor([&] { return logged("engineChanged") == 1; }));
    EXPECT_EQ(*replica->engine(), reconnecting);
    EXPECT_EQ(*replica->state().engine(), *source.engine()) << "an engine message does not touch the state";
    server.send(protocol::EngineUpdate{reconnecting});

    state::StateTransaction tx;
    state::EngineInfo renamed = makeEngine();
    renamed.name = "renamed";
    tx.setEngine(renamed);
    sendBatch(commit(tx));
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_EQ(logged("engineChanged"), 2) << "the same engine twice is not a change";
    EXPECT_EQ(replica->engine()->name, "renamed");
}

TEST_F(ReplicaSync, EventsAndServerErrorsAreSignalled)
{
    startReplica();
    connectLive();
    std::optional<state::DockerEvent> got;
    QObject::connect(replica.get(), &Replica::eventReceived, replica.get(),
                     [&](const state::DockerEvent& e) { got = e; });
    state::DockerEvent event;
    event.type = "container";
    event.action = "health_status";
    event.actionDetail = "healthy";
    event.actorId = "c1";
    event.attributes = {{"name", "c1"}};
    event.scope = "local";
    event.timeNano = 42;
    server.send(protocol::Event{event});
    ASSERT_TRUE(waitFor([&] { return got.has_value(); }));
    EXPECT_EQ(*got, event);

    server.send(protocol::Error{{"rate-limited", "slow down"}});
    ASSERT_TRUE(waitFor([&] { return logged("serverError:rate-limited") == 1; }));
    EXPECT_EQ(replica->status(), Replica::Status::Live);
}

// A filtered view as a server would keep it: only containers, versions of the source.
class ReplicaSparse : public ReplicaSync {
protected:
    static protocol::Subscription containersOnly()
    {
        protocol::Subscription subscription;
        subscription.topics = {protocol::Topic::Containers};
        return subscription;
    }

    void SetUp() override
    {
        view.resetTo(kEpoch, source.version(), source.containers(), {}, {}, {}, std::nullopt);
    }

    // The source's batch as the filtered view sees it, stamped with the view's digest.
    state::Batch filtered(const state::Batch& batch,
                          const std::function<bool(const state::StateChange&)>& keep)
    {
        state::Batch sparse{view.version(), batch.to, {}, 0};
        std::copy_if(batch.changes.begin(), batch.changes.end(), std::back_inserter(sparse.changes), keep);
        std::string error;
        EXPECT_TRUE(view.applyAndStamp(sparse, &error)) << error;
        return sparse;
    }
    state::Batch containersOf(const state::Batch& batch)
    {
        return filtered(batch,
                        [](const state::StateChange& c) { return c.kind == state::EntityKind::Container; });
    }

    void connectFiltered(const protocol::Subscription& subscription)
    {
        Replica::Options opts = options();
        opts.subscription = subscription;
        startReplica(opts);
        const protocol::Hello hello = awaitHello();
        ASSERT_TRUE(hello.subscribe.has_value());
        EXPECT_EQ(*hello.subscribe, subscription);
        greet(view);
        server.send(protocol::Snapshot{view});
        ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Live; }));
        ASSERT_TRUE(sameState(view, replica->state()));
    }

    state::EngineState view{kEpoch};
};

TEST_F(ReplicaSparse, AppliesSparseBatchesOfASubsetOfKinds)
{
    connectFiltered(containersOnly());
    EXPECT_FALSE(replica->state().engine().has_value());
    for (const state::Batch& batch : commitTour()) {
        const state::Batch sparse = containersOf(batch);
        sendBatch(sparse);
        ASSERT_TRUE(waitForVersion(sparse.to));
        ASSERT_TRUE(sameState(view, replica->state()));
    }
    EXPECT_EQ(replica->stats().batches, 3u);
    EXPECT_EQ(replica->stats().resyncs, 0u);
    EXPECT_EQ(subscribes(), 0u);
}

TEST_F(ReplicaSparse, AppliesSparseBatchesOfANameFilter)
{
    protocol::Subscription webOnly = protocol::Subscription::everything();
    webOnly.filter.name = "c3*";
    view.resetTo(kEpoch, source.version(), {}, {}, {}, {}, source.engine());
    connectFiltered(webOnly);
    for (const state::Batch& batch : commitTour()) {
        const state::Batch sparse = filtered(batch, [](const state::StateChange& c) {
            return c.kind == state::EntityKind::Engine ||
                   (c.kind == state::EntityKind::Container && c.id == "c3");
        });
        sendBatch(sparse);
        ASSERT_TRUE(waitForVersion(sparse.to));
    }
    EXPECT_TRUE(sameState(view, replica->state()));
    EXPECT_EQ(replica->state().containers().size(), 1u);
    EXPECT_EQ(replica->stats().resyncs, 0u);
}

TEST_F(ReplicaSparse, ASparseBatchWithAWrongDigestStillResyncs)
{
    connectFiltered(containersOnly());
    state::Batch sparse = containersOf(commitTour().front());
    sparse.digest += 1;
    sendBatch(sparse);
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_EQ(server.messages<protocol::Subscribe>().front().subscription, containersOnly());
}

TEST_F(ReplicaSync, AnUnfilteredReplicaRefusesASparseBatch)
{
    startReplica();
    connectLive();
    state::Batch batch = commitTour().front();
    batch.to += 1; // spans more versions than it holds: only a filtered view may receive that
    sendBatch(batch);
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_EQ(replica->stats().batches, 0u);
}

TEST_F(ReplicaSparse, SetSubscriptionSwitchesToTheNewViewAtItsSnapshot)
{
    startReplica();
    connectLive();
    replica->setSubscription(containersOnly());
    ASSERT_TRUE(waitFor([&] { return subscribes() == 1; }));
    EXPECT_EQ(server.messages<protocol::Subscribe>().front().subscription, containersOnly());
    EXPECT_EQ(replica->stats().resyncs, 0u) << "a subscription change is not a resync";
    state::StateTransaction tx;
    tx.put(makeContainer("c8"));
    const state::Batch full = commit(tx);
    sendBatch(full); // of the old subscription, before the snapshot: dropped
    ASSERT_TRUE(waitFor([&] { return replica->stats().droppedBatches == 1; }));
    view.resetTo(kEpoch, source.version(), source.containers(), {}, {}, {}, std::nullopt);
    server.send(protocol::Snapshot{view});
    ASSERT_TRUE(waitFor([&] { return sameState(view, replica->state()); }));

    state::StateTransaction images;
    state::Image image;
    image.id = "sha256:other";
    images.put(image);
    const state::Batch sparse = containersOf(commit(images)); // no changes, spans one version
    EXPECT_TRUE(sparse.changes.empty());
    sendBatch(sparse);
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_EQ(replica->stats().resyncs, 0u);
}

// Both encodings, compressed or not, carry the same messages.
class ReplicaEncoding : public ReplicaFixture,
                        public ::testing::WithParamInterface<std::tuple<protocol::Encoding, bool>> {};

TEST_P(ReplicaEncoding, RoundTripsSnapshotsAndBatches)
{
    const auto [encoding, compressed] = GetParam();
    if (compressed && !protocol::zstdAvailable())
        GTEST_SKIP() << "zstd is not built in";
    Replica::Options opts = options();
    opts.encoding = encoding;
    startReplica(opts);
    const protocol::Hello hello = awaitHello();
    EXPECT_EQ(hello.encoding, encoding);
    EXPECT_EQ(server.received().front().frame.binary, encoding == protocol::Encoding::Msgpack);
    server.setEncoding(encoding);
    greet();
    auto send = [&](const protocol::ServerMessage& message) {
        if (compressed)
            server.sendCompressed(message);
        else
            server.send(message);
    };
    send(protocol::Snapshot{source});
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Live; }));
    state::StateTransaction tx;
    tx.put(makeContainer("c5", state::ContainerState::Running, {{"caf\xc3\xa9", "\xe2\x9c\x93"}}));
    tx.remove(state::EntityKind::Container, "c1");
    send(protocol::Changes{kEpoch, commit(tx)});
    ASSERT_TRUE(waitForVersion(source.version()));
    EXPECT_TRUE(sameState(source, replica->state()));
    EXPECT_EQ(replica->stats().malformed, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Wire, ReplicaEncoding,
    ::testing::Combine(::testing::Values(protocol::Encoding::Json, protocol::Encoding::Msgpack),
                       ::testing::Bool()),
    [](const auto& param) {
        return std::string(std::get<0>(param.param) == protocol::Encoding::Json ? "Json" : "Msgpack") +
               (std::get<1>(param.param) ? "Zstd" : "Plain");
    });
