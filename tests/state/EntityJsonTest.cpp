#include "dockscope/state/EntityJson.h"

#include <gtest/gtest.h>

using namespace dockscope::state;
using nlohmann::json;

namespace {

Container sampleContainer()
{
    Container c;
    c.id = "4f1c";
    c.name = "shop-web-1";
    c.image = "nginx:1.27";
    c.imageId = "sha256:ab";
    c.command = "nginx -g daemon off;";
    c.createdAt = 1'764'000'000'123'456'789;
    c.state = ContainerState::Paused;
    c.health = Health::Unhealthy;
    c.exitCode = 137;
    c.startedAt = 1'764'000'001'000'000'000;
    c.restartCount = 3;
    c.ports = {{"0.0.0.0", 80, 8080, "tcp"}, {"", 53, 0, "udp"}};
    c.labels = {{"com.docker.compose.project", "shop"}, {"tier", "front"}};
    c.networks = {"backend", "frontend"};
    c.mounts = {{"volume", "data", "/var/lib/docker/volumes/data/_data", "/data", false}};
    c.composeProject = "shop";
    c.composeService = "web";
    return c;
}

} // namespace

TEST(EntityJson, ContainerRoundTripsWithWireNames)
{
    const Container c = sampleContainer();
    const json j = c;
    EXPECT_EQ(j.at("state"), "paused");
    EXPECT_EQ(j.at("health"), "unhealthy");
    EXPECT_EQ(j.at("ports").at(0).at("publicPort"), 8080);
    EXPECT_EQ(j.at("createdAt").get<std::int64_t>(), 1'764'000'000'123'456'789);
    EXPECT_FALSE(j.contains("env"));
    EXPECT_EQ(j.get<Container>(), c);
}

TEST(EntityJson, OtherEntitiesRoundTrip)
{
    const Image image{
        "sha256:1", {"a:1", "b:2"}, {"a@sha256:x"}, 1'700'000'000'000'000'000, 1234, {{"k", "v"}}, 2};
    EXPECT_EQ(json(image).get<Image>(), image);
    const Volume volume{"data", "local", "/var/lib/x", 5, "local", {{"k", "v"}}, {"c1", "c2"}};
    EXPECT_EQ(json(volume).get<Volume>(), volume);
    const Network network{"n1", "backend", "bridge", "local", true, false, 6, {}, {"10.0.0.0/24"}, {"c1"}};
    EXPECT_EQ(json(network).get<Network>(), network);
    EngineInfo engine;
    engine.status = EngineStatus::Reconnecting;
    engine.version = "29.0.0";
    engine.counts = {1, 2, 3, 4};
    engine.lastError = "connection refused";
    engine.statusSince = 1'764'000'000'000'000'123;
    EXPECT_EQ(json(engine).at("status"), "reconnecting");
    EXPECT_EQ(json(engine).get<EngineInfo>(), engine);
    const DockerEvent event{"container", "health_status", "healthy", "4f1c", {{"name", "web"}}, "local", 42};
    EXPECT_EQ(json(event).get<DockerEvent>(), event);
}

TEST(EntityJson, MissingOrMistypedFieldsAreNamed)
{
    json j = sampleContainer();
    j.erase("exitCode");
    try {
        (void)j.get<Container>();
        FAIL() << "a container without exitCode was accepted";
    } catch (const CodecError& e) {
        EXPECT_NE(std::string(e.what()).find("exitCode"), std::string::npos) << e.what();
    }
    json bad = sampleContainer();
    bad["state"] = "sleeping";
    EXPECT_THROW((void)bad.get<Container>(), CodecError);
    json nested = sampleContainer();
    nested["ports"][0].erase("type");
    try {
        (void)nested.get<Container>();
        FAIL() << "a port without type was accepted";
    } catch (const CodecError& e) {
        EXPECT_NE(std::string(e.what()).find("ports"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("type"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)json::array().get<Volume>(), CodecError);
}

TEST(EntityJson, ScalarsMustHaveTheirExactTypeAndRange)
{
    const auto refused = [](const char* field, json value) {
        json j = sampleContainer();
        j[field] = std::move(value);
        EXPECT_THROW((void)j.get<Container>(), CodecError) << field << " = " << j[field].dump();
    };
    refused("exitCode", true);
    refused("exitCode", 1.5);
    refused("exitCode", "1");
    refused("restartCount", 4'294'967'296LL);
    refused("createdAt", 1.0e18);
    json port = sampleContainer();
    port["ports"][0]["publicPort"] = 70000;
    EXPECT_THROW((void)port.get<Container>(), CodecError);
    port["ports"][0]["publicPort"] = -1;
    EXPECT_THROW((void)port.get<Container>(), CodecError);
    json mount = sampleContainer();
    mount["mounts"][0]["rw"] = 1;
    EXPECT_THROW((void)mount.get<Container>(), CodecError);
    json fine = sampleContainer();
    fine["exitCode"] = -1; // Docker reports -1 for some failures
    EXPECT_EQ(fine.get<Container>().exitCode, -1);
}
