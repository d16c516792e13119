// Tables, durations, sizes and target resolution for the terminal client (the lines are in FormatLines.cpp).
#include "Format.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace dockscope::cli {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// go-units CustomSize: divide by `base` while the unit list allows, then print with "%.*g".
std::string customSize(double size, int precision, double base, const std::array<const char*, 9>& units)
{
    std::size_t i = 0;
    while (size >= base && i + 1 < units.size()) {
        size /= base;
        ++i;
    }
    char text[64];
    std::snprintf(text, sizeof text, "%.*g%s", precision, size, units[i]);
    return text;
}

std::size_t displayWidth(std::string_view text)
{
    // UTF-8 code points: every byte that does not continue a sequence starts one.
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string trimRight(std::string line)
{
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    return line;
}

std::string ago(state::Timestamp ts, state::Timestamp now)
{
    return ts == 0 ? std::string() : humanDuration(now - ts) + " ago";
}

std::string uptime(const state::Container& c, state::Timestamp now)
{
    return "Up " + humanDuration(now - c.startedAt);
}

std::string healthSuffix(state::Health health)
{
    switch (health) {
    case state::Health::Starting:
        return " (health: starting)";
    case state::Health::Healthy:
        return " (healthy)";
    case state::Health::Unhealthy:
        return " (unhealthy)";
    case state::Health::None:
        break;
    }
    return {};
}

std::string joined(const std::vector<std::string>& items, std::string_view separator)
{
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

template <typename Map>
std::vector<const typename Map::mapped_type*> sortedBy(const Map& map, auto key)
{
    std::vector<const typename Map::mapped_type*> out;
    out.reserve(map.size());
    for (const auto& entry : map)
        out.push_back(&entry.second);
    std::sort(out.begin(), out.end(), [&key](const auto* a, const auto* b) { return key(*a) < key(*b); });
    return out;
}

} // namespace

std::string humanDuration(std::int64_t nanoseconds)
{
    const std::int64_t seconds = nanoseconds / kNsPerSecond;
    if (seconds < 1)
        return "Less than a second";
    if (seconds == 1)
        return "1 second";
    if (seconds < 60)
        return std::to_string(seconds) + " seconds";
    const std::int64_t minutes = seconds / 60;
    if (minutes == 1)
        return "About a minute";
    if (minutes < 60)
        return std::to_string(minutes) + " minutes";
    const auto hours = static_cast<std::int64_t>(static_cast<double>(nanoseconds) / 3.6e12 + 0.5);
    if (hours == 1)
        return "About an hour";
    if (hours < 48)
        return std::to_string(hours) + " hours";
    if (hours < 24 * 7 * 2)
        return std::to_string(hours / 24) + " days";
    if (hours < 24 * 30 * 2)
        return std::to_string(hours / 24 / 7) + " weeks";
    if (hours < 24 * 365 * 2)
        return std::to_string(hours / 24 / 30) + " months";
    return std::to_string(seconds / 3600 / 24 / 365) + " years";
}

std::string humanSize(double bytes, int precision)
{
    static const std::array<const char*, 9> units{"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    return customSize(bytes, precision, 1000.0, units);
}

std::string bytesSize(double bytes)
{
    static const std::array<const char*, 9> units{"B",   "KiB", "MiB", "GiB", "TiB",
                                                  "PiB", "EiB", "ZiB", "YiB"};
    return customSize(bytes, 4, 1024.0, units);
}

std::string shortId(std::string_view id)
{
    if (id.starts_with("sha256:"))
        id.remove_prefix(7);
    return std::string(id.substr(0, 12));
}

std::string clockTime(state::Timestamp ts)
{
    const std::time_t seconds = static_cast<std::time_t>(ts / kNsPerSecond);
    std::tm local{};
    ::localtime_r(&seconds, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M:%S", &local);
    return text;
}

std::string rfc3339Nano(state::Timestamp ts)
{
    const std::time_t seconds = static_cast<std::time_t>(ts / kNsPerSecond);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
    char text[48];
    std::snprintf(text, sizeof text, "%s.%09lldZ", date, static_cast<long long>(ts % kNsPerSecond));
    return text;
}

std::string formatTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> widths(headers.size(), 0);
    const auto measure = [&widths](const std::vector<std::string>& cells) {
        if (widths.size() < cells.size())
            widths.resize(cells.size(), 0);
        for (std::size_t i = 0; i < cells.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(cells[i]));
    };
    measure(headers);
    for (const auto& row : rows)
        measure(row);
    const auto line = [&widths](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size())
                out += std::string(widths[i] - displayWidth(cells[i]) + 3, ' ');
        }
        return trimRight(std::move(out)) + '\n';
    };
    std::string out = headers.empty() ? std::string() : line(headers);
    for (const auto& row : rows)
        out += line(row);
    return out;
}

