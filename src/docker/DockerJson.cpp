#include "dockscope/docker/DockerJson.h"

#include "JsonField.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <tuple>
#include <utility>

namespace dockscope::docker::json {

namespace {

using detail::excerpt;
using detail::Field;
using detail::Json;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
// Go's zero time.Time, which Docker writes for "never" (StartedAt of a created container, ...).
constexpr std::int64_t kGoZeroTimeSeconds = -62'135'596'800;
// Whole seconds that still fit in int64 nanoseconds together with any fraction.
constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / kNanosPerSecond - 1;

// ---- RFC 3339 ---------------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(1, 1, 1) * 86400 == kGoZeroTimeSeconds);

constexpr unsigned daysInMonth(std::int64_t y, unsigned m)
{
    constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

/// A tiny cursor over the text: each reader consumes what it recognises and says whether it did.
struct TimeText {
    std::string_view s;
    std::size_t pos = 0;

    bool digits(std::size_t count, unsigned& out)
    {
        if (s.size() - pos < count)
            return false;
        out = 0;
        for (std::size_t i = 0; i < count; ++i, ++pos) {
            if (s[pos] < '0' || s[pos] > '9')
                return false;
            out = out * 10 + static_cast<unsigned>(s[pos] - '0');
        }
        return true;
    }
    bool skip(char c)
    {
        if (pos >= s.size() || s[pos] != c)
            return false;
        ++pos;
        return true;
    }
    bool skipEither(char a, char b) { return skip(a) || skip(b); }
};

/// "2006-01-02T15:04:05" to seconds since the epoch, ranges checked.
bool readDateTime(TimeText& t, std::int64_t& seconds)
{
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!(t.digits(4, y) && t.skip('-') && t.digits(2, mo) && t.skip('-') && t.digits(2, d) &&
          t.skipEither('T', 't') && t.digits(2, h) && t.skip(':') && t.digits(2, mi) && t.skip(':') &&
          t.digits(2, se)))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || se > 59)
        return false;
    seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

/// ".123" (1 to 9 digits) to nanoseconds; absent gives 0.
bool readFraction(TimeText& t, std::int64_t& nanos)
{
    nanos = 0;
    if (!t.skip('.'))
        return true;
    int count = 0;
    for (unsigned digit = 0; count < 10 && t.digits(1, digit); ++count)
        nanos = nanos * 10 + digit;
    if (count < 1 || count > 9)
        return false;
    for (int i = count; i < 9; ++i)
        nanos *= 10;
    return true;
}

/// "Z" or "+hh:mm" / "-hh:mm" to the offset east of UTC in seconds.
bool readZone(TimeText& t, std::int64_t& offset)
{
    offset = 0;
    if (t.skipEither('Z', 'z'))
        return true;
    const bool east = t.skip('+');
    if (!east && !t.skip('-'))
        return false;
    unsigned h = 0, m = 0;
    if (!(t.digits(2, h) && t.skip(':') && t.digits(2, m)) || h > 23 || m > 59)
        return false;
    offset = (east ? 1 : -1) * static_cast<std::int64_t>(h * 3600 + m * 60);
    return true;
}

// ---- containers -------------------------------------------------------------------------------------------

void sortPorts(std::vector<state::Port>& ports)
{
    std::sort(ports.begin(), ports.end(), [](const state::Port& a, const state::Port& b) {
        return std::tie(a.privatePort, a.type, a.ip, a.publicPort) <
               std::tie(b.privatePort, b.type, b.ip, b.publicPort);
    });
}

std::uint16_t parsePortNumber(std::string_view text, const Field& where)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > 65535)
        where.fail("expected a port number, got " + excerpt(text));
    return static_cast<std::uint16_t>(value);
}

