#pragma once

#include "dockscope/docker/DockerError.h"

#include <cassert>
#include <utility>
#include <variant>

namespace dockscope::docker {

/// A value or a DockerError (std::expected is C++23; this is the small part of it we need).
template <typename T>
class Result {
public:
    Result(T value)
        : m_v(std::in_place_index<0>, std::move(value))
    {} // NOLINT(google-explicit-constructor)
    Result(DockerError error)
        : m_v(std::in_place_index<1>, std::move(error)) // NOLINT(google-explicit-constructor)
    {
        assert(std::get<1>(m_v).kind != ErrorKind::None);
    }

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_v); }
    T& value() & { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    const DockerError& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, DockerError> m_v;
};

/// For calls that return nothing but success or an error.
struct Done {
    bool operator==(const Done&) const = default;
};

} // namespace dockscope::docker
