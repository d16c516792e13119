// Replicas (the client library every consumer uses) against dockscoped as a process: a daemon killed with
// SIGKILL and started again is found again through the discovery file; the replicas get a snapshot of the new
// epoch and converge, and the engine's changes made meanwhile are in it. Also: a replica follows a random
// workload to exactly the server's digest.
#include "support/TestEngine.h"

#include "dockscope/client/Replica.h"
#include "dockscope/docker/DockerClient.h"

#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <random>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;

namespace {

class DaemonRestart : public ::testing::Test {
protected:
    void SetUp() override
    {
        endpoint = sharedEngine();
        docker = std::make_unique<DockerClient>(DockerClient::Options{endpoint});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { docker->negotiate(nullptr, cb); }).ok());
        ASSERT_TRUE(dir.isValid());
        discovery = dir.filePath(QStringLiteral("daemon.json"));
    }

    void TearDown() override
    {
        for (const std::string& id : containers)
            await<docker::Done>([&](auto cb) { docker->removeContainer(id, true, false, nullptr, cb); });
        stopDaemon();
    }

    void startDaemon()
    {
        daemon = std::make_unique<QProcess>();
        daemon->start(QStringLiteral(DOCKSCOPE_DAEMON_PATH),
                      {QStringLiteral("-H"), QString::fromStdString(endpoint.url()),
                       QStringLiteral("--discovery-file"), discovery, QStringLiteral("--cache-dir"),
                       QStringLiteral("-"), QStringLiteral("--log-level"), QStringLiteral("warn")});
        ASSERT_TRUE(daemon->waitForStarted(10000));
        QByteArray out;
        ASSERT_TRUE(waitFor(
            [&] {
                out += daemon->readAllStandardOutput();
                return out.contains("ready url=");
            },
            30s))
            << out.toStdString() << daemon->readAllStandardError().toStdString();
    }

    void stopDaemon()
    {
        if (!daemon || daemon->state() == QProcess::NotRunning)
            return;
        daemon->terminate();
        if (!daemon->waitForFinished(15000))
            daemon->kill();
        daemon->waitForFinished(5000);
    }

    std::unique_ptr<client::Replica> replica(protocol::Encoding encoding)
    {
        client::Replica::Options options;
        options.discoveryFile = discovery;
        options.encoding = encoding;
        options.backoffMin = 100ms;
        options.backoffMax = 1000ms;
        auto r = std::make_unique<client::Replica>(options);
        r->start();
        return r;
    }

    bool mirrors(const client::Replica& r, const std::string& id, state::ContainerState wanted) const
    {
        const auto it = r.state().containers().find(id);
        return it != r.state().containers().end() && it->second.state == wanted;
    }

    std::string run(bool start)
    {
        containers.push_back(createContainer(*docker, uniqueName("dr"), {"sleep", "300"}, start));
        return containers.back();
    }

    docker::Endpoint endpoint;
    std::unique_ptr<DockerClient> docker;
    QTemporaryDir dir;
    QString discovery;
    std::unique_ptr<QProcess> daemon;
    std::vector<std::string> containers;
};

} // namespace

TEST_F(DaemonRestart, KilledDaemonIsFoundAgainAndReplicasConvergeOnTheNewEpoch)
{
    const std::string id = run(true);
    startDaemon();
    auto json = replica(protocol::Encoding::Json);
    auto msgpack = replica(protocol::Encoding::Msgpack);
    ASSERT_TRUE(waitFor(
        [&] {
            return mirrors(*json, id, state::ContainerState::Running) &&
                   mirrors(*msgpack, id, state::ContainerState::Running);
        },
        20s));
    const std::uint64_t oldEpoch = json->state().epoch();

    daemon->kill(); // SIGKILL: no goodbye, the discovery file stays behind with a dead port
    daemon->waitForFinished(5000);
    ASSERT_TRUE(waitFor([&] { return json->status() == client::Replica::Status::Reconnecting; }, 10s));
    EXPECT_TRUE(mirrors(*json, id, state::ContainerState::Running)) << "the last state is kept meanwhile";

    // The engine changes while no daemon watches it.
    ASSERT_TRUE(await<docker::Done>([&](auto cb) { docker->stopContainer(id, 0, nullptr, cb); }).ok());
    const std::string created = run(false);

    startDaemon();
    ASSERT_TRUE(waitFor(
        [&] {
            return json->status() == client::Replica::Status::Live &&
                   msgpack->status() == client::Replica::Status::Live && json->state().epoch() != oldEpoch &&
                   mirrors(*json, id, state::ContainerState::Exited) &&
                   mirrors(*msgpack, id, state::ContainerState::Exited) &&
                   mirrors(*json, created, state::ContainerState::Created);
        },
        30s))
        << "status " << static_cast<int>(json->status()) << ", last error "
        << json->lastError().toStdString();
    // Other tests change the shared engine meanwhile: compare the two replicas once they hold the same
    // version.
    EXPECT_TRUE(waitFor([&] { return json->state().version() == msgpack->state().version(); }, 20s));
    EXPECT_EQ(json->state().digest(), msgpack->state().digest());
    EXPECT_EQ(json->state().digest(), json->state().recomputeDigest());
    EXPECT_GE(json->stats().snapshots, 2u) << "a new epoch means a snapshot";
}

TEST_F(DaemonRestart, AReplicaFollowsARandomWorkloadToTheServersDigest)
{
    startDaemon();
    auto r = replica(protocol::Encoding::Msgpack);
    ASSERT_TRUE(waitFor([&] { return r->status() == client::Replica::Status::Live; }, 20s));
    std::mt19937 rng(1234);
    std::vector<std::string> mine;
    for (int i = 0; i < 60; ++i) {
        const int op = mine.empty() ? 0 : static_cast<int>(rng() % 5);
        const std::string target = mine.empty() ? std::string() : mine[rng() % mine.size()];
        switch (op) {
        case 0:
            mine.push_back(run(rng() % 2 == 0));
            break;
        case 1:
            await<docker::Done>([&](auto cb) { docker->startContainer(target, nullptr, cb); });
            break;
        case 2:
            await<docker::Done>([&](auto cb) { docker->stopContainer(target, 0, nullptr, cb); });
            break;
        case 3:
            await<docker::Done>(
                [&](auto cb) { docker->renameContainer(target, uniqueName("rn"), nullptr, cb); });
            break;
        case 4:
            await<docker::Done>([&](auto cb) { docker->removeContainer(target, true, false, nullptr, cb); });
            std::erase(mine, target);
            break;
        }
    }
    // The replica's state must come to equal what the engine says about the containers of this test, and its
    // digest must be a true digest of its entities (the server checked each batch's digest on the way).
    const auto matches = [&] {
        const auto list =
            await<std::vector<state::Container>>([&](auto cb) { docker->listContainers(nullptr, cb); });
        if (!list.ok())
            return false;
        for (const std::string& id : mine) {
            const auto it =
                std::find_if(list->begin(), list->end(), [&](const auto& c) { return c.id == id; });
            const auto mirrored = r->state().containers().find(id);
            if (it == list->end() || mirrored == r->state().containers().end() ||
                mirrored->second.name != it->name || mirrored->second.state != it->state)
                return false;
        }
        for (const auto& c : containers)
            if (std::find(mine.begin(), mine.end(), c) == mine.end() && r->state().containers().count(c))
                return false; // removed ones are gone
        return true;
    };
    EXPECT_TRUE(waitFor(matches, 20s));
    EXPECT_EQ(r->state().digest(), r->state().recomputeDigest());
    EXPECT_EQ(r->stats().resyncs, 0u);
}