/// NetworkSettings.Ports: {"80/tcp": [{"HostIp", "HostPort"}, ...] or null}, flattened the way Docker's own
/// container list does it (one entry per binding, one unpublished entry when there is none).
std::vector<state::Port> inspectPorts(const Field& ports)
{
    std::vector<state::Port> out;
    ports.forEachMember([&](const std::string& key, const Field& bindings) {
        const auto slash = key.find('/');
        state::Port port;
        port.privatePort = parsePortNumber(std::string_view(key).substr(0, slash), bindings);
        if (slash != std::string::npos)
            port.type = key.substr(slash + 1);
        const std::size_t before = out.size();
        bindings.forEachElement([&](const Field& binding) {
            state::Port published = port;
            published.ip = binding["HostIp"].string();
            const std::string hostPort = binding["HostPort"].string();
            published.publicPort = hostPort.empty() ? 0 : parsePortNumber(hostPort, binding["HostPort"]);
            out.push_back(std::move(published));
        });
        if (out.size() == before)
            out.push_back(std::move(port));
    });
    sortPorts(out);
    return out;
}

std::vector<state::Port> summaryPorts(const Field& ports)
{
    std::vector<state::Port> out;
    ports.forEachElement([&](const Field& p) {
        state::Port port;
        port.ip = p["IP"].string();
        port.privatePort = p["PrivatePort"].integerIn<std::uint16_t>();
        port.publicPort = p["PublicPort"].integerIn<std::uint16_t>();
        if (!p["Type"].isNull())
            port.type = p["Type"].string();
        out.push_back(std::move(port));
    });
    sortPorts(out);
    return out;
}

std::vector<state::Mount> parseMounts(const Field& mounts)
{
    std::vector<state::Mount> out;
    mounts.forEachElement([&](const Field& m) {
        out.push_back({m["Type"].string(), m["Name"].string(), m["Source"].string(),
                       m["Destination"].string(), m["RW"].boolean(true)});
    });
    // Docker walks a Go map to build this array, so its order changes from one call to the next.
    std::sort(out.begin(), out.end(), [](const state::Mount& a, const state::Mount& b) {
        return std::tie(a.destination, a.source, a.name, a.type) <
               std::tie(b.destination, b.source, b.name, b.type);
    });
    return out;
}

state::ContainerState parseState(const Field& status)
{
    if (status.isNull())
        status.fail("missing");
    const std::string text = status.string();
    if (const auto s = state::containerStateFromString(text))
        return *s;
    status.fail("unknown container state " + excerpt(text));
}

/// Path and Args joined the way Docker's container list builds its Command, so that both forms agree.
std::string joinCommand(const Field& path, const Field& args)
{
    std::string command = path.string();
    args.forEachElement([&](const Field& arg) {
        const std::string text = arg.string();
        command += ' ';
        command += text.find(' ') == std::string::npos ? text : '\'' + text + '\'';
    });
    return command;
}

std::string withoutSlash(std::string name)
{
    if (!name.empty() && name.front() == '/')
        name.erase(0, 1);
    return name;
}

void setCompose(state::Container& c)
{
    const auto project = c.labels.find("com.docker.compose.project");
    const auto service = c.labels.find("com.docker.compose.service");
    c.composeProject = project == c.labels.end() ? std::string() : project->second;
    c.composeService = service == c.labels.end() ? std::string() : service->second;
}

void readInspectState(const Field& s, state::Container& c)
{
    c.state = parseState(s["Status"]);
    const Field health = s["Health"]["Status"];
    if (!health.isNull()) {
        const std::string text = health.string();
        const auto parsed = state::healthFromString(text);
        if (!parsed)
            health.fail("unknown health status " + excerpt(text));
        c.health = *parsed;
    }
    c.exitCode = s["ExitCode"].integerIn<int>();
    c.startedAt = s["StartedAt"].time();
    c.finishedAt = s["FinishedAt"].time();
}

