// Protocol v1 codec: every message through both encodings and zstd, the exact wire shapes docs/protocol.md
// shows, and malformed input refused with the right code and a message naming the field.
#include "../state/RandomState.h"
#include "../state/StateTestSupport.h"

#include "dockscope/protocol/Codec.h"
#include "dockscope/state/StateCodec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

using namespace dockscope;
using namespace dockscope::protocol;
using nlohmann::json;

namespace {

constexpr std::uint64_t kMax64 = ~std::uint64_t{0};

std::vector<ClientMessage> clientMessages()
{
    Subscription filtered{{Topic::Containers, Topic::Events}, {}};
    filtered.filter.name = "web-*";
    filtered.filter.labels = {{"tier", "front"}, {"owner", std::nullopt}};
    filtered.filter.composeProject = "shop";
    return {
        Hello{"t0k3n",
              "dockscope-cli 0.1",
              Encoding::Msgpack,
              {"zstd"},
              ResumePoint{kMax64, kMax64 - 1},
              filtered,
              {"idSets"}},
        Hello{"t", "c", Encoding::Json, {}, std::nullopt, std::nullopt, {}},
        Subscribe{Subscription::everything()},
        Subscribe{filtered},
        Subscribe{Subscription{}},
        Ack{kMax64},
        Ping{"p-1"},
        Action{"a1", ActionKind::Container, "web-1", "stop", {{"timeout", 5}}},
        Action{"a2", ActionKind::Image, "", "pull", {{"image", "busybox:1.36"}}},
        Action{"a3", ActionKind::Network, "n", "prune", json::object()},
        StreamRequest{"s1", StreamWhat::Logs, "web-1", {{"tail", "all"}, {"follow", false}}},
        StreamRequest{"s2", StreamWhat::Stats, "abc", json::object()},
        Unstream{"s1"},
    };
}

state::EngineInfo engineInfo()
{
    state::EngineInfo e;
    e.status = state::EngineStatus::Reconnecting;
    e.statusSince = 1'700'000'000'123'456'789;
    e.version = "29.0.1";
    e.apiVersion = "1.52";
    e.os = "linux";
    e.arch = "x86_64";
    e.kernel = "6.1.0";
    e.cpus = 8;
    e.memTotal = 16'000'000'000;
    e.name = "host";
    e.counts = {3, 1, 2, 7};
    e.lastError = "connection refused";
    return e;
}

state::DockerEvent dockerEvent()
{
    return state::DockerEvent{
        "container", "health_status",          "healthy", "abc123", {{"name", "web-1"}, {"image", "busybox"}},
        "local",     1'700'000'000'000'000'001};
}

// Every server message but the snapshot (EngineState has no operator==; tested apart).
std::vector<ServerMessage> serverMessages()
{
    const state::Batch batch{kMax64 - 3,
                             kMax64,
                             {{state::EntityKind::Volume, state::ChangeOp::Removed, "v1", {}, {}},
                              {state::EntityKind::Container,
                               state::ChangeOp::Updated,
                               "c1",
                               {},
                               {{"state", "exited"}, {"exitCode", 137}}}},
                             kMax64 - 7};
    return {
        Welcome{1, "s-42", kMax64, kMax64 - 1, 15000, "zstd"},
        Welcome{1, "s-43", 0, 0, 0, ""},
        Changes{kMax64, batch},
        EngineUpdate{engineInfo()},
        Event{dockerEvent()},
        Heartbeat{-5, 77},
        Heartbeat{1'700'000'000'000'000'000, kMax64},
        Pong{"p-1"},
        Result{"a1", true, std::nullopt, json(nullptr)},
        Result{"a2", true, std::nullopt, {{"id", "abc"}, {"Warnings", json::array()}}},
        Result{"a3", false, ErrorInfo{"not-found", "No such container: x"}, json(nullptr)},
        StreamData{"s1", {{"stream", "stdout"}, {"line", "hello"}, {"ts", 12}}},
        StreamData{"s2", json::object()},
        StreamEnd{"s1", std::nullopt},
        StreamEnd{"s2", ErrorInfo{"unavailable", "engine gone"}},
        Error{ErrorInfo{"bad-field", "hello.token: missing"}},
    };
}

std::string describe(const ClientMessage& m)
{
    return toJson(m).dump();
}

std::string describe(const ServerMessage& m)
{
    return toJson(m).dump();
}

template <typename Decode>
ProtocolError refusal(Decode decode)
{
    try {
        decode();
    } catch (const ProtocolError& e) {
        return e;
    }
    return ProtocolError("accepted", "accepted");
}

ProtocolError clientRefusal(const Frame& frame, const Limits& limits = {})
{
    return refusal([&] { decodeClientFrame(frame, limits); });
}

ProtocolError textRefusal(const std::string& text)
{
    return clientRefusal(Frame{false, text});
}

// A state with some history, for snapshots, plus `extra` containers of its own.
state::EngineState randomState(std::uint64_t seed, int steps, int extra = 0)
{
    state::EngineState s(kMax64);
    state::testing::RandomState random(seed);
    for (int i = 0; i < steps; ++i)
        s.commit(random.transaction(s), i);
    state::StateTransaction more;
    for (int i = 0; i < extra; ++i)
        more.put(random.container("extra-" + std::to_string(i)));
    s.commit(more, steps);
    return s;
}

} // namespace

