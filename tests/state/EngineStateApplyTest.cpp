// A replica refuses hostile or stale batches whole, and stays exactly as it was.
#include "StateTestSupport.h"

#include "dockscope/state/EngineState.h"
#include "dockscope/state/EntityJson.h"
#include "dockscope/state/StateCodec.h"

#include <gtest/gtest.h>

using namespace dockscope::state;
using namespace dockscope::state::testing;
using nlohmann::json;

namespace {

Container makeContainer(const std::string& id, ContainerState state)
{
    Container c;
    c.id = id;
    c.name = id;
    c.imageId = "X";
    c.state = state;
    c.mounts = {{"volume", "V", "/v", "/data", true}};
    return c;
}

class EngineStateApply : public ::testing::Test {
protected:
    void SetUp() override
    {
        StateTransaction tx;
        tx.put(makeContainer("c1", ContainerState::Running));
        tx.put(makeContainer("c2", ContainerState::Exited));
        Image x;
        x.id = "X";
        tx.put(x);
        Volume v;
        v.name = "V";
        tx.put(v);
        tx.setEngine(EngineInfo{});
        ASSERT_TRUE(replica.apply(source.commit(tx, 1), nullptr));
    }

    // A genuine next batch: c1 updated, c2 removed, c3 created, with their derived changes.
    Batch nextBatch()
    {
        EngineState copy = source;
        StateTransaction tx;
        tx.put(makeContainer("c1", ContainerState::Paused));
        tx.remove(EntityKind::Container, "c2");
        tx.put(makeContainer("c3", ContainerState::Running));
        return copy.commit(tx, 2);
    }

    // A one-change batch on the replica's version, with a digest that would not matter: it must fail earlier.
    Batch single(StateChange change)
    {
        return Batch{replica.version(), replica.version() + 1, {std::move(change)}, replica.digest()};
    }

    void expectRefused(const Batch& batch, const std::string& reason)
    {
        const Entities before = capture(replica);
        const std::uint64_t version = replica.version();
        std::string error;
        EXPECT_FALSE(replica.apply(batch, &error));
        EXPECT_NE(error.find(reason), std::string::npos) << "error: " << error;
        EXPECT_EQ(capture(replica), before);
        EXPECT_EQ(replica.version(), version);
        EXPECT_EQ(replica.checkConsistency(), std::vector<std::string>{});
        EngineState copy = replica; // a copy, so that the next refusal is tried on the same version
        std::string again;
        EXPECT_TRUE(copy.apply(nextBatch(), &again)) << "still usable after the refusal: " << again;
    }

    EngineState source{42};
    EngineState replica{42};
};

} // namespace

TEST_F(EngineStateApply, AcceptsTheGenuineBatch)
{
    std::string error;
    const Batch batch = nextBatch();
    EXPECT_GE(batch.changes.size(), 4u);
    EXPECT_TRUE(replica.apply(batch, &error)) << error;
    EXPECT_EQ(replica.version(), batch.to);
    EXPECT_EQ(replica.digest(), batch.digest);
}

TEST_F(EngineStateApply, RefusesAWrongFrom)
{
    Batch batch = nextBatch();
    batch.from += 1;
    batch.to += 1;
    expectRefused(batch, "does not apply on version");
    batch.from -= 2;
    batch.to -= 2;
    expectRefused(batch, "does not apply on version");
}

TEST_F(EngineStateApply, RefusesAToThatDoesNotCountTheChanges)
{
    Batch batch = nextBatch();
    batch.to += 1;
    expectRefused(batch, "is not from +");
}

TEST_F(EngineStateApply, RefusesACreatedOfAnExistingId)
{
    Batch batch = nextBatch();
    batch.changes.push_back(
        {EntityKind::Image, ChangeOp::Created, "X", json(Image{"X", {}, {}, 0, 0, {}, 2}), {}});
    batch.to += 1;
    expectRefused(batch, "already exists");
    expectRefused(single({EntityKind::Engine, ChangeOp::Created, "engine", json(EngineInfo{}), {}}),
                  "already exists");
}

TEST_F(EngineStateApply, RefusesUpdatedOrRemovedOfAMissingId)
{
    expectRefused(single({EntityKind::Container, ChangeOp::Updated, "nope", {}, {{"exitCode", 1}}}),
                  "does not exist");
    expectRefused(single({EntityKind::Network, ChangeOp::Removed, "nope", {}, {}}), "does not exist");
    Batch batch = nextBatch();
    batch.changes.push_back({EntityKind::Volume, ChangeOp::Removed, "nope", {}, {}});
    batch.to += 1;
    expectRefused(batch, "'nope'");
}

TEST_F(EngineStateApply, RefusesADiffWithAWrongTypeOrAnUnknownField)
{
    expectRefused(single({EntityKind::Container, ChangeOp::Updated, "c1", {}, {{"exitCode", "zero"}}}),
                  "exitCode");
    expectRefused(single({EntityKind::Container, ChangeOp::Updated, "c1", {}, {{"env", {"A=1"}}}}), "env");
    expectRefused(single({EntityKind::Container, ChangeOp::Updated, "c1", {}, json::array()}), "diff");
    Batch batch = nextBatch(); // a good first change, a bad last one: nothing may be applied
    batch.changes.back().op = ChangeOp::Updated;
    batch.changes.back().diff = {{"mounts", 3}};
    expectRefused(batch, "mounts");
}

TEST_F(EngineStateApply, RefusesValuesThatAreNotEntitiesOrNameAnotherId)
{
    expectRefused(single({EntityKind::Container, ChangeOp::Created, "c9", json(42), {}}), "container");
    expectRefused(single({EntityKind::Container, ChangeOp::Created, "c9", {{"id", "c9"}}, {}}), "'name'");
    expectRefused(single({EntityKind::Container,
                          ChangeOp::Created,
                          "c9",
                          json(makeContainer("c8", ContainerState::Dead)),
                          {}}),
                  "carries the id 'c8'");
    expectRefused(single({EntityKind::Container, ChangeOp::Updated, "c1", {}, {{"id", "c2"}}}),
                  "carries the id");
}

TEST_F(EngineStateApply, RefusesEngineRemovalWrongEngineIdAndDuplicates)
{
    expectRefused(single({EntityKind::Engine, ChangeOp::Removed, "engine", {}, {}}), "never removed");
    expectRefused(single({EntityKind::Engine, ChangeOp::Updated, "dockerd", {}, {{"name", "x"}}}),
                  "'engine'");
    Batch batch = nextBatch();
    batch.changes.push_back(batch.changes.front());
    batch.to += 1;
    expectRefused(batch, "twice");
}

TEST_F(EngineStateApply, RefusesAWrongDigestAndRollsBack)
{
    Batch batch = nextBatch();
    batch.digest += 1;
    expectRefused(batch, "digest mismatch");
}

TEST_F(EngineStateApply, RefusesStringsThatAreNotUtf8)
{
    Container bad = makeContainer("c9", ContainerState::Running);
    bad.labels["k"] = "\xff\xfe";
    expectRefused(single({EntityKind::Container, ChangeOp::Created, "c9", json(bad), {}}), "c9");
}

TEST_F(EngineStateApply, AcceptsAnEmptyBatchOnlyWithTheCurrentDigest)
{
    std::string error;
    EXPECT_TRUE(replica.apply(Batch{replica.version(), replica.version(), {}, replica.digest()}, &error))
        << error;
    expectRefused(Batch{replica.version(), replica.version(), {}, replica.digest() + 1}, "digest mismatch");
}
