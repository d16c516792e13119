#pragma once

#include "dockscope/protocol/Messages.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dockscope::protocol {

/// A refused message. `code()` is one of protocol::errors (malformed, unknown-type, bad-field, too-large);
/// what() names the field, e.g. "hello.encoding: unknown value 'xml'" or "action.params: expected an object".
class ProtocolError : public std::runtime_error {
public:
    ProtocolError(std::string_view code, const std::string& message)
        : std::runtime_error(message)
        , m_code(code)
    {}
    const std::string& code() const { return m_code; }

private:
    std::string m_code;
};

/// Limits of decoding (the server's; a client decodes server messages with no limit on size).
struct Limits {
    std::size_t maxMessageBytes = 64 * 1024;
    std::size_t maxStringBytes = 4096; ///< token, ids, names, globs, label keys and values
    std::size_t maxLabels = 64; ///< also the entries of any list (subscribe.kinds, hello.compress, ...)
};

/// Arrays and objects nest at most this deep in any message, whatever the limits (a decoder refuses deeper
/// input as malformed before it costs stack or memory). The deepest v1 message (a snapshot) needs 6.
inline constexpr std::size_t kMaxNestingDepth = 64;

// JSON objects (with "type"). Decoding is strict: unknown "type" → unknown-type; a missing, mistyped or
// out-of-range field → bad-field naming it. Unknown extra fields are ignored (forward compatibility).
nlohmann::json toJson(const ClientMessage& message);
nlohmann::json toJson(const ServerMessage& message);
ClientMessage clientMessageFromJson(const nlohmann::json& json, const Limits& limits = {});
ServerMessage serverMessageFromJson(const nlohmann::json& json);

/// The message's wire "type", e.g. "hello", "stream-data".
std::string_view typeName(const ClientMessage& message);
std::string_view typeName(const ServerMessage& message);

/// One WebSocket frame's payload: text (JSON) or binary (MessagePack, or a zstd frame holding either).
struct Frame {
    bool binary = false;
    std::string bytes;
    bool operator==(const Frame&) const = default;
};

/// Encodes for the wire: JSON text frame or MessagePack binary frame.
Frame encode(const nlohmann::json& message, Encoding encoding);
Frame encode(const ClientMessage& message, Encoding encoding);
Frame encode(const ServerMessage& message, Encoding encoding);

/// True when zstd support is built in.
bool zstdAvailable();
/// Compresses a frame's payload with zstd (level 1) into a binary frame. The payload keeps its encoding
/// (JSON text or MessagePack); a binary frame that starts with the zstd magic 28 B5 2F FD is compressed.
Frame compress(const Frame& frame);
/// Frames at least this large are sent compressed when the session negotiated zstd.
inline constexpr std::size_t kCompressThreshold = 16 * 1024;

/// Decodes a frame into a JSON object: text → JSON, binary → MessagePack, or zstd-compressed → either
/// (decompressed size capped at `maxDecompressedBytes`). Throws ProtocolError(malformed | too-large).
nlohmann::json decodeFrame(const Frame& frame, std::size_t maxBytes,
                           std::size_t maxDecompressedBytes = 512u * 1024 * 1024);

/// Convenience: decodeFrame + clientMessageFromJson / serverMessageFromJson. decodeClientFrame caps both the
/// frame and what a zstd frame inflates to at limits.maxMessageBytes; decodeServerFrame has no frame limit
/// and decodeFrame's default decompression cap. A compressed payload is JSON when its first non-blank byte is
/// '{', else MessagePack. MessagePack strings must be UTF-8; binary/ext values and NaN/infinite numbers are
/// refused (malformed) in both encodings.
ClientMessage decodeClientFrame(const Frame& frame, const Limits& limits = {});
ServerMessage decodeServerFrame(const Frame& frame);

/// Snapshot encoding without copying the state (the server's path): {"type": "snapshot", epoch, version,
/// digest, state}.
nlohmann::json snapshotJson(const state::EngineState& state);
/// Changes encoding without copying the batch: {"type": "changes", epoch, from, to, digest, changes}.
nlohmann::json changesJson(std::uint64_t epoch, const state::Batch& batch);

} // namespace dockscope::protocol
