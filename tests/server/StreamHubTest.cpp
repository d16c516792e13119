// Logs and stats streams against the real private dockerd: shared Docker streams, tails for joiners, ends.
#include "StreamHub.h"

#include "support/TestEngine.h"

#include "dockscope/docker/DockerClient.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using nlohmann::json;
using protocol::StreamWhat;
using server::StreamHub;

namespace {

/// What one watcher received.
struct Watch {
    StreamHub::Handle handle = 0;
    std::vector<json> data;
    std::optional<std::optional<protocol::ErrorInfo>> end; ///< set once End ran

    std::vector<std::string> lines(const std::string& stream) const
    {
        std::vector<std::string> out;
        for (const auto& d : data)
            if (d.value("stream", "") == stream)
                out.push_back(d.at("line").get<std::string>());
        return out;
    }
    bool hasLine(const std::string& stream, const std::string& text) const
    {
        const auto all = lines(stream);
        return std::find(all.begin(), all.end(), text) != all.end();
    }
};

std::string describe(const std::optional<protocol::ErrorInfo>& error)
{
    return error ? error->code + ": " + error->message : "no error";
}

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Numbered lines on both streams, five a second, until stopped.
const std::vector<std::string> kCounter{
    "sh", "-c", "i=0; while true; do echo out$i; echo err$i >&2; i=$((i+1)); sleep 0.2; done"};

class StreamHubTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        client = std::make_unique<DockerClient>(DockerClient::Options{sharedEngine()});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); }).ok());
        hub = std::make_unique<StreamHub>(*client);
    }
    void TearDown() override
    {
        hub.reset();
        for (const auto& id : created)
            await<docker::Done>([&](auto cb) { client->removeContainer(id, true, true, nullptr, cb); });
    }

    std::string container(const std::vector<std::string>& command, bool start = true, bool tty = false)
    {
        const std::string id = createContainer(*client, uniqueName("hub"), command, start, tty);
        created.push_back(id);
        return id;
    }

    Watch& watch(StreamWhat what, const std::string& id, const json& params = json::object())
    {
        auto& w = *watches.emplace_back(std::make_unique<Watch>());
        w.handle = hub->watch(
            what, id, params, [&w](const json& data) { w.data.push_back(data); },
            [&w](std::optional<protocol::ErrorInfo> error) { w.end = std::move(error); });
        return w;
    }

    void waitExited(const std::string& id)
    {
        ASSERT_TRUE(waitFor([&] {
            const auto c =
                await<state::Container>([&](auto cb) { client->inspectContainer(id, nullptr, cb); });
            return c.ok() && c->state == state::ContainerState::Exited;
        }));
    }

    std::unique_ptr<DockerClient> client;
    std::unique_ptr<StreamHub> hub;
    std::vector<std::unique_ptr<Watch>> watches;
    std::vector<std::string> created;
};

std::vector<std::string> numbered(const std::string& prefix, int from, int to)
{
    std::vector<std::string> out;
    for (int i = from; i < to; ++i)
        out.push_back(prefix + std::to_string(i));
    return out;
}

TEST_F(StreamHubTest, LogsKeepStdoutAndStderrApartAndFollowNewOutput)
{
    const std::string id = container(kCounter);
    Watch& w = watch(StreamWhat::Logs, id, {{"tail", "all"}});
    // Ten lines take two seconds to appear: most of them arrive through follow.
    ASSERT_TRUE(waitFor([&] { return w.hasLine("stdout", "out10") && w.hasLine("stderr", "err10"); }))
        << w.data.size() << " pieces, end: " << (w.end ? describe(*w.end) : "none");
    EXPECT_FALSE(w.end.has_value());
    const auto out = w.lines("stdout");
    const auto err = w.lines("stderr");
    EXPECT_EQ(out, numbered("out", 0, static_cast<int>(out.size())));
    EXPECT_EQ(err, numbered("err", 0, static_cast<int>(err.size())));
    for (const auto& d : w.data) {
        EXPECT_FALSE(d.contains("ts")) << d.dump();
        EXPECT_EQ(d.size(), 2u) << d.dump();
    }
    EXPECT_EQ(hub->openDockerStreams(), 1);
    hub->unwatch(w.handle);
    EXPECT_EQ(hub->openDockerStreams(), 0);
}

