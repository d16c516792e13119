// The action allowlist against the real private dockerd: every action succeeds (checked through the Docker
// client afterwards), and Docker's refusals come back with Docker's own message and the right code.
#include "ActionRunner.h"

#include "server/FakeRegistry.h"
#include "support/TestEngine.h"

#include "dockscope/docker/DockerClient.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using nlohmann::json;
using protocol::ActionKind;
using server::ActionRunner;

namespace {

constexpr ActionKind Container = ActionKind::Container;
constexpr ActionKind Image = ActionKind::Image;
constexpr ActionKind Volume = ActionKind::Volume;
constexpr ActionKind Network = ActionKind::Network;
const char* const kImage = "dockscope-test/busybox:latest";

std::string describe(const protocol::Result& r)
{
    return r.ok      ? "ok " + r.value.dump()
           : r.error ? r.error->code + ": " + r.error->message
                     : "failed, no error";
}

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

class ActionRunnerTest : public ::testing::Test {
protected:
    void SetUp() override { connect(sharedEngine()); }
    void TearDown() override
    {
        if (client)
            cleanUp();
    }

    void connect(const docker::Endpoint& endpoint)
    {
        runner.reset();
        client = std::make_unique<DockerClient>(DockerClient::Options{endpoint});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); }).ok());
        runner = std::make_unique<ActionRunner>(*client);
    }

    void cleanUp()
    {
        for (const auto& id : containers)
            await<docker::Done>([&](auto cb) { client->removeContainer(id, true, true, nullptr, cb); });
        for (const auto& id : networks)
            await<docker::Done>([&](auto cb) { client->removeNetwork(id, nullptr, cb); });
        for (const auto& name : volumes)
            await<docker::Done>([&](auto cb) { client->removeVolume(name, true, nullptr, cb); });
        for (const auto& ref : images)
            await<json>([&](auto cb) { client->removeImage(ref, true, false, nullptr, cb); });
        containers.clear();
        networks.clear();
        volumes.clear();
        images.clear();
    }

    /// Runs one action and waits for its result; checks that `done` never runs inside run().
    protocol::Result act(ActionKind kind, const std::string& target, const std::string& op,
                         const json& params = json::object(), std::vector<json>* progress = nullptr)
    {
        const protocol::Action action{"a" + std::to_string(++m_actions), kind, target, op, params};
        std::optional<protocol::Result> result;
        ActionRunner::Progress onProgress;
        if (progress)
            onProgress = [progress](json data) { progress->push_back(std::move(data)); };
        runner->run(
            action, nullptr, [&result](protocol::Result r) { result = std::move(r); }, onProgress);
        EXPECT_FALSE(result.has_value()) << "done ran inside run()";
        if (!waitFor([&] { return result.has_value(); }, 60s))
            return protocol::Result{action.id, false, protocol::ErrorInfo{"test", "no result in 60 s"}, {}};
        EXPECT_EQ(result->id, action.id);
        EXPECT_EQ(result->ok, !result->error.has_value()) << describe(*result);
        return *result;
    }

    /// `container.run` of the test image with `command`; fails the test unless Docker accepts it.
    std::string run(const std::vector<std::string>& command, json extra = json::object())
    {
        const std::string name = uniqueName("act");
        json params{{"image", kImage},
                    {"name", name},
                    {"command", command},
                    {"network", "none"},
                    {"labels", {{"dockscope.test", "1"}}}};
        params.update(extra);
        const auto r = act(Container, "", "run", params);
        EXPECT_TRUE(r.ok) << describe(r);
        if (!r.ok)
            return {};
        containers.push_back(r.value.at("id").get<std::string>());
        return r.value.at("id").get<std::string>();
    }

    docker::Result<state::Container> inspect(const std::string& id)
    {
        return await<state::Container>([&](auto cb) { client->inspectContainer(id, nullptr, cb); });
    }
    state::ContainerState stateOf(const std::string& id)
    {
        const auto c = inspect(id);
        EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().describe());
        return c.ok() ? c->state : state::ContainerState::Dead;
    }

    void expectRefusal(const protocol::Result& r, const std::string& code, const std::string& text)
    {
        EXPECT_FALSE(r.ok);
        ASSERT_TRUE(r.error.has_value());
        EXPECT_EQ(r.error->code, code) << r.error->message;
        EXPECT_NE(r.error->message.find(text), std::string::npos) << r.error->message;
    }

    std::unique_ptr<DockerClient> client;
    std::unique_ptr<ActionRunner> runner;
    std::vector<std::string> containers, networks, volumes, images;

