#pragma once

#include "dockscope/client/models/EntityTableModel.h"
#include "dockscope/client/models/Roles.h"
#include "dockscope/state/Image.h"

namespace dockscope::client::models {

/// The local images as a table. Columns: Tags (joined with ", "; "<none>" when untagged; digests in the
/// tooltip), Id (12 characters), Size ("12.3 MB"), Created ("2 days ago", follows setNow()), Containers
/// (how many use the image).
class ImageModel : public EntityTableModel<state::Image> {
    Q_OBJECT

public:
    enum Column { TagsColumn, IdColumn, SizeColumn, CreatedColumn, ContainersColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        IdRole = roles::Id,               ///< QString, the full id ("sha256:…")
        SortRole = roles::Sort,           ///< the column's raw value
        ChangedAtRole = roles::ChangedAt, ///< qint64 ms since the epoch of the row's last shown change
        PendingRole = roles::Pending,     ///< QString, the action in flight, empty when none
        TagsRole = roles::First,          ///< QStringList
        DigestsRole,                      ///< QStringList
        SizeRole,                         ///< qint64 bytes
        CreatedAtRole,                    ///< qint64 ms since the epoch
        ContainersRole,                   ///< int
    };
    Q_ENUM(Role)

    explicit ImageModel(QObject* parent = nullptr);

protected:
    state::EntityKind kind() const override { return state::EntityKind::Image; }
    const EntityMap& entitiesOf(const state::EngineState& state) const override { return state.images(); }
    QVariant cell(const Row& row, int column, int role) const override;
    ChangedCells changedCells(const nlohmann::json& diff) const override;
    bool resetOrder(const state::Image& a, const state::Image& b) const override;
};

} // namespace dockscope::client::models
