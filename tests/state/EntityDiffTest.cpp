#include "RandomState.h"

#include "dockscope/state/EntityDiff.h"

#include <gtest/gtest.h>

using namespace dockscope::state;
using dockscope::state::testing::RandomState;
using dockscope::state::testing::testSeed;
using nlohmann::json;

namespace {

constexpr int kCases = 1000; // per entity type

// diff then applyDiff gives the target; a stock RFC 7386 merge patch of the wire form does too; equal values
// give an empty diff that changes nothing.
template <typename T>
void checkDiff(const T& from, const T& to)
{
    const json patch = diff(from, to);
    ASSERT_TRUE(patch.is_object());
    EXPECT_EQ(applyDiff(from, patch), to) << patch.dump();
    const json fromWire = from;
    const json toWire = to;
    json patched = fromWire;
    patched.merge_patch(patch);
    EXPECT_EQ(patched, toWire) << patch.dump();
    EXPECT_EQ(diffWire(toWire, toWire), json::object());
    EXPECT_EQ(patch.empty(), from == to);
    for (const auto& [key, value] : patch.items())
        EXPECT_NE(fromWire.at(key), toWire.at(key)) << "unchanged field in the diff: " << key;
}

template <typename Make, typename Mutate>
void runDiffProperty(std::uint64_t seed, Make make, Mutate mutate)
{
    SCOPED_TRACE("seed=" + std::to_string(seed) + " (set DOCKSCOPE_TEST_SEED to replay)");
    RandomState random(seed);
    for (int i = 0; i < kCases && !::testing::Test::HasFailure(); ++i) {
        const auto from = make(random);
        const auto to = random.chance(0.5) ? make(random) : mutate(random, from);
        checkDiff(from, to);
    }
}

Container sample()
{
    Container c;
    c.id = "c1";
    c.name = "web";
    c.labels = {{"keep", "1"}, {"gone", "2"}};
    c.networks = {"a", "b"};
    return c;
}

} // namespace

TEST(EntityDiffProperty, Containers)
{
    runDiffProperty(
        testSeed(1001), [](RandomState& r) { return r.container(r.containerId()); },
        [](RandomState& r, const Container& c) { return r.mutate(c); });
}

TEST(EntityDiffProperty, Images)
{
    runDiffProperty(
        testSeed(1002), [](RandomState& r) { return r.image(r.imageId()); },
        [](RandomState& r, Image i) {
            i.containers = r.uniform(0, 3);
            i.labels = r.labels();
            return i;
        });
}

TEST(EntityDiffProperty, Volumes)
{
    runDiffProperty(
        testSeed(1003), [](RandomState& r) { return r.volume(r.volumeName()); },
        [](RandomState& r, Volume v) {
            v.usedBy.push_back(r.containerId());
            return v;
        });
}

TEST(EntityDiffProperty, Networks)
{
    runDiffProperty(
        testSeed(1004), [](RandomState& r) { return r.network(r.networkId()); },
        [](RandomState& r, Network n) {
            n.labels = r.labels();
            n.internal = !n.internal;
            return n;
        });
}

TEST(EntityDiffProperty, Engines)
{
    runDiffProperty(
        testSeed(1005), [](RandomState& r) { return r.engine(); },
        [](RandomState& r, EngineInfo e) {
            e.counts.running = r.uniform(0, 9);
            return e;
        });
}

TEST(EntityDiff, CarriesOnlyChangedFieldsArraysWholeAndLabelsAsNestedPatch)
{
    const Container from = sample();
    Container to = from;
    to.state = ContainerState::Running;
    to.networks = {"b"};
    to.labels = {{"keep", "1"}, {"new", "3"}};
    const json patch = diff(from, to);
    EXPECT_EQ(patch, json::parse(R"({"state":"running","networks":["b"],"labels":{"gone":null,"new":"3"}})"));
    EXPECT_EQ(applyDiff(from, patch), to);
}

TEST(EntityDiff, EngineCountsAreANestedPatch)
{
    EngineInfo from;
    EngineInfo to = from;
    to.counts.paused = 2;
    EXPECT_EQ(diff(from, to), json::parse(R"({"counts":{"paused":2}})"));
    EXPECT_EQ(applyDiff(from, diff(from, to)), to);
}

TEST(EntityDiff, RefusesAnUnknownFieldNamingIt)
{
    try {
        applyDiff(sample(), json{{"env", json::array()}});
        FAIL() << "accepted an unknown field";
    } catch (const CodecError& e) {
        EXPECT_NE(std::string(e.what()).find("'env'"), std::string::npos) << e.what();
    }
    EngineInfo engine;
    EXPECT_THROW(applyDiff(engine, json::parse(R"({"counts":{"bogus":1}})")), CodecError);
}

TEST(EntityDiff, RefusesAWrongTypeNamingTheField)
{
    try {
        applyDiff(sample(), json{{"exitCode", "zero"}});
        FAIL() << "accepted a string exit code";
    } catch (const CodecError& e) {
        EXPECT_NE(std::string(e.what()).find("exitCode"), std::string::npos) << e.what();
    }
    EXPECT_THROW(applyDiff(sample(), json{{"networks", "a"}}), CodecError);
    EXPECT_THROW(applyDiff(sample(), json{{"labels", {{"k", 1}}}}), CodecError);
    EXPECT_THROW(applyDiff(sample(), json{{"ports", json::object()}}), CodecError);
}

TEST(EntityDiff, RefusesDeletionsAndNonObjects)
{
    try {
        applyDiff(sample(), json{{"name", nullptr}});
        FAIL() << "accepted the deletion of a required field";
    } catch (const CodecError& e) {
        EXPECT_NE(std::string(e.what()).find("'name'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(applyDiff(sample(), json::array()), CodecError);
    EXPECT_THROW(applyDiff(sample(), json(42)), CodecError);
    EXPECT_THROW(applyDiff(sample(), json()), CodecError);
}
