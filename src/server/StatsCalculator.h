#pragma once

#include "dockscope/state/Timestamp.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace dockscope::server {

/// One stats sample as the protocol's stats stream-data carries it (protocol/Messages.h): bytes, percentages
/// (0–100 per CPU, so up to online CPUs × 100) and the sample's time.
struct StatsSample {
    double cpuPercent = 0;
    std::uint64_t memUsage = 0; ///< usage without the inactive file cache, as `docker stats` shows it
    std::uint64_t memLimit = 0;
    double memPercent = 0;
    std::uint64_t netRx = 0; ///< summed over the container's interfaces
    std::uint64_t netTx = 0;
    std::uint64_t blockRead = 0;
    std::uint64_t blockWrite = 0;
    std::uint64_t pids = 0;
    state::Timestamp read = 0; ///< ns since the epoch; 0 when Docker has no sample (a stopped container)

    bool operator==(const StatsSample&) const = default;
};

/// Computes the figures of `docker stats` from one document of Docker's stats stream
/// (GET /containers/{id}/stats), whose `precpu_stats` holds the previous sample (docker/cli
/// cli/command/container/stats_helpers.go, Linux engines):
/// - cpuPercent = (Δ cpu_usage.total_usage / Δ system_cpu_usage) × online_cpus × 100, online_cpus falling
///   back to len(percpu_usage); 0 unless both deltas are positive. One deliberate difference: when the
///   previous sample is missing (the first document of a stream has no precpu system_cpu_usage) the result
///   is 0 where the CLI would divide the container's lifetime CPU time by the host's.
/// - memUsage = usage − total_inactive_file (cgroup v1) or − inactive_file (cgroup v2), when smaller than
///   usage; memPercent = memUsage / limit × 100 (0 without a limit).
/// - netRx/netTx sum networks.*.rx_bytes/tx_bytes; blockRead/blockWrite sum
///   blkio_stats.io_service_bytes_recursive entries whose op is "read"/"write" (any case); pids is
///   pids_stats.current.
/// Missing or null fields count as 0 (a stopped container's samples have most of them null or absent).
/// Throws docker::JsonFieldError when `stats` is not an object or `read` is not an RFC 3339 time.
StatsSample calculateStats(const nlohmann::json& stats);

/// The stream-data fields {"cpuPercent", "memUsage", "memLimit", "memPercent", "netRx", "netTx",
/// "blockRead", "blockWrite", "pids", "read"}.
nlohmann::json toJson(const StatsSample& sample);

} // namespace dockscope::server
