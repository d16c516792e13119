// The client → server messages: hello, subscribe, ack, ping, action, stream, unstream.
#include "dockscope/protocol/Codec.h"

#include "WireFields.h"

#include <array>

namespace dockscope::protocol {

namespace {

using nlohmann::json;
using wire::Fields;

template <typename Enum, typename Parse>
Enum enumField(const Fields& f, std::string_view name, Parse parse)
{
    const std::string text = f.string(name);
    const auto value = parse(text);
    if (!value)
        f.fail(name, "unknown value '" + wire::shown(text) + "'");
    return *value;
}

json filterToJson(const Filter& filter)
{
    json j = json::object();
    if (filter.name)
        j["name"] = *filter.name;
    if (!filter.labels.empty()) {
        json labels = json::object();
        for (const auto& [key, value] : filter.labels)
            labels[key] = value ? json(*value) : json(nullptr);
        j["labels"] = std::move(labels);
    }
    if (filter.composeProject)
        j["composeProject"] = *filter.composeProject;
    return j;
}

json subscriptionToJson(const Subscription& subscription)
{
    json kinds = json::array();
    for (const Topic topic : subscription.topics)
        kinds.push_back(toString(topic));
    json j = {{"kinds", std::move(kinds)}};
    if (!subscription.filter.empty())
        j["filter"] = filterToJson(subscription.filter);
    return j;
}

Filter filterFromJson(const Fields& f)
{
    Filter filter;
    filter.name = f.optionalString("name");
    filter.composeProject = f.optionalString("composeProject");
    const json* labels = f.find("labels");
    if (!labels || labels->is_null())
        return filter;
    const json& object = f.object("labels");
    if (object.size() > f.limits().maxLabels)
        f.fail("labels", "more than " + std::to_string(f.limits().maxLabels) + " labels");
    for (const auto& [key, value] : object.items()) {
        const std::string where = f.pathOf("labels") + "['" + wire::shown(key) + "']";
        if (key.empty() || key.size() > f.limits().maxStringBytes)
            wire::fail(where,
                       "a label key must have 1.." + std::to_string(f.limits().maxStringBytes) + " bytes");
        if (value.is_null())
            filter.labels.emplace(key, std::nullopt);
        else
            filter.labels.emplace(key, wire::checkedString(value, where, f.limits().maxStringBytes));
    }
    return filter;
}

Subscription subscriptionFromJson(const Fields& f)
{
    Subscription subscription;
    const json& kinds = f.array("kinds");
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        const std::string where = f.pathOf("kinds") + "[" + std::to_string(i) + "]";
        const std::string text = wire::checkedString(kinds[i], where, f.limits().maxStringBytes);
        const auto topic = topicFromString(text);
        if (!topic)
            wire::fail(where, "unknown value '" + wire::shown(text) + "'");
        subscription.topics.insert(*topic);
    }
    if (const json* filter = f.find("filter"); filter && !filter->is_null())
        subscription.filter = filterFromJson(Fields(*filter, f.pathOf("filter"), f.limits()));
    return subscription;
}

json toJsonOf(const Hello& m)
{
    json j = {{"type", "hello"},
              {"token", m.token},
              {"client", m.client},
              {"encoding", toString(m.encoding)},
              {"compress", m.compress}};
    if (!m.features.empty())
        j["features"] = m.features;
    if (m.resume)
        j["resume"] = {{"epoch", m.resume->epoch}, {"version", m.resume->version}};
    if (m.subscribe)
        j["subscribe"] = subscriptionToJson(*m.subscribe);
    return j;
}

json toJsonOf(const Subscribe& m)
{
    json j = subscriptionToJson(m.subscription);
    j["type"] = "subscribe";
    return j;
}

json toJsonOf(const Ack& m)
{
    return {{"type", "ack"}, {"version", m.version}};
}

json toJsonOf(const Ping& m)
{
    return {{"type", "ping"}, {"id", m.id}};
}

json toJsonOf(const Action& m)
{
    return {{"type", "action"},   {"id", m.id}, {"kind", toString(m.kind)},
            {"target", m.target}, {"op", m.op}, {"params", m.params}};
}

json toJsonOf(const StreamRequest& m)
{
    return {{"type", "stream"},
            {"id", m.id},
            {"what", toString(m.what)},
            {"container", m.container},
            {"params", m.params}};
}

json toJsonOf(const Unstream& m)
{
    return {{"type", "unstream"}, {"id", m.id}};
}

Hello helloFromJson(const Fields& f)
{
    Hello m;
    m.token = f.string("token");
    m.client = f.string("client");
    m.encoding = enumField<Encoding>(f, "encoding", encodingFromString);
    m.compress = f.optionalStrings("compress");
    m.features = f.optionalStrings("features");
    if (const json* resume = f.find("resume"); resume && !resume->is_null()) {
        const Fields r(*resume, f.pathOf("resume"), f.limits());
        m.resume = ResumePoint{r.unsignedInteger("epoch"), r.unsignedInteger("version")};
    }
    if (const json* subscribe = f.find("subscribe"); subscribe && !subscribe->is_null())
        m.subscribe = subscriptionFromJson(Fields(*subscribe, f.pathOf("subscribe"), f.limits()));
    return m;
}

// params: an object, absent or null meaning none.
json paramsFromJson(const Fields& f)
{
    const json* params = f.find("params");
    if (!params || params->is_null())
        return json::object();
    return f.object("params");
}

Action actionFromJson(const Fields& f)
{
    Action m;
    m.id = f.id("id");
    m.kind = enumField<ActionKind>(f, "kind", actionKindFromString);
    m.target = f.optionalString("target").value_or(std::string());
    m.op = f.string("op");
    if (m.op.empty() || m.op.size() > 64)
        f.fail("op", "expected 1..64 bytes");
    m.params = paramsFromJson(f);
    return m;
}

StreamRequest streamFromJson(const Fields& f)
{
    StreamRequest m;
    m.id = f.id("id");
    m.what = enumField<StreamWhat>(f, "what", streamWhatFromString);
    m.container = f.string("container");
    if (m.container.empty())
        f.fail("container", "expected a container id or name, got an empty string");
    m.params = paramsFromJson(f);
    return m;
}

ClientMessage decodeByType(const std::string& type, const json& j, const Limits& limits)
{
    const Fields f(j, type, limits);
    if (type == "hello")
        return helloFromJson(f);
    if (type == "subscribe")
        return Subscribe{subscriptionFromJson(f)};
    if (type == "ack")
        return Ack{f.unsignedInteger("version")};
    if (type == "ping")
        return Ping{f.id("id")};
    if (type == "action")
        return actionFromJson(f);
    if (type == "stream")
        return streamFromJson(f);
    if (type == "unstream")
        return Unstream{f.id("id")};
    throw ProtocolError(errors::UnknownType, "type: unknown client message '" + wire::shown(type) + "'");
}

} // namespace

json toJson(const ClientMessage& message)
{
    return std::visit([](const auto& m) { return toJsonOf(m); }, message);
}

ClientMessage clientMessageFromJson(const json& json, const Limits& limits)
{
    return decodeByType(wire::messageType(json), json, limits);
}

std::string_view typeName(const ClientMessage& message)
{
    static constexpr std::array<std::string_view, 7> kNames{"hello",  "subscribe", "ack",     "ping",
                                                            "action", "stream",    "unstream"};
    return kNames.at(message.index());
}

} // namespace dockscope::protocol
