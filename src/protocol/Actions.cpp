#include "dockscope/protocol/Actions.h"

#include "ActionValues.h"
#include "WireFields.h"

#include <algorithm>

namespace dockscope::protocol {

namespace {

using nlohmann::json;
using wire::Fields;

// What a parser of one (kind, op) gets: the checked target and the params object.
struct Request {
    const std::string& target;
    const Fields& params;
};

using Parse = TypedAction (*)(const Request&);

struct Entry {
    ActionKind kind;
    std::string_view op;
    bool needsTarget;
    Parse parse;
};

// A string param that must pass `check`; `what` says what was expected.
template <typename Check>
std::optional<std::string> checked(const Fields& f, std::string_view name, Check check, std::string_view what)
{
    auto value = f.optionalString(name);
    if (value && !check(*value))
        f.fail(name, "'" + wire::shown(*value) + "' is not " + std::string(what));
    return value;
}

template <typename Check>
std::string required(const Fields& f, std::string_view name, Check check, std::string_view what)
{
    auto value = checked(f, name, check, what);
    if (!value) // absent or null
        f.fail(name, "missing");
    return *value;
}

std::optional<int> timeout(const Fields& f)
{
    const auto value = f.optionalInteger("timeout", 0, 3600);
    return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

std::string oneOf(const Fields& f, std::string_view name, std::initializer_list<std::string_view> allowed,
                  std::string fallback)
{
    const auto value = f.optionalString(name);
    if (!value)
        return fallback;
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
        std::string list;
        for (const std::string_view a : allowed)
            list += (list.empty() ? "" : ", ") + std::string(a);
        f.fail(name, "'" + wire::shown(*value) + "' is not one of " + list);
    }
    return *value;
}

std::vector<std::string> envList(const Fields& f)
{
    std::vector<std::string> env = f.optionalStrings("env");
    for (std::size_t i = 0; i < env.size(); ++i)
        if (!values::isEnvEntry(env[i]))
            wire::fail(f.pathOf("env") + "[" + std::to_string(i) + "]", "expected \"KEY=value\"");
    return env;
}

// Each entry of an optional array param, as Fields.
template <typename Make>
auto entries(const Fields& f, std::string_view name, Make make)
{
    std::vector<decltype(make(f))> out;
    const json* list = f.find(name);
    if (!list || list->is_null())
        return out;
    const json& array = f.array(name);
    for (std::size_t i = 0; i < array.size(); ++i)
        out.push_back(make(Fields(array[i], f.pathOf(name) + "[" + std::to_string(i) + "]", f.limits())));
    return out;
}

PortPublish port(const Fields& f)
{
    f.onlyKnown({"containerPort", "hostPort", "protocol", "hostIp"});
    PortPublish p;
    p.containerPort = static_cast<int>(f.integer("containerPort", 1, 65535));
    if (const auto host = f.optionalInteger("hostPort", 0, 65535))
        p.hostPort = static_cast<int>(*host);
    p.protocol = oneOf(f, "protocol", {"tcp", "udp"}, "tcp");
    p.hostIp = checked(f, "hostIp", values::isIpAddress, "an IP address").value_or(std::string());
    return p;
}

VolumeMount volumeMount(const Fields& f)
{
    f.onlyKnown({"source", "destination", "readOnly"});
    VolumeMount v;
    v.source = required(
        f, "source", [](std::string_view s) { return values::isName(s) || values::isAbsolutePath(s); },
        "a volume name or an absolute host path");
    v.destination = required(f, "destination", values::isAbsolutePath, "an absolute path");
    v.readOnly = f.optionalBoolean("readOnly", false);
    return v;
}

TypedAction run(const Request& r)
{
    const Fields& f = r.params;
    f.onlyKnown(
        {"image", "name", "command", "env", "ports", "volumes", "network", "restartPolicy", "labels"});
    ContainerRun run;
    run.image = required(f, "image", values::isImageTarget, "an image reference or id");
    run.name = checked(f, "name", values::isName, "a container name").value_or(std::string());
    run.command = f.optionalStrings("command");
    run.env = envList(f);
    run.ports = entries(f, "ports", port);
    run.volumes = entries(f, "volumes", volumeMount);
    run.network = checked(f, "network", values::isName, "a network name").value_or(std::string());
    run.restartPolicy = oneOf(f, "restartPolicy", {"no", "always", "unless-stopped", "on-failure"}, "");
    run.labels = f.optionalLabels("labels");
    return run;
}

TypedAction pull(const Request& r)
{
    r.params.onlyKnown({"image"});
    const std::string image = required(
        r.params, "image", [](std::string_view s) { return values::parseReference(s).has_value(); },
        "an image reference \"repo[:tag]\"");
    const auto reference = values::parseReference(image);
    return ImagePull{image, reference->repo, reference->tag};
}

TypedAction networkCreate(const Request& r)
{
    const Fields& f = r.params;
    f.onlyKnown({"name", "driver", "internal", "attachable", "labels", "subnet"});
    NetworkCreate n;
    n.name = required(f, "name", values::isName, "a network name");
    n.driver = checked(f, "driver", values::isDriver, "a driver name").value_or("bridge");
    n.internal = f.optionalBoolean("internal", false);
    n.attachable = f.optionalBoolean("attachable", false);
    n.labels = f.optionalLabels("labels");
    n.subnet = checked(f, "subnet", values::isCidr, "a CIDR network").value_or(std::string());
    return n;
}

// The allowlist. Lambdas without captures, so that each is a plain function pointer.
const std::vector<Entry>& table()
{
    using K = ActionKind;
    static const std::vector<Entry> entries{
        {K::Container, "start", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return ContainerStart{r.target};
         }},
        {K::Container, "stop", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"timeout"});
             return ContainerStop{r.target, timeout(r.params)};
         }},
        {K::Container, "restart", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"timeout"});
             return ContainerRestart{r.target, timeout(r.params)};
         }},
        {K::Container, "kill", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"signal"});
             return ContainerKill{
                 r.target, checked(r.params, "signal", values::isSignal, "a signal").value_or(std::string())};
         }},
        {K::Container, "pause", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return ContainerPause{r.target};
         }},
        {K::Container, "unpause", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return ContainerUnpause{r.target};
         }},
        {K::Container, "remove", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"force", "volumes"});
             return ContainerRemove{r.target, r.params.optionalBoolean("force", false),
                                    r.params.optionalBoolean("volumes", false)};
         }},
        {K::Container, "rename", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"name"});
             return ContainerRename{r.target, required(r.params, "name", values::isName, "a container name")};
         }},
        {K::Container, "inspect", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return ContainerInspect{r.target};
         }},
        {K::Container, "prune", false,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"labels"});
             return ContainerPrune{r.params.optionalLabels("labels")};
         }},
        {K::Container, "run", false, run},
        {K::Image, "remove", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"force", "noPrune"});
             return ImageRemove{r.target, r.params.optionalBoolean("force", false),
                                r.params.optionalBoolean("noPrune", false)};
         }},
        {K::Image, "tag", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"repo", "tag"});
             return ImageTag{r.target, required(r.params, "repo", values::isRepository, "a repository name"),
                             checked(r.params, "tag", values::isTag, "a tag").value_or("latest")};
         }},
        {K::Image, "pull", false, pull},
        {K::Image, "prune", false,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"dangling"});
             return ImagePrune{r.params.optionalBoolean("dangling", true)};
         }},
        {K::Volume, "create", false,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"name", "driver", "labels"});
             return VolumeCreate{checked(r.params, "name", values::isName, "a volume name").value_or(""),
                                 checked(r.params, "driver", values::isDriver, "a driver name").value_or(""),
                                 r.params.optionalLabels("labels")};
         }},
        {K::Volume, "remove", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"force"});
             return VolumeRemove{r.target, r.params.optionalBoolean("force", false)};
         }},
        {K::Volume, "prune", false,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return VolumePrune{};
         }},
        {K::Network, "create", false, networkCreate},
        {K::Network, "remove", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return NetworkRemove{r.target};
         }},
        {K::Network, "connect", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"container"});
             return NetworkConnect{r.target,
                                   required(r.params, "container", values::isName, "a container id or name")};
         }},
        {K::Network, "disconnect", true,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({"container", "force"});
             return NetworkDisconnect{
                 r.target, required(r.params, "container", values::isName, "a container id or name"),
                 r.params.optionalBoolean("force", false)};
         }},
        {K::Network, "prune", false,
         [](const Request& r) -> TypedAction {
             r.params.onlyKnown({});
             return NetworkPrune{};
         }},
    };
    return entries;
}

