#pragma once

#include "dockscope/protocol/Messages.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

// The value syntaxes of the terminal client's options, as the docker CLI spells them, turned into the
// protocol's action params. Pure functions: a refusal returns nullopt with `*error` saying why (a usage
// error, exit code 2).
namespace dockscope::cli {

/// `-p [IP:][HOST:]CONTAINER[/PROTO]` ("80", "8080:80", "127.0.0.1:8080:80/udp", "127.0.0.1::80",
/// "[::1]:8080:80") → {"containerPort", "hostPort"?, "protocol", "hostIp"?} (container.run's ports).
std::optional<nlohmann::json> parsePublish(std::string_view spec, std::string* error);

/// `-v SOURCE:DESTINATION[:ro|:rw]`, SOURCE a volume name or an absolute host path →
/// {"source", "destination", "readOnly"} (container.run's volumes).
std::optional<nlohmann::json> parseMount(std::string_view spec, std::string* error);

/// `KEY=VALUE` → (KEY, VALUE); a bare `KEY` → (KEY, nullopt) when `allowBare` (a label filter: any value).
std::optional<std::pair<std::string, std::optional<std::string>>>
parseKeyValue(std::string_view text, bool allowBare, std::string* error);

/// Splits an image reference into repository and tag ("busybox" → ("busybox", "latest"),
/// "localhost:5000/app:1.2" → ("localhost:5000/app", "1.2")); a digest reference keeps no tag.
std::pair<std::string, std::string> splitReference(std::string_view reference);

/// A `--kind` value: containers, images, volumes, networks, engine (the singular works too).
std::optional<protocol::Topic> parseKind(std::string_view text);

} // namespace dockscope::cli
