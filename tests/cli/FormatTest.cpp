// The terminal client's pure text and argument syntaxes (src/apps/cli/Format.h, Arguments.h): plain values,
// no daemon, no engine.
#include "Format.h"
#include "Arguments.h"

#include "dockscope/state/EntityJson.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using namespace dockscope;
using namespace dockscope::cli;
using nlohmann::json;
using state::ChangeOp;
using state::EntityKind;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr state::Timestamp kNow = 1'714'565'000 * kSecond; // 2024-05-01T12:03:20Z

state::Container container(const std::string& id, const std::string& name, state::ContainerState s)
{
    state::Container c;
    c.id = id;
    c.name = name;
    c.image = "busybox";
    c.state = s;
    return c;
}

class FormatUtcTime : public ::testing::Test {
protected:
    void SetUp() override
    {
        const char* tz = std::getenv("TZ");
        m_saved = tz ? std::optional<std::string>(tz) : std::nullopt;
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
    void TearDown() override
    {
        if (m_saved)
            ::setenv("TZ", m_saved->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }

private:
    std::optional<std::string> m_saved;
};

} // namespace

TEST(FormatDuration, FollowsGoUnitsHumanDuration)
{
    EXPECT_EQ(humanDuration(0), "Less than a second");
    EXPECT_EQ(humanDuration(kSecond - 1), "Less than a second");
    EXPECT_EQ(humanDuration(kSecond), "1 second");
    EXPECT_EQ(humanDuration(59 * kSecond), "59 seconds");
    EXPECT_EQ(humanDuration(kMinute), "About a minute");
    EXPECT_EQ(humanDuration(119 * kSecond), "About a minute");
    EXPECT_EQ(humanDuration(5 * kMinute), "5 minutes");
    EXPECT_EQ(humanDuration(59 * kMinute), "59 minutes");
    EXPECT_EQ(humanDuration(kHour), "About an hour");
    EXPECT_EQ(humanDuration(89 * kMinute), "About an hour");
    EXPECT_EQ(humanDuration(90 * kMinute), "2 hours");
    EXPECT_EQ(humanDuration(47 * kHour), "47 hours");
    EXPECT_EQ(humanDuration(2 * kDay), "2 days");
    EXPECT_EQ(humanDuration(13 * kDay), "13 days");
    EXPECT_EQ(humanDuration(14 * kDay), "2 weeks");
    EXPECT_EQ(humanDuration(60 * kDay), "2 months");
    EXPECT_EQ(humanDuration(729 * kDay), "24 months");
    EXPECT_EQ(humanDuration(730 * kDay), "2 years");
}

TEST(FormatSize, DecimalAndBinaryUnitsAsDockerPrintsThem)
{
    EXPECT_EQ(humanSize(0), "0B");
    EXPECT_EQ(humanSize(999), "999B");
    EXPECT_EQ(humanSize(1000), "1kB");
    EXPECT_EQ(humanSize(1'234'567), "1.23MB");
    EXPECT_EQ(humanSize(1'234'567, 4), "1.235MB");
    EXPECT_EQ(humanSize(1'979'000), "1.98MB");
    EXPECT_EQ(bytesSize(512), "512B");
    EXPECT_EQ(bytesSize(1536), "1.5KiB");
    EXPECT_EQ(bytesSize(316 * 1024), "316KiB");
    EXPECT_EQ(bytesSize(8.0 * 1024 * 1024 * 1024), "8GiB");
    EXPECT_EQ(bytesSize(25'276'063'744), "23.54GiB");
}

TEST(FormatIds, ShortIdDropsTheDigestPrefix)
{
    EXPECT_EQ(shortId("sha256:e83a0e870e3fec0eb73dd3d6f768659b"), "e83a0e870e3f");
    EXPECT_EQ(shortId("4b3a81dd8add7352bf0e5f3b51c08d21"), "4b3a81dd8add");
    EXPECT_EQ(shortId("abc"), "abc");
}

TEST_F(FormatUtcTime, ClockAndRfc3339Times)
{
    EXPECT_EQ(clockTime(kNow), "12:03:20");
    EXPECT_EQ(rfc3339Nano(kNow + 123), "2024-05-01T12:03:20.000000123Z");
    EXPECT_EQ(rfc3339Nano(kNow + 455'657'510), "2024-05-01T12:03:20.455657510Z");
}

TEST(FormatTable, AlignsColumnsThreeSpacesApartAndTrimsTheEnd)
{
    const std::string table =
        formatTable({"A", "LONG HEADER", "C"}, {{"wide value", "x", ""}, {"é", "y", "z"}});
    EXPECT_EQ(table, "A            LONG HEADER   C\n"
                     "wide value   x\n"
                     "é            y             z\n");
    EXPECT_EQ(formatTable({}, {{"Key:", "v"}, {"Longer:", "w"}}), "Key:      v\nLonger:   w\n");
}

TEST(FormatStatus, EveryContainerStateAsDockerPsSaysIt)
{
    using S = state::ContainerState;
    auto c = container("a", "web", S::Created);
    EXPECT_EQ(containerStatus(c, kNow), "Created");
    c.state = S::Running;
    c.startedAt = kNow - 5 * kMinute;
    EXPECT_EQ(containerStatus(c, kNow), "Up 5 minutes");
    c.health = state::Health::Healthy;
    EXPECT_EQ(containerStatus(c, kNow), "Up 5 minutes (healthy)");
    c.health = state::Health::Starting;
    EXPECT_EQ(containerStatus(c, kNow), "Up 5 minutes (health: starting)");
    c.state = S::Paused;
    EXPECT_EQ(containerStatus(c, kNow), "Up 5 minutes (Paused)");
    c.state = S::Exited;
    c.exitCode = 137;
    c.finishedAt = kNow - 2 * kHour;
    EXPECT_EQ(containerStatus(c, kNow), "Exited (137) 2 hours ago");
    c.state = S::Restarting;
    c.exitCode = 1;
    c.finishedAt = kNow - 5 * kSecond;
    EXPECT_EQ(containerStatus(c, kNow), "Restarting (1) 5 seconds ago");
    c.state = S::Removing;
    EXPECT_EQ(containerStatus(c, kNow), "Removal In Progress");
    c.state = S::Dead;
    EXPECT_EQ(containerStatus(c, kNow), "Dead");
    auto never = container("b", "never", S::Exited);
    EXPECT_EQ(containerStatus(never, kNow), "Created"); // exited without ever starting: what docker says
}

TEST(FormatPorts, PublishedAndExposedPorts)
{
    const std::vector<state::Port> ports{{"0.0.0.0", 80, 8080, "tcp"},
                                         {"::", 80, 8080, "tcp"},
                                         {"", 443, 0, "tcp"},
                                         {"127.0.0.1", 53, 5353, "udp"}};
    EXPECT_EQ(formatPorts(ports), "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 443/tcp, 127.0.0.1:5353->53/udp");
    EXPECT_EQ(formatPorts({}), "");
}

TEST(FormatTables, ContainersSortedByNameWithTheirStatus)
{
    state::EngineState::ContainerMap map;
    auto db = container("bbbbbbbbbbbbbbbb", "db", state::ContainerState::Exited);
    db.startedAt = kNow - kDay;
    db.finishedAt = kNow - 3 * kHour;
    db.exitCode = 0;
    db.composeProject = "shop";
    auto web = container("aaaaaaaaaaaaaaaa", "web", state::ContainerState::Running);
    web.startedAt = kNow - 10 * kSecond;
    web.health = state::Health::Unhealthy;
    web.ports = {{"0.0.0.0", 80, 8080, "tcp"}};
    map[db.id] = db;
    map[web.id] = web;
    EXPECT_EQ(containersTable(map, kNow),
              "CONTAINER ID   NAME   IMAGE     STATE     HEALTH      STATUS                      PORTS"
              "                  PROJECT\n"
              "bbbbbbbbbbbb   db     busybox   exited                Exited (0) 3 hours ago"
              "                             shop\n"
              "aaaaaaaaaaaa   web    busybox   running   unhealthy   Up 10 seconds (unhealthy)   "
              "0.0.0.0:8080->80/tcp\n");
}

TEST(FormatTables, ImagesARowPerTagAndNoneWhenUntagged)
{
    state::EngineState::ImageMap map;
    state::Image tagged{"sha256:1111111111111111aaaa",
                        {"busybox:latest", "localhost:5000/team/app:1.2"},
                        {},
                        kNow - 3 * kDay,
                        1'979'000,
                        {},
                        2};
    state::Image untagged{"sha256:2222222222222222bbbb", {}, {}, kNow - kHour, 500, {}, 0};
    map[tagged.id] = tagged;
    map[untagged.id] = untagged;
    EXPECT_EQ(imagesTable(map, kNow),
              "REPOSITORY                TAG      IMAGE ID       CREATED             SIZE     "
              "CONTAINERS\n"
              "busybox                   latest   111111111111   3 days ago          1.98MB   2\n"
              "localhost:5000/team/app   1.2      111111111111   3 days ago          1.98MB   2\n"
              "<none>                    <none>   222222222222   About an hour ago   500B     0\n");
}

TEST(FormatTables, VolumesNetworksAndEngine)
{
    state::EngineState::VolumeMap volumes;
    volumes["data"] = state::Volume{"data", "local", "/var/lib/x", kNow - kMinute, "local", {}, {"c1", "c2"}};
    EXPECT_EQ(volumesTable(volumes, kNow), "NAME   DRIVER   SCOPE   CONTAINERS   CREATED\n"
                                           "data   local    local   2            About a minute ago\n");
    state::EngineState::NetworkMap networks;
    networks["n1"] =
        state::Network{"n1aaaaaaaaaaaaaa", "back", "bridge", "local", true, true, 0, {}, {"10.7.0.0/16"}, {}};
    EXPECT_EQ(networksTable(networks),
              "NETWORK ID     NAME   DRIVER   SCOPE   SUBNETS       CONTAINERS   FLAGS\n"
              "n1aaaaaaaaaa   back   bridge   local   10.7.0.0/16   0            "
              "internal,attachable\n");
    state::EngineInfo engine;
    engine.status = state::EngineStatus::Reconnecting;
    engine.statusSince = kNow - 30 * kSecond;
    engine.counts = {2, 1, 3, 4};
    engine.lastError = "connection refused";
    EXPECT_EQ(engineSummary(engine, kNow), "Status:       reconnecting for 30 seconds\n"
                                           "Containers:   2 running, 1 paused, 3 stopped\n"
                                           "Images:       4\n"
                                           "Last error:   connection refused\n");
}

TEST(FormatReports, PruneAndImageRemoval)
{
    const json images{{"ImagesDeleted", {{{"Untagged", "foo:1"}}, {{"Deleted", "sha256:abc"}}}},
                      {"SpaceReclaimed", 1'234'567}};
    EXPECT_EQ(pruneReport(images),
              "Deleted Images:\nuntagged: foo:1\ndeleted: sha256:abc\n\nTotal reclaimed space: "
              "1.235MB\n");
    EXPECT_EQ(pruneReport({{"NetworksDeleted", {"n1", "n2"}}}), "Deleted Networks:\nn1\nn2\n");
    EXPECT_EQ(pruneReport({{"VolumesDeleted", nullptr}, {"SpaceReclaimed", 0}}),
              "Total reclaimed space: 0B\n");
    EXPECT_EQ(imageRemovalReport(json::array({{{"Untagged", "foo:1"}}, {{"Deleted", "sha256:abc"}}})),
              "Untagged: foo:1\nDeleted: sha256:abc\n");
}

TEST(FormatResolve, ExactIdThenExactNameThenUniquePrefix)
{
    state::EngineState::ContainerMap map;
    for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
             {"3f2a1b4c5d6e7f80", "web-1"}, {"3f99aaaabbbbcccc", "db-1"}, {"abcdef0123456789", "3f2a"}})
        map[id] = container(id, name, state::ContainerState::Running);
    using O = Resolution::Outcome;
    EXPECT_EQ(resolveContainer(map, "3f2a1b4c5d6e7f80").id, "3f2a1b4c5d6e7f80");
    EXPECT_EQ(resolveContainer(map, "web-1").id, "3f2a1b4c5d6e7f80");
    EXPECT_EQ(resolveContainer(map, "/web-1").id, "3f2a1b4c5d6e7f80");
    EXPECT_EQ(resolveContainer(map, "3f2a").id, "abcdef0123456789"); // a name beats an id prefix
    EXPECT_EQ(resolveContainer(map, "3f9").id, "3f99aaaabbbbcccc");
    EXPECT_EQ(resolveContainer(map, "nothing").outcome, O::NotFound);
    EXPECT_EQ(resolveContainer(map, "").outcome, O::NotFound);
    const Resolution ambiguous = resolveContainer(map, "3f");
    EXPECT_EQ(ambiguous.outcome, O::Ambiguous);
    EXPECT_EQ(ambiguous.candidates,
              (std::vector<std::string>{"3f2a1b4c5d6e (web-1)", "3f99aaaabbbb (db-1)"}));
    EXPECT_EQ(ambiguityMessage("3f", ambiguous.candidates),
              "container id prefix '3f' is ambiguous: it matches 3f2a1b4c5d6e (web-1), 3f99aaaabbbb (db-1)");
}

TEST(FormatChanges, CreatedRemovedStartedAndExitedLines)
{
    auto web = container("3f2a1b4c5d6e7f80", "web-1", state::ContainerState::Running);
    const json before = web;
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Created, web.id, before, {}}, nullptr, false),
              "container web-1 created");
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Removed, web.id, {}, {}}, before, false),
              "container web-1 removed");
    const json exited{{"state", "exited"}, {"exitCode", 137}, {"finishedAt", kNow}};
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Updated, web.id, {}, exited}, before, false),
              "container web-1 updated state running→exited, exitCode 0→137");
    json stopped = before;
    stopped["state"] = "exited";
    stopped["exitCode"] = 137;
    const json started{{"state", "running"}, {"exitCode", 0}, {"startedAt", kNow}};
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Updated, web.id, {}, started}, stopped, false),
              "container web-1 started, exitCode 137→0");
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Updated, web.id, {}, {{"state", "paused"}}},
                         before, false),
              "container web-1 paused");
    json paused = before;
    paused["state"] = "paused";
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Updated, web.id, {}, {{"state", "running"}}},
                         paused, false),
              "container web-1 unpaused");
}

