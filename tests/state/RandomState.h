#pragma once

// Random entities and transactions for the state property tests. Ids come from small pools so that
// references (imageId, mount names, network names) often hit existing entities, and often miss.

#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateTransaction.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace dockscope::state::testing {

/// The seed for a property test: DOCKSCOPE_TEST_SEED when set, else `fallback`. Tests print it on failure.
inline std::uint64_t testSeed(std::uint64_t fallback)
{
    if (const char* text = std::getenv("DOCKSCOPE_TEST_SEED"))
        return std::strtoull(text, nullptr, 10);
    return fallback;
}

class RandomState {
public:
    explicit RandomState(std::uint64_t seed)
        : rng_(seed)
    {}

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    std::int64_t time()
    {
        return std::uniform_int_distribution<std::int64_t>(0, 1'800'000'000'000'000'000)(rng_);
    }

    std::string pick(const std::vector<std::string>& from)
    {
        return from[static_cast<std::size_t>(uniform(0, static_cast<int>(from.size()) - 1))];
    }
    std::string containerId() { return "c" + std::to_string(uniform(0, 24)); }
    std::string imageId() { return "sha256:i" + std::to_string(uniform(0, 7)); }
    std::string volumeName() { return "vol" + std::to_string(uniform(0, 6)); }
    std::string networkId() { return "n" + std::to_string(uniform(0, 5)); }
    std::string networkName() { return "net" + std::to_string(uniform(0, 5)); }

    std::string text()
    {
        static const std::vector<std::string> words{
            "",        "a",           "web",          "caf\xc3\xa9", "line\nbreak",
            "q\"uote", "back\\slash", "\xe2\x9c\x93", "tab\t",       "x y z"};
        return pick(words) + (chance(0.3) ? pick(words) : std::string());
    }

    Labels labels()
    {
        Labels labels;
        const int n = uniform(0, 4);
        for (int i = 0; i < n; ++i)
            labels["k" + std::to_string(uniform(0, 6))] = text();
        return labels;
    }

    template <typename Make>
    auto list(int max, Make make)
    {
        std::vector<decltype(make())> out;
        const int n = uniform(0, max);
        for (int i = 0; i < n; ++i)
            out.push_back(make());
        return out;
    }

    std::vector<std::string> sortedUnique(std::vector<std::string> v)
    {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
    }

    Mount mount()
    {
        static const std::vector<std::string> types{"volume", "volume", "bind", "tmpfs"};
        Mount m;
        m.type = pick(types);
        m.name = m.type == "volume" ? volumeName() : std::string();
        m.source = "/src/" + text();
        m.destination = "/dst" + std::to_string(uniform(0, 9));
        m.rw = chance(0.5);
        return m;
    }

    Port port()
    {
        static const std::vector<std::string> types{"tcp", "udp", "sctp"};
        return Port{chance(0.5) ? "0.0.0.0" : "", static_cast<std::uint16_t>(uniform(1, 65535)),
                    static_cast<std::uint16_t>(uniform(0, 65535)), pick(types)};
    }

    Container container(std::string id)
    {
        Container c;
        c.id = std::move(id);
        c.name = "name-" + text();
        c.image = "img:" + std::to_string(uniform(0, 3));
        c.imageId = imageId();
        c.command = text();
        c.createdAt = time();
        c.state = static_cast<ContainerState>(uniform(0, 6));
        c.health = static_cast<Health>(uniform(0, 3));
        c.exitCode = uniform(-1, 255);
        c.startedAt = time();
        c.finishedAt = chance(0.5) ? 0 : time();
        c.restartCount = uniform(0, 5);
        c.ports = list(3, [this] { return port(); });
        c.labels = labels();
        c.networks = sortedUnique(list(3, [this] { return networkName(); }));
        c.mounts = list(3, [this] { return mount(); });
        c.composeProject = chance(0.5) ? "shop" : "";
        c.composeService = text();
        return c;
    }

