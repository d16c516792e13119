#include "ModelTestSupport.h"

#include "dockscope/client/models/Text.h"

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

QString s(const char* text)
{
    return QString::fromUtf8(text);
}

} // namespace

TEST(Text, HumanDurationFollowsDocker)
{
    EXPECT_EQ(humanDuration(-5 * kSecond), s("Less than a second"));
    EXPECT_EQ(humanDuration(999), s("Less than a second"));
    EXPECT_EQ(humanDuration(kSecond), s("1 second"));
    EXPECT_EQ(humanDuration(59 * kSecond), s("59 seconds"));
    EXPECT_EQ(humanDuration(60 * kSecond), s("About a minute"));
    EXPECT_EQ(humanDuration(119 * kSecond), s("About a minute"));
    EXPECT_EQ(humanDuration(5 * kMinute), s("5 minutes"));
    EXPECT_EQ(humanDuration(59 * kMinute + 59 * kSecond), s("59 minutes"));
    EXPECT_EQ(humanDuration(kHour), s("About an hour"));
    EXPECT_EQ(humanDuration(90 * kMinute), s("2 hours")); // hours are rounded, as Docker does
    EXPECT_EQ(humanDuration(3 * kHour), s("3 hours"));
    EXPECT_EQ(humanDuration(47 * kHour), s("47 hours"));
    EXPECT_EQ(humanDuration(48 * kHour), s("2 days"));
    EXPECT_EQ(humanDuration(13 * kDay), s("13 days"));
    EXPECT_EQ(humanDuration(14 * kDay), s("2 weeks"));
    EXPECT_EQ(humanDuration(59 * kDay), s("8 weeks"));
    EXPECT_EQ(humanDuration(60 * kDay), s("2 months"));
    EXPECT_EQ(humanDuration(729 * kDay), s("24 months"));
    EXPECT_EQ(humanDuration(730 * kDay), s("2 years"));
}

TEST(Text, RelativeTime)
{
    EXPECT_EQ(relativeTimeText(agoNs(5 * kMinute), kNowMs), s("5 minutes ago"));
    EXPECT_EQ(relativeTimeText(0, kNowMs), QString()) << "unknown stays empty";
    EXPECT_EQ(toMsecs(1'500'000'000), 1500);
}

TEST(Text, StatusTextLikeDockerPs)
{
    using S = state::ContainerState;
    state::Container c = container("c1", "web");
    c.startedAt = agoNs(5 * kMinute);
    EXPECT_EQ(statusText(c, kNowMs), s("Up 5 minutes"));
    c.startedAt = agoNs(3 * kHour);
    c.health = state::Health::Healthy;
    EXPECT_EQ(statusText(c, kNowMs), s("Up 3 hours (healthy)"));
    c.health = state::Health::Unhealthy;
    EXPECT_EQ(statusText(c, kNowMs), s("Up 3 hours (unhealthy)"));
    c.health = state::Health::Starting;
    EXPECT_EQ(statusText(c, kNowMs), s("Up 3 hours (health: starting)"));
    c.health = state::Health::None;

    c.state = S::Paused;
    EXPECT_EQ(statusText(c, kNowMs), s("Up 3 hours (Paused)"));

    c.state = S::Exited;
    c.exitCode = 137;
    c.finishedAt = agoNs(2 * kHour);
    EXPECT_EQ(statusText(c, kNowMs), s("Exited (137) 2 hours ago"));
    c.finishedAt = 0;
    EXPECT_EQ(statusText(c, kNowMs), s("Exited (137)"));
    c.startedAt = 0;
    EXPECT_EQ(statusText(c, kNowMs), s("Created")) << "never started";

    c.state = S::Created;
    EXPECT_EQ(statusText(c, kNowMs), s("Created"));

    c.state = S::Restarting;
    c.exitCode = 1;
    c.finishedAt = agoNs(5 * kSecond);
    EXPECT_EQ(statusText(c, kNowMs), s("Restarting (1) 5 seconds ago"));

    c.state = S::Removing;
    EXPECT_EQ(statusText(c, kNowMs), s("Removal In Progress"));
    c.state = S::Dead;
    EXPECT_EQ(statusText(c, kNowMs), s("Dead"));
}

TEST(Text, PortsText)
{
    EXPECT_EQ(portsText({}), QString());
    EXPECT_EQ(portsText({{"", 443, 0, "tcp"}, {"0.0.0.0", 80, 8080, "tcp"}}),
              s("0.0.0.0:8080->80/tcp, 443/tcp"));
    EXPECT_EQ(portsText({{"", 53, 0, "udp"}}), s("53/udp"));
    EXPECT_EQ(portsText({{"::", 80, 8080, "tcp"}}), s("[::]:8080->80/tcp"));
    EXPECT_EQ(portsText({{"", 80, 0, "tcp"}, {"", 80, 0, "tcp"}}), s("80/tcp")) << "duplicates dropped";
    EXPECT_EQ(portsText({{"", 8002, 0, "tcp"}, {"", 8000, 0, "tcp"}, {"", 8001, 0, "tcp"}}),
              s("8000-8002/tcp"));
    EXPECT_EQ(portsText({{"0.0.0.0", 8000, 9000, "tcp"}, {"0.0.0.0", 8001, 9001, "tcp"}}),
              s("0.0.0.0:9000-9001->8000-8001/tcp"));
    EXPECT_EQ(portsText({{"0.0.0.0", 8000, 9000, "tcp"}, {"0.0.0.0", 8001, 9005, "tcp"}}),
              s("0.0.0.0:9000->8000/tcp, 0.0.0.0:9005->8001/tcp"))
        << "only consecutive mappings fold";
    EXPECT_EQ(portsText({{"", 80, 0, "tcp"}, {"", 81, 0, "udp"}}), s("80/tcp, 81/udp"));
}

TEST(Text, SizeText)
{
    EXPECT_EQ(sizeText(0), s("0 B"));
    EXPECT_EQ(sizeText(999), s("999 B"));
    EXPECT_EQ(sizeText(1000), s("1 kB"));
    EXPECT_EQ(sizeText(1500), s("1.5 kB"));
    EXPECT_EQ(sizeText(12'345'678), s("12.3 MB"));
    EXPECT_EQ(sizeText(999'999), s("1 MB")) << "rounds up into the next unit, not to 1e+03 kB";
    EXPECT_EQ(sizeText(123'456'789'012), s("123 GB"));
    EXPECT_EQ(sizeText(4'200'000'000'000), s("4.2 TB"));
}

TEST(Text, ShortIdAndHealth)
{
    EXPECT_EQ(shortId("sha256:0123456789abcdef0123"), s("0123456789ab"));
    EXPECT_EQ(shortId("0123456789abcdef0123"), s("0123456789ab"));
    EXPECT_EQ(shortId("abc"), s("abc"));
    EXPECT_EQ(healthText(state::Health::None), QString());
    EXPECT_EQ(healthText(state::Health::Healthy), s("healthy"));
}
