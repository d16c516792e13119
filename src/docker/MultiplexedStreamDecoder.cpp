#include "dockscope/docker/MultiplexedStreamDecoder.h"

#include <algorithm>
#include <utility>

namespace dockscope::docker {

namespace {
constexpr std::size_t kHeaderSize = 8;
} // namespace

MultiplexedStreamDecoder::MultiplexedStreamDecoder(FrameHandler handler, std::size_t maxFrameBytes)
    : m_handler(std::move(handler))
    , m_maxFrame(maxFrameBytes)
{}

bool MultiplexedStreamDecoder::feed(std::string_view data)
{
    while (!data.empty() && !hasError()) {
        const std::size_t used = m_remaining == 0 ? takeHeader(data) : takePayload(data);
        data.remove_prefix(used);
    }
    return !hasError();
}

std::size_t MultiplexedStreamDecoder::takeHeader(std::string_view data)
{
    const std::size_t count = std::min(kHeaderSize - m_header.size(), data.size());
    m_header.append(data.substr(0, count));
    if (m_header.size() == kHeaderSize && checkHeader())
        m_header.clear();
    return count;
}

bool MultiplexedStreamDecoder::checkHeader()
{
    const auto byte = [this](std::size_t i) { return static_cast<unsigned char>(m_header[i]); };
    if (byte(0) > 2) {
        // The usual cause is a TTY container, whose output is a raw stream with no frames at all.
        m_error = "invalid multiplexed frame header: stream type " + std::to_string(byte(0)) +
                  " is not 0, 1 or 2 (a raw TTY stream?)";
        return false;
    }
    if (byte(1) != 0 || byte(2) != 0 || byte(3) != 0) {
        m_error = "invalid multiplexed frame header: padding bytes 1-3 are not zero";
        return false;
    }
    const std::uint32_t size = std::uint32_t{byte(4)} << 24 | std::uint32_t{byte(5)} << 16 |
                               std::uint32_t{byte(6)} << 8 | std::uint32_t{byte(7)};
    if (size > m_maxFrame) {
        m_error = "multiplexed frame of " + std::to_string(size) + " bytes exceeds the limit of " +
                  std::to_string(m_maxFrame) + " bytes";
        return false;
    }
    m_stream = static_cast<StdStream>(byte(0));
    m_remaining = size;
    return true;
}

std::size_t MultiplexedStreamDecoder::takePayload(std::string_view data)
{
    // A frame that arrived whole goes straight through; only a split one is copied.
    if (m_payload.empty() && data.size() >= m_remaining) {
        const std::size_t count = std::exchange(m_remaining, 0);
        if (m_handler)
            m_handler(m_stream, data.substr(0, count));
        return count;
    }
    const std::size_t count = std::min(m_remaining, data.size());
    m_payload.append(data.substr(0, count));
    m_remaining -= count;
    if (m_remaining == 0) {
        if (m_handler)
            m_handler(m_stream, m_payload);
        m_payload.clear();
    }
    return count;
}

LineSplitter::LineSplitter(LineHandler handler, std::size_t maxLineBytes)
    : m_handler(std::move(handler))
    , m_maxLine(maxLineBytes)
{}

bool LineSplitter::feed(std::string_view data)
{
    while (!data.empty() && !hasError()) {
        const auto newline = data.find('\n');
        const auto piece = data.substr(0, newline);
        // One byte of slack for the '\r' of a CRLF, which the limit does not count; checking the partial line
        // too keeps a stream without newlines from growing the buffer without bound.
        if (m_partial.size() + piece.size() > m_maxLine + 1) {
            m_error = "line longer than the limit of " + std::to_string(m_maxLine) + " bytes";
            break;
        }
        if (newline == std::string_view::npos) {
            m_partial.append(piece);
            break;
        }
        if (m_partial.empty()) {
            deliver(piece);
        } else {
            m_partial.append(piece);
            deliver(m_partial);
            m_partial.clear();
        }
        data.remove_prefix(newline + 1);
    }
    return !hasError();
}

void LineSplitter::flush()
{
    if (hasError() || m_partial.empty())
        return;
    const std::string last = std::exchange(m_partial, {});
    deliver(last);
}

void LineSplitter::deliver(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    if (line.size() > m_maxLine) {
        m_error = "line longer than the limit of " + std::to_string(m_maxLine) + " bytes";
        return;
    }
    if (!line.empty() && m_handler)
        m_handler(line);
}

} // namespace dockscope::docker
