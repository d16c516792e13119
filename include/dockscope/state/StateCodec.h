#pragma once

#include "dockscope/state/Batch.h"
#include "dockscope/state/EngineState.h"
#include "dockscope/state/EntityJson.h"
#include "dockscope/state/StateChange.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace dockscope::state {

/// Wire encodings of batches and snapshots (DESIGN.md "Wire protocol v1", without the message `type` and the
/// `epoch` of a `changes` message, which the protocol layer adds). MessagePack is nlohmann's to_msgpack of
/// the very same JSON objects. Decoding is strict: every error is a CodecError naming the field, e.g.
/// "changes[2].op: unknown value 'moved'".
///
/// change:   {"kind": "container"|..., "op": "created"|"updated"|"removed", "id": string,
///            "value": entity (created only), "diff": merge patch object (updated only)}
/// batch:    {"from": u64, "to": u64, "digest": u64, "changes": [change...]}, to == from + changes.size()
/// snapshot: {"epoch": u64, "version": u64, "digest": u64, "state": {"containers": {id: container},
///            "images": {id: image}, "volumes": {name: volume}, "networks": {id: network},
///            "engine": engine | null}}
nlohmann::json toJson(const StateChange& change);
StateChange changeFromJson(const nlohmann::json& json);

nlohmann::json toJson(const Batch& batch);

/// How a decoded batch's versions must relate to its changes: `Exact` (the default) requires
/// `to == from + changes.size()`; `Sparse` accepts `to - from >= changes.size()`, as a filtered
/// subscription's batches are (EngineState::applySparse, docs/protocol.md "Sparse batches").
enum class BatchSpan : std::uint8_t { Exact, Sparse };
Batch batchFromJson(const nlohmann::json& json, BatchSpan span = BatchSpan::Exact);
std::vector<std::uint8_t> toMsgpack(const Batch& batch);
Batch batchFromMsgpack(std::span<const std::uint8_t> bytes);

nlohmann::json snapshotToJson(const EngineState& state);
/// Also checks that the announced digest matches the entities (CodecError naming "digest" otherwise).
EngineState snapshotFromJson(const nlohmann::json& json);
std::vector<std::uint8_t> snapshotToMsgpack(const EngineState& state);
EngineState snapshotFromMsgpack(std::span<const std::uint8_t> bytes);

} // namespace dockscope::state
