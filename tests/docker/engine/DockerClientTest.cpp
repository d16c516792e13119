// The Docker client against the real private dockerd: system calls, lists, inspects, every container action
// and its effect on a following inspect, and the typed errors with Docker's own messages.
#include "support/TestEngine.h"

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::Done;
using docker::ErrorKind;
using state::ContainerState;

namespace {

class DockerClientTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        client = std::make_unique<DockerClient>(DockerClient::Options{sharedEngine()});
        const auto version = await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); });
        ASSERT_TRUE(version.ok()) << version.error().describe();
    }

    void TearDown() override
    {
        for (const auto& id : created)
            await<Done>([&](auto cb) { client->removeContainer(id, true, true, nullptr, cb); });
    }

    std::string container(const std::vector<std::string>& command, bool start)
    {
        created.push_back(createContainer(*client, uniqueName("c"), command, start));
        return created.back();
    }

    state::Container inspect(const std::string& id)
    {
        const auto r = await<state::Container>([&](auto cb) { client->inspectContainer(id, nullptr, cb); });
        EXPECT_TRUE(r.ok()) << r.error().describe();
        return r.ok() ? r.value() : state::Container{};
    }

    docker::Result<Done> act(const std::function<void(DockerClient::Callback<Done>)>& f)
    {
        return await<Done>(f);
    }

    std::unique_ptr<DockerClient> client;
    std::vector<std::string> created;
};

} // namespace

TEST_F(DockerClientTest, NegotiatesApiVersionFromTheEngine)
{
    const auto ping = await<docker::ApiVersion>([&](auto cb) { client->ping(nullptr, cb); });
    ASSERT_TRUE(ping.ok()) << ping.error().describe();
    EXPECT_GE(*ping, docker::ApiVersion::minimumSupported());
    EXPECT_EQ(client->apiVersion(), *docker::ApiVersion::negotiate(*ping));
}

TEST_F(DockerClientTest, VersionInfoAndEngineEntity)
{
    const auto version = await<nlohmann::json>([&](auto cb) { client->version(nullptr, cb); });
    ASSERT_TRUE(version.ok()) << version.error().describe();
    EXPECT_FALSE(version->at("Version").get<std::string>().empty());
    const auto engine = await<state::EngineInfo>([&](auto cb) { client->engineInfo(nullptr, cb); });
    ASSERT_TRUE(engine.ok()) << engine.error().describe();
    EXPECT_EQ(engine->status, state::EngineStatus::Connected);
    EXPECT_EQ(engine->version, version->at("Version").get<std::string>());
    EXPECT_EQ(engine->apiVersion, client->apiVersion().toString());
    EXPECT_GT(engine->cpus, 0);
    EXPECT_GT(engine->memTotal, 0);
    EXPECT_GE(engine->counts.images, 1); // the test image
    const auto df = await<nlohmann::json>([&](auto cb) { client->systemDf(nullptr, cb); });
    ASSERT_TRUE(df.ok()) << df.error().describe();
    EXPECT_TRUE(df->contains("Images"));
}

TEST_F(DockerClientTest, ListAndInspectContainers)
{
    const std::string id = container({"sleep", "300"}, true);
    const auto list =
        await<std::vector<state::Container>>([&](auto cb) { client->listContainers(nullptr, cb); });
    ASSERT_TRUE(list.ok()) << list.error().describe();
    const auto it = std::find_if(list->begin(), list->end(), [&](const auto& c) { return c.id == id; });
    ASSERT_NE(it, list->end());
    const state::Container full = inspect(id);
    EXPECT_EQ(it->name, full.name);
    EXPECT_EQ(full.state, ContainerState::Running);
    EXPECT_EQ(it->state, ContainerState::Running);
    EXPECT_EQ(full.image, "dockscope-test/busybox:latest");
    EXPECT_EQ(full.command, "sleep 300");
    EXPECT_EQ(full.labels.at("dockscope.test"), "1");
    EXPECT_GT(full.startedAt, 0);
    // The raw document is there for the GUI's Inspect view.
    const auto raw = await<nlohmann::json>([&](auto cb) { client->inspectContainerJson(id, nullptr, cb); });
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw->at("Id").get<std::string>(), id);
}