private:
    int m_actions = 0;
};

using ContainerState = state::ContainerState;

TEST_F(ActionRunnerTest, ContainerLifecycle)
{
    const std::string id = run({"sleep", "3600"});
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(stateOf(id), ContainerState::Running);

    EXPECT_TRUE(act(Container, id, "pause").ok);
    EXPECT_EQ(stateOf(id), ContainerState::Paused);
    EXPECT_TRUE(act(Container, id, "unpause").ok);
    EXPECT_EQ(stateOf(id), ContainerState::Running);

    const auto startedBefore = inspect(id)->startedAt;
    const auto restarted = act(Container, id, "restart", {{"timeout", 0}});
    EXPECT_TRUE(restarted.ok) << describe(restarted);
    EXPECT_EQ(stateOf(id), ContainerState::Running);
    EXPECT_GT(inspect(id)->startedAt, startedBefore);

    EXPECT_TRUE(act(Container, id, "stop", {{"timeout", 0}}).ok);
    EXPECT_EQ(stateOf(id), ContainerState::Exited);
    const auto again = act(Container, id, "stop"); // Docker answers 304: already stopped
    EXPECT_TRUE(again.ok) << describe(again);
    EXPECT_TRUE(act(Container, id, "start").ok);
    EXPECT_EQ(stateOf(id), ContainerState::Running);
    EXPECT_TRUE(act(Container, id, "kill", {{"signal", "SIGKILL"}}).ok);
    EXPECT_TRUE(waitFor([&] { return stateOf(id) == ContainerState::Exited; }));
    EXPECT_EQ(inspect(id)->exitCode, 137);

    const std::string newName = uniqueName("renamed");
    EXPECT_TRUE(act(Container, id, "rename", {{"name", newName}}).ok);
    ASSERT_TRUE(inspect(newName).ok());
    EXPECT_EQ(inspect(newName)->id, id);

    const auto doc = act(Container, newName, "inspect");
    ASSERT_TRUE(doc.ok) << describe(doc);
    EXPECT_EQ(doc.value.at("Id"), id);
    EXPECT_EQ(doc.value.at("Name"), "/" + newName);

    EXPECT_TRUE(act(Container, newName, "remove", {{"force", true}, {"volumes", true}}).ok);
    EXPECT_EQ(inspect(id).error().kind, docker::ErrorKind::NotFound);
}

