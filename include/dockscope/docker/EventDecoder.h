#pragma once

#include "dockscope/docker/DockerError.h"
#include "dockscope/docker/Result.h"
#include "dockscope/state/DockerEvent.h"

#include <string_view>

namespace dockscope::docker {

/// Decodes one line of Docker's /events stream into a normalised DockerEvent.
///
/// Reads only `Type`, `Action`, `Actor.ID`, `Actor.Attributes`, `scope`, `time` and `timeNano` (Docker 29,
/// API 1.52, removed the old top-level `status`, `id` and `from`). Splits compound actions at the first ": "
/// ("health_status: healthy" -> action "health_status", detail "healthy"; "exec_start: sh -c x" ->
/// "exec_start", "sh -c x"); the detail is trimmed (dockerd sends "exec_start: true " with a trailing space).
/// Normalises Podman: "remove" -> "destroy" for containers; a bare "health_status" takes its detail from the
/// `health_status` attribute, else from Podman's top-level `HealthStatus`. Missing `timeNano` falls back to
/// `time` * 1e9.
/// A line that is not a JSON object, or lacks `Type` or `Action`, gives a Parse error naming what is wrong.
Result<state::DockerEvent> decodeEvent(std::string_view jsonLine);

} // namespace dockscope::docker
