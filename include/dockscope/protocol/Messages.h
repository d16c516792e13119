#pragma once

#include "dockscope/state/Batch.h"
#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/EngineInfo.h"
#include "dockscope/state/EngineState.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// Wire protocol v1 (DESIGN.md "Wire protocol v1", docs/protocol.md): every message as a typed struct. The
// wire form of each is a JSON object with "type"; MessagePack frames carry the very same objects. Encoding
// and decoding live in Codec.h.
namespace dockscope::protocol {

inline constexpr int kProtocolVersion = 1;

enum class Encoding : std::uint8_t { Json, Msgpack };

/// What a client may subscribe to; wire names "containers", "images", "volumes", "networks", "engine",
/// "events".
enum class Topic : std::uint8_t { Containers, Images, Volumes, Networks, Engine, Events };

std::string_view toString(Encoding encoding);
std::optional<Encoding> encodingFromString(std::string_view text);
std::string_view toString(Topic topic);
std::optional<Topic> topicFromString(std::string_view text);

/// Narrows what a subscription sees; every present criterion must hold. Applies to containers, images,
/// volumes, networks and events, never to the engine entity:
/// - name: a glob (`*`, `?`, `[...]`) on the container, volume or network name, on any of an image's
///   repoTags, on an event actor's "name" attribute;
/// - labels: each key must be present; a string value must match exactly, null means any value;
/// - composeProject: the label com.docker.compose.project (containers: their composeProject field).
struct Filter {
    std::optional<std::string> name;
    std::map<std::string, std::optional<std::string>> labels;
    std::optional<std::string> composeProject;

    bool empty() const { return !name && labels.empty() && !composeProject; }
    bool operator==(const Filter&) const = default;
};

struct Subscription {
    std::set<Topic> topics; ///< wire name "kinds"
    Filter filter;

