#include "RandomState.h"

#include "dockscope/state/EntityDiff.h"

#include <gtest/gtest.h>

using namespace dockscope::state;
using dockscope::state::testing::RandomState;
using dockscope::state::testing::testSeed;
using nlohmann::json;

namespace {

constexpr int kCases = 1000; // per entity type

// An id-set change replaced by the whole list, as the server sends it to a client without "idSets".
json wholeLists(json patch, const json& toWire)
{
    for (const char* key : {"containers", "usedBy"})
        if (patch.contains(key) && patch[key].is_object())
            patch[key] = toWire.at(key);
    return patch;
}

// diff then applyDiff gives the target; a stock RFC 7386 merge patch of the wire form does too (once id-set
// changes are made whole, as a server does for clients that do not read them); equal values give an empty
// diff that changes nothing.
template <typename T>
void checkDiff(const T& from, const T& to)
{
    const json patch = diff(from, to);
    ASSERT_TRUE(patch.is_object());
    EXPECT_EQ(applyDiff(from, patch), to) << patch.dump();
    const json fromWire = from;
    const json toWire = to;
    json patched = fromWire;
    patched.merge_patch(wholeLists(patch, toWire));
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

// The derived id lists as the state keeps them (sorted), long, changing by a few ids: mostly id-set changes.
TEST(EntityDiffProperty, LongIdListsChangingByAFewIds)
{
    const auto sortedIds = [](RandomState& r, int n) {
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i)
            ids.push_back(r.containerId());
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return ids;
    };
    const auto churn = [](RandomState& r, std::vector<std::string> ids) {
        for (int i = r.uniform(0, 3); i > 0 && !ids.empty(); --i)
            ids.erase(ids.begin() + r.uniform(0, static_cast<int>(ids.size()) - 1));
        for (int i = r.uniform(0, 3); i > 0; --i)
            ids.push_back(r.containerId());
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return ids;
    };
    int idSets = 0;
    runDiffProperty(
        testSeed(1006),
        [&](RandomState& r) {
            Network n = r.network(r.networkId());
            n.containers = sortedIds(r, r.uniform(0, 40));
            return n;
        },
        [&](RandomState& r, Network n) {
            const Network before = n;
            n.containers = churn(r, n.containers);
            const json patch = diff(before, n);
            idSets += patch.contains("containers") && patch["containers"].is_object();
            return n;
        });
    runDiffProperty(
        testSeed(1007),
        [&](RandomState& r) {
            Volume v = r.volume(r.volumeName());
            v.usedBy = sortedIds(r, r.uniform(0, 40));
            return v;
        },
        [&](RandomState& r, Volume v) {
            const Volume before = v;
            v.usedBy = churn(r, v.usedBy);
            const json patch = diff(before, v);
            idSets += patch.contains("usedBy") && patch["usedBy"].is_object();
            return v;
        });
    EXPECT_GT(idSets, 100) << "the id-set form was hardly ever used";
}

TEST(EntityDiff, ALongIdListChangingByOneIdCarriesOnlyThatId)
{
    Network before;
    before.id = "n1";
    for (char c = 'a'; c <= 'j'; ++c)
        before.containers.push_back(std::string(1, c));
    Network after = before;
    after.containers.erase(after.containers.begin() + 2); // c
    after.containers.push_back("k");
    const json patch = diff(before, after);
    EXPECT_EQ(patch, (json{{"containers", {{"add", {"k"}}, {"remove", {"c"}}}}}));
    EXPECT_EQ(applyDiff(before, patch), after);
    // Replaced wholly (or short): the whole list, as before.
    Network small;
    small.containers = {"a"};
    EXPECT_EQ(diff(Network{}, small), (json{{"containers", {"a"}}}));
}

TEST(EntityDiff, RefusesIdSetChangesThatDoNotFitTheList)
{
    Volume v;
    v.name = "data";
    v.usedBy = {"a", "b", "c"};
    const auto refused = [&](const json& change, const std::string& expected) {
        try {
            applyDiff(v, json{{"usedBy", change}});
            ADD_FAILURE() << "accepted " << change.dump();
        } catch (const CodecError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    refused({{"add", {"b"}}}, "field 'usedBy.add': 'b' is already there");
    refused({{"remove", {"x"}}}, "field 'usedBy.remove': 'x' is not there");
    refused({{"remove", {"a", "a"}}}, "'a' is there twice");
    refused({{"add", {1}}}, "field 'usedBy.add': expected an array of strings");
    refused({{"replace", {"a"}}}, "field 'usedBy.replace': unknown");
    refused(json("a"), "field 'usedBy': expected an array of strings");
    // Unsorted adds and removes are fine: the result is sorted.
    EXPECT_EQ(applyDiff(v, json{{"usedBy", {{"add", {"e", "d"}}, {"remove", {"c", "a"}}}}}).usedBy,
              (std::vector<std::string>{"b", "d", "e"}));
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
