#pragma once

#include "dockscope/client/models/EntityTableModel.h"
#include "dockscope/client/models/Roles.h"
#include "dockscope/state/Network.h"

namespace dockscope::client::models {

/// The networks as a table. Columns: Name, Driver, Scope, Containers (how many are attached), Subnets
/// (joined with ", "), Internal ("yes"/"no").
class NetworkModel : public EntityTableModel<state::Network> {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        DriverColumn,
        ScopeColumn,
        ContainersColumn,
        SubnetsColumn,
        InternalColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        IdRole = roles::Id,               ///< QString, the network id
        SortRole = roles::Sort,           ///< the column's raw value
        ChangedAtRole = roles::ChangedAt, ///< qint64 ms since the epoch of the row's last shown change
        PendingRole = roles::Pending,     ///< QString, the action in flight, empty when none
        ContainersRole = roles::First,    ///< QStringList of the attached containers' ids
        SubnetsRole,                      ///< QStringList
        InternalRole,                     ///< bool
    };
    Q_ENUM(Role)

    explicit NetworkModel(QObject* parent = nullptr);

protected:
    state::EntityKind kind() const override { return state::EntityKind::Network; }
    const EntityMap& entitiesOf(const state::EngineState& state) const override { return state.networks(); }
    QVariant cell(const Row& row, int column, int role) const override;
    ChangedCells changedCells(const nlohmann::json& diff) const override;
    bool resetOrder(const state::Network& a, const state::Network& b) const override;
};

} // namespace dockscope::client::models
