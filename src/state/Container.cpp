#include "dockscope/state/Container.h"

#include <array>
#include <utility>

namespace dockscope::state {

namespace {

constexpr std::array<std::pair<ContainerState, std::string_view>, 7> kStates{{
    {ContainerState::Created, "created"},
    {ContainerState::Running, "running"},
    {ContainerState::Paused, "paused"},
    {ContainerState::Restarting, "restarting"},
    {ContainerState::Removing, "removing"},
    {ContainerState::Exited, "exited"},
    {ContainerState::Dead, "dead"},
}};

constexpr std::array<std::pair<Health, std::string_view>, 4> kHealth{{
    {Health::None, "none"},
    {Health::Starting, "starting"},
    {Health::Healthy, "healthy"},
    {Health::Unhealthy, "unhealthy"},
}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value)
{
    for (const auto& [e, name] : table)
        if (e == value)
            return name;
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, std::string_view>, N>& table,
                            std::string_view text)
{
    for (const auto& [e, name] : table)
        if (name == text)
            return e;
    return std::nullopt;
}

} // namespace

std::string_view toString(ContainerState state)
{
    return nameOf(kStates, state);
}
std::string_view toString(Health health)
{
    return nameOf(kHealth, health);
}
std::optional<ContainerState> containerStateFromString(std::string_view text)
{
    return valueOf(kStates, text);
}
std::optional<Health> healthFromString(std::string_view text)
{
    return valueOf(kHealth, text);
}

} // namespace dockscope::state