TEST_F(FormatUtcTime, ChangeLinesOfOtherKindsAndFields)
{
    state::Image image{"sha256:1111111111111111aaaa", {"busybox:latest"}, {}, 0, 0, {}, 0};
    EXPECT_EQ(changeLine({EntityKind::Image, ChangeOp::Updated, image.id, {}, {{"containers", 1}}},
                         json(image), false),
              "image busybox:latest updated containers 0→1");
    image.repoTags.clear();
    EXPECT_EQ(changeLine({EntityKind::Image, ChangeOp::Removed, image.id, {}, {}}, json(image), false),
              "image 111111111111 removed");
    state::Network net{"n1", "back", "bridge", "local", false, false, 0, {}, {}, {}};
    EXPECT_EQ(
        changeLine(
            {EntityKind::Network, ChangeOp::Updated, net.id, {}, {{"containers", {"3f2a1b4c5d6e7f80"}}}},
            json(net), false),
        "network back updated containers []→[3f2a1b4c5d6e]");
    EXPECT_EQ(
        changeLine({EntityKind::Network,
                    ChangeOp::Updated,
                    net.id,
                    {},
                    {{"containers", {{"add", {"3f2a1b4c5d6e7f80"}}, {"remove", {"aaaabbbbccccdddd"}}}}}},
                   json(net), false),
        "network back updated containers +3f2a1b4c5d6e -aaaabbbbcccc");
    auto web = container("3f2a1b4c5d6e7f80", "web-1", state::ContainerState::Running);
    web.labels = {{"env", "dev"}};
    EXPECT_EQ(changeLine({EntityKind::Container,
                          ChangeOp::Updated,
                          web.id,
                          {},
                          {{"labels", {{"env", "prod"}, {"team", "a"}}}, {"name", "web-2"}}},
                         json(web), false),
              "container web-1 updated labels.env dev→prod, labels.team (none)→a, name web-1→web-2");
    EXPECT_EQ(changeLine({EntityKind::Container, ChangeOp::Updated, web.id, {}, {{"startedAt", kNow}}},
                         json(web), false),
              "container web-1 updated startedAt (never)→12:03:20"); // times only when nothing else changed
    state::EngineInfo engine;
    EXPECT_EQ(
        changeLine({EntityKind::Engine, ChangeOp::Updated, "engine", {}, {{"counts", {{"running", 1}}}}},
                   json(engine), false),
        "engine engine updated counts.running 0→1");
}

