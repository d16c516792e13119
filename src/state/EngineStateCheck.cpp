// EngineState::checkConsistency: every invariant recomputed from scratch, for tests and the drift check.
#include "dockscope/state/EngineState.h"

#include "dockscope/state/Digest.h"
#include "dockscope/state/EntityJson.h"

#include <algorithm>

namespace dockscope::state {

namespace {

using IdSets = std::unordered_map<std::string, std::set<std::string>>;

std::string quoted(const std::string& text)
{
    return "'" + text + "'";
}

template <typename Map, typename IdOf>
void checkKeys(const Map& map, const char* kind, IdOf idOf, std::vector<std::string>& out)
{
    for (const auto& [key, value] : map)
        if (idOf(value) != key)
            out.push_back(std::string(kind) + " map key " + quoted(key) + " holds " + quoted(idOf(value)));
}

std::vector<std::string> sorted(const std::set<std::string>* ids)
{
    return ids ? std::vector<std::string>(ids->begin(), ids->end()) : std::vector<std::string>{};
}

template <typename Map>
const typename Map::mapped_type* find(const Map& map, const std::string& id)
{
    const auto it = map.find(id);
    return it == map.end() ? nullptr : &it->second;
}

} // namespace

std::vector<std::string> EngineState::checkConsistency() const
{
    std::vector<std::string> out;
    checkKeys(
        containers_, "container", [](const Container& v) { return v.id; }, out);
    checkKeys(
        images_, "image", [](const Image& v) { return v.id; }, out);
    checkKeys(
        volumes_, "volume", [](const Volume& v) { return v.name; }, out);
    checkKeys(
        networks_, "network", [](const Network& v) { return v.id; }, out);
    for (auto part : {&EngineState::checkDerived, &EngineState::checkIndexes, &EngineState::checkHashes}) {
        auto found = (this->*part)();
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

// Recomputes every derived field straight from the containers, without the reverse indexes.
std::vector<std::string> EngineState::checkDerived() const
{
    std::vector<std::string> out;
    EngineState fresh;
    fresh.containers_ = containers_;
    fresh.networks_ = networks_;
    fresh.rebuildIndexes();
    for (const auto& [id, image] : images_) {
        const int* users = find(fresh.imageUsers_, id);
        if (image.containers != (users ? *users : 0))
            out.push_back("image " + quoted(id) + " containers is " + std::to_string(image.containers));
    }
    for (const auto& [name, volume] : volumes_)
        if (volume.usedBy != sorted(find(fresh.volumeUsers_, name)))
            out.push_back("volume " + quoted(name) + " usedBy is stale");
    for (const auto& [id, network] : networks_)
        if (network.containers != sorted(find(fresh.networkUsers_, network.name)))
            out.push_back("network " + quoted(id) + " containers is stale");
    if (engine_) {
        const EngineCounts expected{fresh.counts_.running, fresh.counts_.paused, fresh.counts_.stopped,
                                    static_cast<int>(images_.size())};
        if (engine_->counts != expected)
            out.push_back("engine counts are stale");
    }
    return out;
}

std::vector<std::string> EngineState::checkIndexes() const
{
    std::vector<std::string> out;
    EngineState fresh;
    fresh.containers_ = containers_;
    fresh.networks_ = networks_;
    fresh.rebuildIndexes();
    if (fresh.imageUsers_ != imageUsers_)
        out.push_back("image user index differs from a rebuild");
    if (fresh.volumeUsers_ != volumeUsers_)
        out.push_back("volume user index differs from a rebuild");
    if (fresh.networkUsers_ != networkUsers_)
        out.push_back("network user index differs from a rebuild");
    if (fresh.networksByName_ != networksByName_)
        out.push_back("network name index differs from a rebuild");
    if (!(fresh.counts_ == counts_))
        out.push_back("container state counts differ from a rebuild");
    return out;
}

std::vector<std::string> EngineState::checkHashes() const
{
    std::vector<std::string> out;
    std::uint64_t recomputed = 0;
    auto check = [&](EntityKind kind, const std::string& id, const nlohmann::json& wire) {
        const auto stored = hashOf(kind, id);
        const std::uint64_t hash = entityHash(kind, id, wire);
        recomputed += hash;
        if (!stored || *stored != hash)
            out.push_back(std::string(toString(kind)) + " " + quoted(id) + " has a stale hash");
    };
    for (const auto& [id, v] : containers_)
        check(EntityKind::Container, id, v);
    for (const auto& [id, v] : images_)
        check(EntityKind::Image, id, v);
    for (const auto& [id, v] : volumes_)
        check(EntityKind::Volume, id, v);
    for (const auto& [id, v] : networks_)
        check(EntityKind::Network, id, v);
    if (engine_)
        check(EntityKind::Engine, std::string(kEngineId), *engine_);
    const std::size_t entities =
        containers_.size() + images_.size() + volumes_.size() + networks_.size() + (engine_ ? 1 : 0);
    std::size_t hashed = 0;
    for (const auto& hashes : hashes_)
        hashed += hashes.size();
    if (hashed != entities)
        out.push_back(std::to_string(hashed) + " hashes for " + std::to_string(entities) + " entities");
    if (digest_ != recomputed)
        out.push_back("incremental digest " + std::to_string(digest_) + " differs from the recomputed " +
                      std::to_string(recomputed));
    return out;
}

} // namespace dockscope::state
