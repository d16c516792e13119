#pragma once

// The fixture of the engine-worker tests: a private dockerd of the test's own (truth comparisons need an
// engine that no other test is changing), a client negotiated with it, and an EngineWorker whose batches are
// collected.
#include "dockscope/engine/EngineWorker.h"
#include "engine/EngineTruth.h"
#include "support/TestEngine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dockscope::test {

class WorkerFixture : public ::testing::Test {
public:
    /// `enginePrefix` names the private engine's folder (/tmp/dstest-<prefix>-…); `epoch` is the worker's.
    explicit WorkerFixture(std::string enginePrefix = "ew", std::uint64_t epoch = 42);

    void SetUp() override;
    /// Stops the worker, then removes what would slow the engine's stop or outlive it: containers that run
    /// (dockerd waits 10 s for each one that ignores SIGTERM, as `sleep` does) and user-defined networks
    /// (dockerd leaves their bridge interfaces in the host's namespace, holding address pools, when it
    /// stops).
    void TearDown() override;

    /// Starts the worker on the private engine; by default also waits (and asserts) for its first full sync.
    void startWorker(engine::EngineOptions options = {}, bool waitForSync = true);

    /// Waits until the mirror equals what the Docker API says, and fails with the differences otherwise; then
    /// checks the state's consistency, its digest (recomputed and against the last batch) and that the
    /// batches are contiguous.
    void expectConverged(std::chrono::milliseconds timeout = 10s);
    void expectContiguousVersions() const;

    bool has(const std::string& id) const { return worker->state().containers().count(id) == 1; }
    /// The mirrored container, or an empty one when it is not (or no longer) mirrored.
    state::Container container(const std::string& id) const;

    /// Creates (and by default starts) a busybox container running `command`; returns its id.
    std::string run(const std::vector<std::string>& command, bool start = true);
    /// Runs a client call that answers Done; whether it succeeded.
    bool act(const std::function<void(docker::DockerClient::Callback<docker::Done>)>& call);

    std::unique_ptr<PrivateEngine> engine;
    std::unique_ptr<docker::DockerClient> client;
    std::unique_ptr<engine::EngineWorker> worker;
    std::vector<std::shared_ptr<const state::Batch>> batches;
    int syncs = 0;

private:
    std::string m_enginePrefix;
    std::uint64_t m_epoch;
};

} // namespace dockscope::test
