#pragma once

// zstd for WebSocket frames (Codec.h: compress(), decodeFrame()).

#include <cstddef>
#include <string>
#include <string_view>

namespace dockscope::protocol::zstd {

/// True when `bytes` starts with the zstd frame magic 28 B5 2F FD.
bool isCompressed(std::string_view bytes);

/// Level-1 compression of `bytes` into one zstd frame (with its content size).
std::string compress(std::string_view bytes);

/// Decompresses one or more concatenated zstd frames. Throws ProtocolError: too-large when the output would
/// exceed `maxBytes` (or the frame asks for a window larger than that needs), malformed when the input is not
/// zstd or ends inside a frame.
std::string decompress(std::string_view bytes, std::size_t maxBytes);

} // namespace dockscope::protocol::zstd
