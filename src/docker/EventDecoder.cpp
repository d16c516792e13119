#include "dockscope/docker/EventDecoder.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace dockscope::docker {

namespace {

using Json = nlohmann::json;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

DockerError parseError(std::string message)
{
    return DockerError{ErrorKind::Parse, 0, "event: " + std::move(message)};
}

std::string typeProblem(std::string_view field, std::string_view expected, const Json& value)
{
    return std::string(field) + ": expected " + std::string(expected) + ", got " + value.type_name();
}

/// Reads an optional string member into `out`; an error message when it has another type.
std::optional<std::string> readString(const Json& object, std::string_view key, std::string_view path,
                                      std::string& out)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        return typeProblem(path, "string", *it);
    out = it->get<std::string>();
    return std::nullopt;
}

/// Reads an optional integer member; an error message when it has another type or does not fit.
std::optional<std::string> readInteger(const Json& object, std::string_view key,
                                       std::optional<std::int64_t>& out)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (it->is_number_integer() && !it->is_number_unsigned())
        out = it->get<std::int64_t>();
    else if (it->is_number_unsigned() &&
             it->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        out = static_cast<std::int64_t>(it->get<std::uint64_t>());
    else
        return typeProblem(key, "integer", *it);
    return std::nullopt;
}

std::optional<std::string> readActor(const Json& event, state::DockerEvent& out)
{
    const auto actor = event.find("Actor");
    if (actor == event.end() || actor->is_null())
        return std::nullopt;
    if (!actor->is_object())
        return typeProblem("Actor", "object", *actor);
    if (auto problem = readString(*actor, "ID", "Actor.ID", out.actorId))
        return problem;
    const auto attributes = actor->find("Attributes");
    if (attributes == actor->end() || attributes->is_null())
        return std::nullopt;
    if (!attributes->is_object())
        return typeProblem("Actor.Attributes", "object", *attributes);
    for (const auto& [key, value] : attributes->items()) {
        if (!value.is_string())
            return typeProblem("Actor.Attributes." + key, "string", value);
        out.attributes.emplace(key, value.get<std::string>());
    }
    return std::nullopt;
}

/// timeNano, else time in seconds (older engines and hand-made streams), else 0.
std::optional<std::string> readTime(const Json& event, state::DockerEvent& out)
{
    std::optional<std::int64_t> nanos, seconds;
    if (auto problem = readInteger(event, "timeNano", nanos))
        return problem;
    if (auto problem = readInteger(event, "time", seconds))
        return problem;
    if (nanos) {
        out.timeNano = *nanos;
    } else if (seconds) {
        if (*seconds > std::numeric_limits<std::int64_t>::max() / kNanosPerSecond ||
            *seconds < std::numeric_limits<std::int64_t>::min() / kNanosPerSecond)
            return "time: out of range";
        out.timeNano = *seconds * kNanosPerSecond;
    }
    return std::nullopt;
}

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// "health_status: healthy" -> ("health_status", "healthy"). Docker builds the exec ones from the command
/// line and leaves a trailing space when it has no arguments ("exec_start: true "), hence the trim.
void splitAction(state::DockerEvent& event)
{
    const auto colon = event.action.find(": ");
    if (colon == std::string::npos)
        return;
    event.actionDetail = std::string(trimmed(std::string_view(event.action).substr(colon + 2)));
    event.action.resize(colon);
}

/// Podman's compatible API differs from Docker's in two ways that matter here.
void normalisePodman(const Json& line, state::DockerEvent& event)
{
    if (event.type == "container" && event.action == "remove")
        event.action = "destroy";
    if (event.action != "health_status" || !event.actionDetail.empty())
        return;
    if (const auto it = event.attributes.find("health_status"); it != event.attributes.end()) {
        event.actionDetail = it->second;
        return;
    }
    // What Podman 4 and 5 actually send: the status in a top-level "HealthStatus" member.
    if (const auto it = line.find("HealthStatus"); it != line.end() && it->is_string())
        event.actionDetail = it->get<std::string>();
}

std::optional<std::string> readRequired(const Json& line, std::string_view key, std::string& out)
{
    const auto it = line.find(key);
    if (it == line.end())
        return "missing " + std::string(key);
    if (!it->is_string())
        return typeProblem(key, "string", *it);
    out = it->get<std::string>();
    if (trimmed(out).empty())
        return std::string(key) + ": empty";
    return std::nullopt;
}

std::optional<std::string> decodeInto(const Json& line, state::DockerEvent& event)
{
    if (auto problem = readRequired(line, "Type", event.type))
        return problem;
    if (auto problem = readRequired(line, "Action", event.action))
        return problem;
    if (auto problem = readString(line, "scope", "scope", event.scope))
        return problem;
    if (auto problem = readActor(line, event))
        return problem;
    if (auto problem = readTime(line, event))
        return problem;
    splitAction(event);
    if (event.action.empty())
        return "Action: no name before \": \"";
    normalisePodman(line, event);
    return std::nullopt;
}

} // namespace

Result<state::DockerEvent> decodeEvent(std::string_view jsonLine)
{
    if (trimmed(jsonLine).empty())
        return parseError("empty line");
    // No exceptions: a malformed line must never take the events reader down.
    const Json line = Json::parse(jsonLine.begin(), jsonLine.end(), nullptr, false);
    if (line.is_discarded())
        return parseError("not valid JSON");
    if (!line.is_object())
        return parseError(std::string("expected a JSON object, got ") + line.type_name());
    state::DockerEvent event;
    if (auto problem = decodeInto(line, event))
        return parseError(std::move(*problem));
    return event;
}

} // namespace dockscope::docker