TEST_F(DockerClientTest, StopStartRestartKillChangeWhatInspectSays)
{
    const std::string id = container({"sleep", "300"}, true);
    ASSERT_TRUE(act([&](auto cb) { client->stopContainer(id, 0, nullptr, cb); }).ok());
    EXPECT_EQ(inspect(id).state, ContainerState::Exited);
    ASSERT_TRUE(act([&](auto cb) { client->startContainer(id, nullptr, cb); }).ok());
    const auto afterStart = inspect(id);
    EXPECT_EQ(afterStart.state, ContainerState::Running);
    ASSERT_TRUE(act([&](auto cb) { client->restartContainer(id, 0, nullptr, cb); }).ok());
    const auto afterRestart = inspect(id);
    EXPECT_EQ(afterRestart.state, ContainerState::Running);
    EXPECT_GT(afterRestart.startedAt, afterStart.startedAt);
    ASSERT_TRUE(act([&](auto cb) { client->killContainer(id, "SIGKILL", nullptr, cb); }).ok());
    const auto killed = inspect(id);
    EXPECT_EQ(killed.state, ContainerState::Exited);
    EXPECT_EQ(killed.exitCode, 137);
}

TEST_F(DockerClientTest, PauseUnpauseRenameRemove)
{
    const std::string id = container({"sleep", "300"}, true);
    ASSERT_TRUE(act([&](auto cb) { client->pauseContainer(id, nullptr, cb); }).ok());
    EXPECT_EQ(inspect(id).state, ContainerState::Paused);
    ASSERT_TRUE(act([&](auto cb) { client->unpauseContainer(id, nullptr, cb); }).ok());
    EXPECT_EQ(inspect(id).state, ContainerState::Running);
    const std::string newName = uniqueName("renamed");
    ASSERT_TRUE(act([&](auto cb) { client->renameContainer(id, newName, nullptr, cb); }).ok());
    EXPECT_EQ(inspect(id).name, newName);
    ASSERT_TRUE(act([&](auto cb) { client->removeContainer(id, true, false, nullptr, cb); }).ok());
    const auto gone = await<state::Container>([&](auto cb) { client->inspectContainer(id, nullptr, cb); });
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().kind, ErrorKind::NotFound);
}

TEST_F(DockerClientTest, ErrorsAreTypedAndCarryDockersMessage)
{
    const auto missing = await<state::Container>(
        [&](auto cb) { client->inspectContainer("no-such-container-dockscope", nullptr, cb); });
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
    EXPECT_EQ(missing.error().httpStatus, 404);
    EXPECT_NE(missing.error().message.find("No such container"), std::string::npos)
        << missing.error().message;

    const std::string id = container({"sleep", "300"}, true);
    const auto conflict = act([&](auto cb) { client->removeContainer(id, false, false, nullptr, cb); });
    ASSERT_FALSE(conflict.ok());
    EXPECT_EQ(conflict.error().kind, ErrorKind::Conflict);
    EXPECT_NE(conflict.error().message.find("running"), std::string::npos) << conflict.error().message;

    const auto again = act([&](auto cb) { client->startContainer(id, nullptr, cb); });
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().kind, ErrorKind::NotModified);

    auto badConfig = busyboxConfig({"true"});
    badConfig["Image"] = "no/such:image";
    const auto badImage = await<std::string>(
        [&](auto cb) { client->createContainer(uniqueName("bad"), badConfig, nullptr, cb); });
    ASSERT_FALSE(badImage.ok());
    EXPECT_EQ(badImage.error().kind, ErrorKind::NotFound);
    EXPECT_NE(badImage.error().message.find("no/such"), std::string::npos) << badImage.error().message;
}

