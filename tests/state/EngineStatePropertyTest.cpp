#include "RandomState.h"
#include "StateTestSupport.h"

#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateCodec.h"

#include <gtest/gtest.h>

using namespace dockscope::state;
using namespace dockscope::state::testing;

namespace {

constexpr int kSeeds = 4;
constexpr int kSteps = 120;

std::string seedTrace(std::uint64_t seed)
{
    return "seed=" + std::to_string(seed) + " (set DOCKSCOPE_TEST_SEED to replay)";
}

// Sends a batch the way a client would get it: as is, through JSON, or through MessagePack.
Batch overTheWire(const Batch& batch, int route)
{
    if (route == 1)
        return batchFromJson(nlohmann::json::parse(toJson(batch).dump()));
    if (route == 2)
        return batchFromMsgpack(toMsgpack(batch));
    return batch;
}

// The transaction that puts back what `batch` changed, given the state before it.
StateTransaction inverseOf(const Batch& batch, const Entities& before)
{
    StateTransaction tx;
    for (const StateChange& change : batch.changes) {
        const bool created = change.op == ChangeOp::Created;
        switch (change.kind) {
        case EntityKind::Container:
            created ? tx.remove(change.kind, change.id) : tx.put(before.containers.at(change.id));
            break;
        case EntityKind::Image:
            created ? tx.remove(change.kind, change.id) : tx.put(before.images.at(change.id));
            break;
        case EntityKind::Volume:
            created ? tx.remove(change.kind, change.id) : tx.put(before.volumes.at(change.id));
            break;
        case EntityKind::Network:
            created ? tx.remove(change.kind, change.id) : tx.put(before.networks.at(change.id));
            break;
        case EntityKind::Engine:
            tx.setEngine(*before.engine); // never Created here: the caller skips those batches
            break;
        }
    }
    return tx;
}

} // namespace

TEST(EngineStateProperty, ReplicaEqualsSourceAfterEveryBatch)
{
    for (int s = 0; s < kSeeds && !HasFailure(); ++s) {
        const std::uint64_t seed = testSeed(3000) + static_cast<std::uint64_t>(s);
        SCOPED_TRACE(seedTrace(seed));
        RandomState random(seed);
        EngineState source(seed);
        EngineState replica(seed);
        std::uint64_t previousTo = 0;
        for (int step = 0; step < kSteps && !HasFailure(); ++step) {
            const Batch batch = source.commit(random.transaction(source), step + 1);
            ASSERT_EQ(batch.from, previousTo) << "versions are contiguous";
            ASSERT_EQ(batch.to, batch.from + batch.changes.size());
            ASSERT_EQ(source.version(), batch.to);
            previousTo = batch.to;
            ASSERT_EQ(batch.digest, source.digest());
            ASSERT_EQ(source.digest(), source.recomputeDigest());
            ASSERT_EQ(source.checkConsistency(), std::vector<std::string>{}) << "step " << step;
            std::string error;
            ASSERT_TRUE(replica.apply(overTheWire(batch, step % 3), &error))
                << "step " << step << ": " << error;
            ASSERT_EQ(capture(replica), capture(source)) << "step " << step;
            ASSERT_EQ(replica.version(), source.version());
        }
        EXPECT_EQ(replica.checkConsistency(), std::vector<std::string>{});
        EXPECT_GT(source.version(), static_cast<std::uint64_t>(kSteps))
            << "the generator made too few changes";
    }
}

TEST(EngineStateProperty, InverseTransactionRestoresTheEarlierState)
{
    for (int s = 0; s < kSeeds && !HasFailure(); ++s) {
        const std::uint64_t seed = testSeed(4000) + static_cast<std::uint64_t>(s);
        SCOPED_TRACE(seedTrace(seed));
        RandomState random(seed);
        EngineState source(seed);
        int inverted = 0;
        for (int step = 0; step < kSteps && !HasFailure(); ++step) {
            const Entities before = capture(source);
            const Batch batch = source.commit(random.transaction(source), step + 1);
            const StateChange* engine = findChange(batch, EntityKind::Engine, "engine");
            if (batch.changes.empty() || (engine && engine->op == ChangeOp::Created))
                continue; // the engine entity cannot be un-created
            EngineState undone = source;
            const Batch back = undone.commit(inverseOf(batch, before), 0);
            ASSERT_EQ(capture(undone), before) << "step " << step;
            EXPECT_EQ(back.from, batch.to);
            EXPECT_GT(undone.version(), source.version()) << "the version still grows";
            ++inverted;
        }
        EXPECT_GT(inverted, kSteps / 2);
    }
}

namespace {

using nlohmann::json;

Image image(const std::string& id)
{
    Image i;
    i.id = id;
    i.repoTags = {"app:1"};
    return i;
}

Volume volume(const std::string& name)
{
    Volume v;
    v.name = name;
    v.driver = "local";
    return v;
}

Network network(const std::string& id, const std::string& name)
{
    Network n;
    n.id = id;
    n.name = name;
    n.driver = "bridge";
    return n;
}

Container container(const std::string& id, const std::string& imageId, const std::string& volumeName,
                    const std::string& networkName)
{
    Container c;
    c.id = id;
    c.name = id;
    c.imageId = imageId;
    c.state = ContainerState::Running;
    c.mounts = {{"volume", volumeName, "/var/lib/docker/volumes/x", "/data", true},
                {"bind", volumeName, "/host", "/host", true}}; // a bind named like the volume does not count
    c.networks = {networkName};
    return c;
}

// One image X, volume V, network N (named "backend") and the engine; no containers.
EngineState world()
{
    EngineState state(7);
    StateTransaction tx;
    tx.put(image("X"));
    tx.put(volume("V"));
    tx.put(network("N", "backend"));
    tx.setEngine(EngineInfo{});
    state.commit(tx, 1);
    return state;
}

Batch commitOne(EngineState& state, const Container& c)
{
    StateTransaction tx;
    tx.put(c);
    return state.commit(tx, 2);
}

json diffOf(const Batch& batch, EntityKind kind, const std::string& id)
{
    const StateChange* change = findChange(batch, kind, id);
    return change && change->op == ChangeOp::Updated ? change->diff : json();
}

} // namespace

