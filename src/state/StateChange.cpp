#include "dockscope/state/StateChange.h"

#include <array>

namespace dockscope::state {

namespace {

constexpr std::array<std::string_view, 5> kKindNames{"container", "image", "volume", "network", "engine"};
constexpr std::array<std::string_view, 3> kOpNames{"created", "updated", "removed"};

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view text)
{
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == text)
            return static_cast<Enum>(i);
    return std::nullopt;
}

} // namespace

std::string_view toString(EntityKind kind)
{
    return kKindNames.at(static_cast<std::size_t>(kind));
}

std::string_view toString(ChangeOp op)
{
    return kOpNames.at(static_cast<std::size_t>(op));
}

std::optional<EntityKind> entityKindFromString(std::string_view text)
{
    return lookup<EntityKind>(kKindNames, text);
}

std::optional<ChangeOp> changeOpFromString(std::string_view text)
{
    return lookup<ChangeOp>(kOpNames, text);
}

} // namespace dockscope::state
