#include "dockscope/docker/HttpResponseParser.h"

#include <algorithm>
#include <limits>

namespace dockscope::docker {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// A size and its extensions; real ones are a few bytes, and a bound keeps a garbage stream from buffering
// forever.
constexpr std::size_t kMaxChunkSizeLine = 4096;
constexpr std::size_t kMaxQuoted = 60;

char toLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return toLower(x) == toLower(y); });
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isTokenChar(char c)
{
    const bool alnum = isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alnum || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

int digitValue(char c, unsigned base)
{
    if (isDigit(c))
        return c - '0';
    const char l = toLower(c);
    if (base == 16 && l >= 'a' && l <= 'f')
        return l - 'a' + 10;
    return -1;
}

// nullopt when `text` is empty, holds a non-digit, or does not fit 64 bits (then `overflow` is set).
std::optional<std::uint64_t> parseNumber(std::string_view text, unsigned base, bool& overflow)
{
    overflow = false;
    if (text.empty())
        return std::nullopt;
    std::uint64_t value = 0;
    for (const char c : text) {
        const int digit = digitValue(c, base);
        if (digit < 0) {
            overflow = false;
            return std::nullopt;
        }
        if (value > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(digit)) / base)
            overflow = true;
        value = value * base + static_cast<unsigned>(digit);
    }
    if (overflow)
        return std::nullopt;
    return value;
}

std::string_view trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string_view> listElements(std::string_view value)
{
    std::vector<std::string_view> elements;
    while (true) {
        const auto comma = value.find(',');
        elements.push_back(trim(value.substr(0, comma)));
        if (comma == std::string_view::npos)
            return elements;
        value.remove_prefix(comma + 1);
    }
}

// Messages quote the offending input; escaping keeps binary garbage out of logs and terminals.
std::string quoted(std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "'";
    for (const char c : s.substr(0, kMaxQuoted)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out += c;
        } else {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        }
    }
    out += s.size() > kMaxQuoted ? "...'" : "'";
    return out;
}

} // namespace

std::optional<std::string_view> HttpResponseHead::header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (iequals(key, name))
            return std::string_view(value);
    }
    return std::nullopt;
}

HttpResponseParser::HttpResponseParser(Callbacks callbacks, Limits limits)
    : m_cb(std::move(callbacks))
    , m_limits(limits)
{}

std::size_t HttpResponseParser::feed(std::string_view data)
{
    std::size_t pos = 0;
    m_started = m_started || (!data.empty() && !stopped());
    while (pos < data.size() && !stopped())
        pos = step(data, pos);
    return pos;
}

std::size_t HttpResponseParser::step(std::string_view data, std::size_t pos)
{
    switch (m_state) {
    case State::StatusLine:
    case State::Headers:
    case State::Trailers:
        return feedHeadLine(data, pos);
    case State::Body:
        return feedBody(data, pos);
    case State::ChunkSize:
        return feedChunkSize(data, pos);
    case State::ChunkData:
        return feedChunkData(data, pos);
    case State::ChunkDataEnd:
        return feedChunkDataEnd(data, pos);
    case State::Complete:
    case State::Failed:
        break;
    }
    return pos;
}

HttpResponseParser::Line HttpResponseParser::takeLine(std::string_view data, std::size_t& pos,
                                                      std::size_t limit)
{
    const auto newline = data.find('\n', pos);
    const bool found = newline != std::string_view::npos;
    const auto piece = data.substr(pos, (found ? newline : data.size()) - pos);
    // The line ending counts too: a head of exactly the limit fits, one byte more does not, however it is
    // split.
    const std::size_t rawSize = m_line.size() + piece.size() + (found ? 1 : 0);
    if (rawSize > limit)
        return {LineStatus::TooLong, {}, rawSize};
    if (!found) {
        m_line.append(piece);
        pos = data.size();
        return {LineStatus::NeedMore, {}, rawSize};
    }
    pos = newline + 1;
    std::string_view text = piece;
    if (!m_line.empty()) {
        m_line.append(piece);
        text = m_line;
    }
    if (!text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    return {LineStatus::Done, text, rawSize};
}

std::size_t HttpResponseParser::feedHeadLine(std::string_view data, std::size_t pos)
{
    const std::size_t budget = m_limits.maxHeaderBytes - std::min(m_headBytes, m_limits.maxHeaderBytes);
    const Line line = takeLine(data, pos, budget);
    if (line.status == LineStatus::TooLong) {
        const char* what = m_state == State::Trailers ? "chunked trailers" : "response head";
        fail(HttpParseError::HeadersTooLarge, std::string(what) + " larger than the limit of " +
                                                  std::to_string(m_limits.maxHeaderBytes) + " bytes");
    } else if (line.status == LineStatus::Done) {
        m_headBytes += line.rawSize;
        processHeadLine(line.text);
        m_line.clear();
    }
    return pos;
}

void HttpResponseParser::processHeadLine(std::string_view line)
{
    if (m_state == State::StatusLine) {
        if (parseStatusLine(line))
            m_state = State::Headers;
    } else if (!line.empty()) {
        parseHeaderLine(line, m_state == State::Trailers ? m_trailers : m_head.headers);
    } else if (m_state == State::Trailers) {
        complete();
    } else {
        endOfHead();
    }
}

bool HttpResponseParser::parseStatusLine(std::string_view line)
{
    // "HTTP/1.x NNN reason": the reason may be empty, and then the space before it may be missing too.
    const bool ok = line.size() >= 12 && line.substr(0, 7) == "HTTP/1." && isDigit(line[7]) &&
                    line[8] == ' ' && line[9] >= '1' && line[9] <= '9' && isDigit(line[10]) &&
                    isDigit(line[11]) && (line.size() == 12 || line[12] == ' ');
    if (!ok) {
        fail(HttpParseError::BadStatusLine, "bad status line: " + quoted(line));
        return false;
    }
    m_head.versionMinor = line[7] - '0';
    m_head.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    m_head.reason = std::string(line.substr(std::min<std::size_t>(line.size(), 13)));
    return true;
}

bool HttpResponseParser::parseHeaderLine(std::string_view line, Fields& into)
{
    if (line.front() == ' ' || line.front() == '\t') {
        // Obsolete line folding (RFC 9112 §5.2): nothing modern sends it, and guessing its meaning is how
        // request-smuggling bugs start.
        fail(HttpParseError::BadHeader, "folded header line: " + quoted(line));
        return false;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        fail(HttpParseError::BadHeader, "header line without colon: " + quoted(line));
        return false;
    }
    const auto name = line.substr(0, colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), isTokenChar)) {
        fail(HttpParseError::BadHeader, "bad header name in line: " + quoted(line));
        return false;
    }
    into.emplace_back(std::string(name), std::string(trim(line.substr(colon + 1))));
    return true;
}

