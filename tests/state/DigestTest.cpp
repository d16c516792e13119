#include "RandomState.h"

#include "dockscope/state/Digest.h"
#include "dockscope/state/EngineState.h"
#include "dockscope/state/EntityDiff.h"
#include "dockscope/state/EntityJson.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace dockscope::state;
using dockscope::state::testing::RandomState;
using dockscope::state::testing::testSeed;
using nlohmann::json;

namespace {

// The algorithm of Digest.h written out again, independently, to pin it.
std::uint64_t referenceFnv(const std::string& bytes)
{
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : bytes)
        h = (h ^ c) * 1099511628211ULL;
    return h;
}

std::uint64_t referenceMix(std::uint64_t z)
{
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

Volume dataVolume()
{
    return Volume{"data",
                  "local",
                  "/var/lib/docker/volumes/data/_data",
                  1'700'000'000'000'000'000,
                  "local",
                  {{"owner", "caf\xc3\xa9"}},
                  {"c1"}};
}

EngineInfo hostEngine()
{
    EngineInfo e;
    e.status = EngineStatus::Connected;
    e.version = "29.0.0";
    e.apiVersion = "1.52";
    e.os = "linux";
    e.arch = "x86_64";
    e.kernel = "6.1";
    e.cpus = 4;
    e.memTotal = 8'000'000'000;
    e.name = "host";
    return e;
}

// The canonical form of dataVolume(), written by hand.
const std::string kDataVolumeCanonical =
    R"({"createdAt":1700000000000000000,"driver":"local","labels":{"owner":"caf)"
    "\xc3\xa9"
    R"("},"mountpoint":"/var/lib/docker/volumes/data/_data","name":"data","scope":"local","usedBy":["c1"]})";

// Values computed outside C++ (a Python transcription of Digest.h), so that another language is known to
// agree.
constexpr std::uint64_t kDataVolumeHash = 0xc2cf5dc350a208caULL;
constexpr std::uint64_t kHostEngineHash = 0x45da51208a6d7577ULL;

} // namespace

TEST(Digest, PrimitivesMatchKnownVectors)
{
    EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
    // The first output of splitmix64 seeded with 0 is mix(0 + golden gamma).
    EXPECT_EQ(splitmix64Finalise(0x9e3779b97f4a7c15ULL), 0xe220a8397b1dcdafULL);
}

TEST(Digest, CanonicalJsonSortsKeysHasNoSpacesAndKeepsUtf8)
{
    EXPECT_EQ(canonicalJson(json(dataVolume())), kDataVolumeCanonical);
    EXPECT_EQ(canonicalJson(json("a\x01\n\"\\/\xe2\x9c\x93")), R"("a\u0001\n\"\\/)"
                                                               "\xe2\x9c\x93\"");
}

TEST(Digest, EntityHashMatchesAHandComputedValue)
{
    const std::string bytes = std::string("volume") + '\0' + "data" + '\0' + kDataVolumeCanonical;
    const std::uint64_t expected = referenceMix(referenceFnv(bytes));
    EXPECT_EQ(expected, kDataVolumeHash);
    EXPECT_EQ(entityHash(EntityKind::Volume, "data", json(dataVolume())), expected);
    EXPECT_NE(entityHash(EntityKind::Image, "data", json(dataVolume())), expected) << "the kind is hashed";
}

TEST(Digest, StateDigestIsTheSumOfEntityHashes)
{
    EngineState state;
    EXPECT_EQ(state.digest(), 0u);
    EXPECT_EQ(state.recomputeDigest(), 0u);
    state.resetTo(1, 7, {}, {}, {{"data", dataVolume()}}, {}, hostEngine());
    EXPECT_EQ(state.digest(), kDataVolumeHash + kHostEngineHash);
    EXPECT_EQ(state.recomputeDigest(), state.digest());
}

