#include "dockscope/docker/HttpResponseParser.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <ostream>

namespace dockscope::docker {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;
using Limits = HttpResponseParser::Limits;

// What the callbacks and accessors reported for one response.
struct Response {
    std::vector<HttpResponseHead> heads; // more than one onHead per response would be a bug
    std::string body;
    int completions = 0;
    HttpParseError error = HttpParseError::None;
    std::string message;
    Fields trailers;
    bool keepAlive = false;
    bool operator==(const Response&) const = default;
};

void PrintTo(const Response& r, std::ostream* os)
{
    *os << "{heads=" << r.heads.size() << " status=" << (r.heads.empty() ? 0 : r.heads[0].status)
        << " body=" << r.body.size() << "B completions=" << r.completions
        << " error=" << static_cast<int>(r.error) << " '" << r.message << "' trailers=" << r.trailers.size()
        << " keepAlive=" << r.keepAlive << "}";
}

// Parses consecutive responses from `input` fed in pieces cut at `cuts` (ascending), resetting after each
// complete one as a kept-alive connection does, and calls finish() once every piece is in.
std::vector<Response> parseAll(std::string_view input, const std::vector<std::size_t>& cuts,
                               Limits limits = {}, bool headRequest = false)
{
    std::vector<Response> out(1);
    HttpResponseParser parser({[&](const HttpResponseHead& h) { out.back().heads.push_back(h); },
                               [&](std::string_view bytes) { out.back().body += bytes; },
                               [&] { ++out.back().completions; }},
                              limits);
    parser.setHeadRequest(headRequest);
    const auto record = [&] {
        out.back().error = parser.error();
        out.back().message = parser.errorMessage();
        out.back().trailers = parser.trailers();
        out.back().keepAlive = parser.keepAlive();
    };
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cuts.size() && !parser.hasError(); ++i) {
        auto piece = input.substr(start, (i < cuts.size() ? cuts[i] : input.size()) - start);
        start += piece.size();
        while (!piece.empty() && !parser.hasError()) {
            piece.remove_prefix(parser.feed(piece));
            if (parser.isComplete()) {
                record();
                out.emplace_back();
                parser.reset();
                parser.setHeadRequest(headRequest);
            } else if (!piece.empty() && !parser.hasError()) {
                ADD_FAILURE() << "feed() left bytes without completing or failing";
                return out;
            }
        }
    }
    parser.finish();
    record();
    if (out.back() == Response{})
        out.pop_back();
    return out;
}

Response parseOne(std::string_view input, Limits limits = {}, bool headRequest = false)
{
    auto all = parseAll(input, {}, limits, headRequest);
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? Response{} : all.front();
}

std::string readFixture(const std::filesystem::path& path)
{
    // A sized read: with istreambuf_iterator, g++ 12 -O2 reports a spurious null dereference.
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        ADD_FAILURE() << "cannot open " << path;
        return {};
    }
    std::string data(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    return data;
}

std::string fixture(std::string_view name)
{
    return readFixture(std::filesystem::path(DOCKSCOPE_FIXTURES_DIR) / "http" / name);
}

std::vector<std::filesystem::path> fixturePaths()
{
    std::vector<std::filesystem::path> paths;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(DOCKSCOPE_FIXTURES_DIR) / "http"))
        if (entry.path().extension() == ".http")
            paths.push_back(entry.path());
    return paths;
}

std::size_t headSize(std::string_view response)
{
    return response.find("\r\n\r\n") + 4;
}

// Parses `input` whole, byte by byte, and split in two at every byte; all must agree. Returns the whole
// result.
std::vector<Response> parseEverySplit(std::string_view input, Limits limits = {})
{
    const auto whole = parseAll(input, {}, limits);
    std::vector<std::size_t> everyByte;
    for (std::size_t cut = 1; cut < input.size(); ++cut)
        everyByte.push_back(cut);
    EXPECT_EQ(parseAll(input, everyByte, limits), whole) << "fed byte by byte";
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        if (parseAll(input, {cut}, limits) != whole) {
            ADD_FAILURE() << "split at byte " << cut << " differs";
            break;
        }
    }
    return whole;
}