state::Container containerFromInspect(const Field& root)
{
    state::Container c;
    c.id = root["Id"].requiredString();
    c.name = withoutSlash(root["Name"].string());
    const Field config = root["Config"];
    c.image = config["Image"].string();
    c.imageId = root["Image"].string();
    c.command = joinCommand(root["Path"], root["Args"]);
    c.createdAt = root["Created"].time();
    readInspectState(root["State"], c);
    c.restartCount = root["RestartCount"].integerIn<int>();
    c.ports = inspectPorts(root["NetworkSettings"]["Ports"]);
    c.labels = config["Labels"].labels();
    c.networks = root["NetworkSettings"]["Networks"].sortedKeys();
    c.mounts = parseMounts(root["Mounts"]);
    setCompose(c);
    return c;
}

/// The health and exit code that the list only gives inside its Status text: "Up 2 minutes (healthy)",
/// "Up 1 second (health: starting)", "Exited (137) 2 hours ago", "Restarting (1) 5 seconds ago".
void readStatusText(const std::string& status, state::Container& c)
{
    if (status.find("(healthy)") != std::string::npos)
        c.health = state::Health::Healthy;
    else if (status.find("(unhealthy)") != std::string::npos)
        c.health = state::Health::Unhealthy;
    else if (status.find("(health: starting)") != std::string::npos)
        c.health = state::Health::Starting;
    for (const std::string_view prefix : {"Exited (", "Restarting ("}) {
        if (status.rfind(prefix, 0) != 0)
            continue;
        const char* first = status.data() + prefix.size();
        std::from_chars(first, status.data() + status.size(), c.exitCode);
    }
}

/// Names holds the container's name and, with legacy links, "/other/alias" names: the own one has one slash.
std::string primaryName(const Field& names)
{
    const std::vector<std::string> all = names.strings();
    const auto own = std::find_if(all.begin(), all.end(),
                                  [](const std::string& n) { return n.find('/', 1) == std::string::npos; });
    return withoutSlash(own != all.end() ? *own : all.empty() ? std::string() : all.front());
}

state::Container containerFromSummary(const Field& root)
{
    state::Container c;
    c.id = root["Id"].requiredString();
    c.name = primaryName(root["Names"]);
    c.image = root["Image"].string();
    c.imageId = root["ImageID"].string();
    c.command = root["Command"].string();
    c.createdAt = root["Created"].unixSeconds();
    c.state = parseState(root["State"]);
    readStatusText(root["Status"].string(), c);
    c.ports = summaryPorts(root["Ports"]);
    c.labels = root["Labels"].labels();
    c.networks = root["NetworkSettings"]["Networks"].sortedKeys();
    c.mounts = parseMounts(root["Mounts"]);
    setCompose(c);
    return c;
}

// ---- images, volumes, networks ----------------------------------------------------------------------------

std::vector<std::string> sortedWithout(std::vector<std::string> values, std::string_view placeholder)
{
    values.erase(std::remove(values.begin(), values.end(), placeholder), values.end());
    std::sort(values.begin(), values.end());
    return values;
}

state::Image imageFrom(const Field& root, bool inspect)
{
    state::Image image;
    image.id = root["Id"].requiredString();
    image.repoTags = sortedWithout(root["RepoTags"].strings(), "<none>:<none>");
    image.repoDigests = sortedWithout(root["RepoDigests"].strings(), "<none>@<none>");
    if (inspect) {
        // Floor to whole seconds: the list form has no more, and both forms must agree.
        const state::Timestamp created = root["Created"].time();
        image.createdAt = created - ((created % kNanosPerSecond) + kNanosPerSecond) % kNanosPerSecond;
    } else {
        image.createdAt = root["Created"].unixSeconds();
    }
    image.size = root["Size"].integer();
    image.labels = inspect ? root["Config"]["Labels"].labels() : root["Labels"].labels();
    return image;
}

state::Volume volumeFrom(const Field& root)
{
    state::Volume v;
    v.name = root["Name"].requiredString();
    v.driver = root["Driver"].string();
    v.mountpoint = root["Mountpoint"].string();
    v.createdAt = root["CreatedAt"].time();
    v.scope = root["Scope"].string();
    v.labels = root["Labels"].labels();
    return v;
}