std::string containerStatus(const state::Container& c, state::Timestamp now)
{
    using S = state::ContainerState;
    switch (c.state) {
    case S::Running:
        return uptime(c, now) + healthSuffix(c.health);
    case S::Paused:
        return uptime(c, now) + " (Paused)";
    case S::Restarting:
        return "Restarting (" + std::to_string(c.exitCode) + ") " + ago(c.finishedAt, now);
    case S::Removing:
        return "Removal In Progress";
    case S::Dead:
        return "Dead";
    case S::Created:
        return "Created";
    case S::Exited:
        break;
    }
    if (c.startedAt == 0)
        return "Created";
    const std::string exited = "Exited (" + std::to_string(c.exitCode) + ")";
    return c.finishedAt == 0 ? exited : exited + ' ' + ago(c.finishedAt, now);
}

std::string formatPorts(const std::vector<state::Port>& ports)
{
    std::vector<std::string> out;
    for (const state::Port& p : ports) {
        const std::string inside = std::to_string(p.privatePort) + '/' + p.type;
        if (p.publicPort == 0) {
            out.push_back(inside);
            continue;
        }
        const bool v6 = p.ip.find(':') != std::string::npos;
        const std::string host = p.ip.empty() ? std::string() : v6 ? '[' + p.ip + ']' : p.ip;
        out.push_back(host + ':' + std::to_string(p.publicPort) + "->" + inside);
    }
    return joined(out, ", ");
}

std::string containersTable(const state::EngineState::ContainerMap& containers, state::Timestamp now)
{
    std::vector<std::vector<std::string>> rows;
    for (const state::Container* c : sortedBy(containers, [](const state::Container& x) { return x.name; })) {
        const std::string health = c->health == state::Health::None ? "" : std::string(toString(c->health));
        rows.push_back({shortId(c->id), c->name, c->image, std::string(toString(c->state)), health,
                        containerStatus(*c, now), formatPorts(c->ports), c->composeProject});
    }
    return formatTable({"CONTAINER ID", "NAME", "IMAGE", "STATE", "HEALTH", "STATUS", "PORTS", "PROJECT"},
                       rows);
}

