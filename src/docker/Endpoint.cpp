#include "dockscope/docker/Endpoint.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dockscope::docker {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kDefaultSocket = "/var/run/docker.sock";
constexpr std::string_view kSupportedForms =
    "expected unix:///path/to/socket or tcp://host[:port]; ssh://, npipe:// and fd:// are not supported";

std::string_view trim(std::string_view text)
{
    constexpr std::string_view blanks = " \t\n\r\f\v";
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

bool statIsSocket(const std::string& path)
{
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode);
}

// What Go's os/user gives the CLI when HOME is unset, as under some service managers.
std::string homeFromPasswd()
{
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* result = nullptr;
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &result) != 0 || result == nullptr ||
        result->pw_dir == nullptr)
        return {};
    return result->pw_dir;
}

bool isHostNameChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

bool isIpv6Char(char c)
{
    // '%' starts a zone id such as fe80::1%eth0, whose name may hold any host-name character.
    return c == ':' || c == '%' || isHostNameChar(c);
}

std::optional<std::uint16_t> parsePort(std::string_view text, bool tls)
{
    if (text.empty())
        return tls ? Endpoint::defaultTlsPort : Endpoint::defaultPort;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::optional<Endpoint> parseUnix(std::string_view path)
{
    if (path.empty())
        path = kDefaultSocket; // the CLI's reading of a bare "unix://"
    // A relative path would depend on the working directory of a desktop app, which the user does not see.
    if (path.front() != '/' || path.find("://") != std::string_view::npos)
        return std::nullopt;
    Endpoint endpoint;
    endpoint.transport = Endpoint::Transport::Unix;
    endpoint.path = std::string(path);
    return endpoint;
}

// Splits "host:port" or "[v6]:port"; the CLI's Go url.Parse would also take userinfo, queries and
// unbracketed IPv6, which are more likely typos than intent.
bool splitHostPort(std::string_view authority, std::string_view& host, std::string_view& port)
{
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return false;
        host = authority.substr(1, close - 1);
        const auto rest = authority.substr(close + 1);
        if (host.empty() || !std::all_of(host.begin(), host.end(), isIpv6Char) || host.find(':') == host.npos)
            return false;
        if (!rest.empty() && rest.front() != ':')
            return false;
        port = rest.empty() ? rest : rest.substr(1);
        return true;
    }
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
    return std::all_of(host.begin(), host.end(), isHostNameChar);
}

std::optional<Endpoint> parseTcp(std::string_view rest, bool tls)
{
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    // The CLI would send every request under such a path; we have no use for it, so only "/" is accepted.
    if (slash != std::string_view::npos && rest.find_first_not_of('/', slash) != std::string_view::npos)
        return std::nullopt;
    std::string_view host;
    std::string_view portText;
    if (!splitHostPort(authority, host, portText))
        return std::nullopt;
    const auto port = parsePort(portText, tls);
    if (!port)
        return std::nullopt;
    Endpoint endpoint;
    endpoint.transport = Endpoint::Transport::Tcp;
    endpoint.host = host.empty() ? "localhost" : std::string(host); // as the CLI's tcp://:2375
    endpoint.port = *port;
    return endpoint;
}

struct JsonFile {
    bool exists = false;
    json value;
    std::string error; ///< set when the file exists but is unreadable or not JSON
};

JsonFile readJsonFile(const fs::path& path, bool emptyIsObject)
{
    JsonFile file;
    std::error_code ec;
    if (!fs::exists(path, ec))
        return file;
    file.exists = true;
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) {
        file.error = path.string() + ": cannot be read";
        return file;
    }
    std::ostringstream content;
    content << in.rdbuf(); // sets failbit on content for an empty file, which is fine here
    std::string text = std::move(content).str();
    // The CLI loads an empty config.json as an empty configuration.
    if (emptyIsObject && trim(text).empty())
        text = "{}";
    try {
        file.value = json::parse(text);
    } catch (const json::exception& e) {
        file.error = path.string() + ": invalid JSON (" + e.what() + ")";
    }
    return file;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// Go's encoding/json, which reads these files in the CLI, matches struct fields case-insensitively.
