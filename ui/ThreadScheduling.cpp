#include "ThreadScheduling.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace dockscope::ui {

bool lowerCurrentThreadPriority(int increment)
{
#ifdef __linux__
    const auto tid = static_cast<id_t>(gettid());
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, tid);
    if (nice == -1 && errno != 0)
        return false;
    const int wanted = std::min(19, nice + std::max(0, increment));
    if (setpriority(PRIO_PROCESS, tid, wanted) != 0) {
        spdlog::debug("setpriority({}) on thread {} failed: {}", wanted, tid, std::strerror(errno));
        return false;
    }
    return true;
#else
    (void)increment;
    return false;
#endif
}

} // namespace dockscope::ui
