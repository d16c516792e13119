// The Docker document parsers, on documents recorded from a real dockerd (tests/fixtures/engine/README.md).
#include "dockscope/docker/DockerJson.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using namespace dockscope;
using docker::JsonFieldError;
using nlohmann::json;
namespace dj = docker::json;

constexpr std::int64_t kSecond = 1'000'000'000;

json loadFixture(const std::string& name)
{
    const std::string path = std::string(DOCKSCOPE_FIXTURES_DIR) + "/engine/" + name;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("missing fixture " + path);
    return json::parse(in);
}

/// The message of the JsonFieldError that f throws; empty when it throws none.
template <typename F>
std::string errorOf(F&& f)
{
    try {
        f();
    } catch (const JsonFieldError& e) {
        return e.what();
    }
    return {};
}

/// The message of the JsonFieldError that parsing doc throws; empty when it throws none.
template <typename Parser>
std::string errorParsing(Parser parse, const json& doc)
{
    return errorOf([&] { parse(doc); });
}

/// Every field of a container as text, one per line, so that a mismatch shows as a readable diff.
std::string render(const state::Container& c)
{
    std::ostringstream out;
    out << "id=" << c.id << "\nname=" << c.name << "\nimage=" << c.image << "\nimageId=" << c.imageId
        << "\ncommand=" << c.command << "\ncreatedAt=" << c.createdAt << "\nstate=" << toString(c.state)
        << "\nhealth=" << toString(c.health) << "\nexitCode=" << c.exitCode << "\nstartedAt=" << c.startedAt
        << "\nfinishedAt=" << c.finishedAt << "\nrestartCount=" << c.restartCount << '\n';
    for (const auto& p : c.ports)
        out << "port=" << p.ip << '|' << p.privatePort << '|' << p.publicPort << '|' << p.type << '\n';
    for (const auto& [k, v] : c.labels)
        out << "label=" << k << '=' << v << '\n';
    for (const auto& n : c.networks)
        out << "network=" << n << '\n';
    for (const auto& m : c.mounts)
        out << "mount=" << m.type << '|' << m.name << '|' << m.source << '|' << m.destination << '|' << m.rw
            << '\n';
    out << "compose=" << c.composeProject << '/' << c.composeService << '\n';
    return out.str();
}

const state::Container& byName(const std::vector<state::Container>& list, const std::string& name)
{
    const auto it = std::find_if(list.begin(), list.end(), [&](const auto& c) { return c.name == name; });
    if (it == list.end())
        throw std::runtime_error("no container " + name + " in the list");
    return *it;
}

state::Container inspectFixture(const std::string& which)
{
    return dj::parseContainerInspect(loadFixture("container-" + which + ".json"));
}

// ---- parseTime
// ----------------------------------------------------------------------------------------------

TEST(DockerJsonTime, ParsesRfc3339WithFractionAndOffset)
{
    EXPECT_EQ(dj::parseTime("2026-11-25T19:34:06.053400966Z", "f"), 1795635246053400966);
    EXPECT_EQ(dj::parseTime("2024-02-29T14:00:00.5+02:00", "f"), 1709208000500000000);
    EXPECT_EQ(dj::parseTime("1999-12-31T18:29:59.000000001-05:30", "f"), 946684799000000001);
    EXPECT_EQ(dj::parseTime("1970-01-01T00:00:01Z", "f"), kSecond);
    EXPECT_EQ(dj::parseTime("1969-12-31T23:59:59Z", "f"), -kSecond);
    EXPECT_EQ(dj::parseTime("2262-04-11T23:47:15Z", "f"), 9223372035 * kSecond);
}

TEST(DockerJsonTime, EmptyAndGoZeroTimeAreUnknown)
{
    EXPECT_EQ(dj::parseTime("", "f"), 0);
    EXPECT_EQ(dj::parseTime("0001-01-01T00:00:00Z", "f"), 0);
}

