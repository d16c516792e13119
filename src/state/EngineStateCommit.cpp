// EngineState::commit: turning a transaction of desired end states into a batch, derived fields included.
#include "dockscope/state/EngineState.h"

#include "dockscope/state/Digest.h"
#include "dockscope/state/EntityDiff.h"
#include "dockscope/state/EntityJson.h"

#include <map>
#include <set>

namespace dockscope::state {

namespace {

using nlohmann::json;
using IdSets = std::unordered_map<std::string, std::set<std::string>>;
/// A batch's edits of a reverse index, without copying it: key -> container id -> a member after the batch.
using IdEdits = std::unordered_map<std::string, std::map<std::string, bool>>;

template <typename Map>
const typename Map::mapped_type* find(const Map& map, const std::string& id)
{
    const auto it = map.find(id);
    return it == map.end() ? nullptr : &it->second;
}

// base[key] with the batch's edits of it, sorted: one merge of two sorted sequences, each id copied once. (A
// network can hold every container: copying its set per batch dominated a create's commit.)
std::vector<std::string> usersOf(const IdEdits& edits, const IdSets& base, const std::string& key)
{
    static const std::set<std::string> none;
    const auto* known = find(base, key);
    const std::set<std::string>& ids = known ? *known : none;
    static const std::map<std::string, bool> unchanged;
    const auto* edited = find(edits, key);
    const std::map<std::string, bool>& changes = edited ? *edited : unchanged;
    std::vector<std::string> out;
    out.reserve(ids.size() + changes.size());
    auto change = changes.begin();
    for (const std::string& id : ids) {
        for (; change != changes.end() && change->first < id; ++change)
            if (change->second)
                out.push_back(change->first);
        if (change != changes.end() && change->first == id) {
            if ((change++)->second)
                out.push_back(id);
            continue;
        }
        out.push_back(id);
    }
    for (; change != changes.end(); ++change)
        if (change->second)
            out.push_back(change->first);
    return out;
}

// An entity as it is copied for planning: whole, or without the id list the planner derives anyway.
struct Whole {
    template <typename T>
    T operator()(const T& value) const
    {
        return value;
    }
};
struct WithoutIdList {
    template <typename T>
    T operator()(const T& value) const
    {
        return withoutIdList(value);
    }
};

} // namespace

/// Works out one commit's changes. Container changes come first; their effect on the derived fields is kept
/// in overlays of the state's reverse indexes, so only the images, volumes and networks they touch (and those
/// put by the transaction) are re-evaluated.
class EngineState::Planner {
public:
    Planner(const EngineState& state, const StateTransaction& transaction)
        : state_(state)
        , tx_(transaction)
        , counts_(state.counts_)
        , imageCount_(static_cast<int>(state.images_.size()))
    {}

    std::vector<StateChange> plan()
    {
        planContainers();
        planImages();
        planVolumes();
        planNetworks();
        planEngine();
        return std::move(changes_);
    }

private:
    template <typename T>
    void emit(EntityKind kind, const std::string& id, const T* current, const T& target)
    {
        if (!current) {
            changes_.push_back({kind, ChangeOp::Created, id, json(target), {}});
            return;
        }
        json patch = diff(*current, target);
        if (!patch.empty())
            changes_.push_back({kind, ChangeOp::Updated, id, {}, std::move(patch)});
    }

    void emitRemoval(EntityKind kind, const std::string& id)
    {
        changes_.push_back({kind, ChangeOp::Removed, id, {}, {}});
    }

    void planContainers()
    {
        for (const auto& [id, wanted] : tx_.containers()) {
            const Container* current = find(state_.containers_, id);
            if (wanted && current && *current == *wanted)
                continue;
            if (wanted)
                emit(EntityKind::Container, id, current, *wanted);
            else if (current)
                emitRemoval(EntityKind::Container, id);
            else
                continue;
            if (current)
                track(*current, -1);
            if (wanted)
                track(*wanted, +1);
        }
    }

    void track(const Container& container, int sign)
    {
        imageDelta_[container.imageId] += sign;
        // The last edit of an id wins, as with set insert / erase: a container is untracked before it is
        // tracked again.
        for (const Mount& mount : container.mounts)
            if (mount.type == "volume")
                volumeUsers_[mount.name][container.id] = sign > 0;
        for (const std::string& network : container.networks)
            networkUsers_[network][container.id] = sign > 0;
        if (container.state == ContainerState::Running)
            counts_.running += sign;
        else if (container.state == ContainerState::Paused)
            counts_.paused += sign;
        else
            counts_.stopped += sign;
    }

