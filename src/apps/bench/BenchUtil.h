#pragma once
// Small helpers of dockscope-bench: clocks, /proc readings, waiting for Docker calls, running tasks
// concurrently.
#include "dockscope/docker/DockerClient.h"

#include <QEventLoop>

#include <cstdint>
#include <functional>
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
