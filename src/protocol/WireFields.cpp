#include "WireFields.h"

#include <algorithm>

namespace dockscope::protocol::wire {

using nlohmann::json;

Limits unlimited()
{
    constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
    return Limits{kNoLimit, kNoLimit, kNoLimit};
}

std::string join(const std::string& path, std::string_view name)
{
    return path.empty() ? std::string(name) : path + "." + std::string(name);
}

void fail(const std::string& path, const std::string& message)
{
    throw ProtocolError(errors::BadField, path + ": " + message);
}

std::string shown(std::string_view text)
{
    constexpr std::size_t kMax = 64;
    if (text.size() <= kMax)
        return std::string(text);
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return std::string(text.substr(0, cut)) + "...";
}

std::string typeName(const json& value)
{
    if (value.is_number_unsigned())
        return "unsigned integer";
    if (value.is_number_integer())
        return "integer";
    if (value.is_number_float())
        return "float";
    return value.type_name();
}

std::string checkedString(const json& value, const std::string& path, std::size_t maxBytes)
{
    if (!value.is_string())
        fail(path, "expected a string, got " + typeName(value));
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > maxBytes)
        fail(path, "longer than " + std::to_string(maxBytes) + " bytes");
    return text;
}

// MessagePack peers may encode a small positive number as a signed integer: any non-negative integer counts.
std::uint64_t checkedUnsigned(const json& value, const std::string& path)
{
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(value.get<std::int64_t>());
    if (value.is_number_integer())
        fail(path, "expected an unsigned integer, got " + value.dump());
    fail(path, "expected an unsigned integer, got " + typeName(value));
}

std::int64_t checkedInteger(const json& value, const std::string& path, std::int64_t min, std::int64_t max)
{
    const std::string range = std::to_string(min) + ".." + std::to_string(max);
    if (!value.is_number_integer())
        fail(path, "expected an integer " + range + ", got " + typeName(value));
    // An unsigned value above INT64_MAX must not be read as a negative one.
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        fail(path, "expected an integer " + range + ", got " + value.dump());
    const auto number = value.is_number_unsigned() ? static_cast<std::int64_t>(value.get<std::uint64_t>())
                                                   : value.get<std::int64_t>();
    if (number < min || number > max)
        fail(path, "expected an integer " + range + ", got " + value.dump());
    return number;
}

namespace {

// The length of the well-formed UTF-8 sequence at text[i], 0 if there is none (RFC 3629 table 3-7).
std::size_t sequenceAt(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;
        hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return length;
}

} // namespace

bool validUtf8(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = sequenceAt(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

std::string toValidUtf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = sequenceAt(text, i);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

void makeValidUtf8(json& value)
{
    if (value.is_string()) {
        auto& text = value.get_ref<std::string&>();
        if (!validUtf8(text))
            text = toValidUtf8(text);
    } else if (value.is_structured()) {
        for (json& element : value)
            makeValidUtf8(element);
    }
}

std::string messageType(const json& j)
{
    if (!j.is_object())
        throw ProtocolError(errors::Malformed, "message: expected an object, got " + typeName(j));
    const auto it = j.find("type");
    if (it == j.end())
        fail("type", "missing");
    if (!it->is_string())
        fail("type", "expected a string, got " + typeName(*it));
    return it->get<std::string>();
}

Fields::Fields(const json& object, std::string path, const Limits& limits)
    : object_(object)
    , path_(std::move(path))
    , limits_(limits)
{
    if (!object_.is_object())
        wire::fail(path_, "expected an object, got " + typeName(object_));
}

void Fields::fail(std::string_view name, const std::string& message) const
{
    wire::fail(pathOf(name), message);
}

const json* Fields::find(std::string_view name) const
{
    const auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
}

const json& Fields::required(std::string_view name) const
{
    const json* value = find(name);
    if (!value)
        fail(name, "missing");
    return *value;
}

std::string Fields::string(std::string_view name) const
{
    return checkedString(required(name), pathOf(name), limits_.maxStringBytes);
}

std::optional<std::string> Fields::optionalString(std::string_view name) const
{
    const json* value = find(name);
    if (!value || value->is_null())
        return std::nullopt;
    return checkedString(*value, pathOf(name), limits_.maxStringBytes);
}

std::string Fields::id(std::string_view name) const
{
    std::string text = checkedString(required(name), pathOf(name), 128);
    if (text.empty())
        fail(name, "expected 1..128 bytes, got an empty string");
    return text;
}

std::uint64_t Fields::unsignedInteger(std::string_view name) const
{
    return checkedUnsigned(required(name), pathOf(name));
}

std::int64_t Fields::integer(std::string_view name, std::int64_t min, std::int64_t max) const
{
    return checkedInteger(required(name), pathOf(name), min, max);
}

std::optional<std::int64_t> Fields::optionalInteger(std::string_view name, std::int64_t min,
                                                    std::int64_t max) const
{
    const json* value = find(name);
    if (!value || value->is_null())
        return std::nullopt;
    return checkedInteger(*value, pathOf(name), min, max);
}

bool Fields::boolean(std::string_view name) const
{
    const json& value = required(name);
    if (!value.is_boolean())
        fail(name, "expected a boolean, got " + typeName(value));
    return value.get<bool>();
}

bool Fields::optionalBoolean(std::string_view name, bool fallback) const
{
    const json* value = find(name);
    if (!value || value->is_null())
        return fallback;
    return boolean(name);
}

const json& Fields::object(std::string_view name) const
{
    const json& value = required(name);
    if (!value.is_object())
        fail(name, "expected an object, got " + typeName(value));
    return value;
}

const json& Fields::array(std::string_view name) const
{
    const json& value = required(name);
    if (!value.is_array())
        fail(name, "expected an array, got " + typeName(value));
    if (value.size() > limits_.maxLabels)
        fail(name, "more than " + std::to_string(limits_.maxLabels) + " entries");
    return value;
}

std::vector<std::string> Fields::optionalStrings(std::string_view name) const
{
    std::vector<std::string> out;
    const json* value = find(name);
    if (!value || value->is_null())
        return out;
    const json& list = array(name);
    for (std::size_t i = 0; i < list.size(); ++i)
        out.push_back(
            checkedString(list[i], pathOf(name) + "[" + std::to_string(i) + "]", limits_.maxStringBytes));
    return out;
}

std::map<std::string, std::string> Fields::optionalLabels(std::string_view name) const
{
    std::map<std::string, std::string> out;
    const json* value = find(name);
    if (!value || value->is_null())
        return out;
    const json& labels = object(name);
    if (labels.size() > limits_.maxLabels)
        fail(name, "more than " + std::to_string(limits_.maxLabels) + " labels");
    for (const auto& [key, text] : labels.items()) {
        const std::string where = pathOf(name) + "['" + shown(key) + "']";
        if (key.empty() || key.size() > limits_.maxStringBytes)
            wire::fail(where,
                       "a label key must have 1.." + std::to_string(limits_.maxStringBytes) + " bytes");
        out.emplace(key, checkedString(text, where, limits_.maxStringBytes));
    }
    return out;
}

void Fields::onlyKnown(std::initializer_list<std::string_view> known) const
{
    for (const auto& [key, value] : object_.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            fail(shown(key), "unknown parameter");
}

} // namespace dockscope::protocol::wire