void HttpResponseParser::endOfHead()
{
    if (m_head.status < 200 && m_head.status != 101) {
        // An interim response (100 Continue, 103 Early Hints): the final one follows on the same connection.
        m_head = HttpResponseHead{};
        m_headBytes = 0;
        m_state = State::StatusLine;
        return;
    }
    if (!chooseFraming())
        return;
    if (m_cb.onHead)
        m_cb.onHead(m_head);
    startBody();
}

bool HttpResponseParser::chooseFraming()
{
    const int status = m_head.status;
    if (m_headRequest || status < 200 || status == 204 || status == 304) {
        m_framing = Framing::None;
        return true;
    }
    // Transfer-Encoding overrides Content-Length; when its last coding is not chunked only the connection
    // closing can end the body (RFC 9112 §6.3).
    std::string_view lastCoding;
    bool hasCoding = false;
    for (const auto& [name, value] : m_head.headers) {
        if (!iequals(name, "transfer-encoding"))
            continue;
        for (const auto coding : listElements(value)) {
            if (!coding.empty()) {
                lastCoding = coding;
                hasCoding = true;
            }
        }
    }
    if (hasCoding) {
        m_framing = iequals(lastCoding, "chunked") ? Framing::Chunked : Framing::Close;
        return true;
    }
    return parseContentLength();
}

bool HttpResponseParser::parseContentLength()
{
    std::optional<std::string_view> first;
    for (const auto& [name, value] : m_head.headers) {
        if (!iequals(name, "content-length"))
            continue;
        // Repeated or listed values are allowed only when they all agree (RFC 9110 §8.6).
        for (const auto element : listElements(value)) {
            bool overflow = false;
            const auto length = parseNumber(element, 10, overflow);
            if (!length) {
                const char* what = overflow ? "Content-Length too large: " : "bad Content-Length: ";
                fail(HttpParseError::BadContentLength, what + quoted(element));
                return false;
            }
            if (first && *length != m_remaining) {
                fail(HttpParseError::BadContentLength,
                     "conflicting Content-Length values: " + quoted(*first) + " and " + quoted(element));
                return false;
            }
            first = first.value_or(element);
            m_remaining = *length;
        }
    }
    m_framing = first ? Framing::Length : Framing::Close;
    return true;
}

void HttpResponseParser::startBody()
{
    switch (m_framing) {
    case Framing::None:
        complete();
        return;
    case Framing::Length:
        if (m_remaining == 0)
            complete();
        else if (withinBodyLimit(m_remaining))
            m_state = State::Body;
        return;
    case Framing::Chunked:
        m_state = State::ChunkSize;
        return;
    case Framing::Close:
        m_state = State::Body;
        return;
    }
}

bool HttpResponseParser::withinBodyLimit(std::uint64_t more)
{
    if (m_limits.maxBodyBytes == 0 || more <= m_limits.maxBodyBytes - m_bodyBytes)
        return true;
    fail(HttpParseError::BodyTooLarge,
         "response body larger than the limit of " + std::to_string(m_limits.maxBodyBytes) + " bytes");
    return false;
}

std::size_t HttpResponseParser::deliver(std::string_view bytes)
{
    // Deliver up to the limit, then fail: what a caller sees does not depend on how the input was split.
    std::size_t count = bytes.size();
    if (m_limits.maxBodyBytes != 0)
        count = static_cast<std::size_t>(std::min<std::uint64_t>(count, m_limits.maxBodyBytes - m_bodyBytes));
    if (count > 0) {
        m_bodyBytes += count;
        if (m_cb.onBody)
            m_cb.onBody(bytes.substr(0, count));
    }
    if (count < bytes.size())
        withinBodyLimit(bytes.size() - count);
    return count;
}

