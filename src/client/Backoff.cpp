#include "Backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace dockscope::client {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : m_min(std::max(min, std::chrono::milliseconds(1)))
    , m_max(std::max(m_min, max))
{}

std::chrono::milliseconds Backoff::next()
{
    qint64 ceiling = m_min.count();
    for (int i = 0; i < m_attempts && ceiling < m_max.count(); ++i)
        ceiling *= 2; // stops at the cap, so it cannot overflow
    ceiling = std::min<qint64>(ceiling, m_max.count());
    if (m_attempts < 64)
        ++m_attempts;
    const qint64 floor = std::max<qint64>(m_min.count(), ceiling / 2);
    // Jitter spreads the reconnects of many clients after a daemon restart.
    const qint64 delay = floor + QRandomGenerator::global()->bounded(ceiling - floor + 1);
    return std::chrono::milliseconds(delay);
}

} // namespace dockscope::client