TEST(ProtocolCodec, ClientMessagesRoundTripInBothEncodingsAndThroughZstd)
{
    for (const ClientMessage& m : clientMessages()) {
        SCOPED_TRACE(describe(m));
        for (const Encoding encoding : {Encoding::Json, Encoding::Msgpack}) {
            const Frame frame = encode(m, encoding);
            EXPECT_EQ(frame.binary, encoding == Encoding::Msgpack);
            EXPECT_EQ(decodeClientFrame(frame), m);
            const Frame compressed = compress(frame);
            EXPECT_TRUE(compressed.binary);
            EXPECT_EQ(compressed.bytes.substr(0, 4), std::string("\x28\xB5\x2F\xFD"));
            EXPECT_EQ(decodeClientFrame(compressed), m);
        }
        EXPECT_EQ(clientMessageFromJson(toJson(m)), m);
    }
}

TEST(ProtocolCodec, ServerMessagesRoundTripInBothEncodingsAndThroughZstd)
{
    for (const ServerMessage& m : serverMessages()) {
        SCOPED_TRACE(describe(m));
        for (const Encoding encoding : {Encoding::Json, Encoding::Msgpack}) {
            const Frame frame = encode(m, encoding);
            EXPECT_EQ(decodeServerFrame(frame), m);
            EXPECT_EQ(decodeServerFrame(compress(frame)), m);
        }
    }
}

TEST(ProtocolCodec, TypeNamesAreTheWireTypes)
{
    for (const ClientMessage& m : clientMessages())
        EXPECT_EQ(toJson(m).at("type"), typeName(m));
    for (const ServerMessage& m : serverMessages())
        EXPECT_EQ(toJson(m).at("type"), typeName(m));
    EXPECT_EQ(typeName(ServerMessage{Snapshot{state::EngineState{}}}), "snapshot");
    EXPECT_EQ(typeName(ServerMessage{StreamEnd{}}), "stream-end");
}

TEST(ProtocolCodec, SnapshotsRoundTripAndLargeOnesCompress)
{
    const state::EngineState source = randomState(state::testing::testSeed(7001), 120, 100);
    const json wire = snapshotJson(source);
    EXPECT_EQ(wire.at("type"), "snapshot");
    EXPECT_EQ(wire.at("epoch").get<std::uint64_t>(), kMax64);
    EXPECT_EQ(toJson(ServerMessage{Snapshot{source}}), wire);
    for (const Encoding encoding : {Encoding::Json, Encoding::Msgpack}) {
        const Frame frame = encode(wire, encoding);
        if (encoding == Encoding::Json) {
            ASSERT_GE(frame.bytes.size(), kCompressThreshold)
                << "the test needs a snapshot worth compressing";
        }
        const Frame compressed = compress(frame);
        EXPECT_LT(compressed.bytes.size(), frame.bytes.size() / 2);
        for (const Frame& f : {frame, compressed}) {
            const ServerMessage decoded = decodeServerFrame(f);
            ASSERT_TRUE(std::holds_alternative<Snapshot>(decoded));
            const state::EngineState& replica = std::get<Snapshot>(decoded).state;
            EXPECT_EQ(replica.epoch(), source.epoch());
            EXPECT_EQ(replica.version(), source.version());
            EXPECT_EQ(state::testing::capture(replica), state::testing::capture(source));
            EXPECT_EQ(decoded, ServerMessage(Snapshot{source}));
        }
    }
}

