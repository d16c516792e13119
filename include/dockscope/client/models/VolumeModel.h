#pragma once

#include "dockscope/client/models/EntityTableModel.h"
#include "dockscope/client/models/Roles.h"
#include "dockscope/state/Volume.h"

#include <QHash>

namespace dockscope::client::models {

/// The named volumes as a table. Columns: Name, Driver, Used by (how many containers mount it; their names
/// in the tooltip and UsedByNamesRole), Created ("3 days ago", follows setNow()), Mountpoint.
/// It also follows the containers' names, so that renaming a container refreshes the Used-by tooltips.
class VolumeModel : public EntityTableModel<state::Volume> {
    Q_OBJECT

public:
    enum Column { NameColumn, DriverColumn, UsedByColumn, CreatedColumn, MountpointColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        IdRole = roles::Id,               ///< QString, the volume's name
        SortRole = roles::Sort,           ///< the column's raw value
        ChangedAtRole = roles::ChangedAt, ///< qint64 ms since the epoch of the row's last shown change
        PendingRole = roles::Pending,     ///< QString, the action in flight, empty when none
        UsedByRole = roles::First,        ///< QStringList of container ids
        UsedByNamesRole,                  ///< QStringList of container names (a short id when unknown)
        CreatedAtRole,                    ///< qint64 ms since the epoch
        ScopeRole,                        ///< QString, local | global
    };
    Q_ENUM(Role)

    explicit VolumeModel(QObject* parent = nullptr);

protected:
    state::EntityKind kind() const override { return state::EntityKind::Volume; }
    const EntityMap& entitiesOf(const state::EngineState& state) const override { return state.volumes(); }
    QVariant cell(const Row& row, int column, int role) const override;
    ChangedCells changedCells(const nlohmann::json& diff) const override;
    bool resetOrder(const state::Volume& a, const state::Volume& b) const override;
    void resetting(const state::EngineState& state) override;
    void applying(const state::Batch& batch, const state::EngineState& after) override;

private:
    QStringList usedByNames(const state::Volume& volume) const;

    QHash<QString, QString> containerNames_; ///< container id -> name
};

} // namespace dockscope::client::models
