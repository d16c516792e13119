#include "dockscope/state/Digest.h"

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

std::uint64_t entityHash(EntityKind kind, std::string_view id, const nlohmann::json& wire)
{
    static constexpr std::string_view kSeparator{"\0", 1};
    std::uint64_t h = fnv1a64(toString(kind));
    h = fnv1a64(kSeparator, h);
    h = fnv1a64(id, h);
    h = fnv1a64(kSeparator, h);
    h = fnv1a64(canonicalJson(wire), h);
    return splitmix64Finalise(h);
}

} // namespace dockscope::state
