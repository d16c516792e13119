#pragma once

#include "dockscope/docker/Endpoint.h"
#include "dockscope/state/EngineState.h"

#include <chrono>
#include <memory>

namespace dockscope::engine {

using namespace std::chrono_literals;

/// Tuning of the engine worker. The defaults keep an idle engine's API calls far below 1 % of what 1 s
/// polling makes (a ping after a minute of silence, a drift check every 10 minutes).
struct EngineOptions {
    docker::Endpoint endpoint;
    /// Events buffered within this window are deduplicated and resolved as one batch.
    std::chrono::milliseconds coalesceWindow{2};
    std::chrono::milliseconds backoffInitial{250};
    std::chrono::milliseconds backoffMax{8000};
    /// After this long reconnecting without success, the status says unreachable.
    std::chrono::milliseconds unreachableAfter{10000};
    /// A /_ping after the events stream has been silent this long (0 disables).
    std::chrono::milliseconds livenessIdle{60000};
    /// Timeout of the liveness ping and of the first request of a connection attempt.
    std::chrono::milliseconds pingTimeout{3000};
    /// How often a local engine's process is checked for being stopped (SIGSTOP); reads /proc, calls nothing.
    std::chrono::milliseconds frozenCheck{1000};
    /// Periodic drift check: re-list, compare, repair (0 disables).
    std::chrono::milliseconds driftInterval{600000};
    /// A burst of at least this many events within two seconds triggers a drift check once it calms down
    /// (dockerd keeps only the last 256 events for replay).
    int burstThreshold = 256;
    /// The state to start from (a saved state shown while the engine is unreachable); its entities are
    /// diffed against the engine's lists at the first sync like after a reconnect. Null: start empty.
    std::shared_ptr<const state::EngineState> seed;
};

/// The state a worker with these options starts from: the seed's entities and version under `epoch`, or an
/// empty state. The server starts its own copy from the same.
state::EngineState initialState(const EngineOptions& options, std::uint64_t epoch);

} // namespace dockscope::engine
