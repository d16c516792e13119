// The terminal client's one-line texts: state changes (watch), Docker events (events) and stats samples.
#include "Format.h"

#include "dockscope/state/EntityDiff.h"
#include "dockscope/state/EntityJson.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace dockscope::cli {

namespace {

using nlohmann::json;
using state::ChangeOp;
using state::EntityKind;
using state::StateChange;

constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kCyan = "\033[36m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kReset = "\033[0m";

std::string paint(std::string_view text, std::string_view colour, bool color)
{
    return color ? std::string(colour) + std::string(text) + std::string(kReset) : std::string(text);
}

bool isTime(std::string_view field)
{
    return field == "createdAt" || field == "startedAt" || field == "finishedAt" || field == "statusSince";
}

std::string listed(const json& array, auto item)
{
    std::string out;
    for (const json& element : array)
        out += (out.empty() ? "" : ", ") + item(element);
    return '[' + out + ']';
}

// A wire value as a person reads it.
std::string shown(const json& v, std::string_view field)
{
    if (v.is_null())
        return "(none)";
    if (v.is_string())
        return v.get_ref<const std::string&>().empty() ? "\"\"" : v.get<std::string>();
    if (isTime(field) && v.is_number_integer())
        return v.get<std::int64_t>() == 0 ? "(never)" : clockTime(v.get<std::int64_t>());
    if (field == "ports" && v.is_array()) {
        try {
            const std::string text = formatPorts(v.get<std::vector<state::Port>>());
            return text.empty() ? "[]" : text;
        } catch (const std::exception&) {
            return v.dump();
        }
    }
    if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); })) {
        const bool ids = field == "containers" || field == "usedBy";
        return listed(
            v, [ids](const json& e) { return ids ? shortId(e.get<std::string>()) : e.get<std::string>(); });
    }
    if (field == "mounts" && v.is_array())
        return listed(v, [](const json& m) {
            const std::string source = m.value("name", std::string());
            return (source.empty() ? m.value("source", std::string()) : source) + ':' +
                   m.value("destination", std::string());
        });
    return v.dump();
}

json member(const json& object, const std::string& key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? json() : *it;
}

// "field old→new" for each changed field of a merge patch; nested patches (labels, counts) per key.
std::vector<std::string> fieldChanges(const json& diff, const json& before, bool withTimes)
{
    std::vector<std::string> out;
    if (!diff.is_object())
        return out;
    // What matters most first (state before exitCode), then the rest in the diff's (alphabetical) order.
    std::vector<std::string> fields{"state", "health", "status"};
    std::erase_if(fields, [&diff](const std::string& f) { return !diff.contains(f); });
    for (const auto& item : diff.items())
        if (std::find(fields.begin(), fields.end(), item.key()) == fields.end())
            fields.push_back(item.key());
    for (const std::string& field : fields) {
        const json& next = diff.at(field);
        if (!withTimes && isTime(field))
            continue;
        const json old = member(before, field);
        if ((field == "containers" || field == "usedBy") && next.is_object()) {
            // An id-set change (protocol.md): the ids that came and went.
            std::string text = field;
            for (const auto& [op, sign] : {std::pair{"add", '+'}, std::pair{"remove", '-'}})
                for (const json& id : member(next, op))
                    if (id.is_string())
                        text += std::string(" ") + sign + shortId(id.get<std::string>());
            out.push_back(std::move(text));
            continue;
        }
        if (next.is_object() && old.is_object()) {
            for (const auto& [key, value] : next.items())
                out.push_back(field + '.' + key + ' ' + shown(member(old, key), key) + "→" +
                              shown(value, key));
            continue;
        }
        out.push_back(field + ' ' + shown(old, field) + "→" + shown(next, field));
    }
    return out;
}

// "started", "paused", "unpaused" for a container whose state changed so; empty otherwise.
std::string containerVerb(const StateChange& change, const json& before)
{
    if (change.kind != EntityKind::Container)
        return {};
    const json next = member(change.diff, "state");
    if (!next.is_string())
        return {};
    const json old = member(before, "state");
    const std::string now = next.get<std::string>();
    if (now == "paused")
        return "paused";
    if (now != "running")
        return {};
    return old == "paused" ? "unpaused" : old == "running" ? std::string() : "started";
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string updateText(const StateChange& change, const json& before, bool color)
{
    const std::string verb = containerVerb(change, before);
    std::vector<std::string> details = fieldChanges(change.diff, before, false);
    if (!verb.empty()) {
        std::erase_if(details, [](const std::string& d) { return d.starts_with("state "); });
        const std::string_view colour = verb == "paused" ? kYellow : kGreen;
        return paint(verb, colour, color) + (details.empty() ? "" : ", " + joined(details));
    }
    if (details.empty())
        details = fieldChanges(change.diff, before, true);
    return paint("updated", kYellow, color) + (details.empty() ? "" : ' ' + joined(details));
}

template <typename Map>
void diffKind(EntityKind kind, const Map& before, const Map& after, std::vector<StateChange>& out)
{
    std::map<std::string, std::pair<const typename Map::mapped_type*, const typename Map::mapped_type*>> ids;
    for (const auto& [id, v] : before)
        ids[id].first = &v;
    for (const auto& [id, v] : after)
        ids[id].second = &v;
    for (const auto& [id, pair] : ids) {
        const auto& [old, now] = pair;
        if (!old)
            out.push_back({kind, ChangeOp::Created, id, json(*now), {}});
        else if (!now)
            out.push_back({kind, ChangeOp::Removed, id, {}, {}});
        else if (!(*old == *now))
            out.push_back({kind, ChangeOp::Updated, id, {}, state::diffWire(json(*old), json(*now))});
    }
}

} // namespace

