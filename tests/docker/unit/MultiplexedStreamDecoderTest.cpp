#include "dockscope/docker/MultiplexedStreamDecoder.h"
#include "dockscope/docker/HttpResponseParser.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace dockscope::docker {
namespace {

using Frames = std::vector<std::pair<StdStream, std::string>>;

std::string frame(std::uint8_t type, std::string_view payload)
{
    const auto size = static_cast<std::uint32_t>(payload.size());
    std::string out{static_cast<char>(type), 0, 0, 0};
    for (const int shift : {24, 16, 8, 0})
        out += static_cast<char>((size >> shift) & 0xff);
    return out.append(payload);
}

// Feeds `input` in pieces cut at `cuts` (ascending) and returns the frames, or the error message.
Frames decode(std::string_view input, const std::vector<std::size_t>& cuts, std::string* error = nullptr,
              std::size_t maxFrame = 1024 * 1024)
{
    Frames frames;
    MultiplexedStreamDecoder decoder([&](StdStream s, std::string_view p) { frames.emplace_back(s, p); },
                                     maxFrame);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t end = i < cuts.size() ? cuts[i] : input.size();
        if (!decoder.feed(input.substr(start, end - start)))
            break;
        start = end;
    }
    if (error)
        *error = decoder.errorMessage();
    EXPECT_EQ(decoder.hasError() || decoder.atFrameBoundary(), true) << "inputs here end on a frame boundary";
    return frames;
}

std::vector<std::string> splitLines(std::string_view input, const std::vector<std::size_t>& cuts)
{
    std::vector<std::string> lines;
    LineSplitter splitter([&](std::string_view line) { lines.emplace_back(line); });
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t end = i < cuts.size() ? cuts[i] : input.size();
        EXPECT_TRUE(splitter.feed(input.substr(start, end - start))) << splitter.errorMessage();
        start = end;
    }
    splitter.flush();
    return lines;
}

// The decoded body of a recorded HTTP response.
std::string fixtureBody(std::string_view name)
{
    // A sized read: with istreambuf_iterator, g++ 12 -O2 reports a spurious null dereference.
    std::ifstream in(std::filesystem::path(DOCKSCOPE_FIXTURES_DIR) / "http" / name,
                     std::ios::binary | std::ios::ate);
    if (!in) {
        ADD_FAILURE() << "cannot open " << name;
        return {};
    }
    std::string raw(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    std::string body;
    HttpResponseParser parser({nullptr, [&](std::string_view b) { body += b; }, nullptr});
    parser.feed(raw);
    parser.finish();
    EXPECT_TRUE(parser.isComplete()) << parser.errorMessage();
    return body;
}

TEST(MultiplexedStreamDecoder, FramesSplitAnywhereKeepTheirStream)
{
    const std::string big(300, 'b'); // a size that needs two bytes of the length field
    const std::string input = frame(1, "hello\n") + frame(2, "oops\n") + frame(1, "") + frame(1, big) +
                              frame(0, "in") + frame(2, "x");
    const Frames expected{{StdStream::Stdout, "hello\n"},
                          {StdStream::Stderr, "oops\n"},
                          {StdStream::Stdout, big},
                          {StdStream::Stdin, "in"},
                          {StdStream::Stderr, "x"}};
    EXPECT_EQ(decode(input, {}), expected) << "whole; the empty frame is skipped";
    std::vector<std::size_t> everyByte;
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        everyByte.push_back(cut);
        ASSERT_EQ(decode(input, {cut}), expected) << "split at " << cut;
    }
    EXPECT_EQ(decode(input, everyByte), expected);
}

TEST(MultiplexedStreamDecoder, LargeFrameUsesEveryLengthByte)
{
    const std::string payload(0x011170, 'z');
    const std::string input = frame(2, payload);
    ASSERT_EQ(input.substr(4, 4), std::string("\x00\x01\x11\x70", 4));
    Frames frames;
    MultiplexedStreamDecoder decoder([&](StdStream s, std::string_view p) { frames.emplace_back(s, p); });
    EXPECT_TRUE(decoder.feed(input.substr(0, 5)));
    EXPECT_FALSE(decoder.atFrameBoundary());
    EXPECT_TRUE(decoder.feed(input.substr(5, 40000)));
    EXPECT_TRUE(frames.empty()) << "a frame is delivered whole";
    EXPECT_TRUE(decoder.feed(input.substr(40005)));
    EXPECT_TRUE(decoder.atFrameBoundary());
    EXPECT_EQ(frames, (Frames{{StdStream::Stderr, payload}}));
}