std::size_t HttpResponseParser::feedBody(std::string_view data, std::size_t pos)
{
    auto piece = data.substr(pos);
    if (m_framing == Framing::Length)
        piece = piece.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, piece.size())));
    const std::size_t delivered = deliver(piece);
    if (m_framing == Framing::Length) {
        m_remaining -= delivered;
        if (m_remaining == 0 && !stopped())
            complete();
    }
    return pos + delivered;
}

std::size_t HttpResponseParser::feedChunkSize(std::string_view data, std::size_t pos)
{
    const Line line = takeLine(data, pos, kMaxChunkSizeLine);
    if (line.status == LineStatus::TooLong) {
        fail(HttpParseError::BadChunk,
             "chunk size line longer than " + std::to_string(kMaxChunkSizeLine) + " bytes");
    } else if (line.status == LineStatus::Done) {
        parseChunkSize(line.text);
        m_line.clear();
    }
    return pos;
}

bool HttpResponseParser::parseChunkSize(std::string_view line)
{
    // Extensions after ';' carry nothing we use; whitespace before them is tolerated (RFC 9112 §7.1.1 BWS).
    bool overflow = false;
    const auto size = parseNumber(trim(line.substr(0, line.find(';'))), 16, overflow);
    if (!size) {
        fail(HttpParseError::BadChunk,
             (overflow ? "chunk size too large: " : "bad chunk size line: ") + quoted(line));
        return false;
    }
    if (*size == 0) {
        m_state = State::Trailers;
        m_headBytes = 0;
        return true;
    }
    if (!withinBodyLimit(*size))
        return false;
    m_remaining = *size;
    m_state = State::ChunkData;
    return true;
}

std::size_t HttpResponseParser::feedChunkData(std::string_view data, std::size_t pos)
{
    const auto available = data.size() - pos;
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, available));
    const std::size_t delivered = deliver(data.substr(pos, count));
    m_remaining -= delivered;
    if (m_remaining == 0 && !stopped()) {
        m_state = State::ChunkDataEnd;
        m_sawChunkCR = false;
    }
    return pos + delivered;
}

std::size_t HttpResponseParser::feedChunkDataEnd(std::string_view data, std::size_t pos)
{
    const char c = data[pos];
    if (c == '\r' && !m_sawChunkCR) {
        m_sawChunkCR = true;
        return pos + 1;
    }
    if (c == '\n') {
        m_state = State::ChunkSize;
        return pos + 1;
    }
    fail(HttpParseError::BadChunk,
         "chunk data not followed by CRLF (found " + quoted(data.substr(pos, 1)) + ")");
    return pos;
}

void HttpResponseParser::complete()
{
    m_state = State::Complete;
    if (m_cb.onComplete)
        m_cb.onComplete();
}

void HttpResponseParser::fail(HttpParseError error, std::string message)
{
    m_state = State::Failed;
    m_error = error;
    m_errorMessage = std::move(message);
}

void HttpResponseParser::finish()
{
    if (stopped() || !m_started)
        return;
    switch (m_state) {
    case State::StatusLine:
    case State::Headers:
        fail(HttpParseError::Truncated, "the connection closed in the middle of the response head");
        return;
    case State::Body:
        if (m_framing == Framing::Close) {
            complete();
            return;
        }
        fail(HttpParseError::Truncated, "the connection closed after " + std::to_string(m_bodyBytes) +
                                            " of " + std::to_string(m_bodyBytes + m_remaining) +
                                            " body bytes");
        return;
    case State::ChunkSize:
    case State::ChunkData:
    case State::ChunkDataEnd:
    case State::Trailers:
        fail(HttpParseError::Truncated, "the connection closed in the middle of a chunked body");
        return;
    case State::Complete:
    case State::Failed:
        return;
    }
}

void HttpResponseParser::reset()
{
    // Field by field rather than assigning a fresh parser: the callbacks stay untouched.
    m_headRequest = false;
    m_state = State::StatusLine;
    m_framing = Framing::None;
    m_head = HttpResponseHead{};
    m_trailers.clear();
    m_line.clear();
    m_headBytes = 0;
    m_remaining = 0;
    m_bodyBytes = 0;
    m_sawChunkCR = false;
    m_started = false;
    m_error = HttpParseError::None;
    m_errorMessage.clear();
}

bool HttpResponseParser::keepAlive() const
{
    if (m_head.status == 0 || m_head.status == 101 || hasError() || m_framing == Framing::Close)
        return false;
    bool close = false;
    bool keep = false;
    for (const auto& [name, value] : m_head.headers) {
        if (!iequals(name, "connection"))
            continue;
        for (const auto option : listElements(value)) {
            close = close || iequals(option, "close");
            keep = keep || iequals(option, "keep-alive");
        }
    }
    return !close && (m_head.versionMinor >= 1 || keep);
}

} // namespace dockscope::docker
