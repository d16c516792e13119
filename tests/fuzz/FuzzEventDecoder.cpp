// libFuzzer entry point for the events decoder: it reads bytes straight from dockerd (or anything that
// answers on its socket), so no input may crash it, and what it accepts must satisfy the DockerEvent
// contract. Seed corpus: the lines of tests/fixtures/engine/events.ndjson and events-variants.ndjson.
#include "dockscope/docker/EventDecoder.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace dockscope;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const auto result = docker::decodeEvent(line);
    if (!result) {
        if (result.error().kind != docker::ErrorKind::Parse || result.error().message.empty())
            std::abort();
        return 0;
    }
    const state::DockerEvent& event = *result;
    if (event.type.empty() || event.action.empty() || event.action.find(": ") != std::string::npos)
        std::abort();
    // Decoding is a pure function of the line.
    const auto again = docker::decodeEvent(line);
    if (!again || !(*again == event))
        std::abort();
    return 0;
}
