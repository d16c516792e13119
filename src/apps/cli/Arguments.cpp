#include "Arguments.h"

#include <charconv>
#include <vector>

namespace dockscope::cli {

namespace {

template <typename T>
std::optional<T> fail(std::string* error, std::string why)
{
    if (error)
        *error = std::move(why);
    return std::nullopt;
}

std::optional<int> port(std::string_view text, int min)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > 65535)
        return std::nullopt;
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t at = text.find(separator, start);
        parts.push_back(
            text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos)
            return parts;
        start = at + 1;
    }
}

// "[::1]:8080:80" → hostIp "::1" and the rest "8080:80"; nullopt when the bracket is not closed right.
std::optional<std::pair<std::string, std::string_view>> bracketedHost(std::string_view spec)
{
    const std::size_t close = spec.find(']');
    if (close == std::string_view::npos || close + 1 >= spec.size() || spec[close + 1] != ':')
        return std::nullopt;
    return std::pair{std::string(spec.substr(1, close - 1)), spec.substr(close + 2)};
}

} // namespace

std::optional<nlohmann::json> parsePublish(std::string_view spec, std::string* error)
{
    const std::string bad = "-p " + std::string(spec) + ": ";
    std::string protocol = "tcp";
    if (const std::size_t slash = spec.rfind('/'); slash != std::string_view::npos) {
        protocol = std::string(spec.substr(slash + 1));
        spec = spec.substr(0, slash);
        if (protocol != "tcp" && protocol != "udp")
            return fail<nlohmann::json>(error, bad + "the protocol must be tcp or udp");
    }
    std::string hostIp;
    if (spec.starts_with('[')) {
        const auto host = bracketedHost(spec);
        if (!host)
            return fail<nlohmann::json>(error, bad + "expected [IPv6]:HOST:CONTAINER");
        hostIp = host->first;
        spec = host->second;
    }
    auto parts = split(spec, ':');
    if (parts.size() == 3 && hostIp.empty()) {
        hostIp = std::string(parts.front());
        parts.erase(parts.begin());
    }
    if (parts.size() > 2 || (parts.size() == 2 && parts.front().empty() && hostIp.empty()))
        return fail<nlohmann::json>(error, bad + "expected [IP:][HOST:]CONTAINER[/PROTOCOL]");
    if (spec.find('-') != std::string_view::npos)
        return fail<nlohmann::json>(error, bad + "port ranges are not supported");
    const auto container = port(parts.back(), 1);
    if (!container)
        return fail<nlohmann::json>(error, bad + "the container port must be a number 1..65535");
    nlohmann::json out{{"containerPort", *container}, {"protocol", protocol}};
    if (parts.size() == 2 && !parts.front().empty()) {
        const auto host = port(parts.front(), 0);
        if (!host)
            return fail<nlohmann::json>(error, bad + "the host port must be a number 0..65535");
        out["hostPort"] = *host;
    }
    if (!hostIp.empty())
        out["hostIp"] = hostIp;
    return out;
}

std::optional<nlohmann::json> parseMount(std::string_view spec, std::string* error)
{
    const std::string bad = "-v " + std::string(spec) + ": ";
    auto parts = split(spec, ':');
    bool readOnly = false;
    if (parts.size() == 3) {
        if (parts[2] != "ro" && parts[2] != "rw")
            return fail<nlohmann::json>(error, bad + "the mode must be ro or rw");
        readOnly = parts[2] == "ro";
        parts.pop_back();
    }
    if (parts.size() != 2 || parts[0].empty())
        return fail<nlohmann::json>(error, bad + "expected SOURCE:DESTINATION[:ro] (a volume name or an "
                                                 "absolute host path, then an absolute path)");
    if (!parts[1].starts_with('/'))
        return fail<nlohmann::json>(error, bad + "the destination must be an absolute path");
    return nlohmann::json{{"source", parts[0]}, {"destination", parts[1]}, {"readOnly", readOnly}};
}

std::optional<std::pair<std::string, std::optional<std::string>>>
parseKeyValue(std::string_view text, bool allowBare, std::string* error)
{
    using Pair = std::pair<std::string, std::optional<std::string>>;
    const std::size_t equals = text.find('=');
    if (equals == 0 || text.empty())
        return fail<Pair>(error, "'" + std::string(text) + "': expected KEY=VALUE");
    if (equals == std::string_view::npos) {
        if (!allowBare)
            return fail<Pair>(error, "'" + std::string(text) + "': expected KEY=VALUE");
        return Pair{std::string(text), std::nullopt};
    }
    return Pair{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

std::pair<std::string, std::string> splitReference(std::string_view reference)
{
    if (reference.find('@') != std::string_view::npos)
        return {std::string(reference), std::string()};
    const std::size_t colon = reference.rfind(':');
    if (colon == std::string_view::npos || reference.find('/', colon) != std::string_view::npos)
        return {std::string(reference), "latest"};
    return {std::string(reference.substr(0, colon)), std::string(reference.substr(colon + 1))};
}

std::optional<protocol::Topic> parseKind(std::string_view text)
{
    auto topic = protocol::topicFromString(text);
    if (!topic && !text.empty() && text.back() != 's')
        topic = protocol::topicFromString(std::string(text) + 's');
    if (topic == protocol::Topic::Events)
        return std::nullopt;
    return topic;
}

} // namespace dockscope::cli