    /// Every topic and no filter: what the GUI takes.
    static Subscription everything();
    bool operator==(const Subscription&) const = default;
};

struct ResumePoint {
    std::uint64_t epoch = 0;
    std::uint64_t version = 0;
    bool operator==(const ResumePoint&) const = default;
};

/// An error as carried by `result`, `stream-end` and `error`: a stable machine code and a human message
/// (Docker's own message when Docker refused).
struct ErrorInfo {
    std::string code;
    std::string message;
    bool operator==(const ErrorInfo&) const = default;
};

// Client → server ---------------------------------------------------------------------------------------

/// The `hello.features` entry asking for id-set changes of derived id lists (docs/protocol.md).
inline constexpr std::string_view kFeatureIdSets = "idSets";

struct Hello {
    std::string token;
    std::string client; ///< free text naming the client, e.g. "dockscope-cli 0.1"
    Encoding encoding = Encoding::Json;
    std::vector<std::string> compress; ///< offered compressions; only "zstd" is known
    std::optional<ResumePoint> resume;
    std::optional<Subscription> subscribe; ///< absent: Subscription::everything()
    /// Optional forms the client can read; only "idSets" is known (docs/protocol.md "Id-set changes").
    std::vector<std::string> features;
    bool operator==(const Hello&) const = default;
};

struct Subscribe {
    Subscription subscription;
    bool operator==(const Subscribe&) const = default;
};

struct Ack {
    std::uint64_t version = 0;
    bool operator==(const Ack&) const = default;
};

struct Ping {
    std::string id;
    bool operator==(const Ping&) const = default;
};

/// What an action acts on; wire names "container", "image", "volume", "network".
enum class ActionKind : std::uint8_t { Container, Image, Volume, Network };
std::string_view toString(ActionKind kind);
std::optional<ActionKind> actionKindFromString(std::string_view text);

/// One operation of the allowlist (docs/protocol.md lists every kind/op and its params). `target` is the
/// entity's id, id prefix or name; empty for create/pull/prune/run. `params` is an object (empty if none).
struct Action {
    std::string id;
    ActionKind kind = ActionKind::Container;
    std::string target;
    std::string op;
    nlohmann::json params = nlohmann::json::object();
    bool operator==(const Action&) const = default;
};

enum class StreamWhat : std::uint8_t { Logs, Stats };
std::string_view toString(StreamWhat what);
std::optional<StreamWhat> streamWhatFromString(std::string_view text);

/// Opens a stream; params for logs: {follow: bool = true, tail: int|"all" = 100, timestamps: bool = false}.
struct StreamRequest {
    std::string id;
    StreamWhat what = StreamWhat::Logs;
    std::string container;
    nlohmann::json params = nlohmann::json::object();
    bool operator==(const StreamRequest&) const = default;
};

struct Unstream {
    std::string id;
    bool operator==(const Unstream&) const = default;
};

using ClientMessage = std::variant<Hello, Subscribe, Ack, Ping, Action, StreamRequest, Unstream>;

// Server → client ---------------------------------------------------------------------------------------

struct Welcome {
    int protocol = kProtocolVersion;
    std::string session;
    std::uint64_t epoch = 0;
    std::uint64_t version = 0;
    std::uint32_t heartbeatMs = 0;
    std::string compress; ///< the compression the server will use ("zstd"), empty for none
    bool operator==(const Welcome&) const = default;
};

/// The state as the session's subscription sees it: only subscribed kinds and matching entities; `digest`
/// is the digest of exactly that (so a filtered replica can prove itself too).
struct Snapshot {
    state::EngineState state;
    /// Equal epoch, version, digest and entities (added: EngineState has no operator==).
    bool operator==(const Snapshot& other) const;
};

/// A batch for the session's subscription. Unfiltered, `to == from + changes.size()`; filtered, versions are
/// the server's and a batch may hold fewer changes than it spans ("sparse", see docs/protocol.md).
struct Changes {
    std::uint64_t epoch = 0;
    state::Batch batch;
    bool operator==(const Changes&) const = default;
};

/// The engine entity, sent to every session (whatever it subscribed) when the engine's status changes, so
/// that every client can say whether its view is live.
struct EngineUpdate {
    state::EngineInfo engine;
    bool operator==(const EngineUpdate&) const = default;
};

/// A Docker event for the `events` topic. On the wire it is nested, {"type": "event", "event": {...}},
/// because a DockerEvent has a "type" of its own (container, image, ...).
struct Event {
    state::DockerEvent event;
    bool operator==(const Event&) const = default;
};

struct Heartbeat {
    std::int64_t ts = 0; ///< server time, ns since the epoch
    std::uint64_t version = 0;
    bool operator==(const Heartbeat&) const = default;
};

struct Pong {
    std::string id;
    bool operator==(const Pong&) const = default;
};

/// The answer to an action. `value` carries what the action returns (the id of a created container or
/// volume, the inspect document, the prune report), null when nothing.
struct Result {
    std::string id;
    bool ok = false;
    std::optional<ErrorInfo> error;
    nlohmann::json value;
    bool operator==(const Result&) const = default;
};

/// One piece of a stream. logs: {"stream": "stdout"|"stderr", "line": text, "ts": ns (with timestamps)};
/// stats: {"cpuPercent", "memUsage", "memLimit", "memPercent", "netRx", "netTx", "blockRead",
/// "blockWrite", "pids", "read": ns}; pull progress (id of the pull action): {"status", "layer",
/// "current", "total"}. `data` holds those fields; on the wire they sit beside "type" and "id" (so `data`
/// must be an object, encoding throws std::invalid_argument otherwise, and its own "type" and "id" members
/// are overwritten). Encoding replaces bytes that are not UTF-8 in its strings with U+FFFD (log lines).
struct StreamData {
    std::string id;
    nlohmann::json data = nlohmann::json::object();
    bool operator==(const StreamData&) const = default;
};

struct StreamEnd {
    std::string id;
    std::optional<ErrorInfo> error;
    bool operator==(const StreamEnd&) const = default;
};

struct Error {
    ErrorInfo error; ///< on the wire: {"type": "error", "code", "message"}
    bool operator==(const Error&) const = default;
};

using ServerMessage = std::variant<Welcome, Snapshot, Changes, EngineUpdate, Event, Heartbeat, Pong, Result,
                                   StreamData, StreamEnd, Error>;

/// WebSocket close codes of the protocol.
enum CloseCode : std::uint16_t {
    CloseMalformed = 4400, ///< a message that is not valid v1 (after several `error`s) or hello not first
    CloseBadToken = 4401,  ///< wrong or missing token
    CloseTimeout = 4408,   ///< no hello within 5 s, or two heartbeats missed
    CloseTooMany = 4429,   ///< too many messages, or too slow to read
};

/// Stable error codes of `error`, `result` and `stream-end`.
namespace errors {
inline constexpr std::string_view Malformed = "malformed";      ///< not JSON / MessagePack, not an object
inline constexpr std::string_view UnknownType = "unknown-type"; ///< "type" names no v1 message
inline constexpr std::string_view BadField = "bad-field"; ///< a field is missing, mistyped or out of range
inline constexpr std::string_view TooLarge = "too-large"; ///< message above the size limit
inline constexpr std::string_view RateLimited = "rate-limited";
inline constexpr std::string_view NotAllowed = "not-allowed";   ///< action op not in the allowlist
inline constexpr std::string_view NotFound = "not-found";       ///< Docker 404, or no such stream
inline constexpr std::string_view Conflict = "conflict";        ///< Docker 409
inline constexpr std::string_view DockerError = "docker-error"; ///< any other refusal by Docker
inline constexpr std::string_view Unavailable = "unavailable";  ///< the engine cannot be reached
inline constexpr std::string_view Internal = "internal";
} // namespace errors

} // namespace dockscope::protocol