TEST(FormatChanges, ColourOnlyWhenAsked)
{
    const auto web = container("3f2a", "web-1", state::ContainerState::Running);
    const std::string plain =
        changeLine({EntityKind::Container, ChangeOp::Created, web.id, json(web), {}}, {}, false);
    const std::string coloured =
        changeLine({EntityKind::Container, ChangeOp::Created, web.id, json(web), {}}, {}, true);
    EXPECT_EQ(plain.find('\033'), std::string::npos);
    EXPECT_NE(coloured.find("\033[32mcreated\033[0m"), std::string::npos);
}

TEST(FormatChanges, JsonLineCarriesValueOrDiff)
{
    const auto web = container("3f2a", "web-1", state::ContainerState::Running);
    const json created =
        changeJson({EntityKind::Container, ChangeOp::Created, web.id, json(web), {}}, 7, nullptr);
    EXPECT_EQ(created.at("version"), 7);
    EXPECT_EQ(created.at("kind"), "container");
    EXPECT_EQ(created.at("op"), "created");
    EXPECT_EQ(created.at("name"), "web-1");
    EXPECT_EQ(created.at("value").at("state"), "running");
    EXPECT_FALSE(created.contains("diff"));
    const json updated = changeJson(
        {EntityKind::Container, ChangeOp::Updated, web.id, {}, {{"state", "exited"}}}, 9, json(web));
    EXPECT_EQ(updated, (json{{"version", 9},
                             {"kind", "container"},
                             {"op", "updated"},
                             {"id", "3f2a"},
                             {"name", "web-1"},
                             {"diff", {{"state", "exited"}}}}));
    const json removed = changeJson({EntityKind::Container, ChangeOp::Removed, web.id, {}, {}}, 10, nullptr);
    EXPECT_EQ(removed, (json{{"version", 10}, {"kind", "container"}, {"op", "removed"}, {"id", "3f2a"}}));
}

