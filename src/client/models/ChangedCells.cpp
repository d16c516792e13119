#include "dockscope/client/models/ChangedCells.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dockscope::client::models {

void ChangedCells::addRole(int role)
{
    const auto at = std::lower_bound(roles.begin(), roles.end(), role);
    if (at == roles.end() || *at != role)
        roles.insert(at, role);
}

void ChangedCells::add(const FieldEffect& effect)
{
    addColumns(effect.columns);
    for (int role : effect.roles)
        addRole(role);
}

ChangedCells ChangedCells::fromDiff(const nlohmann::json& diff, const FieldEffect* effects, std::size_t count)
{
    ChangedCells cells;
    if (!diff.is_object())
        return cells;
    for (const auto& item : diff.items()) {
        const std::string_view key = item.key();
        for (std::size_t i = 0; i < count; ++i) {
            if (effects[i].field == key)
                cells.add(effects[i]);
        }
    }
    return cells;
}

} // namespace dockscope::client::models
