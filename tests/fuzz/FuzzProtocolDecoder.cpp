// libFuzzer entry point for the protocol decoders. A client's frames are the server's most exposed input (any
// local process can connect and send them before or after the hello), so no frame may crash
// decodeClientFrame, every refusal must be a ProtocolError with a known code, and what it accepts must
// survive decode → encode → decode unchanged in both encodings. The typed action allowlist, stream params and
// filters run on whatever is accepted. Server frames (what a client decodes) get the same treatment.
//
// Input: one mode byte, then the payload.
//   bit 0: binary frame (MessagePack, or zstd when the payload starts with its magic); else a text frame
//   (JSON) bit 1: compress the payload with zstd first (a binary frame whose content is JSON or MessagePack)
//   bit 2: decode as a server frame instead of a client frame
//   bit 3: the payload is JSON turned into MessagePack first (so that JSON seeds reach the MessagePack
//   reader)
// Seeds: scripts/run-fuzzers.sh writes one per message type.
#include "dockscope/protocol/Actions.h"
#include "dockscope/protocol/Codec.h"
#include "dockscope/protocol/Filter.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace {

using namespace dockscope;
using namespace dockscope::protocol;

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkRefusal(const ProtocolError& e, std::initializer_list<std::string_view> codes)
{
    bool known = false;
    for (const std::string_view code : codes)
        known = known || e.code() == code;
    check(known && e.what()[0] != '\0');
}

Frame frameOf(std::uint8_t mode, std::string payload)
{
    if (mode & 8) {
        const auto parsed = nlohmann::json::parse(payload, nullptr, false);
        if (!parsed.is_discarded())
            payload = encode(parsed, Encoding::Msgpack).bytes;
    }
    Frame frame{(mode & 9) != 0, std::move(payload)};
    if (mode & 2)
        frame = compress(frame);
    return frame;
}

void exerciseFilter(const Filter& filter)
{
    state::Container container;
    container.name = "shop-web-1";
    container.labels = {{"tier", "front"}};
    container.composeProject = "shop";
    state::Image image;
    image.repoTags = {"busybox:latest", "registry:5000/a/b:c"};
    const state::DockerEvent event{"container", "start", "", "abc", {{"name", "shop-web-1"}}, "local", 1};
    matches(filter, container);
    matches(filter, image);
    matches(filter, event);
    if (filter.name)
        globMatch(*filter.name, std::string(300, 'a') + "b");
}

// The typed layers on top of the codec: only ProtocolErrors, of their documented codes.
void exerciseTyped(const ClientMessage& message)
{
    try {
        if (const auto* action = std::get_if<Action>(&message)) {
            const TypedAction typed = parseAction(*action);
            if (const auto* run = std::get_if<ContainerRun>(&typed))
                check(runConfig(*run).at("Image") == run->image);
        } else if (const auto* stream = std::get_if<StreamRequest>(&message)) {
            parseStream(*stream);
        } else if (const auto* subscribe = std::get_if<Subscribe>(&message)) {
            exerciseFilter(subscribe->subscription.filter);
        } else if (const auto* hello = std::get_if<Hello>(&message); hello && hello->subscribe) {
            exerciseFilter(hello->subscribe->filter);
        }
    } catch (const ProtocolError& e) {
        checkRefusal(e, {errors::NotAllowed, errors::BadField});
    }
}

// decode → encode → decode gives the same message, and encoding is a function of the message.
template <typename Message, typename Decode>
void checkStable(const Message& message, Decode decode)
{
    for (const Encoding encoding : {Encoding::Json, Encoding::Msgpack}) {
        const Frame again = encode(message, encoding);
        const Message back = decode(again);
        check(back == message);
        check(encode(back, encoding) == again);
        check(decode(compress(again)) == message);
    }
}

void fuzzClient(const Frame& frame)
{
    ClientMessage message;
    try {
        message = decodeClientFrame(frame);
    } catch (const ProtocolError& e) {
        checkRefusal(e, {errors::Malformed, errors::UnknownType, errors::BadField, errors::TooLarge});
        return;
    }
    // Re-encoding may grow a message (JSON escapes), so only the size limit is lifted for the second decode.
    Limits roomy;
    roomy.maxMessageBytes = 16 * 1024 * 1024;
    checkStable(message, [&](const Frame& f) { return decodeClientFrame(f, roomy); });
    exerciseTyped(message);
}

void fuzzServer(const Frame& frame)
{
    ServerMessage message = Pong{};
    try {
        message = decodeServerFrame(frame);
    } catch (const ProtocolError& e) {
        checkRefusal(e, {errors::Malformed, errors::UnknownType, errors::BadField, errors::TooLarge});
        return;
    }
    checkStable(message, [](const Frame& f) { return decodeServerFrame(f); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t mode = data[0];
    const Frame frame = frameOf(mode, std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    if (mode & 4)
        fuzzServer(frame);
    else
        fuzzClient(frame);
    return 0;
}
