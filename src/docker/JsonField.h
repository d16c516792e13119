#pragma once

// Private to the docker library: the typed, path-remembering reader behind DockerJson.cpp.

#include "dockscope/docker/DockerJson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dockscope::docker::json::detail {

using Json = nlohmann::json;

/// Echoes a piece of a bad document in an error message, in quotes and cut short.
inline std::string excerpt(std::string_view text)
{
    constexpr std::size_t kMaxEcho = 64; // keeps a hostile document from flooding the logs
    return '"' + std::string(text.substr(0, kMaxEcho)) + (text.size() > kMaxEcho ? "...\"" : "\"");
}

/// One field of a Docker document that remembers where it is, so that every error names the document and the
/// field path. A missing field is a null view; reading a null view gives the default.
class Field {
public:
    Field(const Json& root, std::string_view document)
        : m_node(&root)
        , m_document(document)
    {}

    bool isNull() const { return m_node == nullptr || m_node->is_null(); }
    std::string where() const
    {
        return m_path.empty() ? std::string(m_document) : m_document + (": " + m_path);
    }
    [[noreturn]] void fail(std::string_view what) const
    {
        throw JsonFieldError(where() + ": " + std::string(what));
    }
    [[noreturn]] void typeError(std::string_view expected) const
    {
        fail("expected " + std::string(expected) + ", got " + (m_node ? m_node->type_name() : "nothing"));
    }

    Field operator[](std::string_view key) const
    {
        const std::string path = m_path.empty() ? std::string(key) : m_path + '.' + std::string(key);
        if (isNull())
            return Field(nullptr, m_document, path);
        if (!m_node->is_object())
            typeError("object");
        const auto it = m_node->find(key);
        return Field(it == m_node->end() ? nullptr : &*it, m_document, path);
    }

    /// Calls f(Field) for each element of an array; nothing for null.
    template <typename F>
    void forEachElement(F&& f) const
    {
        if (isNull())
            return;
        if (!m_node->is_array())
            typeError("array");
        for (std::size_t i = 0; i < m_node->size(); ++i)
            f(Field(&(*m_node)[i], m_document, m_path + '[' + std::to_string(i) + ']'));
    }

    /// Calls f(key, Field) for each member of an object; nothing for null.
    template <typename F>
    void forEachMember(F&& f) const
    {
        if (isNull())
            return;
        if (!m_node->is_object())
            typeError("object");
        for (const auto& [key, value] : m_node->items())
            f(key, Field(&value, m_document, m_path.empty() ? key : m_path + '.' + key));
    }

    std::string string() const
    {
        if (isNull())
            return {};
        if (!m_node->is_string())
            typeError("string");
        return m_node->get<std::string>();
    }

    std::string requiredString() const
    {
        if (isNull())
            fail("missing");
        return string();
    }

    bool boolean(bool fallback = false) const
    {
        if (isNull())
            return fallback;
        if (!m_node->is_boolean())
            typeError("boolean");
        return m_node->get<bool>();
    }

    std::int64_t integer() const
    {
        if (isNull())
            return 0;
        if (m_node->is_number_unsigned()) {
            const auto value = m_node->get<std::uint64_t>();
            if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail("number out of range");
            return static_cast<std::int64_t>(value);
        }
        if (m_node->is_number_integer())
            return m_node->get<std::int64_t>();
        if (!m_node->is_number())
            typeError("number");
        // JSON has no integer type: accept 3.0, refuse 3.5 and 1e300.
        const double value = m_node->get<double>();
        if (std::trunc(value) != value || std::fabs(value) > 9.0e18)
            fail("expected an integer, got " + m_node->dump());
        return static_cast<std::int64_t>(value);
    }

    template <typename Int>
    Int integerIn() const
    {
        const std::int64_t value = integer();
        if (value < std::numeric_limits<Int>::min() || value > std::numeric_limits<Int>::max())
            fail("number out of range: " + std::to_string(value));
        return static_cast<Int>(value);
    }

    state::Timestamp time() const { return parseTime(string(), where()); }

    /// Unix seconds, as the list forms give Created, to nanoseconds. Go's zero time (0001-01-01, what Docker
    /// gives for an image whose config has no creation time) is unknown: 0, as parseTime() makes it.
    state::Timestamp unixSeconds() const
    {
        constexpr std::int64_t kNanos = 1'000'000'000;
        constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / kNanos;
        constexpr std::int64_t kGoZeroTime = -62'135'596'800;
        const std::int64_t seconds = integer();
        if (seconds == kGoZeroTime)
            return 0;
        if (seconds > kMaxSeconds || seconds < -kMaxSeconds)
            fail("time out of range: " + std::to_string(seconds));
        return seconds * kNanos;
    }

    state::Labels labels() const
    {
        state::Labels out;
        forEachMember([&](const std::string& key, const Field& value) { out.emplace(key, value.string()); });
        return out;
    }

    std::vector<std::string> strings() const
    {
        std::vector<std::string> out;
        forEachElement([&](const Field& element) { out.push_back(element.string()); });
        return out;
    }

    std::vector<std::string> sortedKeys() const
    {
        std::vector<std::string> out;
        forEachMember([&](const std::string& key, const Field&) { out.push_back(key); });
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    Field(const Json* node, std::string_view document, std::string path)
        : m_node(node)
        , m_document(document)
        , m_path(std::move(path))
    {}

    const Json* m_node = nullptr;
    std::string m_document;
    std::string m_path;
};

} // namespace dockscope::docker::json::detail
