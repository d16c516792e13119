#include "RandomState.h"
#include "StateTestSupport.h"

#include "dockscope/state/StateCodec.h"

#include <gtest/gtest.h>

using namespace dockscope::state;
using namespace dockscope::state::testing;
using nlohmann::json;

namespace {

// A source state with some history, and its batches.
struct History {
    EngineState state{99};
    std::vector<Batch> batches;
};

History history(std::uint64_t seed, int steps)
{
    History h;
    RandomState random(seed);
    for (int i = 0; i < steps; ++i)
        h.batches.push_back(h.state.commit(random.transaction(h.state), i));
    return h;
}

std::string decodeError(const json& j)
{
    try {
        batchFromJson(j);
    } catch (const CodecError& e) {
        return e.what();
    }
    return "accepted";
}

json goodBatch()
{
    return json::parse(R"({"from":3,"to":4,"digest":5,"changes":[
        {"kind":"container","op":"updated","id":"c1","diff":{"exitCode":1}}]})");
}

} // namespace

TEST(StateCodec, BatchesRoundTripThroughJsonAndMessagePack)
{
    const std::uint64_t seed = testSeed(5001);
    SCOPED_TRACE("seed=" + std::to_string(seed));
    const History h = history(seed, 150);
    for (const Batch& batch : h.batches) {
        EXPECT_EQ(batchFromJson(json::parse(toJson(batch).dump())), batch);
        EXPECT_EQ(batchFromMsgpack(toMsgpack(batch)), batch);
    }
    const Batch big{std::uint64_t{1} << 63,
                    (std::uint64_t{1} << 63) + 1,
                    {{EntityKind::Network, ChangeOp::Removed, "n1", {}, {}}},
                    ~std::uint64_t{0}};
    EXPECT_EQ(batchFromMsgpack(toMsgpack(big)), big) << "64-bit versions and digests survive";
    EXPECT_EQ(toJson(big).dump().find("\"digest\":18446744073709551615"),
              toJson(big).dump().find("\"digest\""));
}

TEST(StateCodec, ChangesCarryOnlyTheirPayload)
{
    const json removed = toJson(StateChange{EntityKind::Volume, ChangeOp::Removed, "v", {}, {}});
    EXPECT_EQ(removed, json::parse(R"({"kind":"volume","op":"removed","id":"v"})"));
    EXPECT_EQ(changeFromJson(removed), (StateChange{EntityKind::Volume, ChangeOp::Removed, "v", {}, {}}));
}

TEST(StateCodec, SnapshotsRoundTripThroughJsonAndMessagePack)
{
    const History h = history(testSeed(5002), 80);
    const json snapshot = h.state.toJson();
    EXPECT_EQ(snapshot.at("epoch"), 99u);
    EXPECT_EQ(snapshot.at("version"), h.state.version());
    EXPECT_EQ(snapshot.at("digest").get<std::uint64_t>(), h.state.digest());
    for (const EngineState& decoded : {EngineState::fromJson(json::parse(snapshot.dump())),
                                       snapshotFromMsgpack(snapshotToMsgpack(h.state))}) {
        EXPECT_EQ(capture(decoded), capture(h.state));
        EXPECT_EQ(decoded.version(), h.state.version());
        EXPECT_EQ(decoded.epoch(), h.state.epoch());
        EXPECT_EQ(decoded.checkConsistency(), std::vector<std::string>{});
    }
    EXPECT_TRUE(EngineState{}.toJson().at("state").at("engine").is_null());
    EXPECT_EQ(capture(EngineState::fromJson(EngineState{}.toJson())), capture(EngineState{}));
}

TEST(StateCodec, AReplicaFromASnapshotFollowsLaterBatches)
{
    History h = history(testSeed(5003), 40);
    EngineState replica = snapshotFromMsgpack(snapshotToMsgpack(h.state));
    RandomState random(7);
    for (int i = 0; i < 40; ++i) {
        std::string error;
        ASSERT_TRUE(replica.apply(h.state.commit(random.transaction(h.state), i), &error)) << error;
    }
    EXPECT_EQ(capture(replica), capture(h.state));
}

TEST(StateCodec, MalformedBatchesNameTheField)
{
    json j = goodBatch();
    EXPECT_EQ(decodeError(j), "accepted");
    j.erase("from");
    EXPECT_EQ(decodeError(j), "from: missing");
    j = goodBatch();
    j["from"] = -3;
    EXPECT_NE(decodeError(j).find("from: expected an unsigned integer"), std::string::npos);
    j = goodBatch();
    j["to"] = 9;
    EXPECT_NE(decodeError(j).find("to:"), std::string::npos);
    j = goodBatch();
    j["changes"][0]["op"] = "moved";
    EXPECT_EQ(decodeError(j), "changes[0].op: unknown value 'moved'");
    j = goodBatch();
    j["changes"][0]["kind"] = "pod";
    EXPECT_EQ(decodeError(j), "changes[0].kind: unknown value 'pod'");
    j = goodBatch();
    j["changes"][0]["diff"] = "exitCode=1";
    EXPECT_NE(decodeError(j).find("changes[0].diff: expected an object"), std::string::npos);
    j = goodBatch();
    j["changes"] = {{{"kind", "image"}, {"op", "created"}, {"id", "i"}, {"value", 42}}};
    EXPECT_NE(decodeError(j).find("changes[0].value: image: expected an object"), std::string::npos)
        << decodeError(j);
    j["changes"][0]["value"] = {{"id", "i"}};
    EXPECT_NE(decodeError(j).find("changes[0].value: missing field 'repoTags'"), std::string::npos)
        << decodeError(j);
    j["changes"][0].erase("value");
    EXPECT_EQ(decodeError(j), "changes[0].value: missing");
    j = goodBatch();
    j["changes"][0]["value"] = json::object();
    EXPECT_NE(decodeError(j).find("changes[0].value: only a created change"), std::string::npos);
    EXPECT_NE(decodeError(json::array()).find("expected an object"), std::string::npos);
}

TEST(StateCodec, MalformedSnapshotsNameTheField)
{
    const History h = history(testSeed(5004), 30);
    auto error = [](const json& j) {
        try {
            EngineState::fromJson(j);
        } catch (const CodecError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    json j = h.state.toJson();
    EXPECT_EQ(error(j), "accepted");
    j["digest"] = h.state.digest() + 1;
    EXPECT_NE(error(j).find("digest: the snapshot announces"), std::string::npos);
    j = h.state.toJson();
    j["state"].erase("volumes");
    EXPECT_EQ(error(j), "state.volumes: missing");
    j = h.state.toJson();
    ASSERT_FALSE(h.state.containers().empty());
    const std::string id = h.state.containers().begin()->first;
    j["state"]["containers"]["other"] = j["state"]["containers"][id];
    EXPECT_EQ(error(j), "state.containers['other']: the key differs from the entity's id");
    j = h.state.toJson();
    j["state"]["containers"][id].erase("state");
    EXPECT_EQ(error(j), "state.containers['" + id + "']: missing field 'state'");
}

TEST(StateCodec, GarbageMessagePackIsACodecError)
{
    const std::vector<std::uint8_t> garbage{0xc1, 0x00, 0xff};
    EXPECT_THROW(batchFromMsgpack(garbage), CodecError);
    EXPECT_THROW(snapshotFromMsgpack(std::vector<std::uint8_t>{}), CodecError);
    std::vector<std::uint8_t> truncated = toMsgpack(Batch{});
    truncated.pop_back();
    EXPECT_THROW(batchFromMsgpack(truncated), CodecError);
}
