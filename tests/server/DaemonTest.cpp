// The engine and the state server together (ServerController, as dockscoped and the GUI run them) against a
// private dockerd of each test's own: snapshots equal the engine's truth, clients follow a workload exactly,
// an engine restart reaches connected clients as a delta, the discovery file is private, the offline cache.
#include "dockscope/server/ServerController.h"
#include "engine/EngineTruth.h"
#include "server/ProtocolClient.h"
#include "support/TestEngine.h"

#include "dockscope/engine/EngineController.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::Done;

namespace {

class DaemonTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        engine = std::make_unique<PrivateEngine>(uniqueName("dm"));
        ASSERT_TRUE(engine->start());
        client = std::make_unique<DockerClient>(DockerClient::Options{engine->endpoint()});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); }).ok());
        ASSERT_TRUE(dir.isValid());
    }

    server::DaemonOptions daemonOptions() const
    {
        server::DaemonOptions options;
        options.engine.endpoint = engine->endpoint();
        options.engine.livenessIdle = 0ms;
        options.discoveryFile = dir.filePath(QStringLiteral("run/daemon.json"));
        return options;
    }

    void startDaemon(server::DaemonOptions options)
    {
        daemon = std::make_unique<server::ServerController>(std::move(options));
        QString error;
        ASSERT_TRUE(daemon->start(&error)) << error.toStdString();
    }

    std::unique_ptr<ProtocolClient> connectClient()
    {
        auto c = std::make_unique<ProtocolClient>(daemon->url());
        c->encoding = protocol::Encoding::Msgpack;
        EXPECT_TRUE(c->open());
        c->hello(daemon->token(), std::nullopt, std::nullopt, true);
        EXPECT_TRUE(c->waitLive());
        return c;
    }

    /// Waits until the client's state equals the engine's truth (entity by entity).
    void expectEqualsTruth(ProtocolClient& c, std::chrono::milliseconds timeout = 20s)
    {
        std::string diff = "no truth read";
        const bool same = waitFor(
            [&] {
                const auto truth = engineTruth(*client);
                diff = truth ? differences(c.state, *truth) : "engine did not answer";
                return diff.empty();
            },
            timeout);
        EXPECT_TRUE(same) << diff;
        EXPECT_TRUE(c.applyErrors.empty()) << c.applyErrors.front();
        EXPECT_EQ(c.state.digest(), c.state.recomputeDigest());
    }

    std::string run(const std::vector<std::string>& command, bool start = true)
    {
        return createContainer(*client, uniqueName("c"), command, start);
    }

    std::unique_ptr<PrivateEngine> engine;
    std::unique_ptr<DockerClient> client;
    QTemporaryDir dir;
    std::unique_ptr<server::ServerController> daemon;
};

} // namespace

TEST_F(DaemonTest, SnapshotEqualsTheEngineAndTheDiscoveryFileIsPrivate)
{
    run({"sleep", "300"});
    run({"true"}, false);
    startDaemon(daemonOptions());
    const QString discovery = daemon->discoveryFile();
    struct stat st = {};
    ASSERT_EQ(::stat(QFile::encodeName(discovery).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    struct stat folder = {};
    ASSERT_EQ(::stat(QFile::encodeName(QFileInfo(discovery).absolutePath()).constData(), &folder), 0);
    EXPECT_EQ(folder.st_mode & 0077, 0u) << "the discovery folder is private too";
    QFile file(discovery);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    EXPECT_EQ(json.at("url").get<std::string>(), daemon->url().toString().toStdString());
    EXPECT_EQ(json.at("token").get<std::string>(), daemon->token().toStdString());
    EXPECT_GE(daemon->token().size(), 32) << "at least 128 bits";
    file.close();

    auto c = connectClient();
    // The first snapshot may come before the initial sync; the changes that follow complete it.
    expectEqualsTruth(*c);
    ASSERT_TRUE(c->state.engine().has_value());
    EXPECT_EQ(c->state.engine()->status, state::EngineStatus::Connected);

    // A second client connecting now gets a snapshot that equals the truth at once.
    auto late = connectClient();
    EXPECT_EQ(late->count<protocol::Changes>(), 0u);
    const auto truth = engineTruth(*client);
    ASSERT_TRUE(truth);
    EXPECT_EQ(differences(late->state, *truth), "");

    daemon.reset();
    EXPECT_FALSE(QFileInfo::exists(discovery)) << "removed at shutdown";
}

TEST_F(DaemonTest, ClientsFollowAWorkloadExactly)
{
    startDaemon(daemonOptions());
    auto a = connectClient();
    auto b = connectClient();
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i)
        ids.push_back(run({"sleep", "300"}, i % 2 == 0));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        switch (i % 4) {
        case 0:
            await<Done>([&](auto cb) { client->stopContainer(ids[i], 0, nullptr, cb); });
            break;
        case 1:
            await<Done>([&](auto cb) { client->startContainer(ids[i], nullptr, cb); });
            break;
        case 2:
            await<Done>([&](auto cb) { client->renameContainer(ids[i], uniqueName("r"), nullptr, cb); });
            break;
        case 3:
            await<Done>([&](auto cb) { client->removeContainer(ids[i], true, false, nullptr, cb); });
            break;
        }
    }
    await<state::Volume>([&](auto cb) { client->createVolume(uniqueName("v"), "", {}, nullptr, cb); });
    expectEqualsTruth(*a);
    expectEqualsTruth(*b);
    EXPECT_EQ(a->state.digest(), b->state.digest());
    const auto changesA = a->all<protocol::Changes>();
    for (std::size_t i = 1; i < changesA.size(); ++i)
        EXPECT_EQ(changesA[i].batch.from, changesA[i - 1].batch.to);
}

