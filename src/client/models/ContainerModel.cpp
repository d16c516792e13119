#include "dockscope/client/models/ContainerModel.h"

#include "ContainerCells.h"

namespace dockscope::client::models {

ContainerModel::ContainerModel(QObject* parent)
    : EntityTableModel(containerHeaders(), containerTimeColumns(), parent)
{}

QVariant ContainerModel::cell(const Row& row, int column, int role) const
{
    return containerCell(row.value, row.pending, now(), column, role);
}

ChangedCells ContainerModel::changedCells(const nlohmann::json& diff) const
{
    return containerChangedCells(diff);
}

bool ContainerModel::resetOrder(const state::Container& a, const state::Container& b) const
{
    return containerResetOrder(a, b);
}

bool ContainerModel::clearsPending(const nlohmann::json& diff) const
{
    return containerClearsPending(diff);
}

} // namespace dockscope::client::models
