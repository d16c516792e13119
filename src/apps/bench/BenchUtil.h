#pragma once
// Small helpers of dockscope-bench: clocks, /proc readings, waiting for Docker calls, running tasks
// concurrently.
#include "dockscope/docker/DockerClient.h"

#include <QEventLoop>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::bench {

/// CLOCK_MONOTONIC in ns: system-wide, so comparable between the observer and its driver child.
std::int64_t monoNs();
/// CLOCK_REALTIME in ns (Docker's event timeNano is on this clock).
std::int64_t wallNs();
/// This process's CPU time (user + system, all threads) in ns.
std::int64_t selfCpuNs();
/// Another process's CPU time (utime + stime from /proc/PID/stat) in ns; -1 when unreadable.
std::int64_t processCpuNs(qint64 pid);
/// This process's resident set (VmRSS) in KiB.
std::int64_t selfRssKb();
/// Time a thread spent on a core and runnable but waiting for one (/proc/PID/task/TID/schedstat).
struct SchedTimes {
    std::int64_t cpuNs = 0;
    std::int64_t waitNs = 0;

    SchedTimes& operator+=(const SchedTimes& other)
    {
        cpuNs += other.cpuNs;
        waitNs += other.waitNs;
        return *this;
    }
};
/// The threads of process `pid` (0: this process), summed by role: "main" (the thread whose id is the pid)
/// and each other thread under its name (comm); empty when schedstat is unreadable (no CONFIG_SCHEDSTATS).
std::map<std::string, SchedTimes> threadSchedTimes(qint64 pid);
/// `after` minus `before`, role by role (a thread that ended in between is left out).
std::map<std::string, SchedTimes> schedSpan(const std::map<std::string, SchedTimes>& before,
                                            const std::map<std::string, SchedTimes>& after);
/// The pid in a pid file, 0 when missing.
qint64 pidFromFile(const QString& path);

/// The endpoint named by `host` (else DOCKER_HOST, the docker context, the local socket); nullopt with a
/// message on stderr.
std::optional<docker::Endpoint> resolveEndpoint(const QString& host);

/// Client options for `endpoint` with `connections` kept-alive connections.
docker::DockerClient::Options clientOptions(const docker::Endpoint& endpoint, int connections = 4);

/// Runs a Docker call and waits for its result in a nested event loop (populate and cleanup only).
template <typename T, typename Start>
docker::Result<T> await(Start&& start)
{
    std::optional<docker::Result<T>> out;
    QEventLoop loop;
    start([&](docker::Result<T> result) {
        out.emplace(std::move(result));
        loop.quit();
    });
    if (!out)
        loop.exec();
    return std::move(*out);
}

/// A task is started with a `done` to call exactly once when it has finished.
using Task = std::function<void(std::function<void()> done)>;
/// Runs the tasks with at most `inFlight` at once and waits (nested event loop) until all are done.
void runConcurrently(std::vector<Task> tasks, int inFlight);

} // namespace dockscope::bench
