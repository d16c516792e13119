#pragma once

#include "dockscope/state/Container.h"
#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/EngineInfo.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/Volume.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace dockscope::state {

/// The wire form of the entities (DESIGN.md "Entities": field names are the wire names). Times are integers
/// (nanoseconds since the epoch), enums lower-case strings. from_json is strict: a missing or mistyped field
/// throws CodecError naming it, so a peer's malformed message is refused instead of half-applied.
class CodecError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

void to_json(nlohmann::json& j, const Port& v);
void from_json(const nlohmann::json& j, Port& v);
void to_json(nlohmann::json& j, const Mount& v);
void from_json(const nlohmann::json& j, Mount& v);
void to_json(nlohmann::json& j, const Container& v);
void from_json(const nlohmann::json& j, Container& v);
void to_json(nlohmann::json& j, const Image& v);
void from_json(const nlohmann::json& j, Image& v);
void to_json(nlohmann::json& j, const Volume& v);
void from_json(const nlohmann::json& j, Volume& v);
void to_json(nlohmann::json& j, const Network& v);
void from_json(const nlohmann::json& j, Network& v);
void to_json(nlohmann::json& j, const EngineCounts& v);
void from_json(const nlohmann::json& j, EngineCounts& v);
void to_json(nlohmann::json& j, const EngineInfo& v);
void from_json(const nlohmann::json& j, EngineInfo& v);
void to_json(nlohmann::json& j, const DockerEvent& v);
void from_json(const nlohmann::json& j, DockerEvent& v);

} // namespace dockscope::state
