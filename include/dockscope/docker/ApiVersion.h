#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dockscope::docker {

/// A Docker Engine API version such as 1.41.
struct ApiVersion {
    int major = 1;
    int minor = 41;

    // Spelled out instead of <=>: Qt 6.4's moc cannot parse <compare>/<concepts>, and this header reaches
    // moc.
    constexpr bool operator==(const ApiVersion& o) const { return major == o.major && minor == o.minor; }
    constexpr bool operator<(const ApiVersion& o) const
    {
        return major != o.major ? major < o.major : minor < o.minor;
    }
    constexpr bool operator>(const ApiVersion& o) const { return o < *this; }
    constexpr bool operator<=(const ApiVersion& o) const { return !(o < *this); }
    constexpr bool operator>=(const ApiVersion& o) const { return !(*this < o); }
    std::string toString() const;
    static std::optional<ApiVersion> parse(std::string_view text);

    static constexpr ApiVersion minimumSupported() { return {1, 41}; } ///< Docker 20.10, Podman's compat API
    static constexpr ApiVersion maximumUsed() { return {1, 52}; }      ///< Docker 29

    /// The version to speak with an engine that reports `engineVersion` (and optionally its minimum):
    /// min(engine's, maximumUsed()); nullopt when that is below minimumSupported().
    static std::optional<ApiVersion> negotiate(ApiVersion engineVersion);
};

} // namespace dockscope::docker
