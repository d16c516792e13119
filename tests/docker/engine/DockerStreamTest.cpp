// Streams against the real engine: events, logs, stats, pull progress; and what happens when the engine dies.
#include "support/TestEngine.h"

#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <chrono>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::DockerError;
using docker::DockerStream;
using docker::Done;
using docker::ErrorKind;
using docker::StdStream;

namespace {

struct Collected {
    explicit Collected(DockerStream* s)
        : stream(s)
    {
        QObject::connect(s, &DockerStream::started, [this] { started = true; });
        QObject::connect(s, &DockerStream::line, [this](const QByteArray& l) { lines.push_back(l); });
        QObject::connect(s, &DockerStream::event,
                         [this](const state::DockerEvent& e) { events.push_back(e); });
        QObject::connect(s, &DockerStream::output, [this](StdStream which, const QByteArray& data) {
            (which == StdStream::Stderr ? err : out) += data;
        });
        QObject::connect(s, &DockerStream::finished, [this](const DockerError& e) { end = e; });
    }
    bool hasEvent(const std::string& action, const std::string& id) const
    {
        return std::any_of(events.begin(), events.end(),
                           [&](const auto& e) { return e.action == action && e.actorId == id; });
    }

    std::unique_ptr<DockerStream> stream;
    bool started = false;
    std::vector<QByteArray> lines;
    std::vector<state::DockerEvent> events;
    QByteArray out, err;
    std::optional<DockerError> end;
};

state::Timestamp nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

docker::LogsOptions follow()
{
    docker::LogsOptions options;
    options.follow = true;
    return options;
}

docker::LogsOptions tailWithTimestamps(const std::string& lines)
{
    docker::LogsOptions options;
    options.timestamps = true;
    options.tail = lines;
    return options;
}

class DockerStreamTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        client = std::make_unique<DockerClient>(DockerClient::Options{sharedEngine()});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); }).ok());
    }
    void TearDown() override
    {
        for (const auto& id : created)
            await<Done>([&](auto cb) { client->removeContainer(id, true, true, nullptr, cb); });
    }
    std::string container(const std::vector<std::string>& command, bool start, bool tty = false)
    {
        created.push_back(createContainer(*client, uniqueName("s"), command, start, tty));
        return created.back();
    }

    std::unique_ptr<DockerClient> client;
    std::vector<std::string> created;
};

} // namespace

