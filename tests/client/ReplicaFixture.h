#pragma once

// The fixture shared by the replica tests: a FakeServer, a source EngineState built with commits (what a real
// server would hold), a Replica pointed at the fake, and a log of the replica's signals.

#include "FakeServer.h"

#include "dockscope/client/Replica.h"
#include "dockscope/state/StateTransaction.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dockscope::client::testing {

using namespace std::chrono_literals;

/// Runs the event loop until `condition` holds or `timeout` passes. Returns whether it held.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s);
/// Runs the event loop for `duration`: to show that something does not happen.
void spin(std::chrono::milliseconds duration);

state::Container makeContainer(const std::string& id,
                               state::ContainerState status = state::ContainerState::Running,
                               state::Labels labels = {});
state::EngineInfo makeEngine(state::EngineStatus status = state::EngineStatus::Connected);

/// Whether two states hold the same entities, digest, epoch and version (with a readable failure).
::testing::AssertionResult sameState(const state::EngineState& expected, const state::EngineState& actual);

class ReplicaFixture : public ::testing::Test {
protected:
    static constexpr std::uint64_t kEpoch = 77;
    static inline const QString kToken = QStringLiteral("0123456789abcdef0123456789abcdef");

    ReplicaFixture();
    ~ReplicaFixture() override;

    /// Options for the fake server: url + token, short backoff and timeouts.
    Replica::Options options() const;
    /// Creates and starts the replica; its signals are logged in `log`.
    void startReplica(const Replica::Options& opts);
    void startReplica() { startReplica(options()); }

    /// Waits for the hello of connection `connection` (1 = first); fails the test without one.
    protocol::Hello awaitHello(int connection = 1);
    /// Sends a welcome for `view` (default: the source).
    void greet(const state::EngineState& view, std::uint32_t heartbeatMs = 0);
    void greet(std::uint32_t heartbeatMs = 0) { greet(source, heartbeatMs); }
    /// hello → welcome → snapshot of the source, then waits for Live.
    void connectLive(std::uint32_t heartbeatMs = 0);
    /// Commits a transaction to the source and returns its batch.
    state::Batch commit(const state::StateTransaction& transaction);
    void sendBatch(const state::Batch& batch, std::uint64_t epoch = kEpoch);
    /// Waits until the replica's version is `version`.
    bool waitForVersion(std::uint64_t version);
    /// Number of `subscribe` messages the server got (resync requests and subscription changes).
    std::size_t subscribes(int connection = 0) const { return server.count<protocol::Subscribe>(connection); }
    /// How often `name` appears in the signal log.
    int logged(const std::string& name) const;

    FakeServer server;
    state::EngineState source{kEpoch};
    std::unique_ptr<Replica> replica;
    std::vector<std::string> log;
    state::Timestamp now = 1'700'000'000'000'000'000;
};

} // namespace dockscope::client::testing
