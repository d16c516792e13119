#pragma once

#include "dockscope/state/StateChange.h"

#include <cstdint>
#include <vector>

namespace dockscope::state {

/// The changes of one commit. The version grows by one per change, so `to == from + changes.size()`;
/// `digest` is the state digest (Digest.h) after the batch. A (kind, id) appears at most once per batch.
struct Batch {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    std::vector<StateChange> changes;
    std::uint64_t digest = 0;

    bool operator==(const Batch&) const = default;
};

} // namespace dockscope::state