TEST(FormatChanges, DiffStatesFindsWhatAWatcherMissed)
{
    state::EngineState before;
    state::EngineState after;
    auto kept = container("k1", "kept", state::ContainerState::Running);
    auto gone = container("g1", "gone", state::ContainerState::Exited);
    auto fresh = container("f1", "fresh", state::ContainerState::Created);
    auto changed = kept;
    changed.state = state::ContainerState::Exited;
    before.resetTo(1, 10, {{kept.id, kept}, {gone.id, gone}}, {}, {}, {}, std::nullopt);
    after.resetTo(2, 3, {{changed.id, changed}, {fresh.id, fresh}}, {}, {}, {}, std::nullopt);
    const auto changes = diffStates(before, after);
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[0].op, ChangeOp::Created);
    EXPECT_EQ(changes[0].id, "f1");
    EXPECT_EQ(changes[1].op, ChangeOp::Removed);
    EXPECT_EQ(changes[1].id, "g1");
    EXPECT_EQ(changes[2].op, ChangeOp::Updated);
    EXPECT_EQ(changes[2].diff, (json{{"state", "exited"}}));
    EXPECT_EQ(entityJson(before, EntityKind::Container, "g1").at("name"), "gone");
    EXPECT_TRUE(entityJson(after, EntityKind::Container, "g1").is_null());
    EXPECT_TRUE(entityJson(after, EntityKind::Engine, "engine").is_null());
}

