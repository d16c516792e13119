#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dockscope::docker {

/// Which stream a piece of container output came from.
enum class StdStream : std::uint8_t { Stdin = 0, Stdout = 1, Stderr = 2 };

/// Decodes Docker's multiplexed attach/logs stream (containers without a TTY): frames of an 8-byte header
/// {stream type, 0, 0, 0, big-endian uint32 size} followed by the payload. Bytes may arrive split anywhere.
/// Each frame reaches the handler whole, in one call; zero-length frames are skipped (they carry nothing, and
/// a handler never has to think about empty payloads).
class MultiplexedStreamDecoder {
public:
    using FrameHandler = std::function<void(StdStream stream, std::string_view payload)>;

    explicit MultiplexedStreamDecoder(FrameHandler handler, std::size_t maxFrameBytes = 16 * 1024 * 1024);

    /// Returns false (and stops decoding) on an invalid header: unknown stream type, non-zero padding, or a
    /// frame larger than the limit. errorMessage() says which. After an error it consumes nothing more.
    bool feed(std::string_view data);

    /// True when no partial frame is pending (a stream that ends mid-frame was truncated).
    bool atFrameBoundary() const { return m_header.empty() && m_remaining == 0; }
    bool hasError() const { return !m_error.empty(); }
    const std::string& errorMessage() const { return m_error; }

private:
    std::size_t takeHeader(std::string_view data);
    std::size_t takePayload(std::string_view data);
    bool checkHeader();

    FrameHandler m_handler;
    std::size_t m_maxFrame;
    std::string m_header;  ///< partial 8-byte header
    std::string m_payload; ///< partial payload of the current frame
    std::size_t m_remaining = 0;
    StdStream m_stream = StdStream::Stdout;
    std::string m_error;
};

/// Splits a byte stream into lines (newline-delimited JSON: events, stats, pull progress). A trailing '\r' is
/// removed and empty lines are skipped.
class LineSplitter {
public:
    using LineHandler = std::function<void(std::string_view line)>;

    explicit LineSplitter(LineHandler handler, std::size_t maxLineBytes = 4 * 1024 * 1024);

    /// Returns false (and stops) when a line grows past the limit (not counting its line ending). After an
    /// error it consumes nothing more.
    bool feed(std::string_view data);
    /// Delivers a last line that had no newline.
    void flush();

    bool hasError() const { return !m_error.empty(); }
    const std::string& errorMessage() const { return m_error; }

private:
    void deliver(std::string_view line);

    LineHandler m_handler;
    std::size_t m_maxLine;
    std::string m_partial;
    std::string m_error;
};

} // namespace dockscope::docker
