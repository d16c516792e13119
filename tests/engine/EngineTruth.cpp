#include "engine/EngineTruth.h"

#include "dockscope/state/EntityJson.h"
#include "support/TestEngine.h"

namespace dockscope::test {

namespace {

template <typename T>
std::optional<T> get(const std::function<void(docker::DockerClient::Callback<T>)>& start)
{
    auto r = await<T>(start);
    if (!r.ok())
        return std::nullopt;
    return std::move(r).value();
}

template <typename Map>
void compare(const char* kind, const Map& mirror, const Map& truth, std::string& out)
{
    for (const auto& [id, value] : truth) {
        const auto it = mirror.find(id);
        if (it == mirror.end())
            out += std::string(kind) + ' ' + id + " missing from the mirror\n";
        else if (!(it->second == value))
            out += std::string(kind) + ' ' + id + " differs:\n  mirror " + nlohmann::json(it->second).dump() +
                   "\n  truth  " + nlohmann::json(value).dump() + '\n';
    }
    for (const auto& [id, value] : mirror)
        if (!truth.count(id))
            out += std::string(kind) + ' ' + id + " is in the mirror but not in the engine\n";
}

} // namespace

std::optional<state::EngineState> engineTruth(docker::DockerClient& client)
{
    const auto list =
        get<std::vector<state::Container>>([&](auto cb) { client.listContainers(nullptr, cb); });
    const auto images = get<std::vector<state::Image>>([&](auto cb) { client.listImages(nullptr, cb); });
    const auto volumes = get<std::vector<state::Volume>>([&](auto cb) { client.listVolumes(nullptr, cb); });
    const auto networks =
        get<std::vector<state::Network>>([&](auto cb) { client.listNetworks(nullptr, cb); });
    if (!list || !images || !volumes || !networks)
        return std::nullopt;
    state::StateTransaction transaction;
    for (const auto& summary : *list) {
        auto c = await<state::Container>([&](auto cb) { client.inspectContainer(summary.id, nullptr, cb); });
        if (c.ok())
            transaction.put(std::move(c).value());
        else if (c.error().kind != docker::ErrorKind::NotFound)
            return std::nullopt;
    }
    for (const auto& i : *images)
        transaction.put(i);
    for (const auto& v : *volumes)
        transaction.put(v);
    for (const auto& n : *networks)
        transaction.put(n);
    state::EngineState truth(0);
    truth.commit(transaction, 1);
    return truth;
}

std::string differences(const state::EngineState& mirror, const state::EngineState& truth)
{
    std::string out;
    compare("container", mirror.containers(), truth.containers(), out);
    compare("image", mirror.images(), truth.images(), out);
    compare("volume", mirror.volumes(), truth.volumes(), out);
    compare("network", mirror.networks(), truth.networks(), out);
    return out;
}

} // namespace dockscope::test
