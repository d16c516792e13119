#pragma once

#include "dockscope/protocol/Codec.h"
#include "dockscope/protocol/Messages.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// The action allowlist (DESIGN.md "Security": actions are a typed allowlist; raw Docker API calls are never
// passed through). parseAction() turns a wire `action` into one of the typed requests below, or refuses it;
// the server then maps each type to exactly one Docker Engine API call (run: create + start; pull: the
// streaming /images/create). docs/protocol.md "Actions" lists every kind/op, its params and its result value.
namespace dockscope::protocol {

using LabelMap = std::map<std::string, std::string>;

// container ---------------------------------------------------------------------------------------------
struct ContainerStart {
    std::string target;
    bool operator==(const ContainerStart&) const = default;
};
struct ContainerStop {
    std::string target;
    std::optional<int> timeout; ///< seconds before SIGKILL, 0..3600; absent: the container's own default
    bool operator==(const ContainerStop&) const = default;
};
struct ContainerRestart {
    std::string target;
    std::optional<int> timeout;
    bool operator==(const ContainerRestart&) const = default;
};
struct ContainerKill {
    std::string target;
    std::string signal; ///< "SIGKILL", "KILL", "9", ...; empty: Docker's default (SIGKILL)
    bool operator==(const ContainerKill&) const = default;
};
struct ContainerPause {
    std::string target;
    bool operator==(const ContainerPause&) const = default;
};
struct ContainerUnpause {
    std::string target;
    bool operator==(const ContainerUnpause&) const = default;
};
struct ContainerRemove {
    std::string target;
    bool force = false;
    bool volumes = false; ///< also remove its anonymous volumes
    bool operator==(const ContainerRemove&) const = default;
};
struct ContainerRename {
    std::string target;
    std::string name;
    bool operator==(const ContainerRename&) const = default;
};
/// Returns the inspect document (it holds the environment: sent only to the session that asked).
struct ContainerInspect {
    std::string target;
    bool operator==(const ContainerInspect&) const = default;
};
struct ContainerPrune {
    LabelMap labels; ///< only containers with all these labels (Docker filter label=k=v)
    bool operator==(const ContainerPrune&) const = default;
};

/// A published port of `container.run`: containerPort/protocol exposed, bound to hostIp:hostPort.
struct PortPublish {
    int containerPort = 0;        ///< 1..65535
    std::optional<int> hostPort;  ///< 1..65535; absent or 0: a free port Docker picks
    std::string protocol = "tcp"; ///< tcp | udp
    std::string hostIp;           ///< an IPv4/IPv6 address; empty: all addresses
    bool operator==(const PortPublish&) const = default;
};
/// A mount of `container.run`: a named volume (created if missing) or an absolute host path (bind mount).
struct VolumeMount {
    std::string source;
    std::string destination; ///< absolute path in the container
    bool readOnly = false;
    bool isBind() const { return !source.empty() && source.front() == '/'; }
    bool operator==(const VolumeMount&) const = default;
};
/// Creates and starts a container (`target` empty). runConfig() gives Docker's create body; `name` goes in
/// the create call's query.
struct ContainerRun {
    std::string image;
    std::string name;
    std::vector<std::string> command;
    std::vector<std::string> env; ///< "KEY=value"
    std::vector<PortPublish> ports;
    std::vector<VolumeMount> volumes;
    std::string network;       ///< NetworkMode: "none", "host", "bridge" or a network name; empty: default
    std::string restartPolicy; ///< no | always | unless-stopped | on-failure; empty: no
    LabelMap labels;
    bool operator==(const ContainerRun&) const = default;
};

// image -------------------------------------------------------------------------------------------------
struct ImageRemove {
    std::string target;
    bool force = false;
    bool noPrune = false; ///< keep untagged parents
    bool operator==(const ImageRemove&) const = default;
};
struct ImageTag {
    std::string target;
    std::string repo;
    std::string tag = "latest";
    bool operator==(const ImageTag&) const = default;
};
/// Pulls `repo:tag` (`image` as given, e.g. "busybox", "registry:5000/team/app:1.2", "alpine@sha256:...").
/// `tag` is never empty (an empty tag would pull every tag): "latest" by default, or the digest.
struct ImagePull {
    std::string image;
    std::string repo; ///< Docker's fromImage
    std::string tag;  ///< Docker's tag: a tag or a digest
    bool operator==(const ImagePull&) const = default;
};
struct ImagePrune {
    bool dangling = true; ///< false: every image no container uses
    bool operator==(const ImagePrune&) const = default;
};

// volume ------------------------------------------------------------------------------------------------
struct VolumeCreate {
    std::string name;   ///< empty: Docker generates one
    std::string driver; ///< empty: Docker's default ("local")
    LabelMap labels;
    bool operator==(const VolumeCreate&) const = default;
};
struct VolumeRemove {
    std::string target;
    bool force = false;
    bool operator==(const VolumeRemove&) const = default;
};
struct VolumePrune {
    bool operator==(const VolumePrune&) const = default;
};

// network -----------------------------------------------------------------------------------------------
struct NetworkCreate {
    std::string name;
    std::string driver = "bridge";
    bool internal = false;
    bool attachable = false;
    LabelMap labels;
    std::string subnet; ///< CIDR, e.g. "10.7.0.0/16"; empty: Docker's IPAM picks one
    bool operator==(const NetworkCreate&) const = default;
};
struct NetworkRemove {
    std::string target;
    bool operator==(const NetworkRemove&) const = default;
};
struct NetworkConnect {
    std::string target;
    std::string container;
    bool operator==(const NetworkConnect&) const = default;
};
struct NetworkDisconnect {
    std::string target;
    std::string container;
    bool force = false;
    bool operator==(const NetworkDisconnect&) const = default;
};
struct NetworkPrune {
    bool operator==(const NetworkPrune&) const = default;
};

using TypedAction =
    std::variant<ContainerStart, ContainerStop, ContainerRestart, ContainerKill, ContainerPause,
                 ContainerUnpause, ContainerRemove, ContainerRename, ContainerInspect, ContainerPrune,
                 ContainerRun, ImageRemove, ImageTag, ImagePull, ImagePrune, VolumeCreate, VolumeRemove,
                 VolumePrune, NetworkCreate, NetworkRemove, NetworkConnect, NetworkDisconnect, NetworkPrune>;

/// Checks an action against the allowlist. Throws ProtocolError: not-allowed for a (kind, op) not in it
/// ("action: container.exec is not allowed"); bad-field naming the field for a bad target or param
/// ("action.params.timeout: expected an integer 0..3600, got 9000", "action.params.colour: unknown
/// parameter"). Unknown params are refused, not ignored. Strings and label maps obey `limits`.
TypedAction parseAction(const Action& action, const Limits& limits = {});

/// The (kind, op) pairs of the allowlist, e.g. {Container, "start"}, in docs/protocol.md order.
const std::vector<std::pair<ActionKind, std::string_view>>& allowedActions();

/// Docker's container-create body for `run` (POST /containers/create): Image, Cmd (if given), Env, Labels,
/// ExposedPorts and HostConfig {PortBindings, Binds (host paths), Mounts (named volumes), NetworkMode (if
/// given), RestartPolicy}.
nlohmann::json runConfig(const ContainerRun& run);

// Streams -----------------------------------------------------------------------------------------------

/// params of a logs stream: {follow: bool = true, tail: integer >= 0 | "all" = 100, timestamps: bool =
/// false}.
struct LogsOptions {
    bool follow = true;
    std::optional<std::int64_t> tail = 100; ///< nullopt: "all"
    bool timestamps = false;
    bool operator==(const LogsOptions&) const = default;
};
/// params of a stats stream: none.
struct StatsOptions {
    bool operator==(const StatsOptions&) const = default;
};
using StreamOptions = std::variant<LogsOptions, StatsOptions>;

/// Checks a stream request's params; throws ProtocolError(bad-field) naming the param
/// ("stream.params.tail: expected an integer >= 0 or \"all\"").
StreamOptions parseStream(const StreamRequest& request);

} // namespace dockscope::protocol