TEST_F(DaemonTest, AnEngineRestartReachesConnectedClientsAsADelta)
{
    const std::string victim = run({"sleep", "300"});
    startDaemon(daemonOptions());
    auto c = connectClient();
    expectEqualsTruth(*c);
    const std::size_t snapshotsBefore = c->count<protocol::Snapshot>();

    ASSERT_TRUE(engine->kill());
    ASSERT_TRUE(waitFor(
        [&] {
            for (const auto& e : c->all<protocol::EngineUpdate>())
                if (e.engine.status == state::EngineStatus::Reconnecting)
                    return true;
            return false;
        },
        15s))
        << "the client is told that the engine is gone";
    ASSERT_TRUE(engine->start());
    ASSERT_TRUE(waitFor(
        [&] { return c->state.engine() && c->state.engine()->status == state::EngineStatus::Connected; },
        30s));
    // The running container died with the engine's containerd: the client learns it as a change.
    ASSERT_TRUE(waitFor([&] {
        const auto it = c->state.containers().find(victim);
        return it != c->state.containers().end() && it->second.state == state::ContainerState::Exited;
    }));
    expectEqualsTruth(*c);
    EXPECT_FALSE(c->closed) << "clients stay connected through an engine restart";
    EXPECT_EQ(c->count<protocol::Snapshot>(), snapshotsBefore) << "a delta, not a new snapshot";
}

TEST_F(DaemonTest, AnUnreachableEngineAtStartServesTheSavedStateThenTheDelta)
{
    const std::string kept = run({"sleep", "300"});
    const std::string stopped = run({"true"}, false);
    auto options = daemonOptions();
    options.cacheDir = dir.filePath(QStringLiteral("cache"));
    options.engine.unreachableAfter = 500ms;
    startDaemon(options);
    {
        auto c = connectClient();
        expectEqualsTruth(*c);
    }
    daemon.reset(); // saves the state
    ASSERT_TRUE(QFileInfo::exists(options.cacheDir + QStringLiteral("/state.msgpack")));

    ASSERT_TRUE(engine->kill());
    startDaemon(options);
    EXPECT_TRUE(daemon->startedFromCache());
    auto c = connectClient();
    EXPECT_TRUE(c->state.containers().count(kept) && c->state.containers().count(stopped))
        << "the saved state is served while the engine is unreachable";
    ASSERT_TRUE(waitFor(
        [&] { return c->state.engine() && c->state.engine()->status == state::EngineStatus::Unreachable; },
        15s))
        << "and the engine status says so";
    EXPECT_FALSE(c->state.engine()->lastError.empty());

    const std::size_t snapshots = c->count<protocol::Snapshot>();
    ASSERT_TRUE(engine->start());
    ASSERT_TRUE(waitFor(
        [&] { return c->state.engine() && c->state.engine()->status == state::EngineStatus::Connected; },
        40s));
    expectEqualsTruth(*c);
    EXPECT_EQ(c->state.containers().at(kept).state, state::ContainerState::Exited)
        << "the engine's restart stopped it: that arrived as a change";
    EXPECT_EQ(c->count<protocol::Snapshot>(), snapshots) << "the delta came as ordinary changes";
}

TEST_F(DaemonTest, ActionsAndStreamsWorkThroughTheServer)
{
    startDaemon(daemonOptions());
    auto c = connectClient();
    const std::string id = run({"sh", "-c", "echo out; echo err >&2; sleep 300"});

    protocol::Action stop;
    stop.id = "a1";
    stop.kind = protocol::ActionKind::Container;
    stop.target = id.substr(0, 12);
    stop.op = "stop";
    stop.params = {{"timeout", 0}};
    c->send(stop);
    ASSERT_TRUE(waitFor([&] { return c->count<protocol::Result>() == 1; }, 20s));
    EXPECT_TRUE(c->all<protocol::Result>().front().ok);
    EXPECT_EQ(c->all<protocol::Result>().front().id, "a1");
    // The state change arrives through the events like any other.
    ASSERT_TRUE(waitFor([&] {
        const auto it = c->state.containers().find(id);
        return it != c->state.containers().end() && it->second.state == state::ContainerState::Exited;
    }));

    protocol::Action missing = stop;
    missing.id = "a2";
    missing.target = "no-such-container-" + uniqueName("x");
    missing.op = "start";
    missing.params = nlohmann::json::object();
    c->send(missing);
    ASSERT_TRUE(waitFor([&] { return c->count<protocol::Result>() == 2; }, 20s));
    const auto refused = c->all<protocol::Result>().back();
    EXPECT_FALSE(refused.ok);
    ASSERT_TRUE(refused.error);
    EXPECT_EQ(refused.error->code, "not-found");
    EXPECT_NE(refused.error->message.find("No such container"), std::string::npos) << refused.error->message;

    c->send(protocol::StreamRequest{"s1", protocol::StreamWhat::Logs, id, {{"follow", false}}});
    ASSERT_TRUE(waitFor([&] { return c->count<protocol::StreamEnd>() == 1; }, 20s));
    std::vector<std::string> stdoutLines;
    std::vector<std::string> stderrLines;
    for (const auto& data : c->all<protocol::StreamData>()) {
        if (data.id != "s1")
            continue;
        (data.data.at("stream") == "stdout" ? stdoutLines : stderrLines)
            .push_back(data.data.at("line").get<std::string>());
    }
    EXPECT_EQ(stdoutLines, std::vector<std::string>{"out"});
    EXPECT_EQ(stderrLines, std::vector<std::string>{"err"});
    EXPECT_FALSE(c->all<protocol::StreamEnd>().front().error.has_value());
}