const json* field(const json& object, const std::string& key)
{
    if (!object.is_object())
        return nullptr;
    if (const auto it = object.find(key); it != object.end())
        return &*it;
    for (auto it = object.begin(); it != object.end(); ++it)
        if (equalsIgnoreCase(it.key(), key))
            return &it.value();
    return nullptr;
}

std::string envValue(const EndpointResolver::Inputs& inputs, const std::string& name)
{
    const auto it = inputs.env.find(name);
    return it == inputs.env.end() ? std::string() : it->second;
}

fs::path configDirOf(const EndpointResolver::Inputs& inputs)
{
    if (!inputs.dockerConfigDir.empty())
        return inputs.dockerConfigDir;
    if (auto dir = envValue(inputs, "DOCKER_CONFIG"); !dir.empty())
        return dir;
    return inputs.homeDir.empty() ? fs::path() : fs::path(inputs.homeDir) / ".docker";
}

EndpointResolver::Resolution failure(std::string message)
{
    return {std::nullopt, std::move(message)};
}

EndpointResolver::Resolution unusable(const std::string& what, const std::string& value)
{
    return failure(what + " '" + value + "', which is not a usable Docker endpoint (" +
                   std::string(kSupportedForms) + ")");
}

EndpointResolver::Resolution fromHostString(const EndpointResolver::Inputs& inputs,
                                            const std::string& hostUrl, const std::string& source)
{
    const bool tlsVerify = !envValue(inputs, "DOCKER_TLS_VERIFY").empty();
    const bool tls = tlsVerify || !envValue(inputs, "DOCKER_TLS").empty();
    auto endpoint = Endpoint::parse(hostUrl, tls);
    if (!endpoint)
        return unusable(source + " is", hostUrl);
    if (tls && endpoint->transport == Endpoint::Transport::Tcp) {
        endpoint->tls = true;
        endpoint->tlsVerify = tlsVerify;
        const auto certPath = envValue(inputs, "DOCKER_CERT_PATH");
        endpoint->certPath = certPath.empty() ? configDirOf(inputs).string() : certPath;
    }
    endpoint->source = source;
    return {endpoint, {}};
}

struct ContextChoice {
    std::string name;   ///< empty: no context selected
    std::string origin; ///< "from DOCKER_CONTEXT" or "currentContext in <file>"
    std::string error;
};

ContextChoice chooseContext(const EndpointResolver::Inputs& inputs, const fs::path& configDir)
{
    if (auto name = envValue(inputs, "DOCKER_CONTEXT"); !name.empty())
        return {name, "from DOCKER_CONTEXT", {}};
    if (configDir.empty())
        return {};
    const auto path = configDir / "config.json";
    const auto file = readJsonFile(path, true);
    if (!file.exists)
        return {};
    if (!file.error.empty())
        return {{}, {}, file.error};
    if (!file.value.is_object())
        return {{}, {}, path.string() + ": expected a JSON object"};
    const json* current = field(file.value, "currentContext");
    if (current == nullptr || current->is_null())
        return {};
    if (!current->is_string())
        return {{}, {}, path.string() + ": \"currentContext\" is not a string"};
    return {current->get<std::string>(), "currentContext in " + path.string(), {}};
}

struct ContextMeta {
    fs::path file;
    std::string dirName; ///< sha256 of the name, as the CLI names it; shared with the TLS folder
    json document;
};

struct ContextLookup {
    std::optional<ContextMeta> found;
    std::vector<std::string> unreadable; ///< errors of meta.json files that might have been the one
};

