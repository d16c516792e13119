// The server → client messages. Snapshots and batches reuse the state library's codecs (StateCodec.h), so the
// protocol adds only "type" (and the epoch of a batch).
#include "dockscope/protocol/Codec.h"

#include "dockscope/state/EntityJson.h"
#include "dockscope/state/StateCodec.h"

#include "WireFields.h"

#include <array>
#include <stdexcept>

namespace dockscope::protocol {

namespace {

using nlohmann::json;
using wire::Fields;

json errorToJson(const ErrorInfo& error)
{
    return {{"code", error.code}, {"message", error.message}};
}

ErrorInfo errorFromJson(const Fields& f)
{
    return ErrorInfo{f.string("code"), f.string("message")};
}

std::optional<ErrorInfo> optionalError(const Fields& f)
{
    const json* error = f.find("error");
    if (!error || error->is_null())
        return std::nullopt;
    return errorFromJson(Fields(*error, f.pathOf("error"), f.limits()));
}

json toJsonOf(const Welcome& m)
{
    json j = {{"type", "welcome"}, {"protocol", m.protocol}, {"session", m.session},
              {"epoch", m.epoch},  {"version", m.version},   {"heartbeatMs", m.heartbeatMs}};
    if (!m.compress.empty())
        j["compress"] = m.compress;
    return j;
}

json toJsonOf(const Snapshot& m)
{
    return snapshotJson(m.state);
}

json toJsonOf(const Changes& m)
{
    return changesJson(m.epoch, m.batch);
}

json toJsonOf(const EngineUpdate& m)
{
    json j = m.engine;
    j["type"] = "engine";
    return j;
}

// Nested, not flattened: a Docker event has its own "type" (container, image, ...).
json toJsonOf(const Event& m)
{
    return {{"type", "event"}, {"event", m.event}};
}

json toJsonOf(const Heartbeat& m)
{
    return {{"type", "heartbeat"}, {"ts", m.ts}, {"version", m.version}};
}

json toJsonOf(const Pong& m)
{
    return {{"type", "pong"}, {"id", m.id}};
}

json toJsonOf(const Result& m)
{
    json j = {{"type", "result"}, {"id", m.id}, {"ok", m.ok}};
    if (m.error)
        j["error"] = errorToJson(*m.error);
    if (!m.value.is_null())
        j["value"] = m.value;
    return j;
}

json toJsonOf(const StreamData& m)
{
    if (!m.data.is_object())
        throw std::invalid_argument("stream-data: data must be an object");
    json j = m.data;
    // Log lines are whatever bytes a container wrote: made UTF-8 here, so that both encodings carry them.
    wire::makeValidUtf8(j);
    j["type"] = "stream-data";
    j["id"] = m.id;
    return j;
}

json toJsonOf(const StreamEnd& m)
{
    json j = {{"type", "stream-end"}, {"id", m.id}};
    if (m.error)
        j["error"] = errorToJson(*m.error);
    return j;
}

json toJsonOf(const Error& m)
{
    return {{"type", "error"}, {"code", m.error.code}, {"message", m.error.message}};
}

// The state library's codec errors name the field from the root of what it decoded: `prefix` says where that
// is
// ("snapshot." before "state.containers['c1']: ...", "engine: " before "missing field 'os'").
template <typename Decode>
auto viaState(const std::string& prefix, Decode decode)
{
    try {
        return decode();
    } catch (const state::CodecError& e) {
        throw ProtocolError(errors::BadField, prefix + e.what());
    } catch (const json::exception& e) {
        throw ProtocolError(errors::BadField, prefix + e.what());
    }
}

Welcome welcomeFromJson(const Fields& f)
{
    Welcome m;
    m.protocol = static_cast<int>(f.integer("protocol", 0, std::numeric_limits<int>::max()));
    m.session = f.string("session");
    m.epoch = f.unsignedInteger("epoch");
    m.version = f.unsignedInteger("version");
    m.heartbeatMs = static_cast<std::uint32_t>(f.integer("heartbeatMs", 0, 0xffffffff));
    m.compress = f.optionalString("compress").value_or(std::string());
    return m;
}

Result resultFromJson(const Fields& f)
{
    Result m;
    m.id = f.string("id");
    m.ok = f.boolean("ok");
    m.error = optionalError(f);
    if (const json* value = f.find("value"))
        m.value = *value;
    return m;
}

StreamData streamDataFromJson(const json& j, const Fields& f)
{
    StreamData m;
    m.id = f.string("id");
    m.data = j;
    m.data.erase("type");
    m.data.erase("id");
    return m;
}

ServerMessage decodeByType(const std::string& type, const json& j)
{
    const Fields f(j, type, wire::unlimited());
    if (type == "welcome")
        return welcomeFromJson(f);
    if (type == "snapshot")
        return viaState("snapshot.", [&] { return Snapshot{state::snapshotFromJson(j)}; });
    if (type == "changes") {
        const std::uint64_t epoch = f.unsignedInteger("epoch");
        return viaState("changes.", [&] {
            return Changes{epoch, state::batchFromJson(j, state::BatchSpan::Sparse)};
        });
    }
    if (type == "engine")
        return viaState("engine: ", [&] { return EngineUpdate{j.get<state::EngineInfo>()}; });
    if (type == "event")
        return viaState("event.event: ", [&] { return Event{f.object("event").get<state::DockerEvent>()}; });
    if (type == "heartbeat")
        return Heartbeat{f.integer("ts", std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::max()),
                         f.unsignedInteger("version")};
    if (type == "pong")
        return Pong{f.string("id")};
    if (type == "result")
        return resultFromJson(f);
    if (type == "stream-data")
        return streamDataFromJson(j, f);
    if (type == "stream-end")
        return StreamEnd{f.string("id"), optionalError(f)};
    if (type == "error")
        return Error{errorFromJson(f)};
    throw ProtocolError(errors::UnknownType, "type: unknown server message '" + wire::shown(type) + "'");
}

} // namespace

json toJson(const ServerMessage& message)
{
    return std::visit([](const auto& m) { return toJsonOf(m); }, message);
}

ServerMessage serverMessageFromJson(const json& json)
{
    return decodeByType(wire::messageType(json), json);
}

std::string_view typeName(const ServerMessage& message)
{
    static constexpr std::array<std::string_view, 11> kNames{"welcome",     "snapshot",   "changes", "engine",
                                                             "event",       "heartbeat",  "pong",    "result",
                                                             "stream-data", "stream-end", "error"};
    return kNames.at(message.index());
}

json snapshotJson(const state::EngineState& state)
{
    json j = state::snapshotToJson(state);
    j["type"] = "snapshot";
    return j;
}

json changesJson(std::uint64_t epoch, const state::Batch& batch)
{
    json j = state::toJson(batch);
    j["type"] = "changes";
    j["epoch"] = epoch;
    return j;
}

} // namespace dockscope::protocol
