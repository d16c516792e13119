#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dockscope::docker {

/// The status line and headers of an HTTP/1.1 response.
struct HttpResponseHead {
    int status = 0;
    int versionMinor = 1; ///< HTTP/1.<versionMinor>
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers; ///< in arrival order, values trimmed

    /// The first header of that name, compared case-insensitively.
    std::optional<std::string_view> header(std::string_view name) const;

    bool operator==(const HttpResponseHead&) const = default;
};

/// Why a response could not be parsed.
enum class HttpParseError {
    None,
    BadStatusLine,
    BadHeader,
    HeadersTooLarge,
    BadContentLength,
    BadChunk,
    BodyTooLarge,
    Truncated, ///< the connection closed before the message was complete
};

/// An incremental HTTP/1.1 response parser. Bytes may arrive split anywhere; the body is delivered piece by
/// piece as it arrives, so a streaming body (events, logs, stats) never has to be buffered whole.
/// Body framing: no body for 1xx/204/304 and HEAD requests, Content-Length, chunked (with extensions and
/// trailers), else delimited by the connection closing. Plain C++: no Qt, so it can be fuzzed and sanitised
/// alone.
///
/// Interim responses (100 Continue and the other 1xx except 101) are skipped: onHead fires only for the final
/// response. 101 Switching Protocols completes right after its head; the bytes after it are left unconsumed
/// for the caller, who now owns the raw connection. Line endings may be CRLF or a bare LF.
/// Callbacks must not call feed(), finish() or reset() on the parser that is calling them.
class HttpResponseParser {
public:
    struct Limits {
        std::size_t maxHeaderBytes = 64 * 1024; ///< status line + headers; chunked trailers get as much again
        std::size_t maxBodyBytes = 0;           ///< 0 = unlimited (streams); else BodyTooLarge past it
    };

    struct Callbacks {
        std::function<void(const HttpResponseHead&)> onHead;
        std::function<void(std::string_view)> onBody; ///< decoded body bytes (chunk framing removed)
        std::function<void()> onComplete;             ///< the whole response has arrived
    };

    explicit HttpResponseParser(Callbacks callbacks, Limits limits);
    explicit HttpResponseParser(Callbacks callbacks)
        : HttpResponseParser(std::move(callbacks), Limits{})
    {}

    /// The next response answers a HEAD request: it has no body whatever its headers say. Cleared by reset().
    void setHeadRequest(bool head) { m_headRequest = head; }

    /// Consumes bytes. Returns how many were consumed: all of them, unless the response completed (bytes
    /// after it belong to the next response) or an error occurred. Callbacks run inside this call. Once the
    /// response is complete or has failed, feed() consumes nothing until reset().
    std::size_t feed(std::string_view data);

    /// The connection closed: completes a close-delimited body, else sets Truncated if a message was under
    /// way.
    void finish();

    /// Ready for the next response on a kept-alive connection. Keeps the callbacks and limits.
    void reset();

    bool isComplete() const { return m_state == State::Complete; }
    bool hasError() const { return m_error != HttpParseError::None; }
    HttpParseError error() const { return m_error; }
    const std::string& errorMessage() const { return m_errorMessage; }
    /// The parsed head, once onHead has fired.
    const HttpResponseHead& head() const { return m_head; }
    /// Trailer fields that followed the last chunk of a chunked body, in arrival order.
    const std::vector<std::pair<std::string, std::string>>& trailers() const { return m_trailers; }
    /// True when the connection can carry another request after this response.
    bool keepAlive() const;

private:
    enum class State {
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Complete,
        Failed
    };
    enum class Framing { None, Length, Chunked, Close };
    enum class LineStatus { Done, NeedMore, TooLong };
    struct Line {
        LineStatus status;
        std::string_view text;   ///< without its line ending; valid until m_line changes
        std::size_t rawSize = 0; ///< bytes of the whole line, line ending included
    };

    bool stopped() const { return m_state == State::Complete || m_state == State::Failed; }
    std::size_t step(std::string_view data, std::size_t pos);
    Line takeLine(std::string_view data, std::size_t& pos, std::size_t limit);
    std::size_t feedHeadLine(std::string_view data, std::size_t pos);
    std::size_t feedBody(std::string_view data, std::size_t pos);
    std::size_t feedChunkSize(std::string_view data, std::size_t pos);
    std::size_t feedChunkData(std::string_view data, std::size_t pos);
    std::size_t feedChunkDataEnd(std::string_view data, std::size_t pos);
    void processHeadLine(std::string_view line);
    bool parseStatusLine(std::string_view line);
    bool parseHeaderLine(std::string_view line, std::vector<std::pair<std::string, std::string>>& into);
    void endOfHead();
    bool chooseFraming();
    bool parseContentLength();
    void startBody();
    bool parseChunkSize(std::string_view line);
    bool withinBodyLimit(std::uint64_t more);
    std::size_t deliver(std::string_view bytes);
    void complete();
    void fail(HttpParseError error, std::string message);

    Callbacks m_cb;
    Limits m_limits;
    bool m_headRequest = false;
    State m_state = State::StatusLine;
    Framing m_framing = Framing::None;
    HttpResponseHead m_head;
    std::vector<std::pair<std::string, std::string>> m_trailers;
    std::string m_line;            ///< a partial line carried over between feeds
    std::size_t m_headBytes = 0;   ///< bytes of head (or trailers) seen
    std::uint64_t m_remaining = 0; ///< body or chunk bytes still expected
    std::uint64_t m_bodyBytes = 0; ///< body bytes delivered
    bool m_sawChunkCR = false;     ///< the CR of the CRLF after chunk data has arrived
    bool m_started = false;        ///< some byte of this response (or of an interim one) has arrived
    HttpParseError m_error = HttpParseError::None;
    std::string m_errorMessage;
};

} // namespace dockscope::docker