// Scanning by "Name" finds the same folder the CLI computes as sha256(name), without a sha256 here.
ContextLookup findContext(const fs::path& metaRoot, const std::string& name)
{
    ContextLookup lookup;
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (fs::directory_iterator it(metaRoot, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec))
            dirs.push_back(it->path());
    std::sort(dirs.begin(), dirs.end()); // a stable answer should two folders claim the same name
    for (const auto& dir : dirs) {
        auto file = readJsonFile(dir / "meta.json", false);
        if (!file.exists)
            continue;
        if (!file.error.empty()) {
            lookup.unreadable.push_back(file.error);
            continue;
        }
        const json* metaName = field(file.value, "Name");
        if (metaName != nullptr && metaName->is_string() && metaName->get<std::string>() == name) {
            lookup.found = ContextMeta{dir / "meta.json", dir.filename().string(), std::move(file.value)};
            return lookup;
        }
    }
    return lookup;
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator)
{
    std::string text;
    for (const auto& part : parts)
        text += (text.empty() ? "" : std::string(separator)) + part;
    return text;
}

bool hasTlsMaterial(const fs::path& dir)
{
    static constexpr std::array<const char*, 3> names{"ca.pem", "cert.pem", "key.pem"};
    std::error_code ec;
    return std::any_of(names.begin(), names.end(),
                       [&](const char* name) { return fs::is_regular_file(dir / name, ec); });
}

EndpointResolver::Resolution endpointOfContext(const ContextMeta& meta, const fs::path& configDir,
                                               const std::string& source)
{
    const std::string where = source + ": " + meta.file.string();
    const json* endpoints = field(meta.document, "Endpoints");
    const json* docker = endpoints != nullptr && endpoints->is_object() && endpoints->contains("docker")
                             ? &endpoints->at("docker")
                             : nullptr;
    const json* host = docker != nullptr ? field(*docker, "Host") : nullptr;
    if (host == nullptr || !host->is_string() || host->get<std::string>().empty())
        return failure(where + " has no Endpoints.docker.Host");
    const json* skip = field(*docker, "SkipTLSVerify");
    if (skip != nullptr && !skip->is_boolean() && !skip->is_null())
        return failure(where + ": Endpoints.docker.SkipTLSVerify is not true or false");
    const bool skipVerify = skip != nullptr && skip->is_boolean() && skip->get<bool>();

    const fs::path tlsDir = configDir / "contexts" / "tls" / meta.dirName / "docker";
    const bool tlsFiles = hasTlsMaterial(tlsDir);
    // As the CLI's tlsConfig(): TLS files or SkipTLSVerify switch TLS on, and only SkipTLSVerify turns
    // verification off.
    const bool tls = tlsFiles || skipVerify;
    auto endpoint = Endpoint::parse(host->get<std::string>(), tls);
    if (!endpoint)
        return unusable(where + " has Host", host->get<std::string>());
    if (endpoint->transport == Endpoint::Transport::Tcp && tls) {
        endpoint->tls = true;
        endpoint->tlsVerify = !skipVerify;
        endpoint->certPath = tlsFiles ? tlsDir.string() : std::string();
    }
    endpoint->source = source;
    return {endpoint, {}};
}

EndpointResolver::Resolution fromContext(const ContextChoice& choice, const fs::path& configDir)
{
    const std::string source = "docker context '" + choice.name + "' (" + choice.origin + ")";
    if (configDir.empty())
        return failure(source + " cannot be looked up: neither DOCKER_CONFIG nor HOME is set");
    const fs::path metaRoot = configDir / "contexts" / "meta";
    const auto lookup = findContext(metaRoot, choice.name);
    if (lookup.found)
        return endpointOfContext(*lookup.found, configDir, source);
    std::string message = source + " does not exist: no " + (metaRoot / "*" / "meta.json").string() +
                          " has \"Name\": \"" + choice.name + "\"";
    if (!lookup.unreadable.empty())
        message += "; unreadable: " + joined(lookup.unreadable, "; ");
    return failure(message);
}