TEST_F(ActionRunnerTest, RunTakesTheWholeConfiguration)
{
    const std::string volume = uniqueName("run-vol");
    volumes.push_back(volume);
    const std::string id = run({"sh", "-c", "echo $GREETING > /data/hello; sleep 3600"},
                               {{"env", {"GREETING=hi"}},
                                {"volumes", {{{"source", volume}, {"destination", "/data"}}}},
                                {"restartPolicy", "unless-stopped"},
                                {"labels", {{"dockscope.test", "1"}, {"org.example.role", "run"}}}});
    ASSERT_FALSE(id.empty());
    const auto doc = act(Container, id, "inspect");
    ASSERT_TRUE(doc.ok) << describe(doc);
    EXPECT_EQ(doc.value["State"]["Running"], true);
    EXPECT_TRUE(contains(doc.value["Config"]["Env"].get<std::vector<std::string>>(), "GREETING=hi"));
    EXPECT_EQ(doc.value["Config"]["Labels"]["org.example.role"], "run");
    EXPECT_EQ(doc.value["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped");
    EXPECT_EQ(doc.value["HostConfig"]["NetworkMode"], "none");
    ASSERT_EQ(doc.value["Mounts"].size(), 1u);
    EXPECT_EQ(doc.value["Mounts"][0]["Name"], volume);
    EXPECT_EQ(doc.value["Mounts"][0]["Destination"], "/data");
}

TEST_F(ActionRunnerTest, RunOfAMissingImageFailsWithDockersMessage)
{
    const auto r =
        act(Container, "", "run", {{"image", "dockscope-test/not-there:1"}, {"name", uniqueName("x")}});
    expectRefusal(r, "not-found", "No such image");
}

TEST_F(ActionRunnerTest, RunWhoseStartFailsNamesTheContainerItLeft)
{
    // Docker creates it, then cannot start a command that does not exist.
    const std::string name = uniqueName("nostart");
    const auto r =
        act(Container, "", "run",
            {{"image", kImage}, {"name", name}, {"command", {"/no/such/program"}}, {"network", "none"}});
    ASSERT_FALSE(r.ok);
    ASSERT_TRUE(r.value.contains("id")) << describe(r);
    const std::string id = r.value["id"].get<std::string>();
    containers.push_back(id);
    EXPECT_EQ(r.error->code, "docker-error") << r.error->message;
    EXPECT_NE(r.error->message.find("/no/such/program"), std::string::npos) << r.error->message;
    EXPECT_EQ(stateOf(id), ContainerState::Created);
}

TEST_F(ActionRunnerTest, DockerRefusalsCarryDockersMessage)
{
    const std::string missing = uniqueName("missing");
    expectRefusal(act(Container, missing, "start"), "not-found", "No such container: " + missing);
    expectRefusal(act(Container, missing, "inspect"), "not-found", "No such container");
    expectRefusal(act(Volume, missing, "remove"), "not-found", missing);
    expectRefusal(act(Network, missing, "remove"), "not-found", missing);
    expectRefusal(act(Image, "dockscope-test/" + missing, "remove"), "not-found", "No such image");

    const std::string id = run({"sleep", "3600"});
    expectRefusal(act(Container, id, "remove"), "conflict", "cannot remove a running container");
    EXPECT_EQ(stateOf(id), ContainerState::Running);
    expectRefusal(act(Network, missing, "connect", {{"container", id}}), "not-found", missing);
    const std::string other = run({"sleep", "3600"});
    expectRefusal(act(Container, id, "rename", {{"name", inspect(other)->name}}), "conflict",
                  "already in use");
    // Docker 20.10 answers this one with a 500, not a 409.
    expectRefusal(act(Container, id, "unpause"), "docker-error", "is not paused");
}

TEST_F(ActionRunnerTest, TagAndRemoveImages)
{
    const std::string repo = "dockscope-test/" + uniqueName("tag");
    images.push_back(repo + ":v1");
    const auto tagged = act(Image, kImage, "tag", {{"repo", repo}, {"tag", "v1"}});
    EXPECT_TRUE(tagged.ok) << describe(tagged);
    const auto image = await<state::Image>([&](auto cb) { client->inspectImage(repo + ":v1", nullptr, cb); });
    ASSERT_TRUE(image.ok());
    EXPECT_TRUE(contains(image->repoTags, repo + ":v1"));

    const auto removed = act(Image, repo + ":v1", "remove");
    ASSERT_TRUE(removed.ok) << describe(removed);
    ASSERT_TRUE(removed.value.is_array()) << removed.value.dump();
    EXPECT_EQ(removed.value.at(0).value("Untagged", ""), repo + ":v1");
    EXPECT_FALSE(await<state::Image>([&](auto cb) { client->inspectImage(repo + ":v1", nullptr, cb); }).ok());
    EXPECT_TRUE(await<state::Image>([&](auto cb) { client->inspectImage(kImage, nullptr, cb); }).ok());

    // A name our allowlist accepts but Docker does not: 64 hexadecimal characters look like an image id.
    const auto refused = act(Image, kImage, "tag", {{"repo", std::string(64, 'a')}});
    expectRefusal(refused, "docker-error", "64-byte hexadecimal");
    // And one the allowlist refuses before Docker sees it.
    expectRefusal(act(Image, kImage, "tag", {{"repo", "Bad Repo!"}}), "bad-field", "action.params.repo");
}

TEST_F(ActionRunnerTest, VolumeCreateAndRemove)
{
    const std::string name = uniqueName("vol");
    volumes.push_back(name);
    const auto created = act(Volume, "", "create", {{"name", name}, {"labels", {{"dockscope.test", "1"}}}});
    ASSERT_TRUE(created.ok) << describe(created);
    EXPECT_EQ(created.value, (json{{"name", name}}));
    const auto volume = await<state::Volume>([&](auto cb) { client->inspectVolume(name, nullptr, cb); });
    ASSERT_TRUE(volume.ok());
    EXPECT_EQ(volume->labels.at("dockscope.test"), "1");

    const auto anonymous = act(Volume, "", "create", {{"labels", {{"dockscope.test", "1"}}}});
    ASSERT_TRUE(anonymous.ok) << describe(anonymous);
    const std::string generated = anonymous.value.at("name");
    volumes.push_back(generated);
    EXPECT_EQ(generated.size(), 64u) << "Docker names it";

    const std::string user =
        run({"sleep", "3600"}, {{"volumes", {{{"source", name}, {"destination", "/v"}}}}});
    expectRefusal(act(Volume, name, "remove"), "conflict", "volume is in use");
    EXPECT_TRUE(act(Container, user, "remove", {{"force", true}}).ok);
    EXPECT_TRUE(act(Volume, name, "remove").ok);
    EXPECT_EQ(await<state::Volume>([&](auto cb) { client->inspectVolume(name, nullptr, cb); }).error().kind,
              docker::ErrorKind::NotFound);
}

TEST_F(ActionRunnerTest, NetworkCreateConnectDisconnectRemove)
{
    const std::string name = uniqueName("net");
    const auto created = act(
        Network, "", "create",
        {{"name", name}, {"internal", true}, {"attachable", true}, {"labels", {{"dockscope.test", "1"}}}});
    ASSERT_TRUE(created.ok) << describe(created);
    const std::string networkId = created.value.at("id");
    networks.push_back(networkId);
    const auto network =
        await<state::Network>([&](auto cb) { client->inspectNetwork(networkId, nullptr, cb); });
    ASSERT_TRUE(network.ok());
    EXPECT_EQ(network->name, name);
    EXPECT_TRUE(network->internal);

    // A container on a bridge network of its own can join another one (one with network "none" cannot).
    const std::string home = uniqueName("home");
    const auto homeNet = act(Network, "", "create", {{"name", home}, {"labels", {{"dockscope.test", "1"}}}});
    ASSERT_TRUE(homeNet.ok) << describe(homeNet);
    networks.push_back(homeNet.value.at("id").get<std::string>());
    const std::string id = run({"sleep", "3600"}, {{"network", home}});
    ASSERT_FALSE(id.empty());

    EXPECT_TRUE(act(Network, name, "connect", {{"container", id}}).ok);
    EXPECT_EQ(inspect(id)->networks, (std::vector<std::string>{home, name}));
    expectRefusal(act(Network, name, "connect", {{"container", id}}), "docker-error", "already exists");
    EXPECT_TRUE(act(Network, name, "disconnect", {{"container", id}}).ok);
    EXPECT_EQ(inspect(id)->networks, (std::vector<std::string>{home}));

    EXPECT_TRUE(act(Network, networkId, "remove").ok);
    EXPECT_EQ(
        await<state::Network>([&](auto cb) { client->inspectNetwork(networkId, nullptr, cb); }).error().kind,
        docker::ErrorKind::NotFound);
}

TEST_F(ActionRunnerTest, ContainerPruneByLabel)
{
    const std::string label = uniqueName("prune");
    const std::string exited =
        run({"true"}, {{"labels", {{"dockscope.test", "1"}, {"dockscope.prune", label}}}});
    const std::string running =
        run({"sleep", "3600"}, {{"labels", {{"dockscope.test", "1"}, {"dockscope.prune", label}}}});
    ASSERT_TRUE(waitFor([&] { return stateOf(exited) == ContainerState::Exited; }));
    const auto report = act(Container, "", "prune", {{"labels", {{"dockscope.prune", label}}}});
    ASSERT_TRUE(report.ok) << describe(report);
    EXPECT_EQ(report.value.at("ContainersDeleted"), json::array({exited})) << report.value.dump();
    EXPECT_TRUE(report.value.contains("SpaceReclaimed"));
    EXPECT_EQ(inspect(exited).error().kind, docker::ErrorKind::NotFound);
    EXPECT_EQ(stateOf(running), ContainerState::Running);
}

// Image, volume and network prunes take no label filter: they would remove other tests' objects on the shared
// engine, so they run on an engine of their own.
TEST_F(ActionRunnerTest, UnfilteredPrunesOnAPrivateEngine)
{
    cleanUp();
    PrivateEngine engine("act-prune");
    ASSERT_TRUE(engine.start());
    connect(engine.endpoint());
    const std::string volume = uniqueName("unused");
    ASSERT_TRUE(act(Volume, "", "create", {{"name", volume}}).ok);
    const std::string network = uniqueName("unused");
    ASSERT_TRUE(act(Network, "", "create", {{"name", network}}).ok);
    const std::string repo = "dockscope-test/" + uniqueName("unused");
    ASSERT_TRUE(act(Image, kImage, "tag", {{"repo", repo}}).ok);

    const auto prunedVolumes = act(Volume, "", "prune");
    ASSERT_TRUE(prunedVolumes.ok) << describe(prunedVolumes);
    EXPECT_EQ(prunedVolumes.value.at("VolumesDeleted"), json::array({volume})) << prunedVolumes.value.dump();
    const auto nets = act(Network, "", "prune");
    ASSERT_TRUE(nets.ok) << describe(nets);
    EXPECT_EQ(nets.value.at("NetworksDeleted"), json::array({network})) << nets.value.dump();
    const auto dangling = act(Image, "", "prune");
    ASSERT_TRUE(dangling.ok) << describe(dangling);
    EXPECT_TRUE(dangling.value.contains("SpaceReclaimed")) << dangling.value.dump();
    // Every image no container uses: the busybox image, under both of its names.
    const auto all = act(Image, "", "prune", {{"dangling", false}});
    ASSERT_TRUE(all.ok) << describe(all);
    EXPECT_NE(all.value.dump().find(repo), std::string::npos) << all.value.dump();
    EXPECT_TRUE(await<std::vector<state::Image>>([&](auto cb) { client->listImages(nullptr, cb); })->empty());
    runner.reset();
    client.reset();
}

TEST_F(ActionRunnerTest, RefusedActionsNeverReachDocker)
{
    const auto calls = client->callCounts();
    expectRefusal(act(Container, "x", "exec", {{"cmd", "sh"}}), "not-allowed",
                  "container.exec is not allowed");
    expectRefusal(act(Image, "", "push", {{"image", "busybox"}}), "not-allowed", "image.push");
    expectRefusal(act(Container, "x", "stop", {{"timeout", 9000}}), "bad-field", "action.params.timeout");
    expectRefusal(act(Container, "x", "start", {{"colour", "red"}}), "bad-field", "colour");
    expectRefusal(act(Container, "", "start"), "bad-field", "action.target");
    expectRefusal(act(Container, "", "run", {{"image", kImage}, {"env", {"NOEQUALS"}}}), "bad-field",
                  "action.params.env[0]");
    EXPECT_EQ(client->callCounts(), calls);
}

TEST_F(ActionRunnerTest, UnreachableEngineIsUnavailable)
{
    runner.reset();
    client = std::make_unique<DockerClient>(
        DockerClient::Options{*docker::Endpoint::parse("unix:///tmp/dockscope-no-such-engine.sock")});
    runner = std::make_unique<ActionRunner>(*client);
    expectRefusal(act(Container, "x", "start"), "unavailable", "");
    expectRefusal(act(Image, "", "pull", {{"image", "busybox"}}), "unavailable", "");
}

TEST_F(ActionRunnerTest, PullWithoutARegistryFailsWithDockersMessage)
{
    // No registry is reachable from these machines: Docker refuses before any progress.
    std::vector<json> progress;
    const auto r = act(Image, "", "pull", {{"image", "busybox:latest"}}, &progress);
    expectRefusal(r, "docker-error", "registry-1.docker.io");
    EXPECT_TRUE(progress.empty());
}

TEST_F(ActionRunnerTest, PullErrorInsideTheProgressStreamFailsTheAction)
{
    FakeRegistry registry(/*serveBlobs=*/false);
    std::vector<json> progress;
    const auto r = act(Image, "", "pull", {{"image", registry.repository("dockscope/broken")}}, &progress);
    expectRefusal(r, "docker-error", "unknown blob");
    ASSERT_FALSE(progress.empty()) << "the error came after progress lines";
    EXPECT_EQ(progress.front().at("status"), "Pulling from dockscope/broken");
    EXPECT_EQ(progress.front().at("layer"), "latest");
    for (const auto& p : progress)
        EXPECT_FALSE(p.contains("error")) << p.dump();
}

TEST_F(ActionRunnerTest, PullFromARegistryReportsProgressThenSucceeds)
{
    FakeRegistry registry(/*serveBlobs=*/true);
    const std::string repo = registry.repository("dockscope/" + uniqueName("pulled"));
    images.push_back(repo + ":v2");
    std::vector<json> progress;
    const auto r = act(Image, "", "pull", {{"image", repo + ":v2"}}, &progress);
    ASSERT_TRUE(r.ok) << describe(r);
    EXPECT_TRUE(r.value.is_null());
    ASSERT_FALSE(progress.empty());
    for (const auto& p : progress) {
        EXPECT_EQ(p.size(), 4u) << p.dump();
        EXPECT_TRUE(p.at("status").is_string() && p.at("layer").is_string()) << p.dump();
        EXPECT_TRUE(p.at("current").is_number() && p.at("total").is_number()) << p.dump();
    }
    EXPECT_NE(progress.back().at("status").get<std::string>().find("Downloaded newer image"),
              std::string::npos)
        << progress.back().dump();
    const auto image = await<state::Image>([&](auto cb) { client->inspectImage(repo + ":v2", nullptr, cb); });
    ASSERT_TRUE(image.ok()) << image.error().describe();
    EXPECT_TRUE(contains(image->repoTags, repo + ":v2"));
}

} // namespace