TEST(ProtocolCodec, ChangesCarryEpochAndAcceptSparseBatches)
{
    const state::Batch sparse{
        10, 25, {{state::EntityKind::Network, state::ChangeOp::Removed, "n1", {}, {}}}, 9};
    const json wire = changesJson(3, sparse);
    EXPECT_EQ(wire, json::parse(R"({"type":"changes","epoch":3,"from":10,"to":25,"digest":9,
        "changes":[{"kind":"network","op":"removed","id":"n1"}]})"));
    EXPECT_EQ(serverMessageFromJson(wire), ServerMessage(Changes{3, sparse}));

    json tooShort = wire;
    tooShort["to"] = 10; // spans 0 versions but holds 1 change
    const ProtocolError e = refusal([&] { serverMessageFromJson(tooShort); });
    EXPECT_EQ(e.code(), errors::BadField);
    EXPECT_NE(std::string(e.what()).find("changes.to:"), std::string::npos) << e.what();

    // The state library's own decoder stays exact.
    EXPECT_THROW(state::batchFromJson(wire), state::CodecError);
    EXPECT_EQ(state::batchFromJson(wire, state::BatchSpan::Sparse), sparse);
}

TEST(ProtocolCodec, UnsignedVersionsRoundTripExactlyAtTheTop)
{
    const Frame text = encode(ClientMessage{Ack{kMax64}}, Encoding::Json);
    EXPECT_EQ(text.bytes, R"({"type":"ack","version":18446744073709551615})");
    EXPECT_EQ(std::get<Ack>(decodeClientFrame(text)).version, kMax64);
    // A MessagePack peer may send a small version as a signed integer (int8 0x05).
    const std::string signedFive = "\x82\xa4type\xa3"
                                   "ack\xa7version\xd0\x05";
    EXPECT_EQ(std::get<Ack>(decodeClientFrame(Frame{true, signedFive})).version, 5u);
}

TEST(ProtocolCodec, WireShapesAreTheDocumentedOnes)
{
    EXPECT_EQ(toJson(ClientMessage{
                  Hello{"t", "cli", Encoding::Json, {"zstd"}, ResumePoint{7, 42}, std::nullopt, {}}}),
              json::parse(R"({"type":"hello","token":"t","client":"cli","encoding":"json","compress":["zstd"],
                              "resume":{"epoch":7,"version":42}})"));
    Subscription s{{Topic::Volumes, Topic::Containers}, {}};
    s.filter.labels = {{"a", std::nullopt}};
    EXPECT_EQ(toJson(ClientMessage{Subscribe{s}}),
              json::parse(
                  R"({"type":"subscribe","kinds":["containers","volumes"],"filter":{"labels":{"a":null}}})"));
    EXPECT_EQ(toJson(ServerMessage{Error{{"malformed", "bad"}}}),
              json::parse(R"({"type":"error","code":"malformed","message":"bad"})"));
    EXPECT_EQ(toJson(ServerMessage{Result{"a", false, ErrorInfo{"conflict", "in use"}, json(nullptr)}}),
              json::parse(
                  R"({"type":"result","id":"a","ok":false,"error":{"code":"conflict","message":"in use"}})"));
    EXPECT_EQ(toJson(ServerMessage{Result{"a", true, std::nullopt, {{"id", "c1"}}}}),
              json::parse(R"({"type":"result","id":"a","ok":true,"value":{"id":"c1"}})"));
    EXPECT_EQ(toJson(ServerMessage{StreamData{"s", {{"stream", "stderr"}, {"line", "x"}}}}),
              json::parse(R"({"type":"stream-data","id":"s","stream":"stderr","line":"x"})"));
    EXPECT_EQ(toJson(ServerMessage{StreamEnd{"s", std::nullopt}}),
              json::parse(R"({"type":"stream-end","id":"s"})"));
    EXPECT_EQ(toJson(ServerMessage{Welcome{1, "x", 2, 3, 4, ""}}),
              json::parse(
                  R"({"type":"welcome","protocol":1,"session":"x","epoch":2,"version":3,"heartbeatMs":4})"));
    EXPECT_EQ(toJson(ServerMessage{Heartbeat{5, 6}}),
              json::parse(R"({"type":"heartbeat","ts":5,"version":6})"));
    const json engine = toJson(ServerMessage{EngineUpdate{engineInfo()}});
    EXPECT_EQ(engine.at("type"), "engine");
    EXPECT_EQ(engine.at("status"), "reconnecting");
    EXPECT_EQ(engine.at("counts").at("images"), 7);
    const json event = toJson(ServerMessage{Event{dockerEvent()}});
    EXPECT_EQ(event.at("type"), "event");
    EXPECT_EQ(event.at("event").at("type"), "container") << "a Docker event's own type is nested";
    EXPECT_EQ(event.at("event").at("actionDetail"), "healthy");
}

