#include "dockscope/state/EntityDiff.h"

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
    return diffValues(oldValue, newValue);
}
json diff(const Network& oldValue, const Network& newValue)
{
    return diffValues(oldValue, newValue);
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
    return applyWire(value, patch);
}
Network applyDiff(const Network& value, const json& patch)
{
    return applyWire(value, patch);
}
EngineInfo applyDiff(const EngineInfo& value, const json& patch)
{
    return applyWire(value, patch);
}

} // namespace dockscope::state