TEST(EngineStateDerived, ContainerUpdatesItsImageVolumeNetworkAndCountsInTheSameBatch)
{
    EngineState state = world();
    const Batch created = commitOne(state, container("c1", "X", "V", "backend"));
    ASSERT_EQ(created.changes.size(), 5u) << toJson(created).dump();
    EXPECT_EQ(findChange(created, EntityKind::Container, "c1")->op, ChangeOp::Created);
    EXPECT_EQ(diffOf(created, EntityKind::Image, "X"), json({{"containers", 1}}));
    EXPECT_EQ(diffOf(created, EntityKind::Volume, "V"), json({{"usedBy", {"c1"}}}));
    EXPECT_EQ(diffOf(created, EntityKind::Network, "N"), json({{"containers", {"c1"}}}));
    EXPECT_EQ(diffOf(created, EntityKind::Engine, "engine"), json::parse(R"({"counts":{"running":1}})"));

    Container paused = container("c1", "X", "other", "frontend");
    paused.state = ContainerState::Paused;
    const Batch changed = commitOne(state, paused);
    EXPECT_EQ(findChange(changed, EntityKind::Image, "X"), nullptr) << "same image: no image change";
    EXPECT_EQ(diffOf(changed, EntityKind::Volume, "V"), json({{"usedBy", json::array()}}));
    EXPECT_EQ(diffOf(changed, EntityKind::Network, "N"), json({{"containers", json::array()}}));
    EXPECT_EQ(state.engine()->counts, (EngineCounts{0, 1, 0, 1}));

    StateTransaction removal;
    removal.remove(EntityKind::Container, "c1");
    const Batch removed = state.commit(removal, 3);
    EXPECT_EQ(findChange(removed, EntityKind::Container, "c1")->op, ChangeOp::Removed);
    EXPECT_EQ(diffOf(removed, EntityKind::Image, "X"), json({{"containers", 0}}));
    EXPECT_EQ(state.engine()->counts, (EngineCounts{0, 0, 0, 1}));
    EXPECT_EQ(state.checkConsistency(), std::vector<std::string>{});
}

TEST(EngineStateDerived, TransactionValuesForDerivedFieldsAreIgnored)
{
    EngineState state = world();
    commitOne(state, container("c1", "X", "V", "backend"));
    StateTransaction tx;
    Image x = image("X");
    x.containers = 99;
    Volume v = volume("V");
    v.usedBy = {"ghost"};
    Network n = network("N", "backend");
    n.containers = {"ghost"};
    EngineInfo e;
    e.counts = {9, 9, 9, 9};
    tx.put(x);
    tx.put(v);
    tx.put(n);
    tx.setEngine(e);
    EXPECT_TRUE(state.commit(tx, 3).changes.empty());
    EXPECT_EQ(state.images().at("X").containers, 1);
    EXPECT_EQ(state.volumes().at("V").usedBy, std::vector<std::string>{"c1"});
    EXPECT_EQ(state.engine()->counts, (EngineCounts{1, 0, 0, 1}));
}

TEST(EngineStateDerived, EntitiesArrivingAfterTheirContainersGetTheirDerivedFields)
{
    EngineState state;
    commitOne(state, container("c1", "X", "V", "backend"));
    EXPECT_TRUE(state.images().empty());
    StateTransaction tx;
    tx.put(image("X"));
    tx.put(volume("V"));
    tx.put(network("N", "backend"));
    tx.setEngine(EngineInfo{});
    const Batch batch = state.commit(tx, 3);
    EXPECT_EQ(findChange(batch, EntityKind::Engine, "engine")->value.at("counts").at("running"), 1);
    EXPECT_EQ(state.images().at("X").containers, 1);
    EXPECT_EQ(state.volumes().at("V").usedBy, std::vector<std::string>{"c1"});
    EXPECT_EQ(state.networks().at("N").containers, std::vector<std::string>{"c1"});

    StateTransaction rename;
    rename.put(network("N", "frontend"));
    state.commit(rename, 4);
    EXPECT_TRUE(state.networks().at("N").containers.empty()) << "containers name networks by name";
    EXPECT_EQ(state.checkConsistency(), std::vector<std::string>{});
}

TEST(EngineStateDerived, NoChangeMeansAnEmptyBatchAndTheSameVersion)
{
    EngineState state = world();
    const std::uint64_t version = state.version();
    StateTransaction tx;
    tx.put(image("X"));
    tx.remove(EntityKind::Container, "unknown");
    const Batch batch = state.commit(tx, 5);
    EXPECT_TRUE(batch.changes.empty());
    EXPECT_EQ(batch.from, version);
    EXPECT_EQ(batch.to, version);
    EXPECT_EQ(batch.digest, state.digest());
    EXPECT_EQ(state.version(), version);
    EXPECT_EQ(state.lastChange(), 1) << "an empty commit is not a change";
}