TEST(DockerJsonTime, MalformedTextNamesTheField)
{
    for (const char* bad :
         {"yesterday", "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2026-01-01T24:00:00Z",
          "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
          "2026-01-01T00:00:00+0200", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00Zjunk",
          "1600-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
        SCOPED_TRACE(bad);
        const std::string message = errorOf([&] { dj::parseTime(bad, "container inspect: Created"); });
        EXPECT_EQ(message.rfind("container inspect: Created: ", 0), 0u) << message;
    }
    EXPECT_EQ(errorOf([] { dj::parseTime("yesterday", "volume: CreatedAt"); }),
              "volume: CreatedAt: expected an RFC 3339 time, got \"yesterday\"");
}

// ---- containers
// -----------------------------------------------------------------------------------------------

TEST(DockerJsonContainer, RunningWithLabelsPortsMountsAndNetworks)
{
    const state::Container c = inspectFixture("running");
    EXPECT_EQ(c.id.size(), 64u);
    EXPECT_EQ(c.name, "fx-running");
    EXPECT_EQ(c.image, "dockscope-test/busybox:latest");
    EXPECT_EQ(c.imageId.rfind("sha256:", 0), 0u);
    EXPECT_EQ(c.command, "sleep 3600");
    EXPECT_EQ(c.state, state::ContainerState::Running);
    EXPECT_EQ(c.health, state::Health::None);
    EXPECT_EQ(c.exitCode, 0);
    EXPECT_GT(c.createdAt, dj::parseTime("2020-01-01T00:00:00Z", "f"));
    EXPECT_GT(c.startedAt, c.createdAt);
    EXPECT_EQ(c.finishedAt, 0); // Docker's zero time
    EXPECT_EQ(c.restartCount, 0);
    // Sorted by (privatePort, type, ip, publicPort); 443 was published on all addresses, so IPv4 and IPv6.
    const std::vector<state::Port> ports{{"127.0.0.1", 53, 15353, "udp"},
                                         {"127.0.0.1", 80, 18080, "tcp"},
                                         {"0.0.0.0", 443, 18443, "tcp"},
                                         {"::", 443, 18443, "tcp"},
                                         {"", 9000, 0, "tcp"}};
    EXPECT_EQ(c.ports, ports);
    EXPECT_EQ(c.labels, (state::Labels{{"com.docker.compose.project", "fixture-project"},
                                       {"com.docker.compose.service", "web"},
                                       {"org.example.team", "dockscope"}}));
    EXPECT_EQ(c.composeProject, "fixture-project");
    EXPECT_EQ(c.composeService, "web");
    EXPECT_EQ(c.networks, (std::vector<std::string>{"fx-internal", "fx-net"}));
    ASSERT_EQ(c.mounts.size(), 2u);
    EXPECT_EQ(c.mounts[0],
              (state::Mount{"volume", "fx-data", "/tmp/jj/data/volumes/fx-data/_data", "/data", true}));
    EXPECT_EQ(c.mounts[1].type, "bind");
    EXPECT_EQ(c.mounts[1].name, "");
    EXPECT_EQ(c.mounts[1].destination, "/host");
    EXPECT_FALSE(c.mounts[1].rw);
    EXPECT_TRUE(c.mounts[1].source.ends_with("/bind")) << c.mounts[1].source;
}

TEST(DockerJsonContainer, EnvironmentNeverEntersTheState)
{
    const json doc = loadFixture("container-running.json");
    // The fixture does carry them, or this test would prove nothing (the CLI sends them in no fixed order).
    const json& env = doc.at("Config").at("Env");
    ASSERT_EQ(env.size(), 2u);
    for (const char* variable :
         {"SECRET_TOKEN=fixture-not-a-secret", "DB_PASSWORD=fixture-password-not-real"})
        ASSERT_NE(std::find(env.begin(), env.end(), variable), env.end()) << variable;
    const std::string text = render(dj::parseContainerInspect(doc));
    for (const char* secret :
         {"SECRET_TOKEN", "fixture-not-a-secret", "DB_PASSWORD", "fixture-password-not-real"})
        EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked into:\n" << text;
}

TEST(DockerJsonContainer, LifecycleStates)
{
    const state::Container created = inspectFixture("created");
    EXPECT_EQ(created.state, state::ContainerState::Created);
    EXPECT_EQ(created.startedAt, 0);
    EXPECT_EQ(created.finishedAt, 0);
    EXPECT_EQ(created.labels, (state::Labels{{"org.example.role", "created"}}));
    EXPECT_EQ(created.networks, std::vector<std::string>{"none"});
    EXPECT_TRUE(created.ports.empty());

    const state::Container paused = inspectFixture("paused");
    EXPECT_EQ(paused.state, state::ContainerState::Paused);
    EXPECT_GT(paused.startedAt, 0);

    const state::Container exited = inspectFixture("exited");
    EXPECT_EQ(exited.state, state::ContainerState::Exited);
    EXPECT_EQ(exited.exitCode, 3);
    EXPECT_EQ(exited.command, "sh -c 'exit 3'"); // quoted like Docker's own list
    EXPECT_GT(exited.startedAt, 0);
    // No ordering check: for a process this short dockerd has recorded FinishedAt *before* StartedAt.
    EXPECT_GT(exited.finishedAt, 0);

    const state::Container restarting = inspectFixture("restarting");
    EXPECT_EQ(restarting.state, state::ContainerState::Restarting);
    EXPECT_EQ(restarting.exitCode, 1);
    EXPECT_GE(restarting.restartCount, 1);
}

TEST(DockerJsonContainer, HealthChecks)
{
    EXPECT_EQ(inspectFixture("healthy").health, state::Health::Healthy);
    EXPECT_EQ(inspectFixture("unhealthy").health, state::Health::Unhealthy);
    EXPECT_EQ(inspectFixture("starting").health, state::Health::Starting);
    EXPECT_EQ(inspectFixture("paused").health, state::Health::None);
}

TEST(DockerJsonContainer, SummaryListFromStatusText)
{
    const auto list = dj::parseContainerList(loadFixture("containers-list.json"));
    EXPECT_EQ(list.size(), 8u);
    EXPECT_EQ(byName(list, "fx-exited").exitCode, 3);
    EXPECT_EQ(byName(list, "fx-exited").state, state::ContainerState::Exited);
    EXPECT_EQ(byName(list, "fx-restarting").exitCode, 1);
    EXPECT_EQ(byName(list, "fx-healthy").health, state::Health::Healthy);
    EXPECT_EQ(byName(list, "fx-unhealthy").health, state::Health::Unhealthy);
    EXPECT_EQ(byName(list, "fx-starting").health, state::Health::Starting);
    EXPECT_EQ(byName(list, "fx-paused").state, state::ContainerState::Paused);
    const state::Container& running = byName(list, "fx-running");
    EXPECT_EQ(running.composeProject, "fixture-project");
    EXPECT_EQ(running.ports[1], (state::Port{"127.0.0.1", 80, 18080, "tcp"}));
    EXPECT_EQ(running.startedAt, 0); // not in the list
    EXPECT_EQ(running.createdAt % kSecond, 0);
}

TEST(DockerJsonContainer, SummaryAndInspectAgree)
{
    const auto list = dj::parseContainerList(loadFixture("containers-list.json"));
    // Not "restarting": it flips between running and restarting between the two requests.
    for (const char* which : {"created", "running", "paused", "exited", "healthy", "unhealthy", "starting"}) {
        SCOPED_TRACE(which);
        state::Container inspected = inspectFixture(which);
        // What the list does not carry: start and finish times, restart count, sub-second creation time.
        inspected.startedAt = inspected.finishedAt = 0;
        inspected.restartCount = 0;
        inspected.createdAt -= inspected.createdAt % kSecond;
        const state::Container& summary = byName(list, inspected.name);
        EXPECT_EQ(render(summary), render(inspected));
        EXPECT_TRUE(summary == inspected);
    }
}

TEST(DockerJsonContainer, StatusTextVariants)
{
    const auto parse = [](const char* status) {
        return dj::parseContainerSummary(json{{"Id", "x"}, {"State", "running"}, {"Status", status}});
    };
    EXPECT_EQ(parse("Up 2 minutes (healthy)").health, state::Health::Healthy);
    EXPECT_EQ(parse("Up 2 minutes (unhealthy)").health, state::Health::Unhealthy);
    EXPECT_EQ(parse("Up 1 second (health: starting)").health, state::Health::Starting);
    EXPECT_EQ(parse("Up 2 seconds (Paused)").health, state::Health::None);
    EXPECT_EQ(parse("Exited (137) 2 hours ago").exitCode, 137);
    EXPECT_EQ(parse("Exited (-1) 1 second ago").exitCode, -1);
    EXPECT_EQ(parse("Restarting (1) 5 seconds ago").exitCode, 1);
    EXPECT_EQ(parse("Created").exitCode, 0);
}

TEST(DockerJsonContainer, LinkNamesAndPortEdgeCases)
{
    const auto summary = dj::parseContainerSummary(json{{"Id", "x"},
                                                        {"State", "running"},
                                                        {"Names", {"/web/db", "/db"}},
                                                        {"Ports", {{{"PrivatePort", 5432}}}}});
    EXPECT_EQ(summary.name, "db");
    EXPECT_EQ(summary.ports, std::vector<state::Port>{(state::Port{"", 5432, 0, "tcp"})});

    const json ports{{"8080", json::array()}, {"53/udp", {{{"HostIp", ""}, {"HostPort", ""}}}}};
    const auto inspected = dj::parseContainerInspect(
        json{{"Id", "x"}, {"State", {{"Status", "running"}}}, {"NetworkSettings", {{"Ports", ports}}}});
    EXPECT_EQ(inspected.ports, (std::vector<state::Port>{{"", 53, 0, "udp"}, {"", 8080, 0, "tcp"}}));
}

TEST(DockerJsonContainer, MissingAndNullOptionalFieldsTakeDefaults)
{
    const auto minimal = dj::parseContainerInspect(json{{"Id", "abc"}, {"State", {{"Status", "exited"}}}});
    state::Container expected;
    expected.id = "abc";
    expected.state = state::ContainerState::Exited;
    EXPECT_EQ(render(minimal), render(expected));

    const json nulls = json::parse(R"({"Id": "abc", "Name": null, "Path": null, "Args": null, "Created": null,
        "Config": null, "Image": null, "RestartCount": null, "Mounts": null,
        "State": {"Status": "exited", "Health": null, "ExitCode": null, "StartedAt": null},
        "NetworkSettings": {"Ports": null, "Networks": null}, "SomethingNew": {"x": [1, 2]}})");
    EXPECT_EQ(render(dj::parseContainerInspect(nulls)), render(expected));

    const auto summary = dj::parseContainerSummary(json::parse(R"({"Id": "abc", "State": "exited",
        "Names": null, "Ports": null, "Labels": null, "NetworkSettings": null, "Mounts": null})"));
    EXPECT_EQ(render(summary), render(expected));
    EXPECT_TRUE(dj::parseContainerList(json()).empty());
}