void checkTarget(const Action& action, const Entry& entry)
{
    const std::string what = std::string(toString(action.kind)) + "." + std::string(entry.op);
    if (!entry.needsTarget) {
        if (!action.target.empty())
            wire::fail("action.target", "must be empty for " + what);
        return;
    }
    if (action.target.empty())
        wire::fail("action.target", "required for " + what);
    const bool ok = action.kind == ActionKind::Image ? values::isImageTarget(action.target)
                                                     : values::isName(action.target);
    if (!ok)
        wire::fail("action.target",
                   "'" + wire::shown(action.target) + "' is not a " + std::string(toString(action.kind)) +
                       (action.kind == ActionKind::Image ? " id or reference" : " id or name"));
}

} // namespace

TypedAction parseAction(const Action& action, const Limits& limits)
{
    const auto& entries = table();
    const auto entry = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) {
        return e.kind == action.kind && e.op == action.op;
    });
    if (entry == entries.end())
        throw ProtocolError(errors::NotAllowed, "action: " + std::string(toString(action.kind)) + "." +
                                                    wire::shown(action.op) + " is not allowed");
    checkTarget(action, *entry);
    const Fields params(action.params, "action.params", limits);
    return entry->parse(Request{action.target, params});
}

const std::vector<std::pair<ActionKind, std::string_view>>& allowedActions()
{
    static const auto list = [] {
        std::vector<std::pair<ActionKind, std::string_view>> out;
        for (const Entry& e : table())
            out.emplace_back(e.kind, e.op);
        return out;
    }();
    return list;
}

StreamOptions parseStream(const StreamRequest& request)
{
    const Fields f(request.params, "stream.params", Limits{});
    if (request.what == StreamWhat::Stats) {
        f.onlyKnown({});
        return StatsOptions{};
    }
    f.onlyKnown({"follow", "tail", "timestamps"});
    LogsOptions logs;
    logs.follow = f.optionalBoolean("follow", true);
    logs.timestamps = f.optionalBoolean("timestamps", false);
    if (const json* tail = f.find("tail"); tail && !tail->is_null()) {
        if (tail->is_string() && tail->get_ref<const std::string&>() == "all")
            logs.tail = std::nullopt;
        else if (tail->is_number_integer())
            logs.tail = f.integer("tail", 0, 1'000'000'000);
        else
            f.fail("tail", "expected an integer >= 0 or \"all\", got " + wire::typeName(*tail));
    }
    return logs;
}

} // namespace dockscope::protocol
