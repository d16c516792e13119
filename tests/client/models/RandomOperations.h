#pragma once

// The random workload of the model property test: transactions of single operations aimed at what the models
// show (names, states, ports, projects, mounts, networks), over small id pools so that entities come, change
// and go again.

#include "ModelTestSupport.h"

#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateTransaction.h"

#include <random>
#include <string>
#include <vector>

namespace dockscope::client::models::testing {

/// Random transactions against a state, one operation at a time, aimed at what the models show.
class RandomOperations {
public:
    explicit RandomOperations(std::uint64_t seed)
        : rng_(seed)
    {}

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    std::string pick(const std::vector<std::string>& from)
    {
        return from[static_cast<std::size_t>(uniform(0, static_cast<int>(from.size()) - 1))];
    }

    void add(state::StateTransaction& tx, const state::EngineState& s)
    {
        const int op = uniform(0, 9);
        if (op <= 3)
            putContainer(tx, s);
        else if (op == 4)
            tx.remove(state::EntityKind::Container, containerId());
        else if (op == 5)
            chance(0.7) ? tx.put(randomImage()) : tx.remove(state::EntityKind::Image, imageId());
        else if (op == 6)
            chance(0.7) ? tx.put(volume("vol" + std::to_string(uniform(0, 4))))
                        : tx.remove(state::EntityKind::Volume, "vol" + std::to_string(uniform(0, 4)));
        else if (op == 7)
            chance(0.7) ? tx.put(randomNetwork())
                        : tx.remove(state::EntityKind::Network, "n" + std::to_string(uniform(0, 3)));
        else
            putContainer(tx, s);
    }

private:
    std::string containerId() { return "c" + std::to_string(uniform(0, 29)); }
    std::string imageId() { return "sha256:i" + std::to_string(uniform(0, 4)); }
    std::string project() { return pick({"", "", "shop", "blog", "ci"}); }

    state::Container newContainer(const std::string& id)
    {
        state::Container c = container(id, "name" + std::to_string(uniform(0, 99)), project(),
                                       static_cast<state::ContainerState>(uniform(0, 6)));
        c.imageId = imageId();
        c.startedAt = chance(0.8) ? agoNs(uniform(0, 100'000'000)) : 0;
        c.finishedAt = chance(0.5) ? agoNs(uniform(0, 100'000'000)) : 0;
        if (chance(0.5))
            c.mounts = {{"volume", "vol" + std::to_string(uniform(0, 4)), "", "/data", true}};
        if (chance(0.5))
            c.networks = {"net" + std::to_string(uniform(0, 3))};
        return c;
    }

    // A single field of an existing container, as an event would change it.
    void mutate(state::Container& c)
    {
        switch (uniform(0, 13)) {
        case 0:
            c.name = "name" + std::to_string(uniform(0, 99));
            break;
        case 1:
            c.image = "img:" + std::to_string(uniform(0, 3));
            break;
        case 2:
            c.state = static_cast<state::ContainerState>(uniform(0, 6));
            break;
        case 3:
            c.health = static_cast<state::Health>(uniform(0, 3));
            break;
        case 4:
            c.exitCode = uniform(0, 255);
            break;
        case 5:
            c.startedAt = agoNs(uniform(0, 100'000'000));
            break;
        case 6:
            c.ports = {{"0.0.0.0", static_cast<std::uint16_t>(uniform(1, 9)), 8080, "tcp"}};
            break;
        case 7:
            c.composeProject = project();
            break;
        case 8:
            c.composeService = "svc" + std::to_string(uniform(0, 3));
            break;
        case 9:
            c.labels = {{"k", std::to_string(uniform(0, 9))}};
            break;
        case 10:
            c.mounts = {{"volume", "vol" + std::to_string(uniform(0, 4)), "", "/data", true}};
            break;
        case 11:
            c.networks = {"net" + std::to_string(uniform(0, 3))};
            break;
        case 12:
            c.imageId = imageId();
            break;
        default: // a second chance: moves between projects are the tree's hard part
            c.composeProject = project();
            break;
        }
    }

    void putContainer(state::StateTransaction& tx, const state::EngineState& s)
    {
        const std::string id = containerId();
        const auto it = s.containers().find(id);
        if (it == s.containers().end()) {
            tx.put(newContainer(id));
            return;
        }
        state::Container c = it->second;
        mutate(c);
        tx.put(c);
    }

    state::Image randomImage()
    {
        std::vector<std::string> tags;
        if (chance(0.7))
            tags.push_back("repo:" + std::to_string(uniform(0, 3)));
        return image(imageId(), tags, uniform(0, 1 << 30));
    }

    state::Network randomNetwork()
    {
        const int n = uniform(0, 3);
        state::Network net = network("n" + std::to_string(n), "net" + std::to_string(n));
        net.internal = chance(0.3);
        return net;
    }

    std::mt19937_64 rng_;
};

} // namespace dockscope::client::models::testing
