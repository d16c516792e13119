#pragma once

#include "dockscope/client/models/EntityTableModel.h"
#include "dockscope/client/models/Roles.h"
#include "dockscope/state/Container.h"

namespace dockscope::client::models {

/// The containers as a table, one row per container (see EntityTableModel for how it is fed).
///
/// Columns: Name, Image, State ("running"), Health ("healthy", empty without a health check), Status (as
/// `docker ps`: "Up 5 minutes (healthy)", or the pending action's text), Ports ("0.0.0.0:8080->80/tcp"),
/// Created ("5 minutes ago"), Project (compose project). Status and Created follow setNow().
/// The custom roles are answered on every column; SortRole depends on the column.
class ContainerModel : public EntityTableModel<state::Container> {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ImageColumn,
        StateColumn,
        HealthColumn,
        StatusColumn,
        PortsColumn,
        CreatedColumn,
        ProjectColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        IdRole = roles::Id,               ///< QString, the full id
        SortRole = roles::Sort,           ///< the column's raw value: times as numbers, names lower-case
        ChangedAtRole = roles::ChangedAt, ///< qint64 ms since the epoch of the row's last shown change
        PendingRole = roles::Pending,     ///< QString, the action in flight ("stopping…"), empty when none
        StateRole = roles::First,         ///< int, state::ContainerState
        HealthRole,                       ///< int, state::Health
        ExitCodeRole,                     ///< int
        StartedAtRole,                    ///< qint64 ms since the epoch, 0 when never
        FinishedAtRole,                   ///< qint64 ms since the epoch, 0 when never
        CreatedAtRole,                    ///< qint64 ms since the epoch
        ProjectRole,                      ///< QString, compose project, empty when none
        ServiceRole,                      ///< QString, compose service, empty when none
        PortsRole,                        ///< QVariantList of {ip, privatePort, publicPort, type} maps
        NameRole,                         ///< QString (also for the filter proxy)
        ImageRole,                        ///< QString
    };
    Q_ENUM(Role)

    explicit ContainerModel(QObject* parent = nullptr);

protected:
    state::EntityKind kind() const override { return state::EntityKind::Container; }
    const EntityMap& entitiesOf(const state::EngineState& state) const override { return state.containers(); }
    QVariant cell(const Row& row, int column, int role) const override;
    ChangedCells changedCells(const nlohmann::json& diff) const override;
    bool resetOrder(const state::Container& a, const state::Container& b) const override;
    int pendingColumn() const override { return StatusColumn; }
    bool clearsPending(const nlohmann::json& diff) const override;
};

} // namespace dockscope::client::models