TEST(Digest, IsIndependentOfInsertionOrder)
{
    const std::uint64_t seed = testSeed(2001);
    SCOPED_TRACE("seed=" + std::to_string(seed));
    RandomState random(seed);
    for (int round = 0; round < 20; ++round) {
        std::vector<Container> containers;
        for (int i = 0; i < 15; ++i)
            containers.push_back(random.container("c" + std::to_string(i)));
        std::vector<Image> images;
        for (int i = 0; i < 5; ++i)
            images.push_back(random.image("sha256:i" + std::to_string(i)));
        auto build = [&](std::uint64_t shuffleSeed) {
            std::mt19937_64 shuffler(shuffleSeed);
            auto c = containers;
            auto im = images;
            std::shuffle(c.begin(), c.end(), shuffler);
            std::shuffle(im.begin(), im.end(), shuffler);
            EngineState state;
            StateTransaction tx;
            for (std::size_t i = 0; i < c.size(); ++i) {
                tx.put(c[i]);
                if (i < im.size())
                    tx.put(im[i]);
                if (i % 4 == 3) { // several batches of different shapes
                    state.commit(tx, 0);
                    tx = {};
                }
            }
            state.commit(tx, 0);
            return state;
        };
        const EngineState a = build(1);
        const EngineState b = build(2);
        EXPECT_EQ(a.containers(), b.containers());
        EXPECT_EQ(a.images(), b.images());
        EXPECT_EQ(a.digest(), b.digest());
        EXPECT_EQ(a.digest(), a.recomputeDigest());
        EngineState reset;
        reset.resetTo(0, 0, a.containers(), a.images(), {}, {}, std::nullopt);
        EXPECT_EQ(reset.digest(), a.digest());
    }
}

// The network's and volume's id lists are hashed, diffed and merged apart from their wire form (they can hold
// every container's id): the results must be exactly those of the generic path through the wire form,
// including ids that need escaping and strings that are not UTF-8.
TEST(Digest, NetworksAndVolumesHashedWithoutTheirWireFormMatchTheGenericPath)
{
    RandomState r(testSeed(20261126));
    const std::vector<std::string> oddIds{"plain", "q\"uote", "back\\slash", "caf\xc3\xa9", "tab\t", "\x01"};
    for (int i = 0; i < 300; ++i) {
        Network n = r.network("n" + std::to_string(i));
        Volume v = r.volume("v" + std::to_string(i));
        if (r.chance(0.5)) {
            n.containers.push_back(r.pick(oddIds));
            v.usedBy.push_back(r.pick(oddIds));
        }
        if (r.chance(0.2))
            n.containers.clear();
        EXPECT_EQ(entityHash(EntityKind::Network, n.id, n), entityHash(EntityKind::Network, n.id, json(n)));
        EXPECT_EQ(entityHash(EntityKind::Volume, v.name, v), entityHash(EntityKind::Volume, v.name, json(v)));

        // An id-set change made whole (as the server does for clients that do not read them) is the generic
        // merge patch.
        const auto whole = [](json patch, const json& to, const char* key) {
            if (patch.contains(key) && patch[key].is_object())
                patch[key] = to.at(key);
            return patch;
        };
        Network other = r.network(n.id);
        EXPECT_EQ(whole(diff(n, other), json(other), "containers"), diffWire(json(n), json(other)));
        json wire = n;
        wire.merge_patch(whole(diff(n, other), json(other), "containers"));
        EXPECT_EQ(json(applyDiff(n, diff(n, other))), wire);
        Volume otherVolume = r.volume(v.name);
        EXPECT_EQ(whole(diff(v, otherVolume), json(otherVolume), "usedBy"),
                  diffWire(json(v), json(otherVolume)));
        EXPECT_EQ(applyDiff(v, diff(v, otherVolume)), otherVolume);
    }
    Network invalid = r.network("bad");
    invalid.containers = {"ok", std::string("\xff\xfe")};
    EXPECT_THROW(entityHash(EntityKind::Network, invalid.id, invalid), json::type_error);
    Network base = r.network("base");
    EXPECT_THROW(applyDiff(base, json{{"containers", {1, 2}}}), CodecError);
    EXPECT_THROW(applyDiff(base, json{{"containers", nullptr}}), CodecError);
    EXPECT_THROW(applyDiff(base, json{{"nosuchfield", 1}}), CodecError);
}
