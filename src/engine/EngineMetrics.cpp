#include "dockscope/engine/EngineMetrics.h"

#include <algorithm>
#include <cmath>

namespace dockscope::engine {

LatencyWindow::LatencyWindow(std::size_t capacity)
    : m_capacity(capacity)
{
    m_samples.reserve(capacity);
}

void LatencyWindow::add(std::int64_t nanoseconds)
{
    if (m_samples.size() < m_capacity) {
        m_samples.push_back(nanoseconds);
        return;
    }
    m_samples[m_next] = nanoseconds;
    m_next = (m_next + 1) % m_capacity;
}

std::int64_t LatencyWindow::percentile(double p) const
{
    if (m_samples.empty())
        return 0;
    std::vector<std::int64_t> sorted = m_samples;
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    const std::size_t index = std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1);
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(index), sorted.end());
    return sorted[index];
}

std::int64_t LatencyWindow::max() const
{
    return m_samples.empty() ? 0 : *std::max_element(m_samples.begin(), m_samples.end());
}

std::uint64_t EngineMetrics::totalApiCalls() const
{
    std::uint64_t total = 0;
    for (const auto& [endpoint, count] : apiCalls)
        total += count;
    return total;
}

} // namespace dockscope::engine
