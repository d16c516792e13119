// The events decoder, on a stream recorded from a real dockerd and on hand-written Docker 29 and Podman lines
// (tests/fixtures/engine/README.md).
#include "dockscope/docker/EventDecoder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace dockscope;
using docker::decodeEvent;
using docker::ErrorKind;
using nlohmann::json;

constexpr std::int64_t kSecond = 1'000'000'000;

std::vector<std::string> readLines(const std::string& name)
{
    const std::string path = std::string(DOCKSCOPE_FIXTURES_DIR) + "/engine/" + name;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("missing fixture " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

std::vector<state::DockerEvent> decodeAll(const std::vector<std::string>& lines)
{
    std::vector<state::DockerEvent> events;
    for (const auto& line : lines) {
        auto result = decodeEvent(line);
        if (!result)
            throw std::runtime_error("cannot decode " + line + ": " + result.error().message);
        events.push_back(std::move(result).value());
    }
    return events;
}

/// The first recorded event of this type and action (and, when given, detail).
const state::DockerEvent& find(const std::vector<state::DockerEvent>& events, const std::string& type,
                               const std::string& action, const std::string& detail = "*")
{
    const auto it = std::find_if(events.begin(), events.end(), [&](const state::DockerEvent& e) {
        return e.type == type && e.action == action && (detail == "*" || e.actionDetail == detail);
    });
    if (it == events.end())
        throw std::runtime_error("no " + type + " " + action + " " + detail + " event recorded");
    return *it;
}

void expectEvent(const state::DockerEvent& actual, const state::DockerEvent& expected)
{
    EXPECT_EQ(actual.type, expected.type);
    EXPECT_EQ(actual.action, expected.action);
    EXPECT_EQ(actual.actionDetail, expected.actionDetail);
    EXPECT_EQ(actual.actorId, expected.actorId);
    EXPECT_EQ(actual.attributes, expected.attributes);
    EXPECT_EQ(actual.scope, expected.scope);
    EXPECT_EQ(actual.timeNano, expected.timeNano);
}

/// The message of the Parse error a line gives; fails the test when it decodes.
std::string parseErrorOf(std::string_view line)
{
    const auto result = decodeEvent(line);
    if (result) {
        ADD_FAILURE() << "decoded: " << line;
        return {};
    }
    EXPECT_EQ(result.error().kind, ErrorKind::Parse);
    EXPECT_EQ(result.error().httpStatus, 0);
    return result.error().message;
}

// ---- the recorded stream
// ------------------------------------------------------------------------------------

TEST(EventDecoderRecorded, EveryLineDecodesToWhatTheLineSays)
{
    const auto lines = readLines("events.ndjson");
    ASSERT_GT(lines.size(), 80u);
    for (const auto& line : lines) {
        SCOPED_TRACE(line);
        const auto result = decodeEvent(line);
        ASSERT_TRUE(result.ok()) << result.error().message;
        const json raw = json::parse(line);
        EXPECT_EQ(result->type, raw.at("Type"));
        EXPECT_FALSE(result->action.empty());
        EXPECT_EQ(result->action.find(": "), std::string::npos);
        EXPECT_EQ(raw.at("Action").get<std::string>().rfind(result->action, 0), 0u);
        EXPECT_EQ(result->actorId, raw.at("Actor").at("ID"));
        EXPECT_EQ(result->attributes.size(), raw.at("Actor").at("Attributes").size());
        EXPECT_EQ(result->scope, "local");
        EXPECT_EQ(result->timeNano, raw.at("timeNano"));
        EXPECT_EQ(result->timeNano / kSecond, raw.at("time"));
    }
}

TEST(EventDecoderRecorded, CoversTheOperationsTheSyncEngineSees)
{
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& e : decodeAll(readLines("events.ndjson")))
        seen.emplace(e.type, e.action);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"container", "create"},
        {"container", "start"},
        {"container", "pause"},
        {"container", "unpause"},
        {"container", "kill"},
        {"container", "die"},
        {"container", "stop"},
        {"container", "restart"},
        {"container", "rename"},
        {"container", "destroy"},
        {"container", "health_status"},
        {"container", "exec_create"},
        {"container", "exec_start"},
        {"container", "exec_die"},
        {"container", "attach"},
        {"container", "top"},
        {"container", "archive-path"},
        {"container", "prune"},
        {"image", "tag"},
        {"image", "untag"},
        {"image", "import"},
        {"image", "delete"},
        {"image", "prune"},
        {"volume", "create"},
        {"volume", "mount"},
        {"volume", "unmount"},
        {"volume", "destroy"},
        {"volume", "prune"},
        {"network", "create"},
        {"network", "connect"},
        {"network", "disconnect"},
        {"network", "destroy"},
        {"network", "prune"},
    };
    for (const auto& pair : expected)
        EXPECT_TRUE(seen.count(pair)) << pair.first << " " << pair.second << " not in the recording";
}

