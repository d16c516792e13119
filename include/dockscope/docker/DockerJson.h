#pragma once

#include "dockscope/state/Container.h"
#include "dockscope/state/EngineInfo.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/Volume.h"

#include <nlohmann/json_fwd.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dockscope::docker {

/// Thrown by the parsers below when a document or a field Docker sent is not what the API promises; the
/// message names the document and the field path, e.g. "container inspect: State.ExitCode: expected number,
/// got string".
class JsonFieldError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses Docker Engine API documents (API 1.41 and later, and Podman's compatible API) into the entity
/// structs. Unknown fields are ignored; optional fields that are missing or null take their defaults; a field
/// with the wrong type, an unknown container state and a missing identity (Id, or Name for volumes) throw
/// JsonFieldError.
///
/// The results are canonical, so that the list form and the inspect form of one object compare equal on the
/// fields both carry: ports sorted by (privatePort, type, ip, publicPort), mounts by (destination, source),
/// networks, repoTags and repoDigests sorted; image times truncated to whole seconds (the list has no more).
/// The summary carries no startedAt, finishedAt or restartCount (0) and its createdAt has whole seconds,
/// where the inspect has nanoseconds. Container environment variables (Config.Env) are never read.
///
/// Derived fields (Image::containers, Volume::usedBy, Network::containers) are left empty: the state computes
/// them from the containers. EngineInfo::status, apiVersion and lastError are left to the caller.
namespace json {

/// RFC 3339 (with an optional fraction of 1 to 9 digits and 'Z' or a ±hh:mm offset) to nanoseconds since the
/// epoch; Docker's zero time "0001-01-01T00:00:00Z" and empty strings give 0. Throws JsonFieldError naming
/// `field` when unparseable or outside what 64-bit nanoseconds hold (years 1678 to 2262).
state::Timestamp parseTime(std::string_view text, std::string_view field);

state::Container parseContainerInspect(const nlohmann::json& doc); ///< GET /containers/{id}/json
state::Container parseContainerSummary(const nlohmann::json& doc); ///< one element of GET /containers/json
state::Image parseImageSummary(const nlohmann::json& doc);         ///< one element of GET /images/json
state::Image parseImageInspect(const nlohmann::json& doc);         ///< GET /images/{id}/json
state::Volume parseVolume(const nlohmann::json& doc);              ///< GET /volumes/{name}, list elements
state::Network parseNetwork(const nlohmann::json& doc);            ///< GET /networks/{id}, list elements

/// The list documents; a null document gives an empty list. Errors name the element, e.g. "[3].State".
std::vector<state::Container> parseContainerList(const nlohmann::json& doc);
std::vector<state::Image> parseImageList(const nlohmann::json& doc);
std::vector<state::Volume>
parseVolumeList(const nlohmann::json& doc); ///< {"Volumes": [...], "Warnings": ...}
std::vector<state::Network> parseNetworkList(const nlohmann::json& doc);

/// Fills the descriptive engine fields (version, os, arch, kernel, cpus, memTotal, name, counts) from GET
/// /info and GET /version; status, apiVersion and lastError are left to the caller.
state::EngineInfo parseEngineInfo(const nlohmann::json& info, const nlohmann::json& version);

} // namespace json
} // namespace dockscope::docker
