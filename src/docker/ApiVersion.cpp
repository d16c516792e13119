#include "dockscope/docker/ApiVersion.h"

#include <charconv>

namespace dockscope::docker {

std::string ApiVersion::toString() const
{
    return std::to_string(major) + '.' + std::to_string(minor);
}

std::optional<ApiVersion> ApiVersion::parse(std::string_view text)
{
    const auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size())
        return std::nullopt;
    ApiVersion v;
    const auto* end = text.data() + text.size();
    const auto [majorEnd, e1] = std::from_chars(text.data(), text.data() + dot, v.major);
    const auto [minorEnd, e2] = std::from_chars(text.data() + dot + 1, end, v.minor);
    if (e1 != std::errc{} || e2 != std::errc{} || majorEnd != text.data() + dot || minorEnd != end)
        return std::nullopt;
    if (v.major < 0 || v.minor < 0)
        return std::nullopt;
    return v;
}

std::optional<ApiVersion> ApiVersion::negotiate(ApiVersion engineVersion)
{
    const ApiVersion chosen = std::min(engineVersion, maximumUsed());
    if (chosen < minimumSupported())
        return std::nullopt;
    return chosen;
}

} // namespace dockscope::docker
