#include "engine/WorkerFixture.h"

namespace dockscope::test {

WorkerFixture::WorkerFixture(std::string enginePrefix, std::uint64_t epoch)
    : m_enginePrefix(std::move(enginePrefix))
    , m_epoch(epoch)
{}

void WorkerFixture::SetUp()
{
    engine = std::make_unique<PrivateEngine>(uniqueName(m_enginePrefix));
    ASSERT_TRUE(engine->start());
    client = std::make_unique<docker::DockerClient>(docker::DockerClient::Options{engine->endpoint()});
    ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); }).ok());
}

void WorkerFixture::TearDown()
{
    worker.reset();
    if (!client)
        return;
    // A short ping first: a test that failed may have left the engine killed or frozen.
    if (!await<docker::ApiVersion>([&](auto cb) { client->ping(nullptr, cb, 2s); }, 3s).ok())
        return;
    // All requests at once, over the client's pool; the answers do not matter (the engine is removed next).
    // (A shared count: an answer may still come, or be cancelled, after this function gave up waiting.)
    const auto pending = std::make_shared<int>(0);
    const auto done = [pending](const auto&) { --*pending; };
    const auto containers =
        await<std::vector<state::Container>>([&](auto cb) { client->listContainers(nullptr, cb); });
    if (containers.ok())
        for (const auto& c : *containers)
            if (c.state != state::ContainerState::Exited && c.state != state::ContainerState::Created &&
                c.state != state::ContainerState::Dead) {
                ++*pending;
                client->removeContainer(c.id, true, false, nullptr, done);
            }
    waitFor([&] { return *pending == 0; }, 30s);
    const auto networks =
        await<std::vector<state::Network>>([&](auto cb) { client->listNetworks(nullptr, cb); });
    if (networks.ok())
        for (const auto& n : *networks)
            if (n.name != "bridge" && n.name != "host" && n.name != "none") {
                ++*pending;
                client->removeNetwork(n.id, nullptr, done);
            }
    waitFor([&] { return *pending == 0; }, 30s);
}

void WorkerFixture::startWorker(engine::EngineOptions options, bool waitForSync)
{
    options.endpoint = engine->endpoint();
    worker = std::make_unique<engine::EngineWorker>(options, m_epoch);
    QObject::connect(worker.get(), &engine::EngineWorker::batchCommitted,
                     [this](std::shared_ptr<const state::Batch> b) { batches.push_back(std::move(b)); });
    QObject::connect(worker.get(), &engine::EngineWorker::synced, [this] { ++syncs; });
    worker->start();
    if (waitForSync) {
        ASSERT_TRUE(waitFor([&] { return syncs > 0; }, 20s)) << "no initial sync";
    }
}

void WorkerFixture::expectConverged(std::chrono::milliseconds timeout)
{
    std::string diff = "no truth read";
    const bool same = waitFor(
        [&] {
            const auto truth = engineTruth(*client);
            diff = truth ? differences(worker->state(), *truth) : "engine did not answer";
            return diff.empty();
        },
        timeout);
    EXPECT_TRUE(same) << diff;
    EXPECT_TRUE(worker->state().checkConsistency().empty());
    EXPECT_EQ(worker->state().digest(), worker->state().recomputeDigest());
    if (!batches.empty()) {
        EXPECT_EQ(batches.back()->digest, worker->state().digest());
    }
    expectContiguousVersions();
}

void WorkerFixture::expectContiguousVersions() const
{
    for (std::size_t i = 1; i < batches.size(); ++i)
        EXPECT_EQ(batches[i]->from, batches[i - 1]->to) << "batch " << i;
}

state::Container WorkerFixture::container(const std::string& id) const
{
    const auto it = worker->state().containers().find(id);
    return it == worker->state().containers().end() ? state::Container{} : it->second;
}

std::string WorkerFixture::run(const std::vector<std::string>& command, bool start)
{
    return createContainer(*client, uniqueName("c"), command, start);
}

bool WorkerFixture::act(const std::function<void(docker::DockerClient::Callback<docker::Done>)>& call)
{
    return await<docker::Done>(call).ok();
}

} // namespace dockscope::test
