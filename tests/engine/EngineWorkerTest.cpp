// The engine worker against a real dockerd of each test's own (truth comparisons need an engine that no other
// test is changing): initial sync, one case per operation, a quiet minute, and faults.
#include "dockscope/engine/EngineWorker.h"
#include "dockscope/engine/EngineController.h"
#include "engine/WorkerFixture.h"

#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <QFile>
#include <csignal>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::Done;
using state::ContainerState;
using state::EngineStatus;

namespace {

class EngineWorkerTest : public WorkerFixture {};

} // namespace

TEST_F(EngineWorkerTest, InitialSyncMirrorsTheEngine)
{
    const std::string running = run({"sleep", "300"});
    const std::string created = run({"true"}, false);
    startWorker();
    ASSERT_TRUE(has(running));
    EXPECT_EQ(container(running).state, ContainerState::Running);
    EXPECT_EQ(container(created).state, ContainerState::Created);
    ASSERT_TRUE(worker->state().engine().has_value());
    EXPECT_EQ(worker->state().engine()->status, EngineStatus::Connected);
    EXPECT_EQ(worker->state().engine()->counts.running, 1);
    expectConverged();
}

TEST_F(EngineWorkerTest, ContainerLifecycleFollowsTheEvents)
{
    startWorker();
    const std::string id = run({"sleep", "300"});
    ASSERT_TRUE(waitFor([&] { return has(id) && container(id).state == ContainerState::Running; }));
    ASSERT_TRUE(act([&](auto cb) { client->pauseContainer(id, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return container(id).state == ContainerState::Paused; }));
    ASSERT_TRUE(act([&](auto cb) { client->unpauseContainer(id, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return container(id).state == ContainerState::Running; }));
    const std::string newName = uniqueName("renamed");
    ASSERT_TRUE(act([&](auto cb) { client->renameContainer(id, newName, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return container(id).name == newName; }));
    ASSERT_TRUE(act([&](auto cb) { client->killContainer(id, "SIGKILL", nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return container(id).state == ContainerState::Exited; }));
    EXPECT_EQ(container(id).exitCode, 137);
    ASSERT_TRUE(act([&](auto cb) { client->restartContainer(id, 0, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return container(id).state == ContainerState::Running; }));
    ASSERT_TRUE(act([&](auto cb) { client->stopContainer(id, 0, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return container(id).state == ContainerState::Exited; }));
    expectConverged();
    ASSERT_TRUE(act([&](auto cb) { client->removeContainer(id, true, false, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return !has(id); }));
    expectConverged();
    expectContiguousVersions();
}

TEST_F(EngineWorkerTest, HealthGoesHealthyThenUnhealthy)
{
    startWorker();
    // Healthy while /tmp/ok exists, unhealthy once the container removes it.
    auto config = busyboxConfig({"sh", "-c", "touch /tmp/ok; sleep 3; rm /tmp/ok; sleep 300"});
    config["Healthcheck"] = {{"Test", {"CMD", "test", "-f", "/tmp/ok"}},
                             {"Interval", 200'000'000},
                             {"Timeout", 1'000'000'000},
                             {"Retries", 1}};
    const auto id =
        await<std::string>([&](auto cb) { client->createContainer(uniqueName("h"), config, nullptr, cb); });
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(act([&](auto cb) { client->startContainer(*id, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return has(*id) && container(*id).health == state::Health::Healthy; }, 15s));
    ASSERT_TRUE(waitFor([&] { return container(*id).health == state::Health::Unhealthy; }, 15s));
    expectConverged();
    // Health probes are execs: three events per probe, none of which may cost an inspect.
    EXPECT_GT(worker->metrics().eventsIgnored, 6u);
}

TEST_F(EngineWorkerTest, RestartPolicyLoopIsFollowed)
{
    startWorker();
    auto config = busyboxConfig({"sh", "-c", "sleep 0.2; exit 1"});
    config["HostConfig"]["RestartPolicy"] = {{"Name", "always"}};
    const auto id = await<std::string>(
        [&](auto cb) { client->createContainer(uniqueName("loop"), config, nullptr, cb); });
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(act([&](auto cb) { client->startContainer(*id, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return has(*id) && container(*id).restartCount >= 2; }, 20s));
    ASSERT_TRUE(act([&](auto cb) { client->removeContainer(*id, true, false, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return !has(*id); }));
    expectConverged();
}

TEST_F(EngineWorkerTest, ImagesVolumesNetworksAndPrunes)
{
    startWorker();
    const std::string repo = "dockscope-test/" + uniqueName("img");
    ASSERT_TRUE(
        act([&](auto cb) { client->tagImage("dockscope-test/busybox:latest", repo, "v1", nullptr, cb); }));
    const auto hasTag = [&](const std::string& tag) {
        for (const auto& [id, image] : worker->state().images())
            if (std::find(image.repoTags.begin(), image.repoTags.end(), tag) != image.repoTags.end())
                return true;
        return false;
    };
    ASSERT_TRUE(waitFor([&] { return hasTag(repo + ":v1"); }));
    ASSERT_TRUE(await<nlohmann::json>([&](auto cb) {
                    client->removeImage(repo + ":v1", false, false, nullptr, cb);
                }).ok());
    ASSERT_TRUE(waitFor([&] { return !hasTag(repo + ":v1"); }));

    const std::string vol = uniqueName("v");
    ASSERT_TRUE(await<state::Volume>([&](auto cb) { client->createVolume(vol, "", {}, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor([&] { return worker->state().volumes().count(vol) == 1; }));
    docker::NetworkSpec spec;
    spec.name = uniqueName("n");
    spec.internal = true;
    const auto net = await<std::string>([&](auto cb) { client->createNetwork(spec, nullptr, cb); });
    ASSERT_TRUE(net.ok());
    ASSERT_TRUE(waitFor([&] { return worker->state().networks().count(*net) == 1; }));

    auto config = busyboxConfig({"sleep", "300"});
    config["HostConfig"]["NetworkMode"] = spec.name;
    config["HostConfig"]["Binds"] = {vol + ":/data"};
    const auto cid = await<std::string>(
        [&](auto cb) { client->createContainer(uniqueName("user"), config, nullptr, cb); });
    ASSERT_TRUE(cid.ok());
    ASSERT_TRUE(waitFor([&] {
        const auto& v = worker->state().volumes().at(vol);
        const auto& n = worker->state().networks().at(*net);
        return v.usedBy == std::vector<std::string>{*cid} && n.containers == std::vector<std::string>{*cid};
    }));
    ASSERT_TRUE(act([&](auto cb) { client->disconnectNetwork(*net, *cid, true, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return worker->state().networks().at(*net).containers.empty(); }));
    ASSERT_TRUE(act([&](auto cb) { client->removeContainer(*cid, true, false, nullptr, cb); }));
    ASSERT_TRUE(waitFor([&] { return worker->state().volumes().at(vol).usedBy.empty(); }));

    // Volume prune sends no per-volume event, only a prune with an empty actor: a re-list must catch it.
    ASSERT_TRUE(awaitPrune([&](auto cb) { client->pruneVolumes({}, nullptr, cb); }).ok());
    ASSERT_TRUE(awaitPrune([&](auto cb) { client->pruneNetworks({}, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor([&] { return worker->state().networks().count(*net) == 0; }));
    expectConverged();
    expectContiguousVersions();
}

TEST_F(EngineWorkerTest, AQuietMinuteCostsNoApiCalls)
{
    engine::EngineOptions options;
    options.livenessIdle = 0ms; // measure the worker's own calls only
    startWorker(options);
    run({"sleep", "300"});
    expectConverged();
    waitFor([] { return false; }, 1500ms); // the run's own events are handled first
    const auto before = worker->metrics();
    QElapsedTimer clock;
    clock.start();
    waitFor([] { return false; }, 60s);
    const auto after = worker->metrics();
    EXPECT_GE(clock.elapsed(), 60000);
    EXPECT_EQ(after.totalApiCalls(), before.totalApiCalls());
    EXPECT_EQ(after.eventsReceived, before.eventsReceived);
}

TEST_F(EngineWorkerTest, LivenessPingIsTheOnlyIdleCall)
{
    engine::EngineOptions options;
    options.livenessIdle = 1000ms;
    startWorker(options);
    // Let the events replayed by `since` (the test image's import) be handled first: they are not idle calls.
    waitFor([] { return false; }, 1500ms);
    const auto before = worker->metrics();
    waitFor([] { return false; }, 3500ms);
    const auto after = worker->metrics();
    const auto pings = after.apiCalls.at("GET /_ping") - before.apiCalls.at("GET /_ping");
    EXPECT_GE(pings, 2u);
    EXPECT_LE(pings, 4u);
    std::string calls;
    for (const auto& [endpoint, n] : after.apiCalls)
        calls += endpoint + '=' +
                 std::to_string(n - (before.apiCalls.count(endpoint) ? before.apiCalls.at(endpoint) : 0)) +
                 ' ';
    EXPECT_EQ(after.totalApiCalls() - before.totalApiCalls(), pings) << calls;
}

TEST_F(EngineWorkerTest, KilledAndRestartedEngineConvergesWithMonotonicVersions)
{
    startWorker();
    const std::string survivor = run({"sleep", "300"}, false);
    const std::string victim = run({"sleep", "300"});
    ASSERT_TRUE(waitFor([&] { return has(victim) && container(victim).state == ContainerState::Running; }));
    for (int round = 0; round < 2; ++round) {
        const auto versionBefore = worker->state().version();
        ASSERT_TRUE(engine->kill());
        ASSERT_TRUE(waitFor(
            [&] {
                const auto& e = worker->state().engine();
                return e &&
                       (e->status == EngineStatus::Reconnecting || e->status == EngineStatus::Unreachable);
            },
            10s));
        ASSERT_TRUE(engine->start());
        ASSERT_TRUE(
            waitFor([&] { return worker->state().engine()->status == EngineStatus::Connected; }, 30s));
        EXPECT_GT(worker->state().version(), versionBefore);
        // The running container died with its containerd: the mirror says so without a client asking.
        ASSERT_TRUE(
            waitFor([&] { return has(victim) && container(victim).state == ContainerState::Exited; }));
        expectConverged();
        ASSERT_TRUE(act([&](auto cb) { client->startContainer(victim, nullptr, cb); }));
    }
    EXPECT_TRUE(has(survivor));
    EXPECT_GE(worker->metrics().reconnects, 2u);
    expectContiguousVersions();
}

TEST_F(EngineWorkerTest, FrozenEngineIsReportedAndRecovers)
{
    startWorker();
    const qint64 pid = [&] {
        QFile f(QString::fromStdString(engine->endpoint().path)
                    .replace(QStringLiteral("docker.sock"), QStringLiteral("dockerd.pid")));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
    }();
    ASSERT_GT(pid, 0);
    QElapsedTimer clock;
    clock.start();
    ::kill(static_cast<pid_t>(pid), SIGSTOP);
    const bool reported =
        waitFor([&] { return worker->state().engine()->status != EngineStatus::Connected; }, 10s);
    const auto detectedMs = clock.elapsed();
    ::kill(static_cast<pid_t>(pid), SIGCONT);
    ASSERT_TRUE(reported);
    EXPECT_LT(detectedMs, 5000);
    EXPECT_FALSE(worker->state().engine()->lastError.empty());
    ASSERT_TRUE(waitFor([&] { return worker->state().engine()->status == EngineStatus::Connected; }, 30s));
    const std::string id = run({"sleep", "300"});
    ASSERT_TRUE(waitFor([&] { return has(id); }));
    expectConverged();
}

// A drift check counts as repairs only what no event said: what events name while it runs is resolved within
// it, and those changes are no repairs (they were counted, and logged as drift, before).
TEST_F(EngineWorkerTest, EventsDuringADriftCheckAreNoRepairs)
{
    startWorker();
    const std::string id = run({"sleep", "300"});
    ASSERT_TRUE(waitFor([&] { return has(id) && container(id).state == ContainerState::Running; }));
    for (int i = 0; i < 6; ++i) {
        // The operation's events arrive while the drift check lists (most of the time).
        const auto checks = worker->metrics().driftChecks;
        bool done = false;
        const auto finished = [&done](auto) { done = true; };
        if (i % 2 == 0)
            client->pauseContainer(id, nullptr, finished);
        else
            client->unpauseContainer(id, nullptr, finished);
        worker->checkDrift();
        ASSERT_TRUE(waitFor([&] { return done && worker->metrics().driftChecks > checks; }));
    }
    expectConverged();
    waitFor([] { return false; }, 2500ms); // an event may explain a drift check's change up to 2 s later
    EXPECT_EQ(worker->metrics().driftRepairs, 0u) << "changes the events brought were counted as repairs";
}

TEST_F(EngineWorkerTest, ControllerRunsTheWorkerOnItsOwnThread)
{
    engine::EngineOptions options;
    options.endpoint = engine->endpoint();
    engine::EngineController controller(options);
    std::vector<std::shared_ptr<const state::Batch>> received;
    QObject::connect(&controller, &engine::EngineController::batchCommitted,
                     [&](std::shared_ptr<const state::Batch> b) { received.push_back(std::move(b)); });
    bool synced = false;
    QObject::connect(&controller, &engine::EngineController::synced, [&] { synced = true; });
    controller.start();
    ASSERT_TRUE(waitFor([&] { return synced; }, 20s));
    const std::string id = run({"sleep", "300"});
    ASSERT_TRUE(waitFor([&] {
        return std::any_of(received.begin(), received.end(), [&](const auto& b) {
            return std::any_of(b->changes.begin(), b->changes.end(),
                               [&](const auto& c) { return c.id == id; });
        });
    }));
    // A replica fed only the batches ends equal to the worker's state (digest).
    state::EngineState replica(controller.epoch());
    for (const auto& b : received) {
        std::string error;
        ASSERT_TRUE(replica.apply(*b, &error)) << error;
    }
    std::optional<engine::EngineMetrics> metrics;
    std::size_t receivedBefore = 0; // batches committed after the metrics were read may follow them
    QObject::connect(&controller, &engine::EngineController::metricsReady, [&](const auto& m) {
        metrics = m;
        receivedBefore = received.size();
    });
    controller.requestMetrics();
    ASSERT_TRUE(waitFor([&] { return metrics.has_value(); }));
    EXPECT_GT(metrics->batches, 0u);
    EXPECT_GT(metrics->inspects, 0u);
    EXPECT_EQ(metrics->batches, receivedBefore);
    EXPECT_GT(metrics->initialSyncNs, 0);
    EXPECT_GT(metrics->latencyP50, 0) << "the run's events were committed: their latency is measured";
    EXPECT_GE(metrics->latencyP99, metrics->latencyP50);
    EXPECT_GE(metrics->latencyMax, metrics->latencyP99);
    EXPECT_GT(metrics->apiCalls.at("GET /containers/{id}/json"), 0u);
    EXPECT_TRUE(replica.containers().count(id));
}