    // A few fields of `c` changed, as Docker events change them.
    Container mutate(Container c)
    {
        switch (uniform(0, 6)) {
        case 0:
            c.state = static_cast<ContainerState>(uniform(0, 6));
            break;
        case 1:
            c.labels = labels();
            break;
        case 2:
            c.networks = sortedUnique(list(3, [this] { return networkName(); }));
            break;
        case 3:
            c.mounts = list(3, [this] { return mount(); });
            break;
        case 4:
            c.imageId = imageId();
            break;
        case 5:
            c.health = static_cast<Health>(uniform(0, 3));
            c.exitCode = uniform(0, 255);
            break;
        default:
            break; // unchanged
        }
        return c;
    }

    Image image(std::string id)
    {
        return Image{std::move(id),
                     sortedUnique(list(2, [this] { return "repo:" + std::to_string(uniform(0, 4)); })),
                     sortedUnique(list(2, [this] { return "repo@sha256:" + std::to_string(uniform(0, 4)); })),
                     time(),
                     uniform(0, 1 << 30),
                     labels(),
                     uniform(0, 3)};
    }

    Volume volume(std::string name)
    {
        return Volume{std::move(name),
                      chance(0.8) ? "local" : "nfs",
                      "/var/lib/docker/volumes/" + text(),
                      time(),
                      chance(0.9) ? "local" : "global",
                      labels(),
                      sortedUnique(list(2, [this] { return containerId(); }))};
    }

    Network network(std::string id)
    {
        return Network{std::move(id),
                       networkName(),
                       chance(0.7) ? "bridge" : "overlay",
                       "local",
                       chance(0.3),
                       chance(0.5),
                       time(),
                       labels(),
                       list(2, [this] { return "10." + std::to_string(uniform(0, 255)) + ".0.0/16"; }),
                       sortedUnique(list(2, [this] { return containerId(); }))};
    }

    EngineInfo engine()
    {
        EngineInfo e;
        e.status = static_cast<EngineStatus>(uniform(0, 3));
        e.version = "29." + std::to_string(uniform(0, 3)) + ".0";
        e.apiVersion = "1.4" + std::to_string(uniform(1, 9));
        e.os = "linux";
        e.arch = chance(0.5) ? "x86_64" : "aarch64";
        e.kernel = "6.1";
        e.cpus = uniform(1, 64);
        e.memTotal = uniform(1, 1 << 30);
        e.name = "host-" + text();
        e.counts = {uniform(0, 9), uniform(0, 9), uniform(0, 9), uniform(0, 9)}; // ignored by commit
        e.lastError = chance(0.8) ? "" : text();
        return e;
    }

    /// A transaction of a few operations against `state`: new, changed, unchanged and removed entities of
    /// every kind, including removals of unknown ids.
    StateTransaction transaction(const EngineState& state)
    {
        StateTransaction tx;
        const int n = uniform(0, 6);
        for (int i = 0; i < n; ++i)
            addOperation(tx, state);
        return tx;
    }

private:
    void addOperation(StateTransaction& tx, const EngineState& state)
    {
        switch (uniform(0, 11)) {
        case 0:
        case 1:
        case 2: {
            const std::string id = containerId();
            const auto it = state.containers().find(id);
            tx.put(it == state.containers().end() ? container(id) : mutate(it->second));
            break;
        }
        case 3:
            tx.remove(EntityKind::Container, containerId());
            break;
        case 4:
            tx.put(image(imageId()));
            break;
        case 5:
            tx.remove(EntityKind::Image, imageId());
            break;
        case 6:
            tx.put(volume(volumeName()));
            break;
        case 7:
            tx.remove(EntityKind::Volume, volumeName());
            break;
        case 8:
            tx.put(network(networkId()));
            break;
        case 9:
            tx.remove(EntityKind::Network, networkId());
            break;
        case 10:
            tx.setEngine(engine());
            break;
        default:
            if (!state.containers().empty()) // an unchanged put: must produce nothing for it
                tx.put(state.containers().begin()->second);
            break;
        }
    }

    std::mt19937_64 rng_;
};

} // namespace dockscope::state::testing