    // The entity as the transaction wants it, or as it is; nullopt when it is (or stays) absent. A removal
    // of an existing entity is emitted here.
    template <typename T, typename Map, typename Copy = Whole>
    std::optional<T> target(EntityKind kind, const StateTransaction::Ops<T>& ops, const Map& current,
                            const std::string& id, Copy copy = {})
    {
        const T* existing = find(current, id);
        if (const auto it = ops.find(id); it != ops.end()) {
            if (!it->second && existing)
                emitRemoval(kind, id);
            return it->second ? std::optional<T>(copy(*it->second)) : std::nullopt;
        }
        if (existing)
            return copy(*existing);
        return std::nullopt;
    }

    void planImages()
    {
        std::set<std::string> ids;
        for (const auto& [id, delta] : imageDelta_)
            ids.insert(id);
        for (const auto& [id, op] : tx_.images())
            ids.insert(id);
        for (const std::string& id : ids) {
            const Image* current = find(state_.images_, id);
            auto image = target(EntityKind::Image, tx_.images(), state_.images_, id);
            imageCount_ += (image ? 1 : 0) - (current ? 1 : 0);
            if (!image)
                continue;
            const auto* users = find(state_.imageUsers_, id);
            const auto* delta = find(imageDelta_, id);
            image->containers = (users ? *users : 0) + (delta ? *delta : 0);
            emit(EntityKind::Image, id, current, *image);
        }
    }

    void planVolumes()
    {
        std::set<std::string> names;
        for (const auto& [name, users] : volumeUsers_)
            names.insert(name);
        for (const auto& [name, op] : tx_.volumes())
            names.insert(name);
        for (const std::string& name : names) {
            auto volume = target(EntityKind::Volume, tx_.volumes(), state_.volumes_, name, WithoutIdList{});
            if (!volume)
                continue;
            volume->usedBy = usersOf(volumeUsers_, state_.volumeUsers_, name);
            emit(EntityKind::Volume, name, find(state_.volumes_, name), *volume);
        }
    }

    void planNetworks()
    {
        std::set<std::string> ids;
        for (const auto& [name, users] : networkUsers_)
            if (const auto* named = find(state_.networksByName_, name))
                ids.insert(named->begin(), named->end());
        for (const auto& [id, op] : tx_.networks())
            ids.insert(id);
        for (const std::string& id : ids) {
            auto network = target(EntityKind::Network, tx_.networks(), state_.networks_, id, WithoutIdList{});
            if (!network)
                continue;
            network->containers = usersOf(networkUsers_, state_.networkUsers_, network->name);
            emit(EntityKind::Network, id, find(state_.networks_, id), *network);
        }
    }

    void planEngine()
    {
        const EngineInfo* current = state_.engine_ ? &*state_.engine_ : nullptr;
        if (!tx_.engine() && !current)
            return;
        EngineInfo engine = tx_.engine() ? *tx_.engine() : *current;
        engine.counts = {counts_.running, counts_.paused, counts_.stopped, imageCount_};
        emit(EntityKind::Engine, std::string(kEngineId), current, engine);
    }

    const EngineState& state_;
    const StateTransaction& tx_;
    std::vector<StateChange> changes_;
    std::unordered_map<std::string, int> imageDelta_;
    IdEdits volumeUsers_;
    IdEdits networkUsers_;
    Counts counts_;
    int imageCount_;
};

Batch EngineState::commit(const StateTransaction& transaction, Timestamp now)
{
    Batch batch;
    batch.from = version_;
    batch.changes = Planner(*this, transaction).plan();
    batch.to = batch.from + batch.changes.size();
    if (batch.changes.empty()) {
        batch.digest = digest_;
        return batch;
    }
    // The engine mutates through the replicas' apply path, so the two cannot drift apart.
    std::string error;
    if (!applyBatch(batch, false, false, &error))
        throw CodecError("commit refused its own batch: " + error);
    batch.digest = digest_;
    lastChange_ = now;
    return batch;
}

} // namespace dockscope::state