TEST(EventDecoderRecorded, SplitsCompoundActions)
{
    const auto events = decodeAll(readLines("events.ndjson"));
    EXPECT_EQ(find(events, "container", "health_status").actionDetail, "healthy");
    // `docker exec fx-ev true`: dockerd sends "exec_create: true " (trailing space), trimmed.
    EXPECT_EQ(find(events, "container", "exec_create").actionDetail, "true");
    // The health probe runs through the shell.
    EXPECT_NO_THROW(find(events, "container", "exec_start", "/bin/sh -c true"));
    EXPECT_EQ(find(events, "container", "exec_die").actionDetail, "");
    EXPECT_EQ(find(events, "container", "start").actionDetail, "");
}

TEST(EventDecoderRecorded, KeepsActorAndAttributes)
{
    const auto events = decodeAll(readLines("events.ndjson"));
    const auto& rename = find(events, "container", "rename");
    EXPECT_EQ(rename.attributes.at("oldName"), "/fx-ev");
    EXPECT_EQ(rename.attributes.at("name"), "fx-ev-renamed");
    EXPECT_EQ(rename.actorId.size(), 64u);
    EXPECT_EQ(find(events, "container", "die").attributes.at("exitCode"), "137");
    EXPECT_EQ(find(events, "container", "kill").attributes.at("signal"), "9");
    EXPECT_EQ(find(events, "volume", "mount").attributes.at("destination"), "/data");
    EXPECT_EQ(find(events, "volume", "create").actorId, "fx-ev-vol");
    EXPECT_EQ(find(events, "network", "connect").attributes.at("name"), "none");
    const auto& prune = find(events, "container", "prune");
    EXPECT_EQ(prune.actorId, "");
    EXPECT_EQ(prune.attributes.count("reclaimed"), 1u);
}

// ---- hand-written variants
// -----------------------------------------------------------------------------------

TEST(EventDecoderVariants, Docker29AndPodmanLinesNormalise)
{
    const auto events = decodeAll(readLines("events-variants.ndjson"));
    ASSERT_EQ(events.size(), 10u);
    const std::string web = "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
    const std::string pod = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    const state::Labels podAttrs{
        {"image", "docker.io/library/alpine:latest"}, {"name", "happy_turing"}, {"podId", ""}};
    auto withExit = podAttrs;
    withExit.emplace("containerExitCode", "0");
    auto withHealth = withExit;
    withHealth.emplace("health_status", "healthy");

    expectEvent(events[0],
                {"container",
                 "start",
                 "",
                 web,
                 {{"com.docker.compose.project", "shop"}, {"image", "nginx:1.27"}, {"name", "shop-web-1"}},
                 "local",
                 1767225600123456789});
    expectEvent(events[1], {"container",
                            "health_status",
                            "unhealthy",
                            web,
                            {{"image", "nginx:1.27"}, {"name", "shop-web-1"}},
                            "local",
                            1767225601000000001});
    // Split at the first ": " only.
    EXPECT_EQ(events[2].action, "exec_start");
    EXPECT_EQ(events[2].actionDetail, "sh -c echo hello: world");
    expectEvent(events[3],
                {"image", "prune", "", "", {{"reclaimed", "1048576"}}, "local", 1767225603500000000});
    EXPECT_EQ(events[4].scope, "swarm");
    // Podman: "remove" is Docker's "destroy"; a bare health_status finds its value elsewhere.
    expectEvent(events[5], {"container", "destroy", "", pod, withExit, "local", 1767225605 * kSecond});
    expectEvent(events[6],
                {"container", "health_status", "healthy", pod, withHealth, "local", 1767225606 * kSecond});
    expectEvent(events[7],
                {"container", "health_status", "unhealthy", pod, podAttrs, "local", 1767225607 * kSecond});
    // No timeNano: from time; no scope: empty.
    expectEvent(events[8], {"volume", "create", "", "data", {{"driver", "local"}}, "", 1767225608 * kSecond});
    EXPECT_EQ(events[9].type, "daemon");
    EXPECT_EQ(events[9].action, "reload");
}

