#include "dockscope/state/EntityJson.h"

#include <limits>
#include <type_traits>

namespace dockscope::state {

namespace {

using nlohmann::json;

// nlohmann converts true to 1, 1.5 to 1 and 70000 to a wrapped uint16: a peer's message must not be bent into
// shape like that, so scalars are checked for their exact JSON type and range first.
template <typename T>
void checkScalar(const json& v)
{
    if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean())
            throw CodecError(std::string("expected a boolean, got ") + v.type_name());
    } else if constexpr (std::is_integral_v<T>) {
        if (!v.is_number_integer())
            throw CodecError(std::string("expected an integer, got ") + v.type_name());
        const bool fits =
            v.is_number_unsigned()
                ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                : v.get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                      v.get<std::int64_t>() <= static_cast<std::int64_t>(std::numeric_limits<T>::max());
        if (!fits)
            throw CodecError("integer " + v.dump() + " out of range");
    }
}

// Reads a required field, naming it when it is missing or of the wrong type.
template <typename T>
void field(const json& j, const char* name, T& out)
{
    const auto it = j.find(name);
    if (it == j.end())
        throw CodecError(std::string("missing field '") + name + "'");
    try {
        checkScalar<T>(*it);
        it->get_to(out);
    } catch (const json::exception& e) {
        throw CodecError(std::string("field '") + name + "': " + e.what());
    } catch (const CodecError& e) {
        throw CodecError(std::string(name) + ": " + e.what());
    }
}

void requireObject(const json& j, const char* what)
{
    if (!j.is_object())
        throw CodecError(std::string(what) + ": expected an object, got " + j.type_name());
}

template <typename Enum, typename Parse>
void enumField(const json& j, const char* name, Enum& out, Parse parse)
{
    std::string text;
    field(j, name, text);
    const auto value = parse(text);
    if (!value)
        throw CodecError(std::string("field '") + name + "': unknown value '" + text + "'");
    out = *value;
}

} // namespace

void to_json(json& j, const Port& v)
{
    j = {{"ip", v.ip}, {"privatePort", v.privatePort}, {"publicPort", v.publicPort}, {"type", v.type}};
}

void from_json(const json& j, Port& v)
{
    requireObject(j, "port");
    field(j, "ip", v.ip);
    field(j, "privatePort", v.privatePort);
    field(j, "publicPort", v.publicPort);
    field(j, "type", v.type);
}

void to_json(json& j, const Mount& v)
{
    j = {{"type", v.type},
         {"name", v.name},
         {"source", v.source},
         {"destination", v.destination},
         {"rw", v.rw}};
}

void from_json(const json& j, Mount& v)
{
    requireObject(j, "mount");
    field(j, "type", v.type);
    field(j, "name", v.name);
    field(j, "source", v.source);
    field(j, "destination", v.destination);
    field(j, "rw", v.rw);
}

void to_json(json& j, const Container& v)
{
    j = {{"id", v.id},
         {"name", v.name},
         {"image", v.image},
         {"imageId", v.imageId},
         {"command", v.command},
         {"createdAt", v.createdAt},
         {"state", toString(v.state)},
         {"health", toString(v.health)},
         {"exitCode", v.exitCode},
         {"startedAt", v.startedAt},
         {"finishedAt", v.finishedAt},
         {"restartCount", v.restartCount},
         {"ports", v.ports},
         {"labels", v.labels},
         {"networks", v.networks},
         {"mounts", v.mounts},
         {"composeProject", v.composeProject},
         {"composeService", v.composeService}};
}

void from_json(const json& j, Container& v)
{
    requireObject(j, "container");
    field(j, "id", v.id);
    field(j, "name", v.name);
    field(j, "image", v.image);
    field(j, "imageId", v.imageId);
    field(j, "command", v.command);
    field(j, "createdAt", v.createdAt);
    enumField(j, "state", v.state, containerStateFromString);
    enumField(j, "health", v.health, healthFromString);
    field(j, "exitCode", v.exitCode);
    field(j, "startedAt", v.startedAt);
    field(j, "finishedAt", v.finishedAt);
    field(j, "restartCount", v.restartCount);
    field(j, "ports", v.ports);
    field(j, "labels", v.labels);
    field(j, "networks", v.networks);
    field(j, "mounts", v.mounts);
    field(j, "composeProject", v.composeProject);
    field(j, "composeService", v.composeService);
}

