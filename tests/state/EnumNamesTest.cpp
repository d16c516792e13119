#include "dockscope/state/Container.h"
#include "dockscope/state/EngineInfo.h"

#include <gtest/gtest.h>

using namespace dockscope::state;

TEST(EnumNames, ContainerStatesRoundTrip)
{
    for (auto s : {ContainerState::Created, ContainerState::Running, ContainerState::Paused,
                   ContainerState::Restarting, ContainerState::Removing, ContainerState::Exited,
                   ContainerState::Dead}) {
        const auto name = toString(s);
        EXPECT_FALSE(name.empty());
        EXPECT_EQ(containerStateFromString(name), s) << name;
    }
    EXPECT_EQ(toString(ContainerState::Running), "running");
    EXPECT_FALSE(containerStateFromString("Running").has_value());
    EXPECT_FALSE(containerStateFromString("").has_value());
}

TEST(EnumNames, HealthAndEngineStatusRoundTrip)
{
    for (auto h : {Health::None, Health::Starting, Health::Healthy, Health::Unhealthy})
        EXPECT_EQ(healthFromString(toString(h)), h);
    EXPECT_EQ(toString(Health::Unhealthy), "unhealthy");
    for (auto s : {EngineStatus::Connecting, EngineStatus::Connected, EngineStatus::Reconnecting,
                   EngineStatus::Unreachable})
        EXPECT_EQ(engineStatusFromString(toString(s)), s);
    EXPECT_FALSE(engineStatusFromString("up").has_value());
}