state::Network networkFrom(const Field& root)
{
    state::Network n;
    n.id = root["Id"].requiredString();
    n.name = root["Name"].string();
    n.driver = root["Driver"].string();
    n.scope = root["Scope"].string();
    n.internal = root["Internal"].boolean();
    n.attachable = root["Attachable"].boolean();
    n.createdAt = root["Created"].time();
    n.labels = root["Labels"].labels();
    root["IPAM"]["Config"].forEachElement([&](const Field& config) {
        if (std::string subnet = config["Subnet"].string(); !subnet.empty())
            n.subnets.push_back(std::move(subnet));
    });
    return n;
}

template <typename T, typename F>
std::vector<T> listOf(const Field& list, F&& parseOne)
{
    std::vector<T> out;
    list.forEachElement([&](const Field& element) { out.push_back(parseOne(element)); });
    return out;
}

} // namespace

state::Timestamp parseTime(std::string_view text, std::string_view field)
{
    if (text.empty())
        return 0;
    TimeText t{text};
    std::int64_t seconds = 0, nanos = 0, offset = 0;
    if (!readDateTime(t, seconds) || !readFraction(t, nanos) || !readZone(t, offset) || t.pos != text.size())
        throw JsonFieldError(std::string(field) + ": expected an RFC 3339 time, got " + excerpt(text));
    seconds -= offset;
    if (seconds == kGoZeroTimeSeconds && nanos == 0)
        return 0;
    if (seconds < -kMaxSeconds || seconds > kMaxSeconds)
        throw JsonFieldError(std::string(field) + ": time out of range: " + excerpt(text));
    return seconds * kNanosPerSecond + nanos;
}

state::Container parseContainerInspect(const Json& doc)
{
    return containerFromInspect(Field(doc, "container inspect"));
}

state::Container parseContainerSummary(const Json& doc)
{
    return containerFromSummary(Field(doc, "container summary"));
}

state::Image parseImageSummary(const Json& doc)
{
    return imageFrom(Field(doc, "image summary"), false);
}
state::Image parseImageInspect(const Json& doc)
{
    return imageFrom(Field(doc, "image inspect"), true);
}
state::Volume parseVolume(const Json& doc)
{
    return volumeFrom(Field(doc, "volume"));
}
state::Network parseNetwork(const Json& doc)
{
    return networkFrom(Field(doc, "network"));
}

std::vector<state::Container> parseContainerList(const Json& doc)
{
    return listOf<state::Container>(Field(doc, "container list"), containerFromSummary);
}

std::vector<state::Image> parseImageList(const Json& doc)
{
    return listOf<state::Image>(Field(doc, "image list"), [](const Field& f) { return imageFrom(f, false); });
}

std::vector<state::Volume> parseVolumeList(const Json& doc)
{
    return listOf<state::Volume>(Field(doc, "volume list")["Volumes"], volumeFrom);
}

std::vector<state::Network> parseNetworkList(const Json& doc)
{
    return listOf<state::Network>(Field(doc, "network list"), networkFrom);
}

state::EngineInfo parseEngineInfo(const Json& info, const Json& version)
{
    const Field i(info, "info");
    state::EngineInfo engine;
    engine.version = Field(version, "version")["Version"].string();
    engine.os = i["OperatingSystem"].string();
    engine.arch = i["Architecture"].string();
    engine.kernel = i["KernelVersion"].string();
    engine.cpus = i["NCPU"].integerIn<int>();
    engine.memTotal = i["MemTotal"].integer();
    engine.name = i["Name"].string();
    engine.counts.running = i["ContainersRunning"].integerIn<int>();
    engine.counts.paused = i["ContainersPaused"].integerIn<int>();
    engine.counts.stopped = i["ContainersStopped"].integerIn<int>();
    engine.counts.images = i["Images"].integerIn<int>();
    return engine;
}

} // namespace dockscope::docker::json