void to_json(json& j, const Image& v)
{
    j = {{"id", v.id},
         {"repoTags", v.repoTags},
         {"repoDigests", v.repoDigests},
         {"createdAt", v.createdAt},
         {"size", v.size},
         {"labels", v.labels},
         {"containers", v.containers}};
}

void from_json(const json& j, Image& v)
{
    requireObject(j, "image");
    field(j, "id", v.id);
    field(j, "repoTags", v.repoTags);
    field(j, "repoDigests", v.repoDigests);
    field(j, "createdAt", v.createdAt);
    field(j, "size", v.size);
    field(j, "labels", v.labels);
    field(j, "containers", v.containers);
}

void to_json(json& j, const Volume& v)
{
    j = {{"name", v.name},   {"driver", v.driver}, {"mountpoint", v.mountpoint}, {"createdAt", v.createdAt},
         {"scope", v.scope}, {"labels", v.labels}, {"usedBy", v.usedBy}};
}

void from_json(const json& j, Volume& v)
{
    requireObject(j, "volume");
    field(j, "name", v.name);
    field(j, "driver", v.driver);
    field(j, "mountpoint", v.mountpoint);
    field(j, "createdAt", v.createdAt);
    field(j, "scope", v.scope);
    field(j, "labels", v.labels);
    field(j, "usedBy", v.usedBy);
}

void to_json(json& j, const Network& v)
{
    j = {{"id", v.id},
         {"name", v.name},
         {"driver", v.driver},
         {"scope", v.scope},
         {"internal", v.internal},
         {"attachable", v.attachable},
         {"createdAt", v.createdAt},
         {"labels", v.labels},
         {"subnets", v.subnets},
         {"containers", v.containers}};
}

void from_json(const json& j, Network& v)
{
    requireObject(j, "network");
    field(j, "id", v.id);
    field(j, "name", v.name);
    field(j, "driver", v.driver);
    field(j, "scope", v.scope);
    field(j, "internal", v.internal);
    field(j, "attachable", v.attachable);
    field(j, "createdAt", v.createdAt);
    field(j, "labels", v.labels);
    field(j, "subnets", v.subnets);
    field(j, "containers", v.containers);
}

void to_json(json& j, const EngineCounts& v)
{
    j = {{"running", v.running}, {"paused", v.paused}, {"stopped", v.stopped}, {"images", v.images}};
}

void from_json(const json& j, EngineCounts& v)
{
    requireObject(j, "counts");
    field(j, "running", v.running);
    field(j, "paused", v.paused);
    field(j, "stopped", v.stopped);
    field(j, "images", v.images);
}

void to_json(json& j, const EngineInfo& v)
{
    j = {{"status", toString(v.status)},
         {"statusSince", v.statusSince},
         {"version", v.version},
         {"apiVersion", v.apiVersion},
         {"os", v.os},
         {"arch", v.arch},
         {"kernel", v.kernel},
         {"cpus", v.cpus},
         {"memTotal", v.memTotal},
         {"name", v.name},
         {"counts", v.counts},
         {"lastError", v.lastError}};
}

void from_json(const json& j, EngineInfo& v)
{
    requireObject(j, "engine");
    enumField(j, "status", v.status, engineStatusFromString);
    field(j, "statusSince", v.statusSince);
    field(j, "version", v.version);
    field(j, "apiVersion", v.apiVersion);
    field(j, "os", v.os);
    field(j, "arch", v.arch);
    field(j, "kernel", v.kernel);
    field(j, "cpus", v.cpus);
    field(j, "memTotal", v.memTotal);
    field(j, "name", v.name);
    field(j, "counts", v.counts);
    field(j, "lastError", v.lastError);
}

void to_json(json& j, const DockerEvent& v)
{
    j = {{"type", v.type},        {"action", v.action},         {"actionDetail", v.actionDetail},
         {"actorId", v.actorId},  {"attributes", v.attributes}, {"scope", v.scope},
         {"timeNano", v.timeNano}};
}

void from_json(const json& j, DockerEvent& v)
{
    requireObject(j, "event");
    field(j, "type", v.type);
    field(j, "action", v.action);
    field(j, "actionDetail", v.actionDetail);
    field(j, "actorId", v.actorId);
    field(j, "attributes", v.attributes);
    field(j, "scope", v.scope);
    field(j, "timeNano", v.timeNano);
}

} // namespace dockscope::state
