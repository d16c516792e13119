#include "dockscope/client/models/VolumeModel.h"

#include "dockscope/client/models/Text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace dockscope::client::models {

VolumeModel::VolumeModel(QObject* parent)
    : EntityTableModel({QStringLiteral("Name"), QStringLiteral("Driver"), QStringLiteral("Used by"),
                        QStringLiteral("Created"), QStringLiteral("Mountpoint")},
                       column(CreatedColumn), parent)
{}

QVariant VolumeModel::cell(const Row& row, int column, int role) const
{
    const state::Volume& v = row.value;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return row.id;
        case DriverColumn:
            return QString::fromStdString(v.driver);
        case UsedByColumn:
            return static_cast<int>(v.usedBy.size());
        case CreatedColumn:
            return relativeTimeText(v.createdAt, now());
        case MountpointColumn:
            return QString::fromStdString(v.mountpoint);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return column == UsedByColumn ? usedByNames(v).join(QStringLiteral(", ")) : QVariant();
    case SortRole:
        switch (column) {
        case UsedByColumn:
            return static_cast<int>(v.usedBy.size());
        case CreatedColumn:
            return qint64(v.createdAt);
        default:
            return cell(row, column, Qt::DisplayRole).toString().toLower();
        }
    case UsedByRole:
        return toStringList(v.usedBy);
    case UsedByNamesRole:
        return usedByNames(v);
    case CreatedAtRole:
        return toMsecs(v.createdAt);
    case ScopeRole:
        return QString::fromStdString(v.scope);
    default:
        return {};
    }
}

ChangedCells VolumeModel::changedCells(const nlohmann::json& diff) const
{
    const int D = Qt::DisplayRole;
    static const FieldEffect kEffects[] = {
        {"name", column(NameColumn), {D}},
        {"driver", column(DriverColumn), {D}},
        {"scope", column(DriverColumn), {ScopeRole}},
        {"usedBy", column(UsedByColumn), {D, Qt::ToolTipRole, UsedByRole, UsedByNamesRole}},
        {"createdAt", column(CreatedColumn), {D, CreatedAtRole}},
        {"mountpoint", column(MountpointColumn), {D}},
    };
    return ChangedCells::fromDiff(diff, kEffects);
}

bool VolumeModel::resetOrder(const state::Volume& a, const state::Volume& b) const
{
    return a.name < b.name;
}

void VolumeModel::resetting(const state::EngineState& state)
{
    containerNames_.clear();
    for (const auto& [id, c] : state.containers())
        containerNames_.insert(QString::fromStdString(id), QString::fromStdString(c.name));
}

void VolumeModel::applying(const state::Batch& batch, const state::EngineState& after)
{
    // The names first: the volumes' own changes in this batch are announced afterwards and must show them.
    std::set<int> refresh;
    for (const state::StateChange& change : batch.changes) {
        if (change.kind != state::EntityKind::Container)
            continue;
        const QString id = QString::fromStdString(change.id);
        const auto it = after.containers().find(change.id);
        if (it == after.containers().end()) {
            containerNames_.remove(id);
            continue;
        }
        containerNames_.insert(id, QString::fromStdString(it->second.name));
        if (change.op != state::ChangeOp::Updated || !change.diff.contains("name"))
            continue;
        for (const state::Mount& mount : it->second.mounts) {
            // A volume this batch removes is not worth a refresh.
            const int row =
                after.volumes().count(mount.name) ? rowOf(QString::fromStdString(mount.name)) : -1;
            if (row < 0)
                continue;
            const auto& usedBy = rowAt(row).value.usedBy;
            if (std::find(usedBy.begin(), usedBy.end(), change.id) != usedBy.end())
                refresh.insert(row);
        }
    }
    ChangedCells cells{column(UsedByColumn), {}};
    cells.addRole(Qt::ToolTipRole);
    cells.addRole(UsedByNamesRole);
    for (int row : refresh)
        emitChanged(row, row, cells);
}

QStringList VolumeModel::usedByNames(const state::Volume& volume) const
{
    QStringList names;
    for (const std::string& id : volume.usedBy) {
        names << containerNames_.value(QString::fromStdString(id), shortId(id));
    }
    return names;
}

} // namespace dockscope::client::models