TEST(MultiplexedStreamDecoder, InvalidHeadersAndOversizedFramesAreRejected)
{
    const std::pair<std::string, std::string> cases[] = {
        {frame(1, "ok") + frame(3, "bad"), "stream type 3 is not 0, 1 or 2"},
        {frame(1, "ok") + std::string("\x01\x01\x00\x00\x00\x00\x00\x01z", 9),
         "padding bytes 1-3 are not zero"},
        {frame(1, "ok") + std::string("\x01\x00\x01\x00\x00\x00\x00\x01z", 9),
         "padding bytes 1-3 are not zero"},
        {frame(1, "ok") + std::string("\x01\x00\x00\x01\x00\x00\x00\x01z", 9),
         "padding bytes 1-3 are not zero"},
        {frame(1, "ok") + frame(1, std::string(17, 'x')), "frame of 17 bytes exceeds the limit of 16 bytes"},
    };
    for (const auto& [input, message] : cases) {
        for (std::size_t cut = 1; cut < input.size(); ++cut) {
            std::string error;
            const auto frames = decode(input, {cut}, &error, 16);
            EXPECT_EQ(frames, (Frames{{StdStream::Stdout, "ok"}})) << "split at " << cut;
            EXPECT_NE(error.find(message), std::string::npos) << error;
        }
    }
    std::string error;
    EXPECT_EQ(decode(frame(2, std::string(16, 'x')), {}, &error, 16).size(), 1u) << "exactly the limit fits";
    EXPECT_EQ(error, "");
}

TEST(MultiplexedStreamDecoder, NothingIsDecodedAfterAnError)
{
    int frames = 0;
    MultiplexedStreamDecoder decoder([&](StdStream, std::string_view) { ++frames; });
    EXPECT_FALSE(decoder.feed(frame(7, "x")));
    EXPECT_FALSE(decoder.feed(frame(1, "fine")));
    EXPECT_EQ(frames, 0);
    EXPECT_TRUE(decoder.hasError());
}

TEST(MultiplexedStreamDecoder, RecordedLogsDecodeToWhatTheContainerPrinted)
{
    // The recorder's container ran: for i in 1..20: echo "stdout line $i"; every 4th i also
    // echo "stderr line $((i/4))" >&2; then printf "no newline at end" (tests/fixtures/http/README.md).
    std::string expectedOut;
    std::string expectedErr;
    for (int i = 1; i <= 20; ++i) {
        expectedOut += "stdout line " + std::to_string(i) + "\n";
        if (i % 4 == 0)
            expectedErr += "stderr line " + std::to_string(i / 4) + "\n";
    }
    expectedOut += "no newline at end";

    const std::string body = fixtureBody("logs-multiplexed.http");
    std::vector<std::size_t> everyByte;
    for (std::size_t cut = 1; cut < body.size(); ++cut)
        everyByte.push_back(cut);
    for (const auto& cuts : {std::vector<std::size_t>{}, everyByte}) {
        std::string out;
        std::string err;
        for (const auto& [stream, payload] : decode(body, cuts))
            (stream == StdStream::Stdout ? out : err) += payload;
        EXPECT_EQ(out, expectedOut);
        EXPECT_EQ(err, expectedErr);
    }
}

TEST(MultiplexedStreamDecoder, RecordedTtyLogsAreNotMultiplexed)
{
    std::string error;
    EXPECT_TRUE(decode(fixtureBody("logs-tty-raw.http"), {}, &error).empty());
    EXPECT_NE(error.find("stream type 116"), std::string::npos) << error; // 't' of "tty line 1"
}

TEST(LineSplitter, RecordedTtyOutputLosesItsCarriageReturns)
{
    const std::string body = fixtureBody("logs-tty-raw.http");
    ASSERT_NE(body.find("\r\n"), std::string::npos);
    EXPECT_EQ(splitLines(body, {}), (std::vector<std::string>{"tty line 1", "tty line 2", "done"}));
}

TEST(LineSplitter, RecordedEventsSplitAnywhereGiveTheSameLines)
{
    const std::string body = fixtureBody("events-chunked.http");
    const auto lines = splitLines(body, {});
    EXPECT_EQ(lines.size(), static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')));
    for (const auto& line : lines)
        EXPECT_TRUE(nlohmann::json::parse(line).contains("Type"));
    for (std::size_t cut = 1; cut < body.size(); ++cut)
        ASSERT_EQ(splitLines(body, {cut}), lines) << "split at " << cut;
}

TEST(LineSplitter, EmptyLinesAreSkippedAndFlushDeliversTheLastLine)
{
    const std::string input = "\r\na\r\n\r\n\nb\nc";
    for (std::size_t cut = 0; cut <= input.size(); ++cut)
        EXPECT_EQ(splitLines(input, {cut}), (std::vector<std::string>{"a", "b", "c"})) << "split at " << cut;
    EXPECT_TRUE(splitLines("x\n\r", {}) == std::vector<std::string>{"x"})
        << "a lone CR is an empty last line";
}

TEST(LineSplitter, LineLimitExcludesTheLineEnding)
{
    std::vector<std::string> lines;
    LineSplitter splitter([&](std::string_view line) { lines.emplace_back(line); }, 5);
    EXPECT_TRUE(splitter.feed("12345\n12345\r\n"));
    EXPECT_EQ(lines, (std::vector<std::string>{"12345", "12345"}));
    EXPECT_FALSE(splitter.feed("123456\n"));
    EXPECT_EQ(splitter.errorMessage(), "line longer than the limit of 5 bytes");
    EXPECT_FALSE(splitter.feed("ok\n"));
    splitter.flush();
    EXPECT_EQ(lines.size(), 2u) << "nothing after an error";

    LineSplitter unending([](std::string_view) {}, 5);
    EXPECT_TRUE(unending.feed("123"));
    EXPECT_FALSE(unending.feed("4567")) << "a line without newline fails once it passes the limit";
}

} // namespace
} // namespace dockscope::docker
