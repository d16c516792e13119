#include "dockscope/state/EngineState.h"

#include "dockscope/state/Digest.h"
#include "dockscope/state/EntityDiff.h"
#include "dockscope/state/EntityJson.h"
#include "dockscope/state/StateCodec.h"

#include <set>
#include <stdexcept>
#include <utility>
#include <variant>

namespace dockscope::state {

namespace {

using nlohmann::json;

// An entity value of any kind; monostate stands for "absent".
using EntityValue = std::variant<std::monostate, Container, Image, Volume, Network, EngineInfo>;

// Why a change of a batch is refused; caught in applyBatch and turned into its error text.
class Refusal : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::size_t slot(EntityKind kind)
{
    return static_cast<std::size_t>(kind);
}

template <typename T>
T decodeChange(const StateChange& change, const T* current)
{
    switch (change.op) {
    case ChangeOp::Created:
        if (current)
            throw Refusal("it already exists");
        return change.value.get<T>();
    case ChangeOp::Updated:
        if (!current)
            throw Refusal("it does not exist");
        return applyDiff(*current, change.diff);
    case ChangeOp::Removed:
        break;
    }
    throw std::logic_error("decodeChange: not a value-carrying change");
}

// Decodes one change against the current state into the entity's new value (monostate for a removal) and its
// hash. Decoding, id checks and hashing all happen here, before anything is mutated.
template <typename T>
std::pair<EntityValue, std::uint64_t> decodeStaged(const StateChange& change, const T* current)
{
    if (change.op == ChangeOp::Removed) {
        if (!current)
            throw Refusal("it does not exist");
        if (change.kind == EntityKind::Engine)
            throw Refusal("the engine entity is never removed");
        return {std::monostate{}, 0};
    }
    T value = decodeChange(change, current);
    if (idOf(value) != change.id)
        throw Refusal("its value carries the id '" + idOf(value) + "'");
    std::uint64_t hash = 0;
    if constexpr (std::is_same_v<T, Network> || std::is_same_v<T, Volume>)
        hash = entityHash(change.kind, change.id, value);
    else
        hash = entityHash(change.kind, change.id, json(value));
    return {std::move(value), hash};
}

template <typename Map>
const typename Map::mapped_type* find(const Map& map, const std::string& id)
{
    const auto it = map.find(id);
    return it == map.end() ? nullptr : &it->second;
}

template <typename T, typename Map>
EntityValue swapInto(Map& map, const std::string& id, EntityValue&& incoming)
{
    EntityValue previous;
    if (auto it = map.find(id); it != map.end()) {
        previous = std::move(it->second);
        map.erase(it);
    }
    if (auto* value = std::get_if<T>(&incoming))
        map.emplace(id, std::move(*value));
    return previous;
}

EntityValue swapEngine(std::optional<EngineInfo>& engine, EntityValue&& incoming)
{
    EntityValue previous;
    if (engine)
        previous = std::move(*engine);
    engine.reset();
    if (auto* value = std::get_if<EngineInfo>(&incoming))
        engine = std::move(*value);
    return previous;
}

void addUser(std::unordered_map<std::string, std::set<std::string>>& sets, const std::string& key,
             const std::string& id, int sign)
{
    if (sign > 0) {
        sets[key].insert(id);
        return;
    }
    const auto it = sets.find(key);
    if (it == sets.end())
        return;
    it->second.erase(id);
    if (it->second.empty())
        sets.erase(it);
}

} // namespace

struct EngineState::Staged {
    EntityKind kind = EntityKind::Container;
    std::string id;
    EntityValue value;
    std::uint64_t hash = 0;
};

EngineState::EngineState(std::uint64_t epoch)
    : epoch_(epoch)
{}

bool EngineState::apply(const Batch& batch, std::string* error)
{
    return applyBatch(batch, true, false, error);
}

bool EngineState::applySparse(const Batch& batch, std::string* error)
{
    return applyBatch(batch, true, true, error);
}

bool EngineState::applyAndStamp(Batch& batch, std::string* error)
{
    if (!applyBatch(batch, false, true, error))
        return false;
    batch.digest = digest_;
    return true;
}

bool EngineState::applyBatch(const Batch& batch, bool checkDigest, bool sparse, std::string* error)
{
    auto refuse = [error](std::string why) {
        if (error)
            *error = std::move(why);
        return false;
    };
    if (batch.from != version_)
        return refuse("batch from " + std::to_string(batch.from) + " does not apply on version " +
                      std::to_string(version_));
    if (batch.to < batch.from)
        return refuse("batch to " + std::to_string(batch.to) + " is before its from " +
                      std::to_string(batch.from));
    if (sparse ? batch.to - batch.from < batch.changes.size() : batch.to - batch.from != batch.changes.size())
        return refuse("batch to " + std::to_string(batch.to) +
                      (sparse ? " spans fewer than " : " is not from + ") +
                      std::to_string(batch.changes.size()) + " changes");
    std::vector<Staged> staged;
    try {
        staged = stage(batch);
    } catch (const std::exception& e) {
        return refuse(e.what());
    }
    std::vector<Staged> undo;
    undo.reserve(staged.size());
    for (auto& change : staged)
        undo.push_back(exchange(std::move(change)));
    if (checkDigest && digest_ != batch.digest) {
        const std::uint64_t reached = digest_;
        for (auto it = undo.rbegin(); it != undo.rend(); ++it)
            exchange(std::move(*it));
        return refuse("digest mismatch: the batch announces " + std::to_string(batch.digest) +
                      " but applying it gives " + std::to_string(reached) + "; batch refused");
    }
    version_ = batch.to;
    return true;
}

std::vector<EngineState::Staged> EngineState::stage(const Batch& batch) const
{
    std::vector<Staged> staged;
    staged.reserve(batch.changes.size());
    std::set<std::pair<EntityKind, std::string>> seen;
    for (std::size_t i = 0; i < batch.changes.size(); ++i) {
        const StateChange& change = batch.changes[i];
        const std::string where = "change " + std::to_string(i) + " (" + std::string(toString(change.op)) +
                                  " " + std::string(toString(change.kind)) + " '" + change.id + "'): ";
        try {
            if (!seen.emplace(change.kind, change.id).second)
                throw Refusal("the batch changes this entity twice");
            staged.push_back(stageChange(change));
        } catch (const std::exception& e) {
            throw Refusal(where + e.what());
        }
    }
    return staged;
}

EngineState::Staged EngineState::stageChange(const StateChange& change) const
{
    std::pair<EntityValue, std::uint64_t> decoded;
    switch (change.kind) {
    case EntityKind::Container:
        decoded = decodeStaged(change, find(containers_, change.id));
        break;
    case EntityKind::Image:
        decoded = decodeStaged(change, find(images_, change.id));
        break;
    case EntityKind::Volume:
        decoded = decodeStaged(change, find(volumes_, change.id));
        break;
    case EntityKind::Network:
        decoded = decodeStaged(change, find(networks_, change.id));
        break;
    case EntityKind::Engine:
        if (change.id != kEngineId)
            throw Refusal("the engine entity's id is 'engine'");
        decoded = decodeStaged(change, engine_ ? &*engine_ : nullptr);
        break;
    }
    return Staged{change.kind, change.id, std::move(decoded.first), decoded.second};
}

// Puts a staged value (or absence) in place and returns what was there, in the same form, so that applying
// the returned value undoes it exactly. Keeps the digest, hashes and indexes in step: O(1) per entity.
EngineState::Staged EngineState::exchange(Staged staged)
{
    Staged previous{staged.kind, staged.id, std::monostate{}, 0};
    auto& hashes = hashes_[slot(staged.kind)];
    if (const auto it = hashes.find(staged.id); it != hashes.end()) {
        previous.hash = it->second;
        digest_ -= it->second;
        hashes.erase(it);
    }
    if (!std::holds_alternative<std::monostate>(staged.value)) {
        hashes.emplace(staged.id, staged.hash);
        digest_ += staged.hash;
    }
    switch (staged.kind) {
    case EntityKind::Container:
        previous.value = swapInto<Container>(containers_, staged.id, std::move(staged.value));
        if (const auto* old = std::get_if<Container>(&previous.value))
            index(*old, -1);
        if (const auto* now = find(containers_, staged.id))
            index(*now, +1);
        break;
    case EntityKind::Image:
        previous.value = swapInto<Image>(images_, staged.id, std::move(staged.value));
        break;
    case EntityKind::Volume:
        previous.value = swapInto<Volume>(volumes_, staged.id, std::move(staged.value));
        break;
    case EntityKind::Network:
        previous.value = swapInto<Network>(networks_, staged.id, std::move(staged.value));
        if (const auto* old = std::get_if<Network>(&previous.value))
            index(*old, -1);
        if (const auto* now = find(networks_, staged.id))
            index(*now, +1);
        break;
    case EntityKind::Engine:
        previous.value = swapEngine(engine_, std::move(staged.value));
        break;
    }
    return previous;
}

void EngineState::index(const Container& container, int sign)
{
    if (sign > 0) {
        ++imageUsers_[container.imageId];
    } else if (const auto it = imageUsers_.find(container.imageId); it != imageUsers_.end()) {
        if (--it->second == 0)
            imageUsers_.erase(it);
    }
    for (const Mount& mount : container.mounts)
        if (mount.type == "volume")
            addUser(volumeUsers_, mount.name, container.id, sign);
    for (const std::string& network : container.networks)
        addUser(networkUsers_, network, container.id, sign);
    switch (container.state) {
    case ContainerState::Running:
        counts_.running += sign;
        break;
    case ContainerState::Paused:
        counts_.paused += sign;
        break;
    default:
        counts_.stopped += sign;
        break;
    }
}

void EngineState::index(const Network& network, int sign)
{
    addUser(networksByName_, network.name, network.id, sign);
}

void EngineState::rebuildIndexes()
{
    imageUsers_.clear();
    volumeUsers_.clear();
    networkUsers_.clear();
    networksByName_.clear();
    counts_ = {};
    for (const auto& [id, container] : containers_)
        index(container, +1);
    for (const auto& [id, network] : networks_)
        index(network, +1);
}

void EngineState::resetTo(std::uint64_t epoch, std::uint64_t version, ContainerMap containers,
                          ImageMap images, VolumeMap volumes, NetworkMap networks,
                          std::optional<EngineInfo> engine)
{
    EngineState fresh(epoch);
    fresh.version_ = version;
    fresh.containers_ = std::move(containers);
    fresh.images_ = std::move(images);
    fresh.volumes_ = std::move(volumes);
    fresh.networks_ = std::move(networks);
    fresh.engine_ = std::move(engine);
    fresh.rebuildIndexes();
    auto record = [&fresh](EntityKind kind, const std::string& id, const auto& value) {
        std::uint64_t hash = 0;
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, Network> ||
                      std::is_same_v<std::decay_t<decltype(value)>, Volume>)
            hash = entityHash(kind, id, value);
        else
            hash = entityHash(kind, id, json(value));
        fresh.hashes_[slot(kind)][id] = hash;
        fresh.digest_ += hash;
    };
    for (const auto& [id, v] : fresh.containers_)
        record(EntityKind::Container, id, v);
    for (const auto& [id, v] : fresh.images_)
        record(EntityKind::Image, id, v);
    for (const auto& [id, v] : fresh.volumes_)
        record(EntityKind::Volume, id, v);
    for (const auto& [id, v] : fresh.networks_)
        record(EntityKind::Network, id, v);
    if (fresh.engine_)
        record(EntityKind::Engine, std::string(kEngineId), *fresh.engine_);
    *this = std::move(fresh);
}

std::uint64_t EngineState::recomputeDigest() const
{
    std::uint64_t sum = 0;
    for (const auto& [id, v] : containers_)
        sum += entityHash(EntityKind::Container, idOf(v), v);
    for (const auto& [id, v] : images_)
        sum += entityHash(EntityKind::Image, idOf(v), v);
    for (const auto& [id, v] : volumes_)
        sum += entityHash(EntityKind::Volume, idOf(v), v);
    for (const auto& [id, v] : networks_)
        sum += entityHash(EntityKind::Network, idOf(v), v);
    if (engine_)
        sum += entityHash(EntityKind::Engine, kEngineId, *engine_);
    return sum;
}

std::optional<std::uint64_t> EngineState::hashOf(EntityKind kind, const std::string& id) const
{
    const auto& hashes = hashes_[slot(kind)];
    const auto it = hashes.find(id);
    if (it == hashes.end())
        return std::nullopt;
    return it->second;
}

nlohmann::json EngineState::toJson() const
{
    return snapshotToJson(*this);
}

EngineState EngineState::fromJson(const nlohmann::json& snapshot)
{
    return snapshotFromJson(snapshot);
}

} // namespace dockscope::state
