#include "dockscope/state/EntityDiff.h"

#include "dockscope/state/Digest.h"
#include "dockscope/state/EntityJson.h"

namespace dockscope::state {

namespace {

using nlohmann::json;

// Labels are free-form maps: any key may appear. Every other object field has a fixed shape.
bool isFreeMap(const std::string& key)
{
    return key == "labels";
}

// Refuses what merge_patch would silently accept but from_json could not notice: unknown fields (from_json
// ignores them) and deletions of required fields.
void checkPatch(const json& target, const json& patch, const std::string& path)
{
    if (!patch.is_object())
        throw CodecError((path.empty() ? std::string("diff") : "field '" + path + "'") +
                         ": expected an object, got " + patch.type_name());
    for (const auto& [key, value] : patch.items()) {
        const std::string name = path.empty() ? key : path + "." + key;
        const auto it = target.find(key);
        if (it == target.end())
            throw CodecError("unknown field '" + name + "'");
        if (value.is_null())
            throw CodecError("field '" + name + "': null would delete a required field");
        if (it->is_object() && value.is_object() && !isFreeMap(key))
            checkPatch(*it, value, name);
    }
}

template <typename T>
T applyWire(const T& value, const json& patch)
{
    json wire = value;
    checkPatch(wire, patch, {});
    wire.merge_patch(patch);
    return wire.get<T>();
}

template <typename T>
json diffValues(const T& oldValue, const T& newValue)
{
    return diffWire(json(oldValue), json(newValue));
}

// A network's `containers` and a volume's `usedBy` can hold every container's id: they are compared and
// merged as vectors, and only the rest of the entity goes through its wire form. Same results as above.
template <typename T>
json diffWithIdList(const T& oldValue, const T& newValue, const char* key,
                    const std::vector<std::string>& oldIds, const std::vector<std::string>& newIds)
{
    json patch = diffWire(json(withoutIdList(oldValue)), json(withoutIdList(newValue)));
    if (oldIds != newIds)
        patch[key] = newIds;
    return patch;
}

template <typename T>
T applyWithIdList(const T& value, const json& patch, const char* key, std::vector<std::string> T::*ids)
{
    json wire = withoutIdList(value);
    checkPatch(wire, patch, {});
    for (const auto& [name, member] : patch.items())
        if (name != key)
            wire.merge_patch(json{{name, member}});
    T result = wire.get<T>();
    if (const auto it = patch.find(key); it != patch.end()) {
        const json& list = *it;
        bool strings = list.is_array();
        for (std::size_t i = 0; strings && i < list.size(); ++i)
            strings = list[i].is_string();
        if (!strings)
            throw CodecError(std::string("field '") + key + "': expected an array of strings");
        result.*ids = list.get<std::vector<std::string>>();
    } else {
        result.*ids = value.*ids;
    }
    return result;
}

} // namespace

json diffWire(const json& oldWire, const json& newWire)
{
    json patch = json::object();
    for (const auto& [key, newField] : newWire.items()) {
        const auto it = oldWire.find(key);
        if (it == oldWire.end())
            patch[key] = newField;
        else if (*it == newField)
            continue;
        else if (it->is_object() && newField.is_object())
            patch[key] = diffWire(*it, newField);
        else
            patch[key] = newField;
    }
    for (const auto& [key, oldField] : oldWire.items())
        if (!newWire.contains(key))
            patch[key] = nullptr;
    return patch;
}

json diff(const Container& oldValue, const Container& newValue)
{
    return diffValues(oldValue, newValue);
}
json diff(const Image& oldValue, const Image& newValue)
{
    return diffValues(oldValue, newValue);
}
json diff(const Volume& oldValue, const Volume& newValue)
{
    return diffWithIdList(oldValue, newValue, "usedBy", oldValue.usedBy, newValue.usedBy);
}
json diff(const Network& oldValue, const Network& newValue)
{
    return diffWithIdList(oldValue, newValue, "containers", oldValue.containers, newValue.containers);
}
json diff(const EngineInfo& oldValue, const EngineInfo& newValue)
{
    return diffValues(oldValue, newValue);
}

Container applyDiff(const Container& value, const json& patch)
{
    return applyWire(value, patch);
}
Image applyDiff(const Image& value, const json& patch)
{
    return applyWire(value, patch);
}
Volume applyDiff(const Volume& value, const json& patch)
{
    return applyWithIdList(value, patch, "usedBy", &Volume::usedBy);
}
Network applyDiff(const Network& value, const json& patch)
{
    return applyWithIdList(value, patch, "containers", &Network::containers);
}
EngineInfo applyDiff(const EngineInfo& value, const json& patch)
{
    return applyWire(value, patch);
}

} // namespace dockscope::state
