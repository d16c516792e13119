#include "dockscope/state/StateCodec.h"

#include "dockscope/state/EntityJson.h"

namespace dockscope::state {

namespace {

using nlohmann::json;

const json& member(const json& j, const std::string& path, const char* name)
{
    if (!j.is_object())
        throw CodecError((path.empty() ? std::string("message") : path) + ": expected an object, got " +
                         j.type_name());
    const auto it = j.find(name);
    if (it == j.end())
        throw CodecError(path + (path.empty() ? "" : ".") + name + ": missing");
    return *it;
}

std::string join(const std::string& path, const std::string& name)
{
    return path.empty() ? name : path + "." + name;
}

std::uint64_t unsignedField(const json& j, const std::string& path, const char* name)
{
    const json& value = member(j, path, name);
    if (!value.is_number_unsigned())
        throw CodecError(join(path, name) + ": expected an unsigned integer, got " + value.type_name());
    return value.get<std::uint64_t>();
}

std::string stringField(const json& j, const std::string& path, const char* name)
{
    const json& value = member(j, path, name);
    if (!value.is_string())
        throw CodecError(join(path, name) + ": expected a string, got " + value.type_name());
    return value.get<std::string>();
}

template <typename T>
T decodeEntity(const json& j, const std::string& path)
{
    try {
        return j.get<T>();
    } catch (const CodecError& e) {
        throw CodecError(path + ": " + e.what());
    }
}

// Decodes a created value as the entity of its kind, only to refuse what is not one.
void checkValue(EntityKind kind, const json& value, const std::string& path)
{
    switch (kind) {
    case EntityKind::Container:
        decodeEntity<Container>(value, path);
        return;
    case EntityKind::Image:
        decodeEntity<Image>(value, path);
        return;
    case EntityKind::Volume:
        decodeEntity<Volume>(value, path);
        return;
    case EntityKind::Network:
        decodeEntity<Network>(value, path);
        return;
    case EntityKind::Engine:
        decodeEntity<EngineInfo>(value, path);
        return;
    }
}

void checkPayload(const json& j, const std::string& path, ChangeOp op, StateChange& change)
{
    const bool hasValue = j.contains("value");
    const bool hasDiff = j.contains("diff");
    if (hasValue && op != ChangeOp::Created)
        throw CodecError(join(path, "value") + ": only a created change carries a value");
    if (hasDiff && op != ChangeOp::Updated)
        throw CodecError(join(path, "diff") + ": only an updated change carries a diff");
    if (op == ChangeOp::Created) {
        change.value = member(j, path, "value");
        checkValue(change.kind, change.value, join(path, "value"));
    } else if (op == ChangeOp::Updated) {
        change.diff = member(j, path, "diff");
        if (!change.diff.is_object())
            throw CodecError(join(path, "diff") + ": expected an object, got " + change.diff.type_name());
    }
}

StateChange decodeChange(const json& j, const std::string& path)
{
    StateChange change;
    const std::string kind = stringField(j, path, "kind");
    const auto parsedKind = entityKindFromString(kind);
    if (!parsedKind)
        throw CodecError(join(path, "kind") + ": unknown value '" + kind + "'");
    const std::string op = stringField(j, path, "op");
    const auto parsedOp = changeOpFromString(op);
    if (!parsedOp)
        throw CodecError(join(path, "op") + ": unknown value '" + op + "'");
    change.kind = *parsedKind;
    change.op = *parsedOp;
    change.id = stringField(j, path, "id");
    checkPayload(j, path, change.op, change);
    return change;
}

const std::string& keyOf(const Container& v)
{
    return v.id;
}
const std::string& keyOf(const Image& v)
{
    return v.id;
}
const std::string& keyOf(const Volume& v)
{
    return v.name;
}
const std::string& keyOf(const Network& v)
{
    return v.id;
}

template <typename Map>
Map decodeMap(const json& state, const char* name)
{
    using T = typename Map::mapped_type;
    const std::string path = std::string("state.") + name;
    const json& object = member(state, "state", name);
    if (!object.is_object())
        throw CodecError(path + ": expected an object, got " + object.type_name());
    Map map;
    for (const auto& [key, value] : object.items()) {
        const std::string where = path + "['" + key + "']";
        T entity = decodeEntity<T>(value, where);
        if (keyOf(entity) != key)
            throw CodecError(where + ": the key differs from the entity's id");
        map.emplace(key, std::move(entity));
    }
    return map;
}

template <typename Map>
json encodeMap(const Map& map)
{
    json object = json::object();
    for (const auto& [id, entity] : map)
        object[id] = entity;
    return object;
}

json parseMsgpack(std::span<const std::uint8_t> bytes)
{
    try {
        return json::from_msgpack(bytes.begin(), bytes.end());
    } catch (const json::exception& e) {
        throw CodecError(std::string("msgpack: ") + e.what());
    }
}

} // namespace

json toJson(const StateChange& change)
{
    json j = {{"kind", toString(change.kind)}, {"op", toString(change.op)}, {"id", change.id}};
    if (change.op == ChangeOp::Created)
        j["value"] = change.value;
    else if (change.op == ChangeOp::Updated)
        j["diff"] = change.diff;
    return j;
}

StateChange changeFromJson(const json& j)
{
    return decodeChange(j, "change");
}

json toJson(const Batch& batch)
{
    json changes = json::array();
    for (const StateChange& change : batch.changes)
        changes.push_back(toJson(change));
    return {
        {"from", batch.from}, {"to", batch.to}, {"digest", batch.digest}, {"changes", std::move(changes)}};
}

Batch batchFromJson(const json& j, BatchSpan span)
{
    Batch batch;
    batch.from = unsignedField(j, {}, "from");
    batch.to = unsignedField(j, {}, "to");
    batch.digest = unsignedField(j, {}, "digest");
    const json& changes = member(j, {}, "changes");
    if (!changes.is_array())
        throw CodecError(std::string("changes: expected an array, got ") + changes.type_name());
    batch.changes.reserve(changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i)
        batch.changes.push_back(decodeChange(changes[i], "changes[" + std::to_string(i) + "]"));
    if (batch.to < batch.from)
        throw CodecError("to: " + std::to_string(batch.to) + " is before from");
    if (span == BatchSpan::Exact && batch.to - batch.from != batch.changes.size())
        throw CodecError("to: " + std::to_string(batch.to) + " is not from + the number of changes");
    if (span == BatchSpan::Sparse && batch.to - batch.from < batch.changes.size())
        throw CodecError("to: " + std::to_string(batch.to) +
                         " spans fewer versions than the batch has changes");
    return batch;
}

std::vector<std::uint8_t> toMsgpack(const Batch& batch)
{
    return json::to_msgpack(toJson(batch));
}

Batch batchFromMsgpack(std::span<const std::uint8_t> bytes)
{
    return batchFromJson(parseMsgpack(bytes));
}

json snapshotToJson(const EngineState& state)
{
    json engine = nullptr;
    if (state.engine())
        engine = *state.engine();
    return {{"epoch", state.epoch()},
            {"version", state.version()},
            {"digest", state.digest()},
            {"state",
             {{"containers", encodeMap(state.containers())},
              {"images", encodeMap(state.images())},
              {"volumes", encodeMap(state.volumes())},
              {"networks", encodeMap(state.networks())},
              {"engine", std::move(engine)}}}};
}

EngineState snapshotFromJson(const json& j)
{
    const std::uint64_t epoch = unsignedField(j, {}, "epoch");
    const std::uint64_t version = unsignedField(j, {}, "version");
    const std::uint64_t digest = unsignedField(j, {}, "digest");
    const json& state = member(j, {}, "state");
    std::optional<EngineInfo> engine;
    if (const json& e = member(state, "state", "engine"); !e.is_null())
        engine = decodeEntity<EngineInfo>(e, "state.engine");
    EngineState result(epoch);
    try {
        result.resetTo(epoch, version, decodeMap<EngineState::ContainerMap>(state, "containers"),
                       decodeMap<EngineState::ImageMap>(state, "images"),
                       decodeMap<EngineState::VolumeMap>(state, "volumes"),
                       decodeMap<EngineState::NetworkMap>(state, "networks"), std::move(engine));
    } catch (const json::exception& e) {
        throw CodecError(std::string("state: ") + e.what());
    }
    if (result.digest() != digest)
        throw CodecError("digest: the snapshot announces " + std::to_string(digest) +
                         " but its entities give " + std::to_string(result.digest()));
    return result;
}

std::vector<std::uint8_t> snapshotToMsgpack(const EngineState& state)
{
    return json::to_msgpack(snapshotToJson(state));
}

EngineState snapshotFromMsgpack(std::span<const std::uint8_t> bytes)
{
    return snapshotFromJson(parseMsgpack(bytes));
}

} // namespace dockscope::state