TEST_F(StreamHubTest, TimestampsAreParsedAndOpenTheirOwnStream)
{
    const std::string id = container(kCounter);
    const std::int64_t before = nowNs() - std::int64_t{60} * 1'000'000'000;
    Watch& plain = watch(StreamWhat::Logs, id);
    Watch& stamped = watch(StreamWhat::Logs, id, {{"timestamps", true}, {"tail", 2}});
    EXPECT_EQ(hub->openDockerStreams(), 2); // (container, timestamps) is the sharing key
    ASSERT_TRUE(waitFor([&] { return stamped.data.size() >= 6 && !plain.data.empty(); }));
    for (const auto& d : stamped.data) {
        ASSERT_TRUE(d.contains("ts")) << d.dump();
        EXPECT_GT(d["ts"].get<std::int64_t>(), before);
        EXPECT_LT(d["ts"].get<std::int64_t>(), nowNs() + std::int64_t{60} * 1'000'000'000);
        const std::string line = d["line"];
        EXPECT_TRUE(line.rfind(d["stream"] == "stdout" ? "out" : "err", 0) == 0) << d.dump();
    }
}

TEST_F(StreamHubTest, SecondWatcherSharesTheDockerStreamAndGetsItsTail)
{
    const std::string id = container(kCounter);
    Watch& first = watch(StreamWhat::Logs, id, {{"tail", "all"}});
    ASSERT_TRUE(waitFor([&] { return first.data.size() >= 8; }));
    const std::vector<json> seen = first.data;

    Watch& second = watch(StreamWhat::Logs, id, {{"tail", 3}});
    EXPECT_EQ(hub->openDockerStreams(), 1);
    EXPECT_TRUE(second.data.empty()) << "the tail must not be delivered inside watch()";
    ASSERT_TRUE(waitFor([&] { return second.data.size() >= 8; }));
    // Its tail is the last three lines the hub had, then the same live lines as the first watcher, in order.
    const std::vector<json> tail(seen.end() - 3, seen.end());
    EXPECT_EQ(std::vector<json>(second.data.begin(), second.data.begin() + 3), tail);
    ASSERT_GE(first.data.size(), seen.size() + second.data.size() - 3);
    EXPECT_EQ(std::vector<json>(second.data.begin() + 3, second.data.end()),
              std::vector<json>(first.data.begin() + static_cast<std::ptrdiff_t>(seen.size()),
                                first.data.begin() + static_cast<std::ptrdiff_t>(seen.size()) +
                                    static_cast<std::ptrdiff_t>(second.data.size()) - 3));

    hub->unwatch(first.handle);
    EXPECT_EQ(hub->openDockerStreams(), 1);
    const std::size_t before = second.data.size();
    ASSERT_TRUE(waitFor([&] { return second.data.size() > before + 2; })) << "the stream went on";
    hub->unwatch(second.handle);
    EXPECT_EQ(hub->openDockerStreams(), 0);
    const std::size_t last = second.data.size();
    waitFor([] { return false; }, 700ms);
    EXPECT_EQ(second.data.size(), last);
    EXPECT_FALSE(first.end.has_value());
    EXPECT_FALSE(second.end.has_value());
}

TEST_F(StreamHubTest, FiniteLogsEndWithTheirLastUnterminatedLine)
{
    const std::string id = container({"sh", "-c", "echo one; echo two >&2; printf three"});
    waitExited(id);
    Watch& w = watch(StreamWhat::Logs, id, {{"follow", false}, {"tail", "all"}});
    ASSERT_TRUE(waitFor([&] { return w.end.has_value(); }));
    EXPECT_FALSE(w.end->has_value()) << describe(*w.end);
    EXPECT_EQ(w.lines("stdout"), (std::vector<std::string>{"one", "three"}));
    EXPECT_EQ(w.lines("stderr"), (std::vector<std::string>{"two"}));
    EXPECT_EQ(hub->openDockerStreams(), 0);
}

TEST_F(StreamHubTest, FollowLogsOfAStoppedContainerEndAfterItsTail)
{
    const std::string id = container({"sh", "-c", "echo done"});
    waitExited(id);
    Watch& w = watch(StreamWhat::Logs, id, {{"tail", 10}});
    ASSERT_TRUE(waitFor([&] { return w.end.has_value(); }));
    EXPECT_FALSE(w.end->has_value()) << describe(*w.end);
    EXPECT_EQ(w.lines("stdout"), (std::vector<std::string>{"done"}));
}

TEST_F(StreamHubTest, TtyOutputIsStdoutWithoutCarriageReturns)
{
    const std::string id = container({"sh", "-c", "echo hi; echo there >&2"}, true, true);
    waitExited(id);
    Watch& w = watch(StreamWhat::Logs, id, {{"follow", false}, {"tail", "all"}});
    ASSERT_TRUE(waitFor([&] { return w.end.has_value(); }));
    EXPECT_EQ(w.lines("stdout"), (std::vector<std::string>{"hi", "there"}));
    EXPECT_TRUE(w.lines("stderr").empty());
}

TEST_F(StreamHubTest, MissingContainerEndsWithDockersNotFound)
{
    const std::string missing = uniqueName("missing");
    Watch& logs = watch(StreamWhat::Logs, missing);
    Watch& stats = watch(StreamWhat::Stats, missing);
    ASSERT_TRUE(waitFor([&] { return logs.end && stats.end; }));
    for (const Watch* w : {&logs, &stats}) {
        ASSERT_TRUE(w->end->has_value());
        EXPECT_EQ((*w->end)->code, "not-found");
        EXPECT_NE((*w->end)->message.find("No such container"), std::string::npos) << (*w->end)->message;
        EXPECT_TRUE(w->data.empty());
    }
    EXPECT_EQ(hub->openDockerStreams(), 0);
}

TEST_F(StreamHubTest, BadParamsEndWithBadFieldOutsideWatch)
{
    Watch& negative = watch(StreamWhat::Logs, "anything", {{"tail", -1}});
    Watch& unknown = watch(StreamWhat::Logs, "anything", {{"colour", "red"}});
    Watch& statsParam = watch(StreamWhat::Stats, "anything", {{"tail", 5}});
    Watch& notObject = watch(StreamWhat::Logs, "anything", json::array());
    Watch& noContainer = watch(StreamWhat::Stats, "");
    Watch& cancelled = watch(StreamWhat::Logs, "anything", {{"follow", "yes"}});
    hub->unwatch(cancelled.handle); // before its End was delivered: none comes
    EXPECT_EQ(hub->openDockerStreams(), 0);
    for (const Watch* w : {&negative, &unknown, &statsParam, &notObject, &noContainer})
        EXPECT_FALSE(w->end.has_value()) << "End ran inside watch()";
    ASSERT_TRUE(waitFor([&] { return noContainer.end.has_value(); }));
    waitFor([] { return false; }, 100ms);
    for (const Watch* w : {&negative, &unknown, &statsParam, &notObject, &noContainer}) {
        ASSERT_TRUE(w->end.has_value());
        ASSERT_TRUE(w->end->has_value());
        EXPECT_EQ((*w->end)->code, "bad-field") << (*w->end)->message;
    }
    EXPECT_NE((*negative.end)->message.find("stream.params.tail"), std::string::npos)
        << (*negative.end)->message;
    EXPECT_NE((*unknown.end)->message.find("colour"), std::string::npos) << (*unknown.end)->message;
    EXPECT_FALSE(cancelled.end.has_value());
}

TEST_F(StreamHubTest, StatsDeliverPlausibleSamplesSharedAndStopOnUnwatch)
{
    const std::string id = container({"sleep", "3600"});
    Watch& first = watch(StreamWhat::Stats, id);
    ASSERT_TRUE(waitFor([&] { return first.data.size() >= 2; }, 15s));
    for (const auto& s : first.data) {
        EXPECT_GE(s["cpuPercent"].get<double>(), 0.0);
        EXPECT_LT(s["cpuPercent"].get<double>(), 100.0 * 64);
        EXPECT_GT(s["memUsage"].get<std::uint64_t>(), 0u) << s.dump();
        EXPECT_GT(s["memLimit"].get<std::uint64_t>(), s["memUsage"].get<std::uint64_t>()) << s.dump();
        EXPECT_GT(s["memPercent"].get<double>(), 0.0);
        EXPECT_LT(s["memPercent"].get<double>(), 100.0);
        EXPECT_EQ(s["pids"], 1) << s.dump();
        EXPECT_EQ(s["netRx"], 0) << "network none";
        EXPECT_GT(s["read"].get<std::int64_t>(), nowNs() - std::int64_t{120} * 1'000'000'000);
    }
    EXPECT_LT(first.data[0]["read"].get<std::int64_t>(), first.data[1]["read"].get<std::int64_t>());

    const json latest = first.data.back();
    Watch& second = watch(StreamWhat::Stats, id);
    EXPECT_EQ(hub->openDockerStreams(), 1);
    ASSERT_TRUE(waitFor([&] { return !second.data.empty(); }, 500ms)) << "a joiner gets the latest sample";
    EXPECT_EQ(second.data.front(), latest);

    hub->unwatch(first.handle);
    hub->unwatch(second.handle);
    EXPECT_EQ(hub->openDockerStreams(), 0);
    const std::size_t firstCount = first.data.size(), secondCount = second.data.size();
    waitFor([] { return false; }, 2500ms);
    EXPECT_EQ(first.data.size(), firstCount);
    EXPECT_EQ(second.data.size(), secondCount);
    EXPECT_FALSE(first.end || second.end);
}

TEST_F(StreamHubTest, RemovedContainerEndsItsStreams)
{
    const std::string id = container(kCounter);
    Watch& logs = watch(StreamWhat::Logs, id);
    Watch& stats = watch(StreamWhat::Stats, id);
    ASSERT_TRUE(waitFor([&] { return !logs.data.empty() && !stats.data.empty(); }, 15s));
    ASSERT_TRUE(
        await<docker::Done>([&](auto cb) { client->removeContainer(id, true, false, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor([&] { return logs.end && stats.end; }, 15s));
    EXPECT_FALSE(logs.end->has_value()) << describe(*logs.end);
    EXPECT_FALSE(stats.end->has_value()) << describe(*stats.end);
    EXPECT_EQ(hub->openDockerStreams(), 0);
}

TEST(StreamHubUnreachable, StreamsOfAnUnreachableEngineEndAsUnavailable)
{
    DockerClient client(
        DockerClient::Options{*docker::Endpoint::parse("unix:///tmp/dockscope-no-such-engine.sock")});
    StreamHub hub(client);
    std::vector<std::optional<protocol::ErrorInfo>> ends;
    for (const auto what : {StreamWhat::Logs, StreamWhat::Stats})
        hub.watch(
            what, "x", json::object(), [](const json&) {},
            [&](auto error) { ends.push_back(std::move(error)); });
    EXPECT_TRUE(ends.empty()) << "End ran inside watch()";
    ASSERT_TRUE(waitFor([&] { return ends.size() == 2; }, 5s));
    for (const auto& end : ends) {
        ASSERT_TRUE(end.has_value());
        EXPECT_EQ(end->code, "unavailable") << end->message;
    }
    EXPECT_EQ(hub.openDockerStreams(), 0);
}

TEST(StreamHubEngineLoss, KilledEngineEndsStreamsAsUnavailable)
{
    PrivateEngine engine("hub-kill");
    ASSERT_TRUE(engine.start());
    DockerClient client(DockerClient::Options{engine.endpoint()});
    ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client.negotiate(nullptr, cb); }).ok());
    const std::string id = createContainer(client, uniqueName("hub-kill"), kCounter, true);
    StreamHub hub(client);
    std::optional<std::optional<protocol::ErrorInfo>> logsEnd, statsEnd;
    int logLines = 0, samples = 0;
    hub.watch(
        StreamWhat::Logs, id, json::object(), [&](const json&) { ++logLines; },
        [&](auto error) { logsEnd = std::move(error); });
    hub.watch(
        StreamWhat::Stats, id, json::object(), [&](const json&) { ++samples; },
        [&](auto error) { statsEnd = std::move(error); });
    ASSERT_TRUE(waitFor([&] { return logLines > 0 && samples > 0; }, 15s));
    ASSERT_TRUE(engine.kill());
    ASSERT_TRUE(waitFor([&] { return logsEnd && statsEnd; }, 10s));
    for (const auto* end : {&logsEnd, &statsEnd}) {
        ASSERT_TRUE(end->value().has_value());
        EXPECT_EQ(end->value()->code, "unavailable") << end->value()->message;
    }
    EXPECT_EQ(hub.openDockerStreams(), 0);
}

} // namespace
