// libFuzzer target for HttpResponseParser. Input layout: 8 control bytes, then the bytes "from the socket".
//   [0]    bit 0: the request was HEAD; bit 1: a body limit applies
//   [1..2] maxHeaderBytes (big-endian; 0 = the default 64 KiB)
//   [3..4] maxBodyBytes when bit 1 is set
//   [5..6] where to split the input into two feeds
//   [7]    piece size (1..16) for a third, piecewise run
// A seed is a recorded response with eight zero bytes in front (scripts/run-fuzzers.sh makes them).
// Besides the sanitizers, it checks that the three ways of feeding agree: a parser must not care how the
// bytes were split.

#include "dockscope/docker/HttpResponseParser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace dockscope::docker;
using Fields = std::vector<std::pair<std::string, std::string>>;

struct Config {
    HttpResponseParser::Limits limits;
    bool headRequest = false;
    std::size_t cut = 0;
    std::size_t pieceSize = 1;
};

struct Response {
    std::vector<HttpResponseHead> heads;
    std::string body;
    int completions = 0;
    HttpParseError error = HttpParseError::None;
    std::string message;
    Fields trailers;
    bool keepAlive = false;
    bool operator==(const Response&) const = default;
};

[[noreturn]] void violated(const char* what)
{
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

Config readConfig(const std::uint8_t* control, std::size_t inputSize)
{
    const auto u16 = [control](int i) { return std::size_t{control[i]} << 8 | control[i + 1]; };
    Config config;
    config.headRequest = (control[0] & 1) != 0;
    config.limits.maxHeaderBytes = u16(1) == 0 ? 64 * 1024 : u16(1);
    config.limits.maxBodyBytes = (control[0] & 2) != 0 ? u16(3) : 0;
    config.cut = u16(5) % (inputSize + 1);
    config.pieceSize = control[7] % 16 + 1;
    return config;
}

void checkResponse(const Response& r, const Config& config)
{
    if (r.completions > 1 || r.heads.size() > 1)
        violated("more than one onHead or onComplete for one response");
    if (r.completions == 1 && r.error != HttpParseError::None)
        violated("a response both completed and failed");
    if ((r.error == HttpParseError::None) != r.message.empty())
        violated("an error without a message, or a message without an error");
    if (config.limits.maxBodyBytes != 0 && r.body.size() > config.limits.maxBodyBytes)
        violated("more body bytes delivered than maxBodyBytes");
    if ((config.headRequest ||
         (!r.heads.empty() && (r.heads[0].status == 204 || r.heads[0].status == 304))) &&
        !r.body.empty())
        violated("a body for HEAD, 204 or 304");
}

class Run {
public:
    explicit Run(const Config& config)
        : m_config(config)
        , m_parser({[this](const HttpResponseHead& h) { m_out.back().heads.push_back(h); },
                    [this](std::string_view bytes) { m_out.back().body += bytes; },
                    [this] { ++m_out.back().completions; }},
                   config.limits)
    {
        m_parser.setHeadRequest(config.headRequest);
    }

    // Feeds one piece, starting the next response (as a kept-alive connection does) whenever one completes.
    void feed(std::string_view piece)
    {
        while (!piece.empty() && !m_parser.hasError()) {
            const std::size_t used = m_parser.feed(piece);
            if (used > piece.size())
                violated("feed() consumed more than it was given");
            piece.remove_prefix(used);
            if (m_parser.isComplete()) {
                if (used == 0)
                    violated("a complete response consumed nothing");
                nextResponse();
            } else if (!piece.empty() && !m_parser.hasError()) {
                violated("feed() left bytes without completing or failing");
            }
        }
    }

    std::vector<Response> finish()
    {
        m_parser.finish();
        record();
        if (m_parser.hasError() && m_parser.feed("HTTP/1.1 200 OK\r\n") != 0)
            violated("feed() consumed bytes after an error");
        if (m_out.back() == Response{})
            m_out.pop_back();
        for (const auto& r : m_out)
            checkResponse(r, m_config);
        return std::move(m_out);
    }

private:
    void record()
    {
        m_out.back().error = m_parser.error();
        m_out.back().message = m_parser.errorMessage();
        m_out.back().trailers = m_parser.trailers();
        m_out.back().keepAlive = m_parser.keepAlive();
    }

    void nextResponse()
    {
        record();
        m_out.emplace_back();
        m_parser.reset();
        m_parser.setHeadRequest(m_config.headRequest);
    }

    Config m_config;
    std::vector<Response> m_out{1};
    HttpResponseParser m_parser;
};

std::vector<Response> parseWhole(std::string_view input, const Config& config)
{
    Run run(config);
    run.feed(input);
    return run.finish();
}

std::vector<Response> parseSplit(std::string_view input, const Config& config)
{
    Run run(config);
    run.feed(input.substr(0, config.cut));
    run.feed(input.substr(config.cut));
    return run.finish();
}

std::vector<Response> parsePieces(std::string_view input, const Config& config)
{
    Run run(config);
    for (std::size_t pos = 0; pos < input.size(); pos += config.pieceSize)
        run.feed(input.substr(pos, config.pieceSize));
    return run.finish();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    constexpr std::size_t kControl = 8;
    if (size < kControl)
        return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + kControl, size - kControl);
    const Config config = readConfig(data, input.size());
    const auto whole = parseWhole(input, config);
    if (parseSplit(input, config) != whole)
        violated("feeding in two pieces differs from feeding whole");
    if (parsePieces(input, config) != whole)
        violated("feeding in small pieces differs from feeding whole");
    return 0;
}
