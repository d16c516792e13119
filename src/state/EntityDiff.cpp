#include "dockscope/state/EntityDiff.h"

#include "dockscope/state/Digest.h"
#include "dockscope/state/EntityJson.h"

#include <algorithm>
#include <functional>
#include <iterator>

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
// merged as vectors, and only the rest of the entity goes through its wire form. A list that changes by fewer
// ids than it holds is carried as an id-set change, {"add": [...], "remove": [...]} (both sorted; protocol.md
// "Id-set changes"); a server converts it back to the whole list for a client that did not ask for these.
json idListChange(const std::vector<std::string>& oldIds, const std::vector<std::string>& newIds)
{
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::set_difference(newIds.begin(), newIds.end(), oldIds.begin(), oldIds.end(),
                        std::back_inserter(added));
    std::set_difference(oldIds.begin(), oldIds.end(), newIds.begin(), newIds.end(),
                        std::back_inserter(removed));
    // Derived lists are sorted sets; anything else (which the state never makes) is simply sent whole.
    const auto isSet = [](const std::vector<std::string>& ids) {
        return std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end();
    };
    if (added.size() + removed.size() >= newIds.size() || !isSet(oldIds) || !isSet(newIds))
        return newIds;
    return json{{"add", std::move(added)}, {"remove", std::move(removed)}};
}

std::vector<std::string> idStrings(const json& list, const std::string& field)
{
    bool strings = list.is_array();
    for (std::size_t i = 0; strings && i < list.size(); ++i)
        strings = list[i].is_string();
    if (!strings)
        throw CodecError("field '" + field + "': expected an array of strings");
    return list.get<std::vector<std::string>>();
}

template <typename T>
json diffWithIdList(const T& oldValue, const T& newValue, const char* key,
                    const std::vector<std::string>& oldIds, const std::vector<std::string>& newIds)
{
    json patch = diffWire(json(withoutIdList(oldValue)), json(withoutIdList(newValue)));
    if (oldIds != newIds)
        patch[key] = idListChange(oldIds, newIds);
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
    const auto it = patch.find(key);
    result.*ids = it == patch.end() ? value.*ids : applyIdListChange(value.*ids, *it, key);
    return result;
}

} // namespace

std::vector<std::string> applyIdListChange(const std::vector<std::string>& ids, const json& change,
                                           const std::string& field)
{
    if (!change.is_object())
        return idStrings(change, field);
    std::vector<std::string> add;
    std::vector<std::string> remove;
    for (const auto& [op, list] : change.items()) {
        if (op != "add" && op != "remove")
            throw CodecError("field '" + field + "." + op +
                             "': unknown (an id-set change has add and remove)");
        auto& into = op == "add" ? add : remove;
        into = idStrings(list, field + "." + op);
        std::sort(into.begin(), into.end());
        if (const auto twice = std::adjacent_find(into.begin(), into.end()); twice != into.end())
            throw CodecError("field '" + field + "." + op + "': '" + *twice + "' is there twice");
    }
    // One pass over the list and the change (all sorted), copying each id once: a hostile peer's long change
    // costs no more than a whole list.
    std::vector<std::string> out;
    out.reserve(ids.size() + add.size());
    auto added = add.begin();
    auto removed = remove.begin();
    const auto notThere = [&field](const std::string& id) {
        return CodecError("field '" + field + ".remove': '" + id + "' is not there");
    };
    for (const std::string& id : ids) {
        for (; added != add.end() && *added < id; ++added)
            out.push_back(*added);
        if (added != add.end() && *added == id)
            throw CodecError("field '" + field + ".add': '" + id + "' is already there");
        if (removed != remove.end() && *removed < id)
            throw notThere(*removed);
        if (removed != remove.end() && *removed == id) {
            ++removed;
            continue;
        }
        out.push_back(id);
    }
    if (removed != remove.end())
        throw notThere(*removed);
    out.insert(out.end(), added, add.end());
    return out;
}

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