TEST(FormatEvents, ReadableEventLines)
{
    state::DockerEvent die{"container",
                           "die",
                           "",
                           std::string(64, 'a'),
                           {{"name", "web-1"}, {"exitCode", "137"}, {"image", "busybox"}},
                           "local",
                           kNow};
    EXPECT_EQ(eventLine(die, false), "container die web-1 (aaaaaaaaaaaa) exitCode=137");
    state::DockerEvent health{"container",      "health_status", "healthy", "abc",
                              {{"name", "db"}}, "local",         kNow};
    EXPECT_EQ(eventLine(health, false), "container health_status: healthy db (abc)");
    state::DockerEvent prune{"image", "prune", "", "", {{"reclaimed", "0"}}, "local", kNow};
    EXPECT_EQ(eventLine(prune, false), "image prune");
    state::DockerEvent connect{"network",
                               "connect",
                               "",
                               std::string(64, 'b'),
                               {{"name", "none"}, {"container", std::string(64, 'c')}},
                               "local",
                               kNow};
    EXPECT_EQ(eventLine(connect, false), "network connect none (bbbbbbbbbbbb) container=cccccccccccc");
}

TEST(FormatStats, CellsAndFixedWidthRowsLikeDockerStats)
{
    const json sample{{"cpuPercent", 12.345},  {"memUsage", 316 * 1024}, {"memLimit", 25'276'063'744},
                      {"memPercent", 0.00128}, {"netRx", 1234},          {"netTx", 648},
                      {"blockRead", 0},        {"blockWrite", 4096},     {"pids", 3}};
    const auto cells = statsCells("4b3a81dd8add7352", "web-1", sample);
    EXPECT_EQ(cells, (std::vector<std::string>{"4b3a81dd8add", "web-1", "12.35%", "316KiB / 23.54GiB",
                                               "0.00%", "1.23kB / 648B", "0B / 4.1kB", "3"}));
    EXPECT_EQ(statsRow(statsHeaders(), 5),
              "CONTAINER ID   NAME    CPU %     MEM USAGE / LIMIT       MEM %     "
              "NET I/O               BLOCK I/O             PIDS");
    EXPECT_EQ(statsRow(cells, 5), "4b3a81dd8add   web-1   12.35%    316KiB / 23.54GiB       0.00%     "
                                  "1.23kB / 648B         0B / 4.1kB            3");
    EXPECT_EQ(statsCells("x", "y", json())[2], "0.00%"); // no sample yet: zeros, not a crash
}

TEST(FormatArguments, PublishSpecs)
{
    std::string error;
    EXPECT_EQ(parsePublish("80", &error), (json{{"containerPort", 80}, {"protocol", "tcp"}}));
    EXPECT_EQ(parsePublish("8080:80", &error),
              (json{{"containerPort", 80}, {"hostPort", 8080}, {"protocol", "tcp"}}));
    EXPECT_EQ(
        parsePublish("127.0.0.1:8080:80/udp", &error),
        (json{{"containerPort", 80}, {"hostPort", 8080}, {"protocol", "udp"}, {"hostIp", "127.0.0.1"}}));
    EXPECT_EQ(parsePublish("127.0.0.1::80", &error),
              (json{{"containerPort", 80}, {"protocol", "tcp"}, {"hostIp", "127.0.0.1"}}));
    EXPECT_EQ(parsePublish("[::1]:8080:80", &error),
              (json{{"containerPort", 80}, {"hostPort", 8080}, {"protocol", "tcp"}, {"hostIp", "::1"}}));
    for (const char* bad :
         {"", "x", "0", "70000", "8080:80/sctp", "1:2:3:4", "8000-8010:80", "[::1:80", "a:80"}) {
        error.clear();
        EXPECT_FALSE(parsePublish(bad, &error).has_value()) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST(FormatArguments, MountSpecs)
{
    std::string error;
    EXPECT_EQ(parseMount("data:/var/lib/data", &error),
              (json{{"source", "data"}, {"destination", "/var/lib/data"}, {"readOnly", false}}));
    EXPECT_EQ(parseMount("/srv/www:/usr/share/www:ro", &error),
              (json{{"source", "/srv/www"}, {"destination", "/usr/share/www"}, {"readOnly", true}}));
    for (const char* bad : {"/only", "data:relative", "data:/x:rx", ":/x", "a:/b:ro:x"}) {
        error.clear();
        EXPECT_FALSE(parseMount(bad, &error).has_value()) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST(FormatArguments, KeyValuesReferencesAndKinds)
{
    std::string error;
    using Pair = std::pair<std::string, std::optional<std::string>>;
    EXPECT_EQ(parseKeyValue("a=b=c", false, &error), (Pair{"a", "b=c"}));
    EXPECT_EQ(parseKeyValue("a=", false, &error), (Pair{"a", ""}));
    EXPECT_EQ(parseKeyValue("a", true, &error), (Pair{"a", std::nullopt}));
    EXPECT_FALSE(parseKeyValue("a", false, &error).has_value());
    EXPECT_FALSE(parseKeyValue("=b", true, &error).has_value());
    EXPECT_EQ(splitReference("busybox"), (std::pair<std::string, std::string>{"busybox", "latest"}));
    EXPECT_EQ(splitReference("busybox:1.36"), (std::pair<std::string, std::string>{"busybox", "1.36"}));
    EXPECT_EQ(splitReference("localhost:5000/app"),
              (std::pair<std::string, std::string>{"localhost:5000/app", "latest"}));
    EXPECT_EQ(splitReference("localhost:5000/app:1.2"),
              (std::pair<std::string, std::string>{"localhost:5000/app", "1.2"}));
    EXPECT_EQ(splitReference("alpine@sha256:abc").second, "");
    EXPECT_EQ(parseKind("containers"), protocol::Topic::Containers);
    EXPECT_EQ(parseKind("image"), protocol::Topic::Images);
    EXPECT_EQ(parseKind("engine"), protocol::Topic::Engine);
    EXPECT_FALSE(parseKind("events").has_value());
    EXPECT_FALSE(parseKind("event").has_value());
    EXPECT_FALSE(parseKind("bogus").has_value());
}
