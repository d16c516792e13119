#pragma once

#include "dockscope/state/Network.h"
#include "dockscope/state/StateChange.h"
#include "dockscope/state/Volume.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>

namespace dockscope::state {

/// The state digest: an order-independent 64-bit hash of every entity, reproducible in any language.
///
/// For one entity of kind K (wire name: "container", "image", "volume", "network", "engine") with id I
/// (a container/image/network id, a volume's name, "engine" for the engine) and wire form W:
///   bytes = K ++ 0x00 ++ I ++ 0x00 ++ canonical(W)
///   canonical(W) = W serialised as JSON with object keys sorted by byte value, no whitespace at all, strings
///                  as UTF-8 with only '"', '\\' and control characters escaped (\b \f \n \r \t, others as
///                  \u00xx lower-case hex), integers in plain decimal: exactly nlohmann::json::dump().
///   f = FNV-1a-64(bytes): f = 0xcbf29ce484222325; for each byte b: f = (f XOR b) * 0x100000001b3 mod 2^64
///   h = splitmix64 finaliser of f (no increment):
///         z = f; z = (z XOR (z >> 30)) * 0xbf58476d1ce4e5b9; z = (z XOR (z >> 27)) * 0x94d049bb133111eb;
///         h = z XOR (z >> 31)                       (all mod 2^64, >> is a logical shift)
/// The state digest is the sum of h over all entities (the engine included, once it exists) modulo 2^64;
/// the empty state's digest is 0. A sum, not XOR, so that two equal entities never cancel out and removal is
/// a subtraction.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL);

/// The splitmix64 finaliser: spreads FNV's weak low bits over the whole word before summing.
std::uint64_t splitmix64Finalise(std::uint64_t z);

/// canonical(W) above.
std::string canonicalJson(const nlohmann::json& wire);

/// h above, for one entity in wire form. Throws nlohmann::json::type_error if a string is not valid UTF-8.
std::uint64_t entityHash(EntityKind kind, std::string_view id, const nlohmann::json& wire);

/// The same h for a network or a volume given as a value, without building its wire form's id list: a
/// network's `containers` and a volume's `usedBy` can hold every container's id (Docker's default bridge,
/// "none"), and this runs on every change of such an entity.
std::uint64_t entityHash(EntityKind kind, std::string_view id, const Network& value);
std::uint64_t entityHash(EntityKind kind, std::string_view id, const Volume& value);

/// The entity without its derived id list (network.containers, volume.usedBy, left empty): for the code
/// that handles that list apart (digest, diff, apply).
Network withoutIdList(const Network& value);
Volume withoutIdList(const Volume& value);

} // namespace dockscope::state
