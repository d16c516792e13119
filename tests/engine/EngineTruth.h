#pragma once

#include "dockscope/docker/DockerClient.h"
#include "dockscope/state/EngineState.h"

#include <optional>
#include <string>

namespace dockscope::test {

/// What the Docker API says right now, as an EngineState built from fresh lists and inspects (derived fields
/// computed by the same commit code), or nullopt when the engine did not answer.
std::optional<state::EngineState> engineTruth(docker::DockerClient& client);

/// Empty when the mirrored entities equal the truth; else a description of the first differences.
std::string differences(const state::EngineState& mirror, const state::EngineState& truth);

} // namespace dockscope::test
