#pragma once

#include "dockscope/state/EntityJson.h"

#include <nlohmann/json.hpp>

namespace dockscope::state {

/// Diffs between two values of one entity, in wire form, with JSON merge-patch semantics (RFC 7386) so that
/// any client can apply them with a stock merge-patch routine:
/// - a changed scalar or array field is carried whole (arrays are never patched element-wise);
/// - a changed object field (labels, engine counts) is carried as a nested patch: changed keys with their new
///   value, removed keys as null. That null is the only place null occurs: every entity field is required.
/// Equal values give an empty object.
/// One exception: a network's `containers` and a volume's `usedBy` (derived id lists, sorted, which may hold
/// every container) that change by fewer ids than they hold are carried as an id-set change
/// `{"add": [ids], "remove": [ids]}`. Only clients that offer the `idSets` feature receive that form; the
/// server sends the others the whole list (fullIdLists()).
nlohmann::json diff(const Container& oldValue, const Container& newValue);
nlohmann::json diff(const Image& oldValue, const Image& newValue);
nlohmann::json diff(const Volume& oldValue, const Volume& newValue);
nlohmann::json diff(const Network& oldValue, const Network& newValue);
nlohmann::json diff(const EngineInfo& oldValue, const EngineInfo& newValue);

/// The merge patch between two wire objects (the generic core of diff()).
nlohmann::json diffWire(const nlohmann::json& oldWire, const nlohmann::json& newWire);

/// Applies a diff made by diff() (merge patch on the wire form, then strict from_json). Throws CodecError
/// naming the field when the diff is not an object, names a field the entity does not have, deletes a
/// required field (null) or gives a field the wrong type.
Container applyDiff(const Container& value, const nlohmann::json& diff);
Image applyDiff(const Image& value, const nlohmann::json& diff);
Volume applyDiff(const Volume& value, const nlohmann::json& diff);
Network applyDiff(const Network& value, const nlohmann::json& diff);
EngineInfo applyDiff(const EngineInfo& value, const nlohmann::json& diff);

/// The id list after `change` (a whole array, or an id-set change) is applied to `ids` (sorted). Throws
/// CodecError naming `field` for a wrong type, an unknown member, adding an id held or removing one not held.
std::vector<std::string> applyIdListChange(const std::vector<std::string>& ids, const nlohmann::json& change,
                                           const std::string& field);

} // namespace dockscope::state