TEST(DockerJsonContainer, WrongTypesNameTheField)
{
    const json running = loadFixture("container-running.json");
    const auto inspectWith = [&](const std::string& where, const json& value) {
        json doc = running;
        doc[json::json_pointer(where)] = value;
        return errorParsing(dj::parseContainerInspect, doc);
    };
    EXPECT_EQ(inspectWith("/State/ExitCode", "3"),
              "container inspect: State.ExitCode: expected number, got string");
    EXPECT_EQ(inspectWith("/State/ExitCode", 3.5),
              "container inspect: State.ExitCode: expected an integer, got 3.5");
    EXPECT_EQ(inspectWith("/State/Status", "sleeping"),
              "container inspect: State.Status: unknown container state \"sleeping\"");
    EXPECT_EQ(inspectWith("/State/Health", json{{"Status", "sick"}}),
              "container inspect: State.Health.Status: unknown health status \"sick\"");
    EXPECT_EQ(inspectWith("/Config/Labels/org.example.team", 1),
              "container inspect: Config.Labels.org.example.team: expected string, got number");
    EXPECT_EQ(inspectWith("/NetworkSettings/Ports/80~1tcp/0/HostPort", 18080),
              "container inspect: NetworkSettings.Ports.80/tcp[0].HostPort: expected string, got number");
    EXPECT_EQ(inspectWith("/Mounts/1/RW", "false"),
              "container inspect: Mounts[1].RW: expected boolean, got string");
    EXPECT_EQ(inspectWith("/Created", "yesterday"),
              "container inspect: Created: expected an RFC 3339 time, got \"yesterday\"");
    EXPECT_EQ(inspectWith("/Config", "x"), "container inspect: Config: expected object, got string");
    EXPECT_EQ(inspectWith("/Id", nullptr), "container inspect: Id: missing");
    EXPECT_EQ(errorParsing(dj::parseContainerInspect, json::array()),
              "container inspect: expected object, got array");

    json list = loadFixture("containers-list.json");
    list[2]["Ports"] = json::array({{{"PrivatePort", "80"}}});
    EXPECT_EQ(errorParsing(dj::parseContainerList, list),
              "container list: [2].Ports[0].PrivatePort: expected number, got string");
    list[2]["Ports"] = json::array({{{"PrivatePort", 70000}}});
    EXPECT_EQ(errorParsing(dj::parseContainerList, list),
              "container list: [2].Ports[0].PrivatePort: number out of range: 70000");
    EXPECT_EQ(errorParsing(dj::parseContainerList, json::object()),
              "container list: expected array, got object");
}

