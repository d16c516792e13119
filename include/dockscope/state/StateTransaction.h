#pragma once

#include "dockscope/state/Container.h"
#include "dockscope/state/EngineInfo.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/StateChange.h"
#include "dockscope/state/Volume.h"

#include <map>
#include <optional>
#include <string>

namespace dockscope::state {

/// The id an entity is keyed by everywhere: a volume's name, "engine" for the engine, else its id.
const std::string& idOf(const Container& v);
const std::string& idOf(const Image& v);
const std::string& idOf(const Volume& v);
const std::string& idOf(const Network& v);
const std::string& idOf(const EngineInfo& v);

/// The desired end state of some entities, collected by the engine worker and turned into a Batch by
/// EngineState::commit. It says what should be, not what changed: commit works out the changes. For one
/// entity the last call wins. Derived fields (image.containers, volume.usedBy, network.containers,
/// engine.counts) given here are ignored: commit recomputes them.
class StateTransaction {
public:
    /// A pending operation per id: a value to put, or nullopt to remove.
    template <typename T>
    using Ops = std::map<std::string, std::optional<T>>;

    void put(Container container);
    void put(Image image);
    void put(Volume volume); ///< keyed by the volume's name
    void put(Network network);
    void setEngine(EngineInfo engine);
    /// Removes an entity if it exists. The engine entity cannot be removed (asserts, then ignores).
    void remove(EntityKind kind, std::string id);

    bool empty() const;

    const Ops<Container>& containers() const { return containers_; }
    const Ops<Image>& images() const { return images_; }
    const Ops<Volume>& volumes() const { return volumes_; }
    const Ops<Network>& networks() const { return networks_; }
    const std::optional<EngineInfo>& engine() const { return engine_; }

private:
    Ops<Container> containers_;
    Ops<Image> images_;
    Ops<Volume> volumes_;
    Ops<Network> networks_;
    std::optional<EngineInfo> engine_;
};

} // namespace dockscope::state
