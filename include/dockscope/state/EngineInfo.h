#pragma once

#include "dockscope/state/Timestamp.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dockscope::state {

enum class EngineStatus : std::uint8_t { Connecting, Connected, Reconnecting, Unreachable };

std::string_view toString(EngineStatus status);
std::optional<EngineStatus> engineStatusFromString(std::string_view text);

/// Counts shown in the engine entity.
struct EngineCounts {
    int running = 0;
    int paused = 0;
    int stopped = 0;
    int images = 0;

    bool operator==(const EngineCounts&) const = default;
};

/// The engine entity: how Dockscope is connected and what the engine is.
struct EngineInfo {
    EngineStatus status = EngineStatus::Connecting;
    Timestamp statusSince =
        0; ///< when `status` last changed (ns since the epoch), for "reconnecting since …"
    std::string version;
    std::string apiVersion; ///< the negotiated API version, e.g. "1.41"
    std::string os;
    std::string arch;
    std::string kernel;
    int cpus = 0;
    std::int64_t memTotal = 0;
    std::string name; ///< the engine host's name
    EngineCounts counts;
    std::string lastError;

    bool operator==(const EngineInfo&) const = default;
};

} // namespace dockscope::state