TEST(HttpResponseParserFixtures, EveryRecordedResponseParsesTheSameHoweverItIsSplit)
{
    const auto paths = fixturePaths();
    ASSERT_GE(paths.size(), 10u);
    for (const auto& path : paths) {
        SCOPED_TRACE(path.filename().string());
        const auto whole = parseEverySplit(readFixture(path));
        ASSERT_FALSE(whole.empty());
        for (const auto& r : whole) {
            EXPECT_EQ(r.error, HttpParseError::None) << r.message;
            EXPECT_EQ(r.completions, 1);
            EXPECT_EQ(r.heads.size(), 1u);
        }
    }
}

TEST(HttpResponseParserFixtures, PingHasStatusHeadersAndBody)
{
    const auto r = parseOne(fixture("ping.http"));
    ASSERT_EQ(r.heads.size(), 1u);
    EXPECT_EQ(r.heads[0].status, 200);
    EXPECT_EQ(r.heads[0].versionMinor, 1);
    EXPECT_EQ(r.heads[0].reason, "OK");
    EXPECT_EQ(r.heads[0].header("api-VERSION"), "1.41");
    EXPECT_EQ(r.heads[0].header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(r.heads[0].header("X-Missing"), std::nullopt);
    EXPECT_EQ(r.body, "OK");
    EXPECT_FALSE(r.keepAlive) << "the recorder asked for Connection: close";
}

TEST(HttpResponseParserFixtures, ContentLengthBodiesAreTheDocumentsDockerSent)
{
    const auto version = parseOne(fixture("version.http"));
    EXPECT_EQ(nlohmann::json::parse(version.body).at("ApiVersion"), "1.41");
    EXPECT_EQ(std::to_string(version.body.size()), version.heads.at(0).header("Content-Length"));

    const auto missing = parseOne(fixture("inspect-404.http"));
    EXPECT_EQ(missing.heads.at(0).status, 404);
    EXPECT_EQ(missing.heads.at(0).reason, "Not Found");
    EXPECT_EQ(nlohmann::json::parse(missing.body).at("message"), "No such container: dockscope-fx-missing");

    const auto conflict = parseOne(fixture("remove-running-409.http"));
    EXPECT_EQ(conflict.heads.at(0).status, 409);
    EXPECT_NE(conflict.body.find("You cannot remove a running container"), std::string::npos);

    const auto stats = parseOne(fixture("stats-oneshot.http"));
    EXPECT_TRUE(nlohmann::json::parse(stats.body).contains("cpu_stats"));

    const auto list = nlohmann::json::parse(parseOne(fixture("containers-json.http")).body);
    ASSERT_TRUE(list.is_array());
    EXPECT_EQ(list.at(0).at("Names").at(0), "/dockscope-fx-running");
}

TEST(HttpResponseParserFixtures, ChunkedAndCloseDelimitedEventsCarryTheSameBody)
{
    // Both were recorded with the same since/until, so the daemon replayed the same events.
    const std::string chunked = fixture("events-chunked.http");
    ASSERT_NE(chunked.find("Transfer-Encoding: chunked"), std::string::npos);
    const auto viaChunks = parseOne(chunked);
    const auto viaClose = parseOne(fixture("events-http10-close.http"));
    EXPECT_EQ(viaChunks.body, viaClose.body);
    EXPECT_EQ(viaClose.heads.at(0).versionMinor, 0);
    EXPECT_FALSE(viaClose.keepAlive);
    std::size_t lines = 0;
    for (std::size_t pos = 0, nl; (nl = viaChunks.body.find('\n', pos)) != std::string::npos;
         pos = nl + 1, ++lines)
        EXPECT_TRUE(nlohmann::json::parse(viaChunks.body.substr(pos, nl - pos)).contains("Action"));
    EXPECT_GT(lines, 5u);
    EXPECT_EQ(viaChunks.body.back(), '\n');
}

TEST(HttpResponseParserFixtures, CloseDelimitedBodyCompletesOnlyOnFinish)
{
    const std::string data = fixture("events-http10-close.http");
    int completions = 0;
    HttpResponseParser parser({nullptr, nullptr, [&] { ++completions; }});
    EXPECT_EQ(parser.feed(data), data.size());
    EXPECT_FALSE(parser.isComplete());
    EXPECT_EQ(completions, 0);
    parser.finish();
    EXPECT_TRUE(parser.isComplete());
    EXPECT_EQ(completions, 1);
    EXPECT_FALSE(parser.hasError());
}

TEST(HttpResponseParserFixtures, InterimContinueIsSkipped)
{
    const std::string data = fixture("create-100-continue.http");
    ASSERT_EQ(data.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u);
    const auto r = parseOne(data);
    ASSERT_EQ(r.heads.size(), 1u);
    EXPECT_EQ(r.heads[0].status, 201);
    EXPECT_TRUE(nlohmann::json::parse(r.body).contains("Id"));
}

TEST(HttpResponseParserFixtures, NotModifiedHasNoBodyAndCompletesWithItsHead)
{
    const std::string data = fixture("start-running-304.http");
    HttpResponseParser parser({});
    EXPECT_EQ(parser.feed(data), data.size());
    EXPECT_TRUE(parser.isComplete());
    EXPECT_EQ(parser.head().status, 304);
}

TEST(HttpResponseParserFixtures, HeadRequestIgnoresContentLength)
{
    // A HEAD answer carries the headers a GET would, Content-Length: 2 included, and no body.
    const std::string ping = fixture("ping.http");
    const std::string head = ping.substr(0, headSize(ping));
    const std::string next = "HTTP/1.1 204 No Content\r\n\r\n";
    const auto responses = parseAll(head + next, {}, {}, true);
    ASSERT_EQ(responses.size(), 2u);
    EXPECT_EQ(responses[0].heads.at(0).header("Content-Length"), "2");
    EXPECT_EQ(responses[0].body, "");
    EXPECT_EQ(responses[1].heads.at(0).status, 204);
}

TEST(HttpResponseParserFixtures, KeptAliveConnectionCarriesTwoResponses)
{
    const std::string data = fixture("keepalive-two-responses.http");
    const std::size_t second = data.find("HTTP/1.1", 1);
    std::vector<std::string> bodies;
    HttpResponseParser parser({nullptr, [&](std::string_view b) { bodies.back() += b; }, nullptr});
    bodies.emplace_back();
    ASSERT_EQ(parser.feed(data), second) << "bytes of the next response must be left unconsumed";
    EXPECT_TRUE(parser.isComplete());
    EXPECT_TRUE(parser.keepAlive());
    EXPECT_EQ(parser.feed(std::string_view(data).substr(second)), 0u) << "nothing more until reset()";
    parser.reset();
    bodies.emplace_back();
    EXPECT_EQ(parser.feed(std::string_view(data).substr(second)), data.size() - second);
    EXPECT_TRUE(parser.isComplete());
    EXPECT_FALSE(parser.keepAlive());
    EXPECT_EQ(bodies[0], "OK");
    EXPECT_EQ(nlohmann::json::parse(bodies[1]).at("ApiVersion"), "1.41");
}

TEST(HttpResponseParserFixtures, HeadLimitCountsEveryByteOfTheHead)
{
    const std::string ping = fixture("ping.http");
    const std::size_t size = headSize(ping);
    EXPECT_EQ(parseOne(ping, {size, 0}).body, "OK");
    const auto r = parseOne(ping, {size - 1, 0});
    EXPECT_EQ(r.error, HttpParseError::HeadersTooLarge);
    EXPECT_TRUE(r.heads.empty());
}

TEST(HttpResponseParserFixtures, BodyLimit)
{
    const std::string version = fixture("version.http");
    const std::size_t bodySize = version.size() - headSize(version);
    EXPECT_EQ(parseOne(version, {64 * 1024, bodySize}).error, HttpParseError::None);
    const auto tooLarge = parseOne(version, {64 * 1024, bodySize - 1});
    EXPECT_EQ(tooLarge.error, HttpParseError::BodyTooLarge);
    EXPECT_EQ(tooLarge.heads.size(), 1u) << "the head was fine";
    EXPECT_EQ(tooLarge.body, "") << "a declared length over the limit fails before any body byte";

    const std::string events = fixture("events-chunked.http");
    const auto chunked = parseOne(events, {64 * 1024, 1000});
    EXPECT_EQ(chunked.error, HttpParseError::BodyTooLarge);
    ASSERT_FALSE(chunked.body.empty());
    EXPECT_LE(chunked.body.size(), 1000u);
    EXPECT_EQ(chunked.body.back(), '\n')
        << "each chunk is one event line; the one over the limit is refused whole";
    const auto closeDelimited = parseOne(fixture("events-http10-close.http"), {64 * 1024, 1000});
    EXPECT_EQ(closeDelimited.error, HttpParseError::BodyTooLarge);
    EXPECT_EQ(closeDelimited.body.size(), 1000u);
}

TEST(HttpResponseParserFixtures, TruncatedResponsesFailOnFinish)
{
    const std::string version = fixture("version.http");
    const auto body = parseOne(std::string_view(version).substr(0, version.size() - 10));
    EXPECT_EQ(body.error, HttpParseError::Truncated);
    EXPECT_NE(body.message.find(std::to_string(version.size() - headSize(version))), std::string::npos)
        << body.message;
    EXPECT_EQ(body.completions, 0);

    const std::string events = fixture("events-chunked.http");
    ASSERT_EQ(events.substr(events.size() - 5), "0\r\n\r\n");
    for (const std::size_t cut : {std::size_t{5}, std::size_t{3}, std::size_t{1}, events.size() / 2})
        EXPECT_EQ(parseOne(std::string_view(events).substr(0, events.size() - cut)).error,
                  HttpParseError::Truncated);
    EXPECT_EQ(parseOne(std::string_view(events).substr(0, 40)).error, HttpParseError::Truncated);
}

const std::string kChunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST(HttpResponseParserChunked, ExtensionsHexCaseLeadingZerosAndBareLineFeeds)
{
    const std::string x31(31, 'x');
    const std::pair<std::string, std::string> cases[] = {
        {"5;name=value;flag\r\nhello\r\n6 ; q=\"a;b\"\r\n world\r\n0\r\n\r\n", "hello world"},
        {"1f\r\n" + x31 + "\r\n1F\r\n" + x31 + "\r\nA\r\n0123456789\r\n0\r\n\r\n", x31 + x31 + "0123456789"},
        {"0000000000000000000000005\r\nhello\r\n000\r\n\r\n", "hello"},
        {"5\nhello\n0\n\n", "hello"},
    };
    for (const auto& [chunks, body] : cases) {
        SCOPED_TRACE(chunks);
        const auto r = parseEverySplit(kChunkedHead + chunks);
        ASSERT_EQ(r.size(), 1u);
        EXPECT_EQ(r[0].error, HttpParseError::None) << r[0].message;
        EXPECT_EQ(r[0].body, body);
        EXPECT_EQ(r[0].completions, 1);
    }
}

TEST(HttpResponseParserChunked, LastChunkWithTrailers)
{
    const std::string input =
        kChunkedHead + "3\r\nabc\r\n0;end=1\r\nX-Checksum: abc\r\nX-Other:  v \t\r\n\r\n";
    const auto r = parseEverySplit(input + "HTTP/1.1 204 No Content\r\n\r\n");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].body, "abc");
    EXPECT_EQ(r[0].trailers, (Fields{{"X-Checksum", "abc"}, {"X-Other", "v"}}));
    EXPECT_TRUE(r[0].heads.at(0).header("X-Checksum") == std::nullopt) << "trailers are not headers";
    EXPECT_EQ(r[1].heads.at(0).status, 204);

    // The trailers get a budget of their own: 47 bytes of head and 35 of trailers each fit in 64.
    const auto own = parseOne(kChunkedHead + "0\r\nX-Trailer: " + std::string(20, 't') + "\r\n\r\n", {64, 0});
    EXPECT_EQ(own.error, HttpParseError::None) << own.message;
    EXPECT_EQ(own.trailers.size(), 1u);
}

