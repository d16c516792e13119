#pragma once

#include "dockscope/docker/DockerClient.h"
#include "support/EventLoop.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace dockscope::test {

using namespace std::chrono_literals;

/// The endpoint of the private dockerd that CTest's `dockerd` fixture started. Fails the test loudly (never
/// skips) when no engine answers there.
docker::Endpoint sharedEngine();

/// Calls an asynchronous client function and runs the event loop until its callback arrives.
template <typename T>
docker::Result<T> await(const std::function<void(docker::DockerClient::Callback<T>)>& start,
                        std::chrono::milliseconds timeout = 30s)
{
    std::optional<docker::Result<T>> result;
    start([&result](docker::Result<T> r) { result.emplace(std::move(r)); });
    if (!waitFor([&] { return result.has_value(); }, timeout))
        return docker::DockerError{docker::ErrorKind::Timeout, 0, "test gave up waiting for the callback"};
    return std::move(*result);
}

/// A prune through await(), asked again while dockerd answers 409 "a prune operation is already running": it
/// runs one prune at a time (per kind), and the tests share one engine and run in parallel.
inline docker::Result<nlohmann::json>
awaitPrune(const std::function<void(docker::DockerClient::Callback<nlohmann::json>)>& start)
{
    for (int attempt = 0;; ++attempt) {
        auto result = await<nlohmann::json>(start);
        if (result.ok() || result.error().kind != docker::ErrorKind::Conflict || attempt == 50)
            return result;
        waitFor([] { return false; }, 100ms);
    }
}

/// A unique name for a test's containers, volumes and networks: tests share one engine and may run in
/// parallel.
std::string uniqueName(const std::string& prefix);

/// Docker create body for a busybox container of the test image running `command` with no network.
nlohmann::json busyboxConfig(const std::vector<std::string>& command, bool tty = false);

/// A busybox container with a health check: healthy while /tmp/ok exists, unhealthy once it removes the file
/// (about 3 s after it starts), then running on for 300 s.
nlohmann::json healthyThenUnhealthyConfig();

/// Creates (and optionally starts) a test container; fails the test on error. Returns its id.
std::string createContainer(docker::DockerClient& client, const std::string& name,
                            const std::vector<std::string>& command, bool start, bool tty = false);

/// A private dockerd of a test's own (for tests that kill or freeze the engine), via scripts/test-dockerd.sh.
class PrivateEngine {
public:
    explicit PrivateEngine(const std::string& name);
    ~PrivateEngine();
    PrivateEngine(const PrivateEngine&) = delete;
    PrivateEngine& operator=(const PrivateEngine&) = delete;

    /// Also listen on tcp://127.0.0.1:port with --tlsverify; certificates go to certDir().
    void enableTls(int port) { m_tlsPort = port; }
    std::string certDir() const { return m_dir + "/certs"; }
    bool start();
    bool kill(); ///< SIGKILL dockerd and wait for its containerd
    docker::Endpoint endpoint() const;

private:
    bool script(const char* command);
    std::string m_dir;
    int m_tlsPort = 0;
};

/// A TCP port that nothing listens on right now.
int freeTcpPort();

} // namespace dockscope::test
