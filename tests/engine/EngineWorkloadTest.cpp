// The engine worker under a random workload from several threads, and the races the sync algorithm must win:
// events during the initial lists, entities gone before their inspect.
#include "dockscope/engine/EngineWorker.h"
#include "engine/WorkerFixture.h"

#include <QThread>

#include <gtest/gtest.h>

#include <random>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::Done;

namespace {

class EngineWorkloadTest : public WorkerFixture {
public:
    EngineWorkloadTest()
        : WorkerFixture("wl", 7)
    {}
};

/// One thread's share of the workload: random operations on its own containers, volumes and networks.
void randomWorkload(const docker::Endpoint& endpoint, unsigned seed, int operations,
                    std::atomic<int>& failures)
{
    DockerClient client({endpoint});
    std::mt19937 rng(seed);
    std::vector<std::string> containers;
    std::vector<std::string> volumes;
    const auto ok = [&](const auto& result) {
        if (!result.ok())
            ++failures;
    };
    for (int i = 0; i < operations; ++i) {
        const int op = containers.empty() ? 0 : static_cast<int>(rng() % 9);
        const std::string target = containers.empty() ? std::string() : containers[rng() % containers.size()];
        switch (op) {
        case 0: {
            const auto id = await<std::string>([&](auto cb) {
                client.createContainer(uniqueName("w"), busyboxConfig({"sleep", "600"}), nullptr, cb);
            });
            if (id.ok())
                containers.push_back(*id);
            break;
        }
        case 1:
            await<Done>([&](auto cb) { client.startContainer(target, nullptr, cb); });
            break;
        case 2:
            await<Done>([&](auto cb) { client.stopContainer(target, 0, nullptr, cb); });
            break;
        case 3:
            await<Done>([&](auto cb) { client.killContainer(target, "SIGKILL", nullptr, cb); });
            break;
        case 4:
            await<Done>([&](auto cb) { client.pauseContainer(target, nullptr, cb); });
            break;
        case 5:
            await<Done>([&](auto cb) { client.unpauseContainer(target, nullptr, cb); });
            break;
        case 6:
            await<Done>([&](auto cb) { client.renameContainer(target, uniqueName("r"), nullptr, cb); });
            break;
        case 7:
            ok(await<Done>([&](auto cb) { client.removeContainer(target, true, false, nullptr, cb); }));
            std::erase(containers, target);
            break;
        case 8: {
            const std::string name = uniqueName("vol");
            ok(await<state::Volume>([&](auto cb) { client.createVolume(name, "", {}, nullptr, cb); }));
            volumes.push_back(name);
            if (volumes.size() > 3) {
                ok(await<Done>([&](auto cb) { client.removeVolume(volumes.front(), false, nullptr, cb); }));
                volumes.erase(volumes.begin());
            }
            break;
        }
        }
    }
}

} // namespace

TEST_F(EngineWorkloadTest, RandomWorkloadFromSeveralThreadsEndsExact)
{
    startWorker();
    std::atomic<int> failures{0};
    std::vector<QThread*> threads;
    const unsigned seed = std::random_device{}();
    for (unsigned t = 0; t < 3; ++t)
        threads.push_back(
            QThread::create(randomWorkload, engine->endpoint(), seed + t, 100, std::ref(failures)));
    for (QThread* thread : threads)
        thread->start();
    ASSERT_TRUE(waitFor(
        [&] {
            return std::all_of(threads.begin(), threads.end(), [](QThread* t) { return t->isFinished(); });
        },
        300s))
        << "seed " << seed;
    qDeleteAll(threads);
    EXPECT_EQ(failures.load(), 0) << "seed " << seed;
    expectConverged(20s);
    EXPECT_GT(worker->metrics().eventsReceived, 150u); // most of the 300 operations make events
    EXPECT_EQ(worker->metrics().driftRepairs, 0u);
}

TEST_F(EngineWorkloadTest, EventsDuringTheInitialListsAreNotLost)
{
    // Containers appear while the worker is connecting and listing: whatever the order, it must end exact.
    for (int i = 0; i < 10; ++i)
        createContainer(*client, uniqueName("pre"), {"sleep", "600"}, true);
    startWorker({}, /*waitForSync=*/false); // containers are created while it syncs
    std::vector<std::string> during;
    for (int i = 0; i < 10; ++i)
        during.push_back(createContainer(*client, uniqueName("during"), {"sleep", "600"}, i % 2 == 0));
    ASSERT_TRUE(waitFor([&] { return syncs > 0; }, 20s));
    expectConverged(20s);
    for (const auto& id : during)
        EXPECT_TRUE(worker->state().containers().count(id)) << id;
}

TEST_F(EngineWorkloadTest, EntityRemovedBeforeItsInspectIsNeverLeftBehind)
{
    startWorker();
    for (int i = 0; i < 20; ++i) {
        const std::string id = createContainer(*client, uniqueName("flash"), {"true"}, true);
        await<Done>([&](auto cb) { client->removeContainer(id, true, false, nullptr, cb); });
    }
    expectConverged(20s);
    EXPECT_TRUE(worker->state().containers().empty());
}

TEST_F(EngineWorkloadTest, EngineKilledMidWorkloadConverges)
{
    startWorker();
    std::atomic<int> failures{0}; // operations fail while the engine is down: expected
    const unsigned seed = std::random_device{}();
    std::vector<QThread*> threads;
    for (unsigned t = 0; t < 2; ++t)
        threads.push_back(
            QThread::create(randomWorkload, engine->endpoint(), seed + t, 80, std::ref(failures)));
    for (QThread* thread : threads)
        thread->start();
    for (int round = 0; round < 2; ++round) {
        waitFor([] { return false; }, 2s);
        ASSERT_TRUE(engine->kill());
        ASSERT_TRUE(engine->start());
    }
    const bool finished = waitFor(
        [&] {
            return std::all_of(threads.begin(), threads.end(), [](QThread* t) { return t->isFinished(); });
        },
        300s);
    ASSERT_TRUE(finished) << "seed " << seed;
    qDeleteAll(threads);
    ASSERT_TRUE(
        waitFor([&] { return worker->state().engine()->status == state::EngineStatus::Connected; }, 30s));
    expectConverged(20s);
    EXPECT_GE(worker->metrics().reconnects, 2u) << "seed " << seed;
}