TEST(ProtocolCodec, StreamDataKeepsTypeAndIdAndCarriesAnyBytesAsUtf8)
{
    const StreamData clash{"s1", {{"id", "layer-xyz"}, {"type", "x"}, {"status", "Downloading"}}};
    const json wire = toJson(ServerMessage{clash});
    EXPECT_EQ(wire.at("type"), "stream-data");
    EXPECT_EQ(wire.at("id"), "s1");

    const StreamData binary{"s1", {{"stream", "stdout"}, {"line", std::string("ok \xff\xfe end")}}};
    for (const Encoding encoding : {Encoding::Json, Encoding::Msgpack}) {
        const ServerMessage decoded = decodeServerFrame(encode(ServerMessage{binary}, encoding));
        EXPECT_EQ(std::get<StreamData>(decoded).data.at("line"), "ok \xEF\xBF\xBD\xEF\xBF\xBD end");
    }
}

TEST(ProtocolCodec, ExtraFieldsAreIgnoredAndNullMeansAbsent)
{
    const json hello = json::parse(R"({"type":"hello","token":"t","client":"c","encoding":"msgpack",
        "future":{"x":1},"resume":null,"subscribe":null})");
    EXPECT_EQ(clientMessageFromJson(hello),
              ClientMessage(Hello{"t", "c", Encoding::Msgpack, {}, std::nullopt, std::nullopt, {}}));
    const json action = json::parse(R"({"type":"action","id":"1","kind":"volume","op":"prune"})");
    EXPECT_EQ(clientMessageFromJson(action),
              ClientMessage(Action{"1", ActionKind::Volume, "", "prune", json::object()}));
}

struct BadText {
    std::string text;
    std::string_view code;
    std::string mention;
};

