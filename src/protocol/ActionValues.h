#pragma once

// Checks of the values an action may carry (names, image references, signals, addresses, paths): what the
// allowlist lets through to Docker's API and its URLs. Each returns false (or nullopt) for anything else.

#include <optional>
#include <string>
#include <string_view>

namespace dockscope::protocol::values {

/// A container, volume or network name (Docker's charset [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 255 bytes);
/// ids fit it too.
bool isName(std::string_view text);

/// An image reference split into Docker's fromImage and tag; the tag is "latest" when none is given and the
/// digest ("sha256:...") when the reference has one.
struct Reference {
    std::string repo;
    std::string tag;
};
std::optional<Reference> parseReference(std::string_view text);
/// A repository name without tag: [host[:port]/]path, lower-case path components.
bool isRepository(std::string_view text);
/// A tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool isTag(std::string_view text);
/// An image reference or an image id ("sha256:<hex>" or a hex prefix).
bool isImageTarget(std::string_view text);

/// "SIGKILL", "KILL", "SIGRTMIN+3" or a number 1..64.
bool isSignal(std::string_view text);
/// An IPv4 or IPv6 address literal.
bool isIpAddress(std::string_view text);
/// An IPv4 or IPv6 network in CIDR form, e.g. "10.7.0.0/16", "fd00::/64".
bool isCidr(std::string_view text);
/// An absolute path without control characters, ':' or ',' (which Docker's bind syntax would misread).
bool isAbsolutePath(std::string_view text);
/// "KEY=value" with a non-empty key and no NUL.
bool isEnvEntry(std::string_view text);
/// A driver name: [a-zA-Z0-9][a-zA-Z0-9_./:-]*, at most 255 bytes.
bool isDriver(std::string_view text);

} // namespace dockscope::protocol::values
