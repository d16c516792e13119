#include "dockscope/state/EngineInfo.h"

#include <array>

namespace dockscope::state {

namespace {
constexpr std::array<std::string_view, 4> kStatusNames{"connecting", "connected", "reconnecting",
                                                       "unreachable"};
}

std::string_view toString(EngineStatus status)
{
    return kStatusNames.at(static_cast<std::size_t>(status));
}

std::optional<EngineStatus> engineStatusFromString(std::string_view text)
{
    for (std::size_t i = 0; i < kStatusNames.size(); ++i)
        if (kStatusNames[i] == text)
            return static_cast<EngineStatus>(i);
    return std::nullopt;
}

} // namespace dockscope::state
