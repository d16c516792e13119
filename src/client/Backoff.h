#pragma once

#include <chrono>

namespace dockscope::client {

/// Capped exponential backoff with jitter: the n-th delay is drawn from the upper half of
/// min(max, min × 2^n), and never below min.
class Backoff {
public:
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);

    /// The delay before the next attempt; each call doubles the next one, up to max.
    std::chrono::milliseconds next();
    /// After a success: the next delay starts from min again.
    void reset() { m_attempts = 0; }

private:
    std::chrono::milliseconds m_min;
    std::chrono::milliseconds m_max;
    int m_attempts = 0;
};

} // namespace dockscope::client
