#pragma once

#include "dockscope/state/Labels.h"
#include "dockscope/state/Timestamp.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscope::state {

enum class ContainerState : std::uint8_t { Created, Running, Paused, Restarting, Removing, Exited, Dead };
enum class Health : std::uint8_t { None, Starting, Healthy, Unhealthy };

std::string_view toString(ContainerState state);
std::string_view toString(Health health);
std::optional<ContainerState> containerStateFromString(std::string_view text);
std::optional<Health> healthFromString(std::string_view text);

/// A published or exposed port of a container.
struct Port {
    std::string ip;                ///< host address for a published port, empty when only exposed
    std::uint16_t privatePort = 0; ///< port inside the container
    std::uint16_t publicPort = 0;  ///< host port, 0 when not published
    std::string type = "tcp";      ///< tcp | udp | sctp

    bool operator==(const Port&) const = default;
};

/// A mount of a container: a volume, a bind mount or a tmpfs.
struct Mount {
    std::string type; ///< volume | bind | tmpfs | npipe
    std::string name; ///< volume name, empty for binds
    std::string source;
    std::string destination;
    bool rw = true;

    bool operator==(const Mount&) const = default;
};

/// The state of one container as every client sees it (DESIGN.md "Entities"). No environment variables:
/// they often hold secrets and come only from an on-demand inspect.
struct Container {
    std::string id;
    std::string name; ///< without Docker's leading '/'
    std::string image;
    std::string imageId;
    std::string command;
    Timestamp createdAt = 0;
    ContainerState state = ContainerState::Created;
    Health health = Health::None;
    int exitCode = 0;
    Timestamp startedAt = 0;
    Timestamp finishedAt = 0;
    int restartCount = 0;
    std::vector<Port> ports;
    Labels labels;
    std::vector<std::string> networks; ///< network names, sorted
    std::vector<Mount> mounts;
    std::string composeProject; ///< from the com.docker.compose.project label
    std::string composeService; ///< from the com.docker.compose.service label

    bool operator==(const Container&) const = default;
};

} // namespace dockscope::state