TEST(HttpResponseParserChunked, BodyIsDeliveredAsItArrives)
{
    std::string body;
    HttpResponseParser parser({nullptr, [&](std::string_view b) { body += b; }, nullptr});
    parser.feed(kChunkedHead + "5\r\nhel");
    EXPECT_EQ(body, "hel");
    parser.feed("lo\r");
    EXPECT_EQ(body, "hello");
    parser.feed("\n0\r\n\r");
    EXPECT_FALSE(parser.isComplete());
    EXPECT_EQ(parser.feed("\n"), 1u);
    EXPECT_TRUE(parser.isComplete());
}

TEST(HttpResponseParserChunked, TransferEncodingDecidesTheFraming)
{
    const auto overridesLength = parseOne(
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(overridesLength.body, "hello");
    EXPECT_TRUE(overridesLength.keepAlive);
    EXPECT_EQ(
        parseOne("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n2\r\nab\r\n0\r\n\r\n").body,
        "ab");
    const auto notChunked =
        parseOne("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 1\r\n\r\nabc");
    EXPECT_EQ(notChunked.body, "abc") << "a final coding other than chunked ends with the connection";
    EXPECT_FALSE(notChunked.keepAlive);
}

struct Malformed {
    std::string input;
    HttpParseError error;
    std::string message; // a fragment of errorMessage()
    Limits limits = {};
};

TEST(HttpResponseParserErrors, MalformedInputsGiveTheRightError)
{
    const std::string ok = "HTTP/1.1 200 OK\r\n";
    const Malformed cases[] = {
        {"HTTP/2 200 OK\r\n\r\n", HttpParseError::BadStatusLine, "bad status line: 'HTTP/2 200 OK'"},
        {"HTTP/1.1 abc OK\r\n\r\n", HttpParseError::BadStatusLine, "bad status line: 'HTTP/1.1 abc OK'"},
        {"HTTP/1.1 20 OK\r\n\r\n", HttpParseError::BadStatusLine, "'HTTP/1.1 20 OK'"},
        {"HTTP/1.1 2000 OK\r\n\r\n", HttpParseError::BadStatusLine, "'HTTP/1.1 2000 OK'"},
        {"\r\nHTTP/1.1 200 OK\r\n\r\n", HttpParseError::BadStatusLine, "bad status line: ''"},
        {std::string("\x16\x03\x01\x00\x02\n", 6), HttpParseError::BadStatusLine,
         "'\\x16\\x03\\x01\\x00\\x02'"},
        {ok + "Content-Length 5\r\n\r\n", HttpParseError::BadHeader,
         "header line without colon: 'Content-Length 5'"},
        {ok + "Content-Length : 5\r\n\r\n", HttpParseError::BadHeader, "bad header name"},
        {ok + "X-A: 1\r\n  folded\r\n\r\n", HttpParseError::BadHeader, "folded header line"},
        {ok + "Content-Length: abc\r\n\r\n", HttpParseError::BadContentLength, "bad Content-Length: 'abc'"},
        {ok + "Content-Length: -1\r\n\r\n", HttpParseError::BadContentLength, "'-1'"},
        {ok + "Content-Length: +5\r\n\r\n", HttpParseError::BadContentLength, "'+5'"},
        {ok + "Content-Length: 0x10\r\n\r\n", HttpParseError::BadContentLength, "'0x10'"},
        {ok + "Content-Length:\r\n\r\n", HttpParseError::BadContentLength, "bad Content-Length: ''"},
        {ok + "Content-Length: 18446744073709551616\r\n\r\n", HttpParseError::BadContentLength, "too large"},
        {ok + "Content-Length: 5\r\ncontent-length: 6\r\n\r\nhello!", HttpParseError::BadContentLength,
         "conflicting Content-Length values: '5' and '6'"},
        {ok + "Content-Length: 5, 6\r\n\r\nhello!", HttpParseError::BadContentLength, "'5' and '6'"},
        {kChunkedHead + "zz\r\n", HttpParseError::BadChunk, "bad chunk size line: 'zz'"},
        {kChunkedHead + "\r\n", HttpParseError::BadChunk, "bad chunk size line: ''"},
        {kChunkedHead + "5x\r\nhello\r\n", HttpParseError::BadChunk, "'5x'"},
        {kChunkedHead + "10000000000000000\r\n", HttpParseError::BadChunk, "chunk size too large"},
        {kChunkedHead + std::string(5000, '0') + "\r\n", HttpParseError::BadChunk, "chunk size line longer"},
        {kChunkedHead + "5\r\nhelloXX\r\n", HttpParseError::BadChunk, "not followed by CRLF (found 'X')"},
        {kChunkedHead + "5\r\nhello\r\r\n", HttpParseError::BadChunk, "not followed by CRLF (found '\\x0d')"},
        {kChunkedHead + "0\r\nno colon here\r\n\r\n", HttpParseError::BadHeader, "'no colon here'"},
        {ok + "X-Big: " + std::string(100, 'b') + "\r\n\r\n",
         HttpParseError::HeadersTooLarge,
         "response head larger than the limit of 64 bytes",
         {64, 0}},
        {kChunkedHead + "0\r\nX-Big: " + std::string(100, 'b') + "\r\n\r\n",
         HttpParseError::HeadersTooLarge,
         "chunked trailers larger",
         {80, 0}},
        {ok + "Content-Length: 11\r\n\r\nhello world",
         HttpParseError::BodyTooLarge,
         "limit of 10 bytes",
         {1024, 10}},
        {kChunkedHead + "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
         HttpParseError::BodyTooLarge,
         "limit of 10",
         {1024, 10}},
        {ok + "Content-Length: 10\r\n\r\nhello", HttpParseError::Truncated, "after 5 of 10 body bytes"},
        {ok + "Content-Length: 10", HttpParseError::Truncated, "in the middle of the response head"},
        {kChunkedHead + "5\r\nhel", HttpParseError::Truncated, "in the middle of a chunked body"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.input);
        const auto r = parseEverySplit(c.input, c.limits);
        ASSERT_EQ(r.size(), 1u);
        EXPECT_EQ(r[0].error, c.error);
        EXPECT_NE(r[0].message.find(c.message), std::string::npos) << r[0].message;
        EXPECT_EQ(r[0].completions, 0);
        EXPECT_FALSE(r[0].keepAlive);
    }
}

TEST(HttpResponseParserErrors, NothingHappensAfterAnError)
{
    int calls = 0;
    HttpResponseParser parser(
        {[&](const HttpResponseHead&) { ++calls; }, [&](std::string_view) { ++calls; }, [&] { ++calls; }});
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n";
    EXPECT_EQ(parser.feed(head + "body"), head.size()) << "parsing stops where the error was found";
    EXPECT_EQ(parser.error(), HttpParseError::BadContentLength);
    EXPECT_EQ(parser.feed("HTTP/1.1 200 OK\r\n\r\n"), 0u);
    parser.finish();
    EXPECT_EQ(parser.error(), HttpParseError::BadContentLength);
    EXPECT_EQ(calls, 0);

    parser.reset();
    EXPECT_FALSE(parser.hasError());
    EXPECT_EQ(parser.errorMessage(), "");
    parser.feed("HTTP/1.1 204 No Content\r\n\r\n");
    EXPECT_TRUE(parser.isComplete());
    EXPECT_EQ(calls, 2);
}

TEST(HttpResponseParser, StatusLineAndHeaderVariants)
{
    const auto noReason = parseOne("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(noReason.heads.at(0).status, 200);
    EXPECT_EQ(noReason.heads.at(0).reason, "");
    EXPECT_EQ(parseOne("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").heads.at(0).reason, "");
    EXPECT_EQ(parseOne("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n").heads.at(0).reason,
              "I'm a teapot");

    const auto r = parseEverySplit("HTTP/1.1 200 OK\nX-A:\t  spaced value \t\nX-Empty:\nX-A: second\n"
                                   "Content-Length: 2\n\nhi");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].heads.at(0).headers,
              (Fields{{"X-A", "spaced value"}, {"X-Empty", ""}, {"X-A", "second"}, {"Content-Length", "2"}}));
    EXPECT_EQ(r[0].heads.at(0).header("x-a"), "spaced value");
    EXPECT_EQ(r[0].body, "hi");
    EXPECT_EQ(parseOne("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 003\r\n\r\nabc").body, "abc");
}