std::string imagesTable(const state::EngineState::ImageMap& images, state::Timestamp now)
{
    std::vector<std::vector<std::string>> rows;
    const auto firstTag = [](const state::Image& i) {
        return i.repoTags.empty() ? "~" + i.id : i.repoTags.front();
    };
    for (const state::Image* image : sortedBy(images, firstTag)) {
        const auto row = [&](std::string repo, std::string tag) {
            rows.push_back({std::move(repo), std::move(tag), shortId(image->id), ago(image->createdAt, now),
                            humanSize(static_cast<double>(image->size)), std::to_string(image->containers)});
        };
        if (image->repoTags.empty())
            row("<none>", "<none>");
        for (const std::string& reference : image->repoTags) {
            const std::size_t colon = reference.rfind(':');
            const bool hasTag = colon != std::string::npos && reference.find('/', colon) == std::string::npos;
            row(hasTag ? reference.substr(0, colon) : reference,
                hasTag ? reference.substr(colon + 1) : "<none>");
        }
    }
    return formatTable({"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "CONTAINERS"}, rows);
}

std::string volumesTable(const state::EngineState::VolumeMap& volumes, state::Timestamp now)
{
    std::vector<std::vector<std::string>> rows;
    for (const state::Volume* v : sortedBy(volumes, [](const state::Volume& x) { return x.name; }))
        rows.push_back(
            {v->name, v->driver, v->scope, std::to_string(v->usedBy.size()), ago(v->createdAt, now)});
    return formatTable({"NAME", "DRIVER", "SCOPE", "CONTAINERS", "CREATED"}, rows);
}

std::string networksTable(const state::EngineState::NetworkMap& networks)
{
    std::vector<std::vector<std::string>> rows;
    for (const state::Network* n : sortedBy(networks, [](const state::Network& x) { return x.name; })) {
        std::vector<std::string> flags;
        if (n->internal)
            flags.emplace_back("internal");
        if (n->attachable)
            flags.emplace_back("attachable");
        rows.push_back({shortId(n->id), n->name, n->driver, n->scope, joined(n->subnets, ", "),
                        std::to_string(n->containers.size()), joined(flags, ",")});
    }
    return formatTable({"NETWORK ID", "NAME", "DRIVER", "SCOPE", "SUBNETS", "CONTAINERS", "FLAGS"}, rows);
}

std::string engineSummary(const state::EngineInfo& e, state::Timestamp now)
{
    std::string status(toString(e.status));
    if (e.statusSince != 0)
        status += " for " + humanDuration(now - e.statusSince);
    std::vector<std::vector<std::string>> rows{{"Status:", status}};
    if (!e.version.empty())
        rows.push_back({"Engine:", "Docker " + e.version + " (API " + e.apiVersion + "), " + e.os + ", " +
                                       e.arch + ", kernel " + e.kernel});
    if (!e.name.empty())
        rows.push_back({"Host:", e.name + ", " + std::to_string(e.cpus) + " CPUs, " +
                                     bytesSize(static_cast<double>(e.memTotal)) + " memory"});
    rows.push_back({"Containers:", std::to_string(e.counts.running) + " running, " +
                                       std::to_string(e.counts.paused) + " paused, " +
                                       std::to_string(e.counts.stopped) + " stopped"});
    rows.push_back({"Images:", std::to_string(e.counts.images)});
    if (!e.lastError.empty())
        rows.push_back({"Last error:", e.lastError});
    return formatTable({}, rows);
}

std::string pruneReport(const nlohmann::json& report)
{
    std::string out;
    if (!report.is_object())
        return out;
    const auto section = [&](const char* key, const char* title) {
        const auto it = report.find(key);
        if (it == report.end() || !it->is_array() || it->empty())
            return;
        out += std::string(title) + '\n';
        for (const nlohmann::json& item : *it) {
            if (item.is_string())
                out += item.get<std::string>() + '\n';
            for (const char* what : {"Untagged", "Deleted"})
                if (item.is_object() && item.contains(what) && item[what].is_string())
                    out +=
                        (what[0] == 'U' ? "untagged: " : "deleted: ") + item[what].get<std::string>() + '\n';
        }
    };
    section("ContainersDeleted", "Deleted Containers:");
    section("ImagesDeleted", "Deleted Images:");
    section("VolumesDeleted", "Deleted Volumes:");
    section("NetworksDeleted", "Deleted Networks:");
    if (const auto space = report.find("SpaceReclaimed"); space != report.end() && space->is_number())
        out += (out.empty() ? "" : "\n") + std::string("Total reclaimed space: ") +
               humanSize(space->get<double>(), 4) + '\n';
    return out;
}

std::string imageRemovalReport(const nlohmann::json& report)
{
    std::string out;
    if (!report.is_array())
        return out;
    for (const nlohmann::json& item : report)
        for (const char* what : {"Untagged", "Deleted"})
            if (item.is_object() && item.contains(what) && item[what].is_string())
                out += std::string(what) + ": " + item[what].get<std::string>() + '\n';
    return out;
}

Resolution resolveContainer(const state::EngineState::ContainerMap& containers, std::string_view query)
{
    if (query.starts_with('/'))
        query.remove_prefix(1);
    if (query.empty())
        return {};
    if (const auto it = containers.find(std::string(query)); it != containers.end())
        return {Resolution::Outcome::Found, it->first, {}};
    for (const auto& [id, c] : containers)
        if (c.name == query)
            return {Resolution::Outcome::Found, id, {}};
    Resolution out;
    for (const auto& [id, c] : containers)
        if (id.starts_with(query)) {
            out.id = id;
            out.candidates.push_back(shortId(id) + " (" + c.name + ')');
        }
    if (out.candidates.size() == 1)
        return {Resolution::Outcome::Found, out.id, {}};
    if (out.candidates.empty())
        return {};
    std::sort(out.candidates.begin(), out.candidates.end());
    out.id.clear();
    out.outcome = Resolution::Outcome::Ambiguous;
    return out;
}

std::string ambiguityMessage(std::string_view query, const std::vector<std::string>& candidates)
{
    return "container id prefix '" + std::string(query) + "' is ambiguous: it matches " +
           joined(candidates, ", ");
}

} // namespace dockscope::cli
