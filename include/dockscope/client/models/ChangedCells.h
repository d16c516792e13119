#pragma once

#include <QList>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string_view>

namespace dockscope::client::models {

/// What one wire field of an entity feeds in a table: a set of columns (bit i = column i) and the roles
/// whose values it changes there.
struct FieldEffect {
    std::string_view field;
    std::uint32_t columns = 0;
    QList<int> roles;
};

/// The cells of one row that an update changes: the columns to name in dataChanged and its roles. Built from
/// the keys of a change's diff (a JSON merge patch), so a field the table does not show changes nothing.
struct ChangedCells {
    std::uint32_t columns = 0;
    QList<int> roles; ///< sorted, unique

    bool empty() const { return columns == 0; }
    void addColumns(std::uint32_t mask) { columns |= mask; }
    void addRole(int role);
    void add(const FieldEffect& effect);
    bool operator==(const ChangedCells&) const = default;

    /// The union of the effects of the diff's top-level keys; keys without an effect are ignored.
    template <std::size_t N>
    static ChangedCells fromDiff(const nlohmann::json& diff, const FieldEffect (&effects)[N])
    {
        return fromDiff(diff, effects, N);
    }
    static ChangedCells fromDiff(const nlohmann::json& diff, const FieldEffect* effects, std::size_t count);
};

/// The bit of one column.
constexpr std::uint32_t column(int c)
{
    return 1u << c;
}

/// Calls f(first, last) for each run of adjacent columns in `columns`: one dataChanged each, never one range
/// over unchanged columns between.
template <typename F>
void forEachColumnRun(std::uint32_t columns, F f)
{
    for (int c = 0; c < 32;) {
        if (!(columns & column(c))) {
            ++c;
            continue;
        }
        int last = c;
        while (last + 1 < 32 && (columns & column(last + 1)))
            ++last;
        f(c, last);
        c = last + 1;
    }
}

} // namespace dockscope::client::models