// ---- images, volumes, networks, engine --------------------------------------------------------------------

TEST(DockerJsonImage, TagsDanglingAndLabels)
{
    const auto two = dj::parseImageInspect(loadFixture("image-two-tags.json"));
    EXPECT_EQ(two.repoTags,
              (std::vector<std::string>{"dockscope-test/busybox:fixture", "dockscope-test/busybox:latest"}));
    EXPECT_TRUE(two.repoDigests.empty());
    EXPECT_GT(two.size, 1'000'000);
    EXPECT_TRUE(two.labels.empty()); // Config.Labels is null for an imported image
    EXPECT_EQ(two.createdAt % kSecond, 0);
    EXPECT_EQ(two.containers, 0); // derived, computed by the state

    const auto labelled = dj::parseImageInspect(loadFixture("image-labelled.json"));
    EXPECT_EQ(labelled.repoTags, std::vector<std::string>{"dockscope-test/labelled:v1"});
    EXPECT_EQ(labelled.labels, (state::Labels{{"org.example.kind", "fixture"}}));

    const auto dangling = dj::parseImageInspect(loadFixture("image-dangling.json"));
    EXPECT_TRUE(dangling.repoTags.empty());
    EXPECT_EQ(dangling.labels, (state::Labels{{"org.example.kind", "fixture-old"}}));
}

