#pragma once

#include "dockscope/state/Labels.h"
#include "dockscope/state/Timestamp.h"

#include <string>

namespace dockscope::state {

/// One Docker event, normalised at the edge: decoded from Type, Action, Actor and timeNano only; a compound
/// action ("health_status: healthy", "exec_start: sh -c ...") is split into `action` and `actionDetail`;
/// Podman's variants ("remove", a bare "health_status" with the value in the attributes) are mapped to
/// Docker's.
struct DockerEvent {
    std::string type;         ///< container | image | volume | network | daemon | plugin | ...
    std::string action;       ///< e.g. "start", "destroy", "health_status", "exec_start"
    std::string actionDetail; ///< the part after ": " of a compound action, e.g. "healthy"; else empty
    std::string actorId;      ///< Actor.ID; empty for prune events
    Labels attributes;        ///< Actor.Attributes
    std::string scope;        ///< local | swarm
    Timestamp timeNano = 0;

    bool operator==(const DockerEvent&) const = default;
};

} // namespace dockscope::state