TEST(EventDecoderVariants, NormalisationIsNarrow)
{
    // Only containers are renamed: an image "remove" stays what it says.
    EXPECT_EQ(decodeEvent(R"({"Type":"image","Action":"remove"})")->action, "remove");
    // A compound health_status wins over the attribute.
    const auto compound = decodeEvent(
        R"({"Type":"container","Action":"health_status: healthy","Actor":{"Attributes":{"health_status":"x"}}})");
    EXPECT_EQ(compound->actionDetail, "healthy");
    // The attribute wins over Podman's top-level member.
    const auto both = decodeEvent(R"({"Type":"container","Action":"health_status","HealthStatus":"unhealthy",
        "Actor":{"Attributes":{"health_status":"healthy"}}})");
    EXPECT_EQ(both->actionDetail, "healthy");
    EXPECT_EQ(decodeEvent(R"({"Type":"container","Action":"health_status"})")->actionDetail, "");
}

TEST(EventDecoderVariants, TimeFallbacks)
{
    EXPECT_EQ(decodeEvent(R"({"Type":"x","Action":"y","time":2})")->timeNano, 2 * kSecond);
    EXPECT_EQ(decodeEvent(R"({"Type":"x","Action":"y","time":2,"timeNano":2500000000})")->timeNano,
              2500000000);
    EXPECT_EQ(decodeEvent(R"({"Type":"x","Action":"y","time":2,"timeNano":null})")->timeNano, 2 * kSecond);
    EXPECT_EQ(decodeEvent(R"({"Type":"x","Action":"y"})")->timeNano, 0);
}

TEST(EventDecoderVariants, SurroundingWhitespaceAndCrlf)
{
    const auto lines = readLines("events.ndjson");
    const auto plain = decodeEvent(lines.front());
    const auto crlf = decodeEvent("  " + lines.front() + "\r\n");
    ASSERT_TRUE(plain && crlf);
    expectEvent(*crlf, *plain);
}

// ---- malformed lines
// ------------------------------------------------------------------------------------------

TEST(EventDecoderMalformed, GiveParseErrorsNamingWhatIsWrong)
{
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "event: empty line"},
        {" \r\n", "event: empty line"},
        {"not json", "event: not valid JSON"},
        {R"({"Type":)", "event: not valid JSON"},
        {R"({"Type":"a","Action":"b"} {"Type":"a","Action":"b"})", "event: not valid JSON"},
        {"[1,2]", "event: expected a JSON object, got array"},
        {"42", "event: expected a JSON object, got number"},
        {"null", "event: expected a JSON object, got null"},
        {"{}", "event: missing Type"},
        {R"({"Type":"container"})", "event: missing Action"},
        {R"({"Type":1,"Action":"start"})", "event: Type: expected string, got number"},
        {R"({"Type":"container","Action":null})", "event: Action: expected string, got null"},
        {R"({"Type":"container","Action":" "})", "event: Action: empty"},
        {R"({"Type":"container","Action":": healthy"})", "event: Action: no name before \": \""},
        {R"({"Type":"c","Action":"a","Actor":"abc"})", "event: Actor: expected object, got string"},
        {R"({"Type":"c","Action":"a","Actor":{"ID":5}})", "event: Actor.ID: expected string, got number"},
        {R"({"Type":"c","Action":"a","Actor":{"Attributes":[]}})",
         "event: Actor.Attributes: expected object, got array"},
        {R"({"Type":"c","Action":"a","Actor":{"Attributes":{"exitCode":137}}})",
         "event: Actor.Attributes.exitCode: expected string, got number"},
        {R"({"Type":"c","Action":"a","scope":3})", "event: scope: expected string, got number"},
        {R"({"Type":"c","Action":"a","timeNano":"1"})", "event: timeNano: expected integer, got string"},
        {R"({"Type":"c","Action":"a","timeNano":1.5})", "event: timeNano: expected integer, got number"},
        {R"({"Type":"c","Action":"a","time":-1e300})", "event: time: expected integer, got number"},
        {R"({"Type":"c","Action":"a","time":9223372037})", "event: time: out of range"},
        {R"({"Type":"c","Action":"a","timeNano":18446744073709551615})",
         "event: timeNano: expected integer, got number"},
    };
    for (const auto& [line, message] : cases) {
        SCOPED_TRACE(line);
        EXPECT_EQ(parseErrorOf(line), message);
    }
}

} // namespace
