// The Notifier's rules on synthetic event sequences (the real ones are in NotifierTest.cpp): what counts as
// asked for, coalescing, the per-container limit, replays and the switches. No engine, no replica.
#include "Notifier.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace dockscope;
using ui::Notifier;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000; // ms

state::DockerEvent event(const std::string& id, const std::string& action, qint64 atMs,
                         std::map<std::string, std::string> attributes = {})
{
    state::DockerEvent e;
    e.type = "container";
    const auto colon = action.find(": ");
    e.action = action.substr(0, colon);
    if (colon != std::string::npos)
        e.actionDetail = action.substr(colon + 2);
    e.actorId = id;
    attributes.emplace("name", "name-" + id);
    e.attributes = std::move(attributes);
    e.scope = "local";
    e.timeNano = atMs * 1'000'000;
    return e;
}

state::DockerEvent die(const std::string& id, qint64 atMs, int exitCode)
{
    return event(id, "die", atMs, {{"exitCode", std::to_string(exitCode)}});
}

class NotifierLogic : public ::testing::Test {
protected:
    NotifierLogic()
        : notifier(Notifier::Options{}, nullptr)
        , spy(&notifier, &Notifier::notify)
    {
        notifier.handleReset(kT0 - 1000);
    }

    /// The notifications so far as "title|body".
    std::vector<std::string> take()
    {
        std::vector<std::string> out;
        for (const auto& args : spy)
            out.push_back(args.at(0).toString().toStdString() + "|" + args.at(1).toString().toStdString());
        spy.clear();
        return out;
    }

    Notifier notifier;
    QSignalSpy spy;
};

} // namespace

TEST_F(NotifierLogic, DieByItselfIsReportedAfterTheGracePeriod)
{
    notifier.handleEvent(die("a", kT0, 3), kT0);
    EXPECT_TRUE(take().empty()) << "held for its kill/stop";
    notifier.flush(kT0 + 1500);
    EXPECT_EQ(take(),
              std::vector<std::string>{"Container died|name-a exited with code 3 without being stopped"});
}

TEST_F(NotifierLogic, AskedForDeathsAreNot)
{
    // docker stop (SIGKILL after the timeout), docker kill, docker rm -f, docker restart.
    notifier.handleEvent(event("s", "kill", kT0, {{"signal", "15"}}), kT0);
    notifier.handleEvent(event("s", "kill", kT0 + 10000, {{"signal", "9"}}), kT0 + 10000);
    notifier.handleEvent(die("s", kT0 + 10010, 137), kT0 + 10010);
    notifier.handleEvent(event("s", "stop", kT0 + 10020), kT0 + 10020);
    notifier.handleEvent(event("k", "kill", kT0, {{"signal", "9"}}), kT0);
    notifier.handleEvent(die("k", kT0 + 5, 137), kT0 + 5);
    // The kill event is logged after the signal went out: its die may come first.
    notifier.handleEvent(die("r", kT0, 137), kT0);
    notifier.handleEvent(event("r", "kill", kT0 + 3, {{"signal", "9"}}), kT0 + 3);
    notifier.handleEvent(event("r", "destroy", kT0 + 20), kT0 + 20);
    notifier.flush(kT0 + 12000);
    EXPECT_TRUE(take().empty());
}

TEST_F(NotifierLogic, AnOldKillDoesNotExcuseALaterDeath)
{
    notifier.handleEvent(event("a", "kill", kT0, {{"signal", "1"}}), kT0); // a SIGHUP to reload, say
    notifier.handleEvent(die("a", kT0 + 60000, 2), kT0 + 60000);
    notifier.flush(kT0 + 61500);
    EXPECT_EQ(take().size(), 1U);
}

TEST_F(NotifierLogic, ExitCodeZeroIsAnOrdinaryEnd)
{
    notifier.handleEvent(die("a", kT0, 0), kT0);
    notifier.flush(kT0 + 1500);
    EXPECT_TRUE(take().empty());
}

TEST_F(NotifierLogic, ManyAtOnceMakeOneMessage)
{
    for (int i = 0; i < 5; ++i)
        notifier.handleEvent(die("c" + std::to_string(i), kT0 + i, 1), kT0 + i);
    notifier.handleEvent(event("h1", "health_status: unhealthy", kT0), kT0);
    notifier.handleEvent(event("h2", "health_status: unhealthy", kT0), kT0);
    notifier.flush(kT0 + 1500);
    const auto got = take();
    ASSERT_EQ(got.size(), 2U);
    EXPECT_EQ(got[0], "5 containers died|name-c0 (1), name-c1 (1), name-c2 (1), name-c3 (1), name-c4 (1)");
    EXPECT_EQ(got[1], "2 containers unhealthy|name-h1, name-h2");
}