TEST(ProtocolCodec, MalformedClientTextIsRefusedNamingTheField)
{
    const std::string longToken(5000, 'x');
    std::string labels;
    for (int i = 0; i < 65; ++i)
        labels += (i ? "," : "") + ("\"k" + std::to_string(i) + "\":null");
    std::string deep = R"({"type":"action","id":"1","kind":"container","target":"c","op":"start","params":)";
    for (int i = 0; i < 100; ++i)
        deep += "{\"a\":";
    deep += "1" + std::string(100, '}') + "}";
    const std::vector<BadText> cases{
        {"not json", errors::Malformed, "message: not valid JSON"},
        {"", errors::Malformed, "message: not valid JSON"},
        {R"({"type":"ping","id":"1"} trailing)", errors::Malformed, "message: not valid JSON"},
        {"[1,2]", errors::Malformed, "message: expected an object, got array"},
        {"\"hello\"", errors::Malformed, "message: expected an object, got string"},
        {R"({"token":"x"})", errors::BadField, "type: missing"},
        {R"({"type":5})", errors::BadField, "type: expected a string, got unsigned integer"},
        {R"({"type":"welcome"})", errors::UnknownType, "type: unknown client message 'welcome'"},
        {R"({"type":"hello","client":"c","encoding":"json"})", errors::BadField, "hello.token: missing"},
        {R"({"type":"hello","token":7,"client":"c","encoding":"json"})", errors::BadField,
         "hello.token: expected a string, got unsigned integer"},
        {R"({"type":"hello","token":"t","client":"c","encoding":"xml"})", errors::BadField,
         "hello.encoding: unknown value 'xml'"},
        {R"({"type":"hello","token":"t","client":"c"})", errors::BadField, "hello.encoding: missing"},
        {R"({"type":"hello","token":")" + longToken + R"(","client":"c","encoding":"json"})",
         errors::BadField, "hello.token: longer than 4096 bytes"},
        {R"({"type":"hello","token":"t","client":"c","encoding":"json","compress":"zstd"})", errors::BadField,
         "hello.compress: expected an array, got string"},
        {R"({"type":"hello","token":"t","client":"c","encoding":"json","resume":{"epoch":-1,"version":0}})",
         errors::BadField, "hello.resume.epoch: expected an unsigned integer, got -1"},
        {R"({"type":"hello","token":"t","client":"c","encoding":"json","resume":{"epoch":1}})",
         errors::BadField, "hello.resume.version: missing"},
        {R"({"type":"hello","token":"t","client":"c","encoding":"json","subscribe":{"kinds":["pods"]}})",
         errors::BadField, "hello.subscribe.kinds[0]: unknown value 'pods'"},
        {R"({"type":"ack","version":-1})", errors::BadField,
         "ack.version: expected an unsigned integer, got -1"},
        {R"({"type":"ack","version":1.5})", errors::BadField,
         "ack.version: expected an unsigned integer, got float"},
        {R"({"type":"ack","version":1e3})", errors::BadField,
         "ack.version: expected an unsigned integer, got float"},
        {R"({"type":"ack","version":18446744073709551616})", errors::BadField, "ack.version"},
        {R"({"type":"ack","version":"5"})", errors::BadField,
         "ack.version: expected an unsigned integer, got string"},
        {R"({"type":"ack"})", errors::BadField, "ack.version: missing"},
        {R"({"type":"ping","id":""})", errors::BadField, "ping.id: expected 1..128 bytes"},
        {R"({"type":"ping","id":")" + std::string(129, 'p') + "\"}", errors::BadField,
         "ping.id: longer than 128"},
        {R"({"type":"subscribe"})", errors::BadField, "subscribe.kinds: missing"},
        {R"({"type":"subscribe","kinds":["containers","boats"]})", errors::BadField,
         "subscribe.kinds[1]: unknown value 'boats'"},
        {R"({"type":"subscribe","kinds":[],"filter":[]})", errors::BadField,
         "subscribe.filter: expected an object, got array"},
        {R"({"type":"subscribe","kinds":[],"filter":{"name":3}})", errors::BadField,
         "subscribe.filter.name: expected a string"},
        {R"({"type":"subscribe","kinds":[],"filter":{"labels":{"k":1}}})", errors::BadField,
         "subscribe.filter.labels['k']: expected a string"},
        {R"({"type":"subscribe","kinds":[],"filter":{"labels":{"":"v"}}})", errors::BadField,
         "subscribe.filter.labels['']: a label key must have 1..4096 bytes"},
        {R"({"type":"subscribe","kinds":[],"filter":{"labels":{)" + labels + "}}}", errors::BadField,
         "subscribe.filter.labels: more than 64 labels"},
        {R"({"type":"action","id":"1","kind":"pod","target":"x","op":"start"})", errors::BadField,
         "action.kind: unknown value 'pod'"},
        {R"({"type":"action","id":"1","kind":"container","target":"x","op":"start","params":[]})",
         errors::BadField, "action.params: expected an object, got array"},
        {R"({"type":"action","id":"1","kind":"container","target":"x"})", errors::BadField,
         "action.op: missing"},
        {R"({"type":"action","id":"1","kind":"container","op":""})", errors::BadField,
         "action.op: expected 1..64"},
        {R"({"type":"action","kind":"container","op":"start"})", errors::BadField, "action.id: missing"},
        {deep, errors::Malformed, "nested deeper than 64 levels"},
        {R"({"type":"stream","id":"s","what":"top","container":"c"})", errors::BadField,
         "stream.what: unknown value 'top'"},
        {R"({"type":"stream","id":"s","what":"logs","container":""})", errors::BadField, "stream.container"},
        {R"({"type":"unstream","id":7})", errors::BadField, "unstream.id: expected a string"},
    };
    for (const BadText& c : cases) {
        SCOPED_TRACE(c.text.substr(0, 200));
        const ProtocolError e = textRefusal(c.text);
        EXPECT_EQ(e.code(), c.code) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.mention), std::string::npos) << e.what();
    }
}

