#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dockscope::engine {

/// Latency percentiles over the most recent samples (a ring of fixed size).
class LatencyWindow {
public:
    explicit LatencyWindow(std::size_t capacity = 2048);
    void add(std::int64_t nanoseconds);
    std::size_t size() const { return m_samples.size(); }
    /// The p-th percentile (0..100) in nanoseconds; 0 when empty.
    std::int64_t percentile(double p) const;
    std::int64_t max() const;

private:
    std::size_t m_capacity;
    std::size_t m_next = 0;
    std::vector<std::int64_t> m_samples;
};

/// What the engine worker did, for the Engine view and the benchmarks: it shows that nothing polls.
struct EngineMetrics {
    std::map<std::string, std::uint64_t> apiCalls; ///< by endpoint template, e.g. "GET /containers/{id}/json"
    std::uint64_t eventsReceived = 0;
    std::uint64_t eventsIgnored = 0;   ///< changed nothing mirrored (exec_*, mount, …): no call made
    std::uint64_t eventsCoalesced = 0; ///< marked an entity already waiting for its inspect
    std::uint64_t eventsMalformed = 0;
    std::uint64_t inspects = 0;
    std::uint64_t relists = 0;
    std::uint64_t batches = 0;
    std::uint64_t changes = 0;
    std::uint64_t reconnects = 0;
    std::uint64_t livenessPings = 0;
    std::uint64_t driftChecks = 0;
    std::uint64_t driftRepairs = 0; ///< drift check changes no event explained (should stay 0)
    std::int64_t latencyP50 = 0;    ///< event timeNano → batch commit, ns (events received while live)
    std::int64_t latencyP99 = 0;
    std::int64_t latencyMax = 0;
    std::int64_t initialSyncNs = 0; ///< duration of the last full sync

    std::uint64_t totalApiCalls() const;
};

} // namespace dockscope::engine