TEST_F(DockerClientTest, ImagesTagInspectRemovePrune)
{
    const std::string repo = "dockscope-test/" + uniqueName("tag");
    ASSERT_TRUE(act([&](auto cb) {
                    client->tagImage("dockscope-test/busybox:latest", repo, "v1", nullptr, cb);
                }).ok());
    const auto image = await<state::Image>([&](auto cb) { client->inspectImage(repo + ":v1", nullptr, cb); });
    ASSERT_TRUE(image.ok()) << image.error().describe();
    EXPECT_NE(std::find(image->repoTags.begin(), image->repoTags.end(), repo + ":v1"), image->repoTags.end());
    const auto list = await<std::vector<state::Image>>([&](auto cb) { client->listImages(nullptr, cb); });
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(std::any_of(list->begin(), list->end(), [&](const auto& i) { return i.id == image->id; }));
    const auto removed =
        await<nlohmann::json>([&](auto cb) { client->removeImage(repo + ":v1", false, false, nullptr, cb); });
    ASSERT_TRUE(removed.ok()) << removed.error().describe();
    EXPECT_EQ(removed->at(0).at("Untagged").get<std::string>(), repo + ":v1");
    const auto after = await<state::Image>([&](auto cb) { client->inspectImage(repo + ":v1", nullptr, cb); });
    EXPECT_EQ(after.ok() ? ErrorKind::None : after.error().kind, ErrorKind::NotFound);
    const auto pruned = awaitPrune([&](auto cb) {
        client->pruneImages(true, {{"label", {"dockscope.test.none=1"}}}, nullptr, cb);
    });
    ASSERT_TRUE(pruned.ok()) << pruned.error().describe();
    EXPECT_TRUE(pruned->contains("SpaceReclaimed"));
}

TEST_F(DockerClientTest, VolumesCreateInspectListRemovePrune)
{
    const std::string name = uniqueName("vol");
    const auto made = await<state::Volume>([&](auto cb) {
        client->createVolume(name, "local", {{"purpose", "test"}}, nullptr, cb);
    });
    ASSERT_TRUE(made.ok()) << made.error().describe();
    EXPECT_EQ(made->name, name);
    EXPECT_EQ(made->labels.at("purpose"), "test");
    const auto inspected = await<state::Volume>([&](auto cb) { client->inspectVolume(name, nullptr, cb); });
    ASSERT_TRUE(inspected.ok());
    EXPECT_EQ(inspected->driver, "local");
    const auto list = await<std::vector<state::Volume>>([&](auto cb) { client->listVolumes(nullptr, cb); });
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(std::any_of(list->begin(), list->end(), [&](const auto& v) { return v.name == name; }));
    ASSERT_TRUE(act([&](auto cb) { client->removeVolume(name, false, nullptr, cb); }).ok());
    const auto gone = await<state::Volume>([&](auto cb) { client->inspectVolume(name, nullptr, cb); });
    EXPECT_EQ(gone.ok() ? ErrorKind::None : gone.error().kind, ErrorKind::NotFound);
    // Prunes are scoped by a label of this test's own: other tests share the engine and run in parallel.
    const std::string tag = uniqueName("prune");
    const std::string unused = uniqueName("unused");
    ASSERT_TRUE(await<state::Volume>([&](auto cb) {
                    client->createVolume(unused, "", {{"dockscope.prune", tag}}, nullptr, cb);
                }).ok());
    const auto pruned = awaitPrune([&](auto cb) {
        client->pruneVolumes({{"label", {"dockscope.prune=" + tag}}}, nullptr, cb);
    });
    ASSERT_TRUE(pruned.ok()) << pruned.error().describe();
    EXPECT_EQ(pruned->at("VolumesDeleted"), nlohmann::json::array({unused}));
}