TEST(ProtocolCodec, LimitsComeFromTheLimitsStruct)
{
    const json ping = {{"type", "ping"}, {"id", "1"}, {"pad", std::string(70 * 1024, ' ')}};
    const ProtocolError big = clientRefusal(encode(ping, Encoding::Json));
    EXPECT_EQ(big.code(), errors::TooLarge);
    EXPECT_NE(std::string(big.what()).find("more than the limit of 65536"), std::string::npos) << big.what();
    EXPECT_NO_THROW(decodeClientFrame(encode(ping, Encoding::Json), Limits{128 * 1024, 4096, 64}));

    const json hello = {{"type", "hello"}, {"token", "0123456789"}, {"client", "c"}, {"encoding", "json"}};
    EXPECT_NO_THROW(decodeClientFrame(encode(hello, Encoding::Json)));
    const ProtocolError shortStrings = clientRefusal(encode(hello, Encoding::Json), Limits{65536, 8, 64});
    EXPECT_EQ(shortStrings.code(), errors::BadField);
    EXPECT_NE(std::string(shortStrings.what()).find("hello.token: longer than 8 bytes"), std::string::npos);

    const json subscribe = {{"type", "subscribe"}, {"kinds", {"containers", "images", "volumes"}}};
    const ProtocolError fewKinds =
        clientRefusal(encode(subscribe, Encoding::Msgpack), Limits{65536, 4096, 2});
    EXPECT_NE(std::string(fewKinds.what()).find("subscribe.kinds: more than 2 entries"), std::string::npos);
}

