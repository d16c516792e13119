#include "ActionValues.h"

#include "dockscope/protocol/Actions.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace dockscope::protocol {

namespace values {

namespace {

bool isLower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool isHex(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

bool allOf(std::string_view text, bool (*ok)(char))
{
    return std::all_of(text.begin(), text.end(), ok);
}

// One path component of a repository: lower-case alphanumerics joined by '.', '_' or '-' runs.
bool isPathComponent(std::string_view text)
{
    return !text.empty() && isLower(text.front()) && isLower(text.back()) &&
           allOf(text, [](char c) { return isLower(c) || c == '.' || c == '_' || c == '-'; });
}

// A registry host: DNS labels joined by '.', with an optional ":port".
bool isDomain(std::string_view text)
{
    const auto colon = text.find(':');
    const std::string_view host = text.substr(0, colon);
    if (colon != std::string_view::npos) {
        const std::string_view port = text.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !allOf(port, [](char c) { return c >= '0' && c <= '9'; }))
            return false;
    }
    return !host.empty() && isAlnum(host.front()) && isAlnum(host.back()) &&
           allOf(host, [](char c) { return isAlnum(c) || c == '.' || c == '-'; });
}

// "sha256:<64 hex>" or another algorithm with at least 32 hex digits.
bool isDigest(std::string_view text)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    const std::string_view algorithm = text.substr(0, colon);
    const std::string_view hex = text.substr(colon + 1);
    return allOf(algorithm,
                 [](char c) { return isLower(c) || c == '+' || c == '.' || c == '_' || c == '-'; }) &&
           isHex(hex) && hex.size() >= 32;
}

} // namespace

bool isName(std::string_view text)
{
    return !text.empty() && text.size() <= 255 && isAlnum(text.front()) &&
           allOf(text, [](char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool isRepository(std::string_view text)
{
    if (text.empty() || text.size() > 255)
        return false;
    std::size_t start = 0;
    const auto slash = text.find('/');
    if (slash != std::string_view::npos) {
        const std::string_view first = text.substr(0, slash);
        const bool domain =
            first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
            std::any_of(first.begin(), first.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (domain) {
            if (!isDomain(first))
                return false;
            start = slash + 1;
        }
    }
    for (;;) {
        const auto end = text.find('/', start);
        if (!isPathComponent(text.substr(start, end - start)))
            return false;
        if (end == std::string_view::npos)
            return true;
        start = end + 1;
    }
}

bool isTag(std::string_view text)
{
    return !text.empty() && text.size() <= 128 && (isAlnum(text.front()) || text.front() == '_') &&
           allOf(text, [](char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::optional<Reference> parseReference(std::string_view text)
{
    if (text.empty() || text.size() > 255)
        return std::nullopt;
    std::string_view name = text;
    std::string_view tag;
    if (const auto at = text.find('@'); at != std::string_view::npos) {
        name = text.substr(0, at);
        tag = text.substr(at + 1);
        if (!isDigest(tag))
            return std::nullopt;
    } else if (const auto colon = text.rfind(':');
               colon != std::string_view::npos &&
               (text.rfind('/') == std::string_view::npos || colon > text.rfind('/'))) {
        name = text.substr(0, colon);
        tag = text.substr(colon + 1);
        if (!isTag(tag))
            return std::nullopt;
    }
    if (!isRepository(name))
        return std::nullopt;
    return Reference{std::string(name), tag.empty() ? std::string("latest") : std::string(tag)};
}

bool isImageTarget(std::string_view text)
{
    if (text.size() > 7 && text.substr(0, 7) == "sha256:")
        return text.size() <= 7 + 64 && isHex(text.substr(7));
    return (text.size() <= 64 && isHex(text)) || parseReference(text).has_value();
}

bool isSignal(std::string_view text)
{
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        int number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        return error == std::errc() && end == text.data() + text.size() && number >= 1 && number <= 64;
    }
    if (text.size() > 16)
        return false;
    std::string_view name = text.substr(0, 3) == "SIG" ? text.substr(3) : text;
    if (const auto sign = name.find_first_of("+-"); sign != std::string_view::npos) {
        const std::string_view offset = name.substr(sign + 1);
        if (offset.empty() || !allOf(offset, [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        name = name.substr(0, sign);
    }
    return !name.empty() && name.front() >= 'A' && name.front() <= 'Z' &&
           allOf(name, [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool isIpAddress(std::string_view text)
{
    if (text.empty() || text.size() > 45)
        return false;
    const std::string address(text);
    std::array<unsigned char, 16> buffer{};
    return inet_pton(AF_INET, address.c_str(), buffer.data()) == 1 ||
           inet_pton(AF_INET6, address.c_str(), buffer.data()) == 1;
}

bool isCidr(std::string_view text)
{
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return false;
    const std::string_view address = text.substr(0, slash);
    const std::string_view bits = text.substr(slash + 1);
    int prefix = -1;
    const auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (bits.empty() || bits.size() > 3 || error != std::errc() || end != bits.data() + bits.size())
        return false;
    const int maxPrefix = address.find(':') == std::string_view::npos ? 32 : 128;
    return isIpAddress(address) && prefix >= 0 && prefix <= maxPrefix;
}

bool isAbsolutePath(std::string_view text)
{
    return !text.empty() && text.size() <= 4096 && text.front() == '/' &&
           std::none_of(text.begin(), text.end(), [](char c) {
               return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ':' || c == ',';
           });
}

bool isEnvEntry(std::string_view text)
{
    const auto equals = text.find('=');
    return equals != std::string_view::npos && equals > 0 && text.find('\0') == std::string_view::npos;
}

bool isDriver(std::string_view text)
{
    return !text.empty() && text.size() <= 255 && isAlnum(text.front()) && allOf(text, [](char c) {
        return isAlnum(c) || c == '_' || c == '.' || c == '/' || c == ':' || c == '-';
    });
}

} // namespace values

nlohmann::json runConfig(const ContainerRun& run)
{
    using nlohmann::json;
    json body = {{"Image", run.image}, {"Labels", run.labels}};
    if (!run.command.empty())
        body["Cmd"] = run.command;
    if (!run.env.empty())
        body["Env"] = run.env;
    json host = {
        {"RestartPolicy",
         {{"Name", run.restartPolicy.empty() ? "no" : run.restartPolicy}, {"MaximumRetryCount", 0}}}};
    for (const PortPublish& port : run.ports) {
        const std::string key = std::to_string(port.containerPort) + "/" + port.protocol;
        body["ExposedPorts"][key] = json::object();
        const int hostPort = port.hostPort.value_or(0);
        host["PortBindings"][key].push_back(
            {{"HostIp", port.hostIp},
             {"HostPort", hostPort == 0 ? std::string() : std::to_string(hostPort)}});
    }
    for (const VolumeMount& volume : run.volumes) {
        if (volume.isBind())
            host["Binds"].push_back(volume.source + ":" + volume.destination +
                                    (volume.readOnly ? ":ro" : ""));
        else
            host["Mounts"].push_back({{"Type", "volume"},
                                      {"Source", volume.source},
                                      {"Target", volume.destination},
                                      {"ReadOnly", volume.readOnly}});
    }
    if (!run.network.empty())
        host["NetworkMode"] = run.network;
    body["HostConfig"] = std::move(host);
    return body;
}

} // namespace dockscope::protocol