TEST_F(DockerClientTest, NetworksCreateConnectDisconnectRemovePrune)
{
    docker::NetworkSpec spec;
    spec.name = uniqueName("net");
    spec.internal = true;
    spec.subnet = "10.213.7.0/24";
    spec.labels = {{"purpose", "test"}};
    const auto netId = await<std::string>([&](auto cb) { client->createNetwork(spec, nullptr, cb); });
    ASSERT_TRUE(netId.ok()) << netId.error().describe();
    const auto net = await<state::Network>([&](auto cb) { client->inspectNetwork(*netId, nullptr, cb); });
    ASSERT_TRUE(net.ok()) << net.error().describe();
    EXPECT_EQ(net->name, spec.name);
    EXPECT_TRUE(net->internal);
    EXPECT_EQ(net->subnets, std::vector<std::string>{"10.213.7.0/24"});

    // A container on network "none" cannot join another network: this one starts on the new network.
    auto config = busyboxConfig({"sleep", "300"});
    config["HostConfig"]["NetworkMode"] = spec.name;
    const auto cid = await<std::string>(
        [&](auto cb) { client->createContainer(uniqueName("netc"), config, nullptr, cb); });
    ASSERT_TRUE(cid.ok()) << cid.error().describe();
    created.push_back(*cid);
    const auto onNetwork = [&] {
        const auto nets = inspect(*cid).networks;
        return std::find(nets.begin(), nets.end(), spec.name) != nets.end();
    };
    EXPECT_TRUE(onNetwork());
    ASSERT_TRUE(act([&](auto cb) { client->disconnectNetwork(*netId, *cid, false, nullptr, cb); }).ok());
    EXPECT_FALSE(onNetwork());
    ASSERT_TRUE(act([&](auto cb) { client->connectNetwork(*netId, *cid, nullptr, cb); }).ok());
    EXPECT_TRUE(onNetwork());
    ASSERT_TRUE(act([&](auto cb) { client->removeContainer(*cid, true, false, nullptr, cb); }).ok());
    const auto list = await<std::vector<state::Network>>([&](auto cb) { client->listNetworks(nullptr, cb); });
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(std::any_of(list->begin(), list->end(), [&](const auto& n) { return n.id == *netId; }));
    ASSERT_TRUE(act([&](auto cb) { client->removeNetwork(*netId, nullptr, cb); }).ok());
    const auto gone = await<state::Network>([&](auto cb) { client->inspectNetwork(*netId, nullptr, cb); });
    EXPECT_EQ(gone.ok() ? ErrorKind::None : gone.error().kind, ErrorKind::NotFound);
    docker::NetworkSpec unused;
    unused.name = uniqueName("unused-net");
    unused.internal = true;
    unused.labels = {{"dockscope.prune", unused.name}};
    ASSERT_TRUE(await<std::string>([&](auto cb) { client->createNetwork(unused, nullptr, cb); }).ok());
    const auto pruned = awaitPrune([&](auto cb) {
        client->pruneNetworks({{"label", {"dockscope.prune=" + unused.name}}}, nullptr, cb);
    });
    ASSERT_TRUE(pruned.ok()) << pruned.error().describe();
    EXPECT_EQ(pruned->at("NetworksDeleted"), nlohmann::json::array({unused.name}));
}

TEST_F(DockerClientTest, PruneContainersRemovesStoppedOnes)
{
    const std::string tag = uniqueName("prune");
    auto config = busyboxConfig({"true"});
    config["Labels"]["dockscope.prune"] = tag;
    const auto stopped =
        await<std::string>([&](auto cb) { client->createContainer(uniqueName("p"), config, nullptr, cb); });
    ASSERT_TRUE(stopped.ok());
    const std::string running = container({"sleep", "300"}, true);
    const auto pruned = awaitPrune([&](auto cb) {
        client->pruneContainers({{"label", {"dockscope.prune=" + tag}}}, nullptr, cb);
    });
    ASSERT_TRUE(pruned.ok()) << pruned.error().describe();
    // Only the stopped container with this test's label: other tests' stopped containers are left alone.
    EXPECT_EQ(pruned->at("ContainersDeleted"), nlohmann::json::array({*stopped}));
    EXPECT_EQ(inspect(running).state, ContainerState::Running);
}

TEST_F(DockerClientTest, ConcurrentRequestsShareTheSmallPool)
{
    int done = 0, failed = 0;
    for (int i = 0; i < 40; ++i)
        client->version(nullptr, [&](docker::Result<nlohmann::json> r) { r.ok() ? ++done : ++failed; });
    ASSERT_TRUE(waitFor([&] { return done + failed == 40; }, 30s));
    EXPECT_EQ(failed, 0);
    EXPECT_GE(client->callCounts().at("GET /version"), 40u);
}

TEST_F(DockerClientTest, CallbackIsDroppedWhenItsContextIsGone)
{
    bool called = false;
    {
        QObject context;
        client->version(&context, [&](auto) { called = true; });
    }
    bool other = false;
    client->version(nullptr, [&](auto) { other = true; });
    ASSERT_TRUE(waitFor([&] { return other; }));
    EXPECT_FALSE(called);
}