EndpointResolver::Resolution probeSockets(const EndpointResolver::Inputs& inputs)
{
    const std::function<bool(const std::string&)> isSocket = inputs.isSocket ? inputs.isSocket : statIsSocket;
    std::vector<std::pair<std::string, std::string>> candidates{
        {std::string(kDefaultSocket), "default socket " + std::string(kDefaultSocket)}};
    auto runtimeDir = envValue(inputs, "XDG_RUNTIME_DIR");
    if (!runtimeDir.empty() && runtimeDir.front() != '/')
        runtimeDir.clear(); // the XDG spec makes a relative value invalid
    if (!runtimeDir.empty()) {
        const auto rootless = (fs::path(runtimeDir) / "docker.sock").string();
        const auto podman = (fs::path(runtimeDir) / "podman" / "podman.sock").string();
        candidates.emplace_back(rootless, "rootless Docker socket " + rootless);
        candidates.emplace_back(podman, "rootless Podman socket " + podman);
    }
    candidates.emplace_back("/run/podman/podman.sock", "Podman socket /run/podman/podman.sock");

    std::vector<std::string> tried;
    for (const auto& [path, source] : candidates) {
        if (isSocket(path)) {
            Endpoint endpoint;
            endpoint.path = path;
            endpoint.source = source;
            return {endpoint, {}};
        }
        tried.push_back(path);
    }
    std::string message = "No Docker engine found. --host and DOCKER_HOST are not set, no docker context is "
                          "selected, and there is no socket at: " +
                          joined(tried, ", ");
    if (runtimeDir.empty())
        message += " (XDG_RUNTIME_DIR is not set to an absolute path, so no rootless socket was looked for)";
    return failure(message);
}

} // namespace

std::string Endpoint::url() const
{
    if (transport == Transport::Unix)
        return "unix://" + path;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "tcp://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<Endpoint> Endpoint::parse(const std::string& hostUrl, bool tls)
{
    const auto text = trim(hostUrl);
    const auto separator = text.find("://");
    if (separator == std::string_view::npos)
        return std::nullopt;
    const auto scheme = text.substr(0, separator);
    const auto rest = text.substr(separator + 3);
    if (scheme == "unix")
        return parseUnix(rest);
    if (scheme == "tcp")
        return parseTcp(rest, tls);
    return std::nullopt;
}

EndpointResolver::Resolution EndpointResolver::resolve(const Inputs& inputs)
{
    try {
        if (inputs.explicitHost && !trim(*inputs.explicitHost).empty())
            return fromHostString(inputs, *inputs.explicitHost, "--host option");
        if (const auto host = envValue(inputs, "DOCKER_HOST"); !host.empty())
            return fromHostString(inputs, host, "DOCKER_HOST environment variable");
        const fs::path configDir = configDirOf(inputs);
        const auto choice = chooseContext(inputs, configDir);
        if (!choice.error.empty())
            return failure(choice.error);
        if (!choice.name.empty() && choice.name != "default")
            return fromContext(choice, configDir);
        return probeSockets(inputs);
    } catch (const std::exception& e) {
        // Only allocation failures or an injected isSocket can get here; the caller wants a message anyway.
        return failure(std::string("Resolving the Docker endpoint failed: ") + e.what());
    }
}

EndpointResolver::Inputs EndpointResolver::fromEnvironment(std::optional<std::string> explicitHost)
{
    Inputs inputs;
    inputs.explicitHost = std::move(explicitHost);
    for (const char* name : {"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY",
                             "DOCKER_TLS", "DOCKER_CERT_PATH", "XDG_RUNTIME_DIR", "HOME"}) {
        if (const char* value = std::getenv(name))
            inputs.env[name] = value;
    }
    inputs.homeDir = envValue(inputs, "HOME");
    if (inputs.homeDir.empty())
        inputs.homeDir = homeFromPasswd();
    inputs.dockerConfigDir = configDirOf(inputs).string();
    inputs.isSocket = statIsSocket;
    return inputs;
}

} // namespace dockscope::docker