json entityJson(const state::EngineState& s, EntityKind kind, const std::string& id)
{
    const auto find = [&id](const auto& map) -> json {
        const auto it = map.find(id);
        return it == map.end() ? json() : json(it->second);
    };
    switch (kind) {
    case EntityKind::Container:
        return find(s.containers());
    case EntityKind::Image:
        return find(s.images());
    case EntityKind::Volume:
        return find(s.volumes());
    case EntityKind::Network:
        return find(s.networks());
    case EntityKind::Engine:
        break;
    }
    return s.engine() ? json(*s.engine()) : json();
}

std::vector<StateChange> diffStates(const state::EngineState& before, const state::EngineState& after)
{
    std::vector<StateChange> out;
    diffKind(EntityKind::Container, before.containers(), after.containers(), out);
    diffKind(EntityKind::Image, before.images(), after.images(), out);
    diffKind(EntityKind::Volume, before.volumes(), after.volumes(), out);
    diffKind(EntityKind::Network, before.networks(), after.networks(), out);
    const std::string engine(state::kEngineId);
    if (!before.engine() && after.engine())
        out.push_back({EntityKind::Engine, ChangeOp::Created, engine, json(*after.engine()), {}});
    else if (before.engine() && !after.engine())
        out.push_back({EntityKind::Engine, ChangeOp::Removed, engine, {}, {}});
    else if (before.engine() && !(*before.engine() == *after.engine()))
        out.push_back({EntityKind::Engine,
                       ChangeOp::Updated,
                       engine,
                       {},
                       state::diffWire(json(*before.engine()), json(*after.engine()))});
    return out;
}

std::string entityName(EntityKind kind, const json& value, const json& before)
{
    const json& source = value.is_object() ? value : before;
    if (kind == EntityKind::Engine)
        return "engine";
    if (kind != EntityKind::Image)
        return member(source, "name").is_string() ? source.at("name").get<std::string>() : std::string();
    const json tags = member(source, "repoTags");
    if (tags.is_array() && !tags.empty() && tags.front().is_string())
        return tags.front().get<std::string>();
    const json id = member(source, "id");
    return id.is_string() ? shortId(id.get<std::string>()) : std::string();
}

std::string changeLine(const StateChange& change, const json& before, bool color)
{
    std::string name = entityName(change.kind, change.value, before);
    if (name.empty())
        name = shortId(change.id);
    const std::string subject = std::string(toString(change.kind)) + ' ' + paint(name, kBold, color) + ' ';
    switch (change.op) {
    case ChangeOp::Created:
        return subject + paint("created", kGreen, color);
    case ChangeOp::Removed:
        return subject + paint("removed", kRed, color);
    case ChangeOp::Updated:
        break;
    }
    return subject + updateText(change, before, color);
}

json changeJson(const StateChange& change, std::uint64_t version, const json& before)
{
    json out{{"version", version},
             {"kind", toString(change.kind)},
             {"op", toString(change.op)},
             {"id", change.id}};
    if (const std::string name = entityName(change.kind, change.value, before); !name.empty())
        out["name"] = name;
    if (change.op == ChangeOp::Created)
        out["value"] = change.value;
    else if (change.op == ChangeOp::Updated)
        out["diff"] = change.diff;
    return out;
}

std::string eventLine(const state::DockerEvent& event, bool color)
{
    std::string action = event.action + (event.actionDetail.empty() ? "" : ": " + event.actionDetail);
    std::string out = event.type + ' ' + paint(action, kCyan, color);
    const auto name = event.attributes.find("name");
    if (name != event.attributes.end())
        out += ' ' + name->second;
    const bool hexId = event.actorId.size() >= 64 &&
                       event.actorId.find_first_not_of("0123456789abcdefsha:") == std::string::npos;
    const std::string id = hexId ? shortId(event.actorId) : event.actorId;
    if (!id.empty() && (name == event.attributes.end() || name->second != id))
        out += " (" + id + ')';
    for (const char* key : {"exitCode", "signal", "container"}) {
        const auto it = event.attributes.find(key);
        if (it != event.attributes.end())
            out += ' ' + std::string(key) + '=' +
                   (std::string_view(key) == "container" ? shortId(it->second) : it->second);
    }
    return out;
}

std::vector<std::string> statsHeaders()
{
    return {"CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"};
}

std::vector<std::string> statsCells(std::string_view id, std::string_view name, const json& sample)
{
    const auto number = [&sample](const char* key) {
        const json v = member(sample, key);
        return v.is_number() ? v.get<double>() : 0.0;
    };
    const auto percent = [](double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%.2f%%", value);
        return std::string(text);
    };
    const auto pair = [&number](const char* a, const char* b, auto size) {
        return size(number(a)) + " / " + size(number(b));
    };
    const auto decimal = [](double v) { return humanSize(v); };
    const auto binary = [](double v) { return bytesSize(v); };
    return {shortId(id),
            std::string(name),
            percent(number("cpuPercent")),
            pair("memUsage", "memLimit", binary),
            percent(number("memPercent")),
            pair("netRx", "netTx", decimal),
            pair("blockRead", "blockWrite", decimal),
            std::to_string(static_cast<std::uint64_t>(number("pids")))};
}

std::string statsRow(const std::vector<std::string>& cells, std::size_t nameWidth)
{
    const std::array<std::size_t, 7> widths{12, nameWidth, 7, 21, 7, 19, 19};
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        out += cells[i];
        if (i < widths.size() && i + 1 < cells.size())
            out += std::string(cells[i].size() < widths[i] ? widths[i] - cells[i].size() + 3 : 3, ' ');
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace dockscope::cli
