#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dockscope::state {

/// The kinds of entity in the state; wire names "container", "image", "volume", "network", "engine".
enum class EntityKind : std::uint8_t { Container, Image, Volume, Network, Engine };

/// What a change does to one entity; wire names "created", "updated", "removed".
enum class ChangeOp : std::uint8_t { Created, Updated, Removed };

std::string_view toString(EntityKind kind);
std::string_view toString(ChangeOp op);
std::optional<EntityKind> entityKindFromString(std::string_view text);
std::optional<ChangeOp> changeOpFromString(std::string_view text);

/// The id of the single engine entity: it is created once and then only updated.
inline constexpr std::string_view kEngineId = "engine";

/// One change to one entity, as it travels in a Batch. `value` is set only for Created (the whole entity in
/// wire form), `diff` only for Updated (a JSON merge patch of the wire form, see EntityDiff.h); both stay
/// null otherwise.
struct StateChange {
    EntityKind kind = EntityKind::Container;
    ChangeOp op = ChangeOp::Created;
    std::string id;
    nlohmann::json value;
    nlohmann::json diff;

    bool operator==(const StateChange&) const = default;
};

} // namespace dockscope::state