TEST(HttpResponseParser, NoBodyFor204And304AndInterimResponsesAreSkipped)
{
    const std::string next = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    for (const std::string status : {"204 No Content", "304 Not Modified"}) {
        const auto r = parseEverySplit("HTTP/1.1 " + status + "\r\nContent-Length: 5\r\n\r\n" + next);
        ASSERT_EQ(r.size(), 2u) << status;
        EXPECT_EQ(r[0].body, "");
        EXPECT_EQ(r[1].body, "hi");
    }
    const auto interim =
        parseEverySplit("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 102 Processing\n\n" + next);
    ASSERT_EQ(interim.size(), 1u);
    ASSERT_EQ(interim[0].heads.size(), 1u);
    EXPECT_EQ(interim[0].heads[0].status, 200);
    EXPECT_EQ(interim[0].heads[0].header("Link"), std::nullopt);
}

TEST(HttpResponseParser, SwitchingProtocolsLeavesTheRawStreamToTheCaller)
{
    const std::string head = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                             "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
    HttpResponseParser parser({});
    EXPECT_EQ(parser.feed(head + "raw bytes"), head.size());
    EXPECT_TRUE(parser.isComplete());
    EXPECT_FALSE(parser.keepAlive());
}

TEST(HttpResponseParser, KeepAliveRules)
{
    const std::pair<std::string, bool> cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 204 No Content\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\n\r\nclose-delimited", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nclose-delimited", false},
    };
    for (const auto& [input, keepAlive] : cases) {
        const auto r = parseOne(input);
        EXPECT_EQ(r.completions, 1) << input;
        EXPECT_EQ(r.keepAlive, keepAlive) << input;
    }
}

TEST(HttpResponseParser, ResetClearsTheHeadRequestFlag)
{
    std::string body;
    HttpResponseParser parser({nullptr, [&](std::string_view b) { body += b; }, nullptr});
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    parser.setHeadRequest(true);
    EXPECT_EQ(parser.feed(response), response.size() - 2);
    parser.reset();
    EXPECT_EQ(parser.feed(response), response.size());
    EXPECT_EQ(body, "hi");
}

TEST(HttpResponseParser, FinishWithoutAnyByteIsNotAnError)
{
    HttpResponseParser parser({});
    parser.finish();
    EXPECT_FALSE(parser.hasError());
    EXPECT_FALSE(parser.isComplete());
}

} // namespace
} // namespace dockscope::docker
