#pragma once

// The cells of a container row, shared by ContainerModel and ComposeTreeModel (same columns and roles).

#include "dockscope/client/models/ChangedCells.h"
#include "dockscope/state/Container.h"

#include <QString>
#include <QVariant>

#include <nlohmann/json_fwd.hpp>

namespace dockscope::client::models {

/// The data of one container cell for a role of ContainerModel::Role (the common ones excepted) or Qt's.
QVariant containerCell(const state::Container& container, const QString& pending, qint64 nowMs, int column,
                       int role);
/// The cells of a container row that an update with this diff changes.
ChangedCells containerChangedCells(const nlohmann::json& diff);
/// Whether the update ends an action in flight: the container's state or its start or finish changed (a
/// restart may come back "running" with only a new startedAt).
bool containerClearsPending(const nlohmann::json& diff);
/// Names, then ids.
bool containerResetOrder(const state::Container& a, const state::Container& b);
/// The header titles, in column order.
QStringList containerHeaders();
/// The columns whose text depends on now().
std::uint32_t containerTimeColumns();

} // namespace dockscope::client::models
