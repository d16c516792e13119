#pragma once

// Helpers shared by the EngineState tests: whole-state captures and change look-ups.

#include "dockscope/state/EngineState.h"

#include <algorithm>
#include <optional>
#include <ostream>

namespace dockscope::state::testing {

/// Everything a replica must agree on, as one comparable value.
struct Entities {
    EngineState::ContainerMap containers;
    EngineState::ImageMap images;
    EngineState::VolumeMap volumes;
    EngineState::NetworkMap networks;
    std::optional<EngineInfo> engine;
    std::uint64_t digest = 0;

    bool operator==(const Entities&) const = default;
    friend std::ostream& operator<<(std::ostream& os, const Entities& e)
    {
        return os << e.containers.size() << " containers, " << e.images.size() << " images, "
                  << e.volumes.size() << " volumes, " << e.networks.size() << " networks, digest "
                  << e.digest;
    }
};

inline Entities capture(const EngineState& s)
{
    return {s.containers(), s.images(), s.volumes(), s.networks(), s.engine(), s.digest()};
}

/// The change to (kind, id) in a batch, or nullptr.
inline const StateChange* findChange(const Batch& batch, EntityKind kind, const std::string& id)
{
    const auto it = std::find_if(batch.changes.begin(), batch.changes.end(),
                                 [&](const StateChange& c) { return c.kind == kind && c.id == id; });
    return it == batch.changes.end() ? nullptr : &*it;
}

} // namespace dockscope::state::testing
