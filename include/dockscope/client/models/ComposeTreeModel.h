#pragma once

#include "dockscope/client/models/ChangedCells.h"
#include "dockscope/client/models/Roles.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/EngineState.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace dockscope::client {
class Replica;
}

namespace dockscope::client::models {

/// The containers grouped by compose project: a top-level row per project (named projects in the order they
/// appeared, "(no project)" last), the project's containers under it. Columns and roles of the container
/// rows are ContainerModel's; a project row shows the project's name in the Name and Project columns and
/// "3/5 running" in the Status column. Fed like the tables, with fine-grained signals: a container of a new
/// project inserts the project row first; the last container of a project leaving removes its row; a
/// container whose project changes is removed and inserted again.
class ComposeTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Role {
        IsGroupRole = roles::First + 64, ///< bool, true on project rows
        RunningCountRole,                ///< int, on project rows: containers in state running
        ContainerCountRole,              ///< int, on project rows: containers
    };
    Q_ENUM(Role)

    explicit ComposeTreeModel(QObject* parent = nullptr);
    ~ComposeTreeModel() override;

    /// As EntityTableModel: reset() on a resync only, apply() per batch, bind() to follow a replica.
    void reset(const state::EngineState& state);
    void apply(const state::Batch& batch, const state::EngineState& after);
    void bind(const Replica& replica);

    /// The time relative texts are computed against; emits dataChanged over the Status and Created columns of
    /// the container rows.
    void setNow(qint64 ms);
    qint64 now() const { return now_; }
    void setClock(std::function<qint64()> clock);
    /// As ContainerModel::setPending(): shown in the container's Status column until its state changes.
    bool setPending(const QString& id, const QString& text);
    void clearPending(const QString& id);

    /// The title of the group of the containers without a project.
    static QString noProjectTitle();
    /// The row of a container (column `column`), invalid when none.
    QModelIndex indexOf(const QString& containerId, int column = 0) const;
    /// The row of a project ("" for the containers without one), invalid when none.
    QModelIndex groupIndex(const QString& project, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Child {
        state::Container value;
        QString id;
        qint64 changedAt = 0;
        QString pending;
    };
    struct Group;

    Group* groupOf(const QString& containerId) const;
    /// The group of a key that exists.
    Group& groupAt(quintptr key) const;
    int groupRow(const Group& group) const;
    Group& ensureGroup(const QString& project);
    void removeGroup(const Group& group);
    void insertChildren(const QString& project, std::vector<Child> children);
    Child takeChild(const QString& id);
    void updateChild(const state::StateChange& change, const state::Container& value,
                     std::vector<Child>& moved);
    void announceCounts(Group& group);
    QVariant groupData(const Group& group, int column, int role) const;
    qint64 clockNow() const;

    std::vector<std::unique_ptr<Group>> groups_;
    QHash<quintptr, int> groupRows_;      ///< group key -> row
    QHash<QString, quintptr> groupKeys_;  ///< project -> group key
    QHash<QString, quintptr> containers_; ///< container id -> group key
    quintptr nextKey_ = 1;
    QStringList headers_;
    qint64 now_;
    std::function<qint64()> clock_;
};

} // namespace dockscope::client::models
