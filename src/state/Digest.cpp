#include "dockscope/state/Digest.h"

#include "dockscope/state/EntityJson.h"

#include <algorithm>
#include <stdexcept>

namespace dockscope::state {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed)
{
    std::uint64_t h = seed;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::uint64_t splitmix64Finalise(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::string canonicalJson(const nlohmann::json& wire)
{
    return wire.dump();
}

namespace {

std::uint64_t headerHash(EntityKind kind, std::string_view id)
{
    static constexpr std::string_view kSeparator{"\0", 1};
    std::uint64_t h = fnv1a64(toString(kind));
    h = fnv1a64(kSeparator, h);
    h = fnv1a64(id, h);
    return fnv1a64(kSeparator, h);
}

// canonical(W) of `shell` (whose member `key` is an empty array) with that array holding `strings`: the
// shell's text up to the array's '[', each string as dump() writes it, and the rest. Object keys are sorted
// and string values have their quotes escaped, so the first `"key":[]` in the text is the member itself.
std::uint64_t hashWithStrings(EntityKind kind, std::string_view id, const nlohmann::json& shell,
                              std::string_view key, const std::vector<std::string>& strings)
{
    const std::string text = canonicalJson(shell);
    const std::string member = "\"" + std::string(key) + "\":[";
    const auto at = text.find(member + "]");
    if (at == std::string::npos)
        throw std::logic_error("entityHash: no empty '" + std::string(key) + "' member in the shell");
    const std::size_t open = at + member.size();
    std::uint64_t h = fnv1a64(std::string_view(text).substr(0, open), headerHash(kind, id));
    bool first = true;
    for (const std::string& s : strings) {
        if (!std::exchange(first, false))
            h = fnv1a64(",", h);
        const bool plain = std::all_of(s.begin(), s.end(),
                                       [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
        if (plain) {
            h = fnv1a64("\"", h);
            h = fnv1a64(s, h);
            h = fnv1a64("\"", h);
        } else {
            h = fnv1a64(nlohmann::json(s).dump(), h); // escapes, and throws on invalid UTF-8 like the rest
        }
    }
    return splitmix64Finalise(fnv1a64(std::string_view(text).substr(open), h));
}

} // namespace

std::uint64_t entityHash(EntityKind kind, std::string_view id, const nlohmann::json& wire)
{
    return splitmix64Finalise(fnv1a64(canonicalJson(wire), headerHash(kind, id)));
}

Network withoutIdList(const Network& v)
{
    return Network{v.id,         v.name,      v.driver, v.scope,   v.internal,
                   v.attachable, v.createdAt, v.labels, v.subnets, {}};
}

Volume withoutIdList(const Volume& v)
{
    return Volume{v.name, v.driver, v.mountpoint, v.createdAt, v.scope, v.labels, {}};
}

std::uint64_t entityHash(EntityKind kind, std::string_view id, const Network& value)
{
    return hashWithStrings(kind, id, nlohmann::json(withoutIdList(value)), "containers", value.containers);
}

std::uint64_t entityHash(EntityKind kind, std::string_view id, const Volume& value)
{
    return hashWithStrings(kind, id, nlohmann::json(withoutIdList(value)), "usedBy", value.usedBy);
}

} // namespace dockscope::state
