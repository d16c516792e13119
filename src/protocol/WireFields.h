#pragma once

// Strict reading of one JSON object of the wire, every failure a ProtocolError(bad-field) naming the field by
// its path ("hello.resume.epoch: expected an unsigned integer, got number"). Shared by the message codecs and
// the action allowlist.

#include "dockscope/protocol/Codec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::protocol::wire {

/// The limits a server applies to nothing: for decoding what the server sends.
Limits unlimited();

/// "a.b" from "a" and "b"; just "b" when the path is empty.
std::string join(const std::string& path, std::string_view name);

[[noreturn]] void fail(const std::string& path, const std::string& message);

/// A peer's text as quoted in an error message: at most 64 bytes (cut at a UTF-8 boundary, then "...").
std::string shown(std::string_view text);

/// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool validUtf8(std::string_view text);
/// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string toValidUtf8(std::string_view text);
/// Applies toValidUtf8 to every string (not the keys) in `value`.
void makeValidUtf8(nlohmann::json& value);

/// The "type" of a message: throws malformed when `message` is not an object, bad-field when "type" is
/// missing or not a string.
std::string messageType(const nlohmann::json& message);

/// The JSON type name as a peer would say it: "string", "unsigned integer", "number", ...
std::string typeName(const nlohmann::json& value);

/// Checks a value read from the wire, `path` naming it.
std::string checkedString(const nlohmann::json& value, const std::string& path, std::size_t maxBytes);
std::uint64_t checkedUnsigned(const nlohmann::json& value, const std::string& path);
std::int64_t checkedInteger(const nlohmann::json& value, const std::string& path, std::int64_t min,
                            std::int64_t max);

/// One object of the wire with its path and the limits of its strings and label maps.
class Fields {
public:
    /// Throws bad-field "<path>: expected an object, got <type>" when `object` is not an object.
    Fields(const nlohmann::json& object, std::string path, const Limits& limits);

    const std::string& path() const { return path_; }
    const Limits& limits() const { return limits_; }
    std::string pathOf(std::string_view name) const { return join(path_, name); }
    [[noreturn]] void fail(std::string_view name, const std::string& message) const;

    /// The member, or nullptr when absent. A null member counts as absent for the optional readers.
    const nlohmann::json* find(std::string_view name) const;
    const nlohmann::json& required(std::string_view name) const;

    std::string string(std::string_view name) const;
    std::optional<std::string> optionalString(std::string_view name) const;
    /// A string of 1..128 bytes, as the ids of ping, action and stream are.
    std::string id(std::string_view name) const;
    std::uint64_t unsignedInteger(std::string_view name) const;
    std::int64_t integer(std::string_view name, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> optionalInteger(std::string_view name, std::int64_t min,
                                                std::int64_t max) const;
    bool boolean(std::string_view name) const;
    bool optionalBoolean(std::string_view name, bool fallback) const;
    const nlohmann::json& object(std::string_view name) const;
    const nlohmann::json& array(std::string_view name) const;
    /// An array of strings, at most limits().maxLabels entries; empty when absent.
    std::vector<std::string> optionalStrings(std::string_view name) const;
    /// An object of string values (labels), at most limits().maxLabels entries, non-empty keys; empty when
    /// absent.
    std::map<std::string, std::string> optionalLabels(std::string_view name) const;
    /// Refuses members other than `known` (the action allowlist refuses typos instead of ignoring them).
    void onlyKnown(std::initializer_list<std::string_view> known) const;

private:
    const nlohmann::json& object_;
    std::string path_;
    Limits limits_;
};

} // namespace dockscope::protocol::wire
