#pragma once

namespace dockscope::ui {

// Why: during a Docker burst on a small machine the GUI thread's own work per frame stays short (≤ 13 ms with
// 1000 operations on 2 cores), but its frames arrive late because it waits for a core held by dockerd,
// containerd and this very process's embedded engine and server threads (wall-clock stalls several times
// the thread's own CPU time). Linux schedules each thread on its own (SCHED_OTHER), so the GUI lowers the
// priority of the embedded engine's and server's threads (nice +kEmbeddedWorkerNice, those threads only; no
// privilege is needed to lower a priority): they then yield the core to the GUI thread when it has work.
// dockscoped and dockscope-bench never do this: the headless daemon keeps its normal priority.
//
// Measured with the GUI pass of scripts/bench.sh (2 cores, 1000-operation burst; 23 baseline and 22 runs
// interleaved on a shared, noisy machine), medians: longest stall 87 -> 63 ms, stalls over 16 ms 54 -> 22,
// p99 gap 18 -> 13 ms; the GUI thread's time waiting for a core during the workload -17 % (9 of 10 pairs
// lower); the engine's event -> commit latency unchanged (p50 about 15 ms, p99 about 254 ms: mostly dockerd
// answering the inspects). nice +10 was no better and lengthened the engine's latency tail. Not kept: a short
// EEVDF slice for the GUI thread (sched_setattr, sched_runtime 1 ms; Linux 6.12+ lets it preempt on wakeup):
// no better alone, and worse with the lower priority (probably because a frame of 5-13 ms is then cut into 1
// ms pieces). The 16 ms goal stays out of reach of in-process priorities: dockerd and other processes hold
// the cores too.
//
// QThread::setPriority cannot do this: Qt maps it to pthread priorities, which SCHED_OTHER ignores on Linux.

/// The nice increment of the embedded engine's and server's threads in the GUI.
inline constexpr int kEmbeddedWorkerNice = 5;

/// Raises the calling thread's nice value by `increment` (at most to 19), and only this thread's: Linux
/// treats a thread id as a process for setpriority. False if the kernel refused (the thread is then
/// unchanged) or where this is not Linux.
bool lowerCurrentThreadPriority(int increment);

} // namespace dockscope::ui