TEST_F(DockerStreamTest, EventsStreamDeliversEventsOfLaterActions)
{
    Collected events(client->events({nowNs() - 1'000'000'000, std::nullopt, {{"type", {"container"}}}}));
    ASSERT_TRUE(waitFor([&] { return events.started; }));
    const std::string id = container({"sleep", "300"}, true);
    ASSERT_TRUE(await<Done>([&](auto cb) { client->killContainer(id, "SIGKILL", nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor([&] { return events.hasEvent("die", id); }));
    EXPECT_TRUE(events.hasEvent("create", id));
    EXPECT_TRUE(events.hasEvent("start", id));
    EXPECT_TRUE(events.hasEvent("kill", id));
    const auto die = std::find_if(events.events.begin(), events.events.end(),
                                  [&](const auto& e) { return e.action == "die" && e.actorId == id; });
    EXPECT_EQ(die->type, "container");
    EXPECT_EQ(die->attributes.at("exitCode"), "137");
    EXPECT_GT(die->timeNano, 0);
    EXPECT_FALSE(events.end.has_value()) << "the stream must stay open";
    EXPECT_EQ(events.lines.size(), events.events.size());
}

TEST_F(DockerStreamTest, EventsWithUntilEndCleanly)
{
    const auto now = nowNs();
    Collected events(client->events({now - 60'000'000'000, now, {}}));
    ASSERT_TRUE(waitFor([&] { return events.end.has_value(); }));
    EXPECT_EQ(events.end->kind, ErrorKind::None) << events.end->describe();
}

TEST_F(DockerStreamTest, LogsSeparateStdoutAndStderr)
{
    const std::string id = container({"sh", "-c", "echo to-out; echo to-err >&2; echo more-out"}, true);
    ASSERT_TRUE(waitFor([&] {
        const auto c = await<state::Container>([&](auto cb) { client->inspectContainer(id, nullptr, cb); });
        return c.ok() && c->state == state::ContainerState::Exited;
    }));
    Collected logs(client->logs(id, {}));
    ASSERT_TRUE(waitFor([&] { return logs.end.has_value(); }));
    EXPECT_EQ(logs.end->kind, ErrorKind::None) << logs.end->describe();
    EXPECT_EQ(logs.out, "to-out\nmore-out\n");
    EXPECT_EQ(logs.err, "to-err\n");
}

TEST_F(DockerStreamTest, TtyLogsAreRawAndFollowDeliversNewOutput)
{
    const std::string id = container({"sh", "-c", "echo first; sleep 1; echo second; sleep 300"}, true, true);
    Collected logs(client->logs(id, follow()));
    ASSERT_TRUE(waitFor([&] { return logs.out.contains("second"); }, 15s)) << logs.out.toStdString();
    EXPECT_TRUE(logs.out.startsWith("first"));
    EXPECT_TRUE(logs.err.isEmpty());
    EXPECT_FALSE(logs.end.has_value());
    logs.stream->cancel();
    ASSERT_TRUE(logs.end.has_value());
    EXPECT_EQ(logs.end->kind, ErrorKind::Cancelled);
}

TEST_F(DockerStreamTest, LogsTailAndTimestamps)
{
    const std::string id = container({"sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done"}, true);
    ASSERT_TRUE(waitFor([&] {
        Collected probe(client->logs(id, {}));
        waitFor([&] { return probe.end.has_value(); });
        return probe.out.contains("line5");
    }));
    Collected logs(client->logs(id, tailWithTimestamps("2")));
    ASSERT_TRUE(waitFor([&] { return logs.end.has_value(); }));
    const auto lines = logs.out.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2) << logs.out.toStdString();
    EXPECT_TRUE(lines[0].endsWith(" line4"));
    EXPECT_TRUE(lines[1].endsWith(" line5"));
    EXPECT_EQ(lines[0].indexOf('T'), 10) << "an RFC 3339 timestamp comes first";
}

TEST_F(DockerStreamTest, StatsStreamDeliversSamples)
{
    const std::string id = container({"sleep", "300"}, true);
    Collected once(client->stats(id, false));
    ASSERT_TRUE(waitFor([&] { return once.end.has_value(); }, 15s));
    EXPECT_EQ(once.end->kind, ErrorKind::None);
    ASSERT_EQ(once.lines.size(), 1u);
    const auto sample = nlohmann::json::parse(once.lines[0].toStdString());
    EXPECT_TRUE(sample.contains("memory_stats"));
    EXPECT_TRUE(sample.contains("cpu_stats"));

    Collected live(client->stats(id, true));
    ASSERT_TRUE(waitFor([&] { return live.lines.size() >= 2; }, 15s));
    EXPECT_FALSE(live.end.has_value());
    live.stream.reset(); // deleting a stream stops it
}

TEST_F(DockerStreamTest, PullFailureEndsTheStreamWithDockersMessage)
{
    // No registry is reachable here: the engine refuses, and says why.
    Collected pull(client->pullImage("127.0.0.1:9/dockscope/none", "latest"));
    ASSERT_TRUE(waitFor([&] { return pull.end.has_value(); }, 30s));
    EXPECT_NE(pull.end->kind, ErrorKind::None);
    EXPECT_NE(pull.end->message.find("127.0.0.1:9"), std::string::npos) << pull.end->describe();
}

TEST_F(DockerStreamTest, StreamsDoNotOccupyTheRequestPool)
{
    std::vector<std::unique_ptr<Collected>> streams;
    for (int i = 0; i < 8; ++i) // twice the pool size
        streams.push_back(std::make_unique<Collected>(client->events({})));
    ASSERT_TRUE(waitFor(
        [&] { return std::all_of(streams.begin(), streams.end(), [](auto& s) { return s->started; }); }));
    const auto version = await<nlohmann::json>([&](auto cb) { client->version(nullptr, cb); }, 5s);
    EXPECT_TRUE(version.ok()) << version.error().describe();
}

TEST(DockerStreamFaults, KillingDockerdEndsStreamsPromptlyWithAnError)
{
    PrivateEngine engine("kill");
    ASSERT_TRUE(engine.start());
    DockerClient client({engine.endpoint()});
    ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { client.negotiate(nullptr, cb); }).ok());
    const std::string id = createContainer(client, uniqueName("k"),
                                           {"sh", "-c", "while true; do echo tick; sleep 0.2; done"}, true);
    Collected events(client.events({}));
    Collected logs(client.logs(id, follow()));
    ASSERT_TRUE(waitFor([&] { return events.started && logs.out.contains("tick"); }, 15s));

    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(engine.kill());
    ASSERT_TRUE(waitFor([&] { return events.end.has_value() && logs.end.has_value(); }, 5s));
    EXPECT_LT(clock.elapsed(), 5000);
    EXPECT_EQ(events.end->kind, ErrorKind::Transport) << events.end->describe();
    EXPECT_EQ(logs.end->kind, ErrorKind::Transport) << logs.end->describe();

    // And a request to the dead engine fails fast instead of hanging.
    const auto dead = await<nlohmann::json>([&](auto cb) { client.version(nullptr, cb); }, 10s);
    ASSERT_FALSE(dead.ok());
    EXPECT_EQ(dead.error().kind, ErrorKind::Transport) << dead.error().describe();
}