TEST(DockerJsonImage, SummaryAndInspectAgree)
{
    const auto list = dj::parseImageList(loadFixture("images-list.json"));
    ASSERT_EQ(list.size(), 3u);
    for (const char* name : {"image-two-tags.json", "image-labelled.json", "image-dangling.json"}) {
        SCOPED_TRACE(name);
        const auto inspected = dj::parseImageInspect(loadFixture(name));
        const auto it =
            std::find_if(list.begin(), list.end(), [&](const auto& i) { return i.id == inspected.id; });
        ASSERT_NE(it, list.end());
        EXPECT_EQ(it->repoTags, inspected.repoTags); // "<none>:<none>" dropped from the list form
        EXPECT_EQ(it->repoDigests, inspected.repoDigests);
        EXPECT_EQ(it->createdAt, inspected.createdAt);
        EXPECT_TRUE(*it == inspected);
    }
}

TEST(DockerJsonImage, NullArraysAndWrongTypes)
{
    const auto image = dj::parseImageSummary(json::parse(
        R"({"Id": "sha256:1", "RepoTags": null, "RepoDigests": ["<none>@<none>"], "Labels": null, "Created": 2})"));
    EXPECT_TRUE(image.repoTags.empty());
    EXPECT_TRUE(image.repoDigests.empty());
    EXPECT_EQ(image.createdAt, 2 * kSecond);
    // An image whose config has no creation time (a registry's minimal image): Docker lists Go's zero time,
    // and inspect gives "0001-01-01T00:00:00Z". Both are unknown, 0; neither is out of range.
    EXPECT_EQ(dj::parseImageSummary(json{{"Id", "sha256:1"}, {"Created", -62'135'596'800}}).createdAt, 0);
    EXPECT_EQ(dj::parseImageInspect(json{{"Id", "sha256:1"}, {"Created", "0001-01-01T00:00:00Z"}}).createdAt,
              0);
    EXPECT_EQ(errorParsing(dj::parseImageSummary, json{{"Id", "sha256:1"}, {"RepoTags", "x"}}),
              "image summary: RepoTags: expected array, got string");
    EXPECT_EQ(errorParsing(dj::parseImageInspect, json{{"Id", "sha256:1"}, {"Config", {{"Labels", {1}}}}}),
              "image inspect: Config.Labels: expected object, got array");
    EXPECT_EQ(
        errorParsing(dj::parseImageSummary, json{{"Id", "sha256:1"}, {"Created", 10'000'000'000'000'000}}),
        "image summary: Created: time out of range: 10000000000000000");
    EXPECT_EQ(errorParsing(dj::parseImageList, json::array({{{"Id", "a"}}, {{"Id", 5}}})),
              "image list: [1].Id: expected string, got number");
}

TEST(DockerJsonVolume, ListAndInspect)
{
    const auto list = dj::parseVolumeList(loadFixture("volumes-list.json"));
    ASSERT_EQ(list.size(), 1u);
    const auto volume = dj::parseVolume(loadFixture("volume-inspect.json"));
    EXPECT_EQ(volume.name, "fx-data");
    EXPECT_EQ(volume.driver, "local");
    EXPECT_EQ(volume.scope, "local");
    EXPECT_EQ(volume.mountpoint, "/tmp/jj/data/volumes/fx-data/_data");
    EXPECT_EQ(volume.labels, (state::Labels{{"org.example.purpose", "fixture"}}));
    EXPECT_GT(volume.createdAt, 0);
    EXPECT_EQ(volume.createdAt % kSecond, 0); // dockerd writes whole seconds here
    EXPECT_TRUE(volume.usedBy.empty());       // derived, computed by the state
    EXPECT_TRUE(list.front() == volume);
}

TEST(DockerJsonVolume, NullListAndWrongTypes)
{
    EXPECT_TRUE(dj::parseVolumeList(json{{"Volumes", nullptr}, {"Warnings", nullptr}}).empty());
    EXPECT_EQ(dj::parseVolume(json{{"Name", "v"}}).name, "v");
    EXPECT_EQ(errorParsing(dj::parseVolumeList, json{{"Volumes", json::object()}}),
              "volume list: Volumes: expected array, got object");
    EXPECT_EQ(errorParsing(dj::parseVolume, json{{"Name", "v"}, {"Labels", {"a"}}}),
              "volume: Labels: expected object, got array");
    EXPECT_EQ(errorParsing(dj::parseVolume, json{{"Driver", "local"}}), "volume: Name: missing");
}

TEST(DockerJsonNetwork, ListAndInspect)
{
    const auto list = dj::parseNetworkList(loadFixture("networks-list.json"));
    std::vector<std::string> names;
    for (const auto& n : list)
        names.push_back(n.name);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"fx-internal", "fx-net", "host", "none"}));

    const auto net = dj::parseNetwork(loadFixture("network-inspect.json"));
    EXPECT_EQ(net.name, "fx-net");
    EXPECT_EQ(net.driver, "bridge");
    EXPECT_EQ(net.scope, "local");
    EXPECT_FALSE(net.internal);
    EXPECT_TRUE(net.attachable);
    EXPECT_EQ(net.labels, (state::Labels{{"org.example.net", "fixture"}}));
    EXPECT_EQ(net.subnets, std::vector<std::string>{"172.28.5.0/24"});
    EXPECT_GT(net.createdAt % kSecond, 0); // nanoseconds kept
    EXPECT_TRUE(net.containers.empty());   // derived, computed by the state
    EXPECT_TRUE(*std::find_if(list.begin(), list.end(), [](const auto& n) { return n.name == "fx-net"; }) ==
                net);

    const auto internal = dj::parseNetwork(loadFixture("network-internal.json"));
    EXPECT_TRUE(internal.internal);
    EXPECT_EQ(internal.subnets, (std::vector<std::string>{"172.28.6.0/24", "fd00:28:6::/64"}));

    const auto none = dj::parseNetwork(loadFixture("network-none.json"));
    EXPECT_EQ(none.driver, "null");
    EXPECT_TRUE(none.subnets.empty());
}

TEST(DockerJsonNetwork, NullIpamAndWrongTypes)
{
    EXPECT_TRUE(dj::parseNetwork(json{{"Id", "n"}, {"IPAM", nullptr}}).subnets.empty());
    EXPECT_EQ(dj::parseNetwork(json::parse(R"({"Id": "n", "IPAM": {"Config": [{"Gateway": "10.0.0.1"},
        {"Subnet": "10.1.0.0/16"}]}})"))
                  .subnets,
              std::vector<std::string>{"10.1.0.0/16"});
    EXPECT_EQ(errorParsing(dj::parseNetwork, json{{"Id", "n"}, {"Internal", "yes"}}),
              "network: Internal: expected boolean, got string");
    EXPECT_EQ(errorParsing(dj::parseNetwork, json{{"Id", "n"}, {"IPAM", {{"Config", {{{"Subnet", 5}}}}}}}),
              "network: IPAM.Config[0].Subnet: expected string, got number");
}

TEST(DockerJsonEngine, InfoAndVersion)
{
    const json info = loadFixture("info.json");
    const auto engine = dj::parseEngineInfo(info, loadFixture("version.json"));
    EXPECT_EQ(engine.version, "20.10.24+dfsg1");
    EXPECT_EQ(engine.os, "Debian GNU/Linux 12 (bookworm)");
    EXPECT_EQ(engine.arch, "x86_64");
    // Host facts: compare with the document, which says they went to the right member.
    EXPECT_EQ(engine.kernel, info.at("KernelVersion"));
    EXPECT_EQ(engine.cpus, info.at("NCPU"));
    EXPECT_EQ(engine.memTotal, info.at("MemTotal"));
    EXPECT_EQ(engine.name, info.at("Name"));
    EXPECT_GT(engine.memTotal, 0);
    // Running: running, healthy, unhealthy, starting. Paused: paused. Stopped: created, exited, restarting.
    // Images: busybox, labelled, dangling.
    EXPECT_EQ(engine.counts, (state::EngineCounts{4, 1, 3, 3}));
    EXPECT_EQ(engine.counts.running, info.at("ContainersRunning"));
    EXPECT_EQ(engine.counts.stopped, info.at("ContainersStopped"));
    EXPECT_EQ(engine.status, state::EngineStatus::Connecting); // left to the caller
    EXPECT_EQ(engine.apiVersion, "");
    const auto withEmptyVersion = [](const json& doc) { return dj::parseEngineInfo(doc, json::object()); };
    EXPECT_EQ(errorParsing(withEmptyVersion, json{{"NCPU", "2"}}), "info: NCPU: expected number, got string");
    EXPECT_TRUE(dj::parseEngineInfo(json::object(), json::object()) == state::EngineInfo{});
}

} // namespace