TEST(ProtocolCodec, MalformedMessagePackIsRefused)
{
    const Frame hello =
        encode(ClientMessage{Hello{"t", "c", Encoding::Msgpack, {}, std::nullopt, std::nullopt, {}}},
               Encoding::Msgpack);
    for (std::size_t cut : {std::size_t{1}, hello.bytes.size() / 2, hello.bytes.size() - 1}) {
        const ProtocolError e = clientRefusal(Frame{true, hello.bytes.substr(0, cut)});
        EXPECT_EQ(e.code(), errors::Malformed) << "cut at " << cut;
        EXPECT_NE(std::string(e.what()).find("message: not valid MessagePack"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(clientRefusal(Frame{true, ""}).code(), errors::Malformed);
    EXPECT_EQ(clientRefusal(Frame{true, hello.bytes + "\x01"}).code(), errors::Malformed) << "trailing bytes";

    // {"type": "ack", "version": NaN}, a binary value, a string that is not UTF-8, a non-string key.
    const std::string nan = std::string("\x82\xa4type\xa3"
                                        "ack\xa7version\xcb\x7f\xf8") +
                            std::string(6, '\0');
    EXPECT_NE(std::string(clientRefusal(Frame{true, nan}).what()).find("not finite"), std::string::npos);
    const std::string bin = "\x82\xa4type\xa3"
                            "ack\xa7version\xc4\x01x";
    EXPECT_NE(std::string(clientRefusal(Frame{true, bin}).what()).find("binary"), std::string::npos);
    const std::string latin1 = "\x82\xa4type\xa4ping\xa2id\xa2\xe9t";
    EXPECT_NE(std::string(clientRefusal(Frame{true, latin1}).what()).find("UTF-8"), std::string::npos);
    EXPECT_EQ(clientRefusal(Frame{true, "\x81\x01\x02"}).code(), errors::Malformed);

    // Nesting: 100 one-element arrays around a nil.
    const std::string deep = "\x82\xa4type\xa4ping\xa2id" + std::string(100, '\x91') + "\xc0";
    const ProtocolError e = clientRefusal(Frame{true, deep});
    EXPECT_EQ(e.code(), errors::Malformed);
    EXPECT_NE(std::string(e.what()).find("nested deeper"), std::string::npos) << e.what();
}

TEST(ProtocolCodec, ZstdFramesAreCappedAndCheckedWhole)
{
    // A bomb: a small frame holding 8 MiB; refused by its announced size before any inflating.
    const json padded = {{"type", "ping"}, {"id", "1"}, {"pad", std::string(8 << 20, 'a')}};
    const Frame bomb = compress(encode(padded, Encoding::Json));
    ASSERT_LT(bomb.bytes.size(), 65536u);
    const ProtocolError e = clientRefusal(bomb);
    EXPECT_EQ(e.code(), errors::TooLarge);
    EXPECT_NE(std::string(e.what()).find("more than the limit of 65536"), std::string::npos) << e.what();

    // Concatenated frames, each announcing a size under the cap, together over it: caught while inflating.
    const std::string half = compress(Frame{false, std::string(40 * 1024, ' ')}).bytes;
    const ProtocolError sum = clientRefusal(Frame{true, half + half});
    EXPECT_EQ(sum.code(), errors::TooLarge) << sum.what();

    // The same cap at the other end: a client caps what it inflates too.
    EXPECT_THROW(decodeFrame(bomb, 1 << 20, 1 << 20), ProtocolError);
    EXPECT_EQ(decodeFrame(bomb, 1 << 20, 16 << 20).at("pad").get_ref<const std::string&>().size(),
              std::size_t{8} << 20);

    const Frame good = compress(encode(ClientMessage{Ping{"z"}}, Encoding::Msgpack));
    const ProtocolError truncated = clientRefusal(Frame{true, good.bytes.substr(0, good.bytes.size() - 3)});
    EXPECT_EQ(truncated.code(), errors::Malformed);
    EXPECT_NE(std::string(truncated.what()).find("zstd"), std::string::npos) << truncated.what();
    const ProtocolError garbage = clientRefusal(Frame{true, std::string("\x28\xB5\x2F\xFD", 4) + "garbage!"});
    EXPECT_EQ(garbage.code(), errors::Malformed) << garbage.what();
    EXPECT_EQ(textRefusal(compress(encode(ClientMessage{Ping{"z"}}, Encoding::Json)).bytes).code(),
              errors::Malformed)
        << "a text frame is JSON, never zstd";
}

TEST(ProtocolCodec, MalformedServerMessagesAreRefusedNamingTheField)
{
    const state::EngineState source = randomState(7002, 20);
    json snapshot = snapshotJson(source);
    snapshot["digest"] = source.digest() + 1;
    json changes = changesJson(
        1, state::Batch{1, 2, {{state::EntityKind::Image, state::ChangeOp::Removed, "i", {}, {}}}, 0});
    json noEpoch = changes;
    noEpoch.erase("epoch");
    json badOp = changes;
    badOp["changes"][0]["op"] = "moved";
    json engine = toJson(ServerMessage{EngineUpdate{engineInfo()}});
    engine.erase("os");
    const std::vector<std::pair<json, std::string>> cases{
        {snapshot, "snapshot.digest:"},
        {noEpoch, "changes.epoch: missing"},
        {badOp, "changes.changes[0].op: unknown value 'moved'"},
        {engine, "engine: missing field 'os'"},
        {json::parse(R"({"type":"event","event":{"type":"container"}})"), "event.event: missing field"},
        {json::parse(R"({"type":"event"})"), "event.event: missing"},
        {json::parse(
             R"({"type":"welcome","protocol":1,"session":"s","epoch":-2,"version":0,"heartbeatMs":1})"),
         "welcome.epoch: expected an unsigned integer"},
        {json::parse(
             R"({"type":"welcome","protocol":1,"session":"s","epoch":2,"version":0,"heartbeatMs":5e9})"),
         "welcome.heartbeatMs: expected an integer"},
        {json::parse(R"({"type":"result","id":"a"})"), "result.ok: missing"},
        {json::parse(R"({"type":"result","id":"a","ok":false,"error":{"code":"x"}})"),
         "result.error.message: missing"},
        {json::parse(R"({"type":"stream-end","id":1})"), "stream-end.id: expected a string"},
        {json::parse(R"({"type":"error","code":"x"})"), "error.message: missing"},
        {json::parse(R"({"type":"heartbeat","ts":1.5,"version":1})"), "heartbeat.ts: expected an integer"},
    };
    for (const auto& [message, mention] : cases) {
        SCOPED_TRACE(message.dump().substr(0, 200));
        const ProtocolError e = refusal([&] { serverMessageFromJson(message); });
        EXPECT_EQ(e.code(), errors::BadField) << e.what();
        EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    }
    EXPECT_EQ(refusal([] { serverMessageFromJson(json::parse(R"({"type":"hello"})")); }).code(),
              errors::UnknownType);
}

TEST(ProtocolCodec, InvalidUtf8NeverBreaksJsonEncoding)
{
    const ServerMessage message = Result{"a", false, ErrorInfo{"docker-error", "bad \xc3("}, json(nullptr)};
    const Frame frame = encode(message, Encoding::Json);
    EXPECT_NO_THROW(json::parse(frame.bytes));
}

TEST(ProtocolCodec, EnumNamesRoundTrip)
{
    for (const Topic t : Subscription::everything().topics)
        EXPECT_EQ(topicFromString(toString(t)), t);
    EXPECT_EQ(Subscription::everything().topics.size(), 6u);
    EXPECT_EQ(encodingFromString("msgpack"), Encoding::Msgpack);
    EXPECT_EQ(encodingFromString("MSGPACK"), std::nullopt);
    EXPECT_EQ(actionKindFromString("network"), ActionKind::Network);
    EXPECT_EQ(streamWhatFromString("stats"), StreamWhat::Stats);
    EXPECT_EQ(topicFromString("container"), std::nullopt) << "topics are plural";
    EXPECT_TRUE(zstdAvailable());
}

namespace {

// The JSON values of every ```json block of docs/protocol.md: one per line when every line is one, else the
// whole block.
std::vector<json> documentedExamples()
{
    std::ifstream file(std::string(DOCKSCOPE_FIXTURES_DIR) + "/../../docs/protocol.md");
    std::vector<json> values;
    std::string line;
    std::vector<std::string> block;
    bool inBlock = false;
    while (std::getline(file, line)) {
        if (!inBlock) {
            inBlock = line.rfind("```json", 0) == 0;
            block.clear();
            continue;
        }
        if (line.rfind("```", 0) != 0) {
            block.push_back(line);
            continue;
        }
        inBlock = false;
        const bool oneJsonPerLine = std::all_of(
            block.begin(), block.end(), [](const std::string& l) { return l.empty() || json::accept(l); });
        std::string whole;
        for (const std::string& l : block) {
            if (oneJsonPerLine && !l.empty())
                values.push_back(json::parse(l));
            whole += l + "\n";
        }
        if (!oneJsonPerLine)
            values.push_back(json::parse(whole));
    }
    return values;
}

} // namespace

TEST(ProtocolCodec, DocumentedExamplesDecode)
{
    const std::set<std::string> clientTypes{"hello",  "subscribe", "ack",     "ping",
                                            "action", "stream",    "unstream"};
    state::EngineState replica;
    int clientCount = 0;
    int serverCount = 0;
    int applied = 0;
    for (const json& example : documentedExamples()) {
        SCOPED_TRACE(example.dump().substr(0, 300));
        if (!example.contains("type")) {
            EXPECT_TRUE(example.contains("url") && example.contains("token"))
                << "only the discovery file has no type";
            continue;
        }
        if (clientTypes.count(example.at("type").get<std::string>())) {
            EXPECT_NO_THROW(clientMessageFromJson(example));
            ++clientCount;
            continue;
        }
        ServerMessage message = Pong{};
        ASSERT_NO_THROW(message = serverMessageFromJson(example));
        ++serverCount;
        // Play the examples as a replica would: their digests must be the real ones.
        if (const auto* snapshot = std::get_if<Snapshot>(&message)) {
            replica = snapshot->state;
        } else if (const auto* changes = std::get_if<Changes>(&message);
                   changes && changes->batch.from == replica.version()) {
            std::string error;
            EXPECT_TRUE(replica.applySparse(changes->batch, &error)) << error;
            ++applied;
        }
    }
    EXPECT_GE(clientCount, 8);
    EXPECT_GE(serverCount, 20);
    EXPECT_EQ(applied, 2) << "the worked example's two batches";
}