TEST_F(NotifierLogic, AtMostOnePerContainerPerThirtySeconds)
{
    // A restart loop: die, start, die, ...
    for (int i = 0; i < 10; ++i) {
        notifier.handleEvent(die("loop", kT0 + i * 2000, 1), kT0 + i * 2000);
        notifier.flush(kT0 + i * 2000 + 1500);
    }
    EXPECT_EQ(take().size(), 1U);
    notifier.handleEvent(die("loop", kT0 + 40000, 1), kT0 + 40000);
    notifier.flush(kT0 + 41500);
    EXPECT_EQ(take().size(), 1U) << "again after 30 s";
}

TEST_F(NotifierLogic, UnhealthyFromTheEventAndTheBatchIsOneMessage)
{
    notifier.handleEvent(event("h", "health_status: unhealthy", kT0), kT0);
    state::Batch batch;
    batch.changes.push_back({state::EntityKind::Container, state::ChangeOp::Updated, "h", nullptr,
                             nlohmann::json{{"health", "unhealthy"}}});
    notifier.handleApplied(batch, {{"h", "name-h"}}, kT0 + 5);
    notifier.flush(kT0 + 1500);
    notifier.handleApplied(batch, {{"h", "name-h"}}, kT0 + 2000);
    notifier.flush(kT0 + 3500);
    EXPECT_EQ(take(), std::vector<std::string>{"Container unhealthy|name-h is unhealthy"});
    // A batch alone (no events subscribed) is enough; healthy is no news.
    state::Batch other;
    other.changes.push_back({state::EntityKind::Container, state::ChangeOp::Updated, "g", nullptr,
                             nlohmann::json{{"health", "unhealthy"}}});
    other.changes.push_back({state::EntityKind::Container, state::ChangeOp::Updated, "f", nullptr,
                             nlohmann::json{{"health", "healthy"}}});
    notifier.handleApplied(other, {{"g", "name-g"}, {"f", "name-f"}}, kT0 + 4000);
    notifier.flush(kT0 + 5500);
    EXPECT_EQ(take(), std::vector<std::string>{"Container unhealthy|name-g is unhealthy"});
}

TEST_F(NotifierLogic, ReplaysAndStaleEventsAreHistory)
{
    // A snapshot at kT0 + 5000, followed by the replay of what happened before it.
    notifier.handleReset(kT0 + 5000);
    notifier.handleEvent(die("old", kT0 + 4000, 1), kT0 + 5001);
    notifier.handleEvent(event("old2", "health_status: unhealthy", kT0 + 4999), kT0 + 5001);
    // Something that happened minutes ago (a resume after a long disconnect).
    notifier.handleEvent(die("stale", kT0 + 6000, 1), kT0 + 6000 + 120000);
    notifier.flush(kT0 + 130000);
    EXPECT_TRUE(take().empty());
    notifier.handleEvent(die("new", kT0 + 130000, 1), kT0 + 130000);
    notifier.flush(kT0 + 131500);
    EXPECT_EQ(take().size(), 1U);
}

TEST_F(NotifierLogic, SwitchesTurnKindsOff)
{
    notifier.setNotifyDied(false);
    notifier.handleEvent(die("a", kT0, 1), kT0);
    notifier.handleEvent(event("b", "health_status: unhealthy", kT0), kT0);
    notifier.flush(kT0 + 1500);
    EXPECT_EQ(take(), std::vector<std::string>{"Container unhealthy|name-b is unhealthy"});
    notifier.setNotifyDied(true);
    notifier.setNotifyUnhealthy(false);
    notifier.handleEvent(event("c", "health_status: unhealthy", kT0 + 2000), kT0 + 2000);
    notifier.flush(kT0 + 3500);
    EXPECT_TRUE(take().empty());
}

TEST_F(NotifierLogic, OtherEventsAreIgnored)
{
    auto image = event("sha256:x", "delete", kT0);
    image.type = "image";
    notifier.handleEvent(image, kT0);
    notifier.handleEvent(event("a", "health_status: healthy", kT0), kT0);
    notifier.handleEvent(event("a", "oom", kT0), kT0);
    notifier.handleEvent(event("a", "exec_die", kT0, {{"exitCode", "1"}}), kT0);
    notifier.flush(kT0 + 1500);
    EXPECT_TRUE(take().empty());
}
