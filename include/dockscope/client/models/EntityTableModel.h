#pragma once

#include "dockscope/client/models/ChangedCells.h"
#include "dockscope/client/models/Roles.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/EngineState.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dockscope::client {
class Replica;
}

namespace dockscope::client::models {

/// The part every entity table shares (DESIGN.md "client --> ui models"): its own copy of the rows in a
/// stable order with an id -> row index, fed by reset() on a snapshot and apply() on each batch with
/// fine-grained signals, never a reset per update. Rows keep their order: new rows are appended, removals
/// keep the others' order. A subclass names its entity kind, columns and cells and maps diff fields to the
/// cells they change. Instantiated for the four entity kinds in EntityTableModel.cpp.
template <typename Entity>
class EntityTableModel : public QAbstractTableModel {
public:
    using EntityMap = std::unordered_map<std::string, Entity>;

    /// Replaces every row by the state's entities (beginResetModel/endResetModel): only on a resync.
    void reset(const state::EngineState& state);
    /// Applies the batch's changes of this model's kind, `after` being the state once it is applied:
    /// rowsRemoved for each run of removed rows, dataChanged for updated rows over the columns whose fields
    /// are in the diff (adjacent rows with the same cells share one signal), one rowsInserted at the end for
    /// the created rows. An update of a row the model lacks inserts it; a removal of one it lacks is ignored.
    void apply(const state::Batch& batch, const state::EngineState& after);
    /// Follows the replica: reset() now and on its reset(), apply() on its applied().
    void bind(const Replica& replica);

    /// The time relative texts are computed against (ms since the epoch); emits dataChanged over the
    /// time-dependent columns only. The view calls it on a timer: no request to the daemon.
    void setNow(qint64 ms);
    qint64 now() const { return now_; }
    /// The clock that stamps ChangedAtRole (default: the wall clock). For tests.
    void setClock(std::function<qint64()> clock);

    /// Shows an action in flight on the row (PendingRole; where the model shows it, see pendingColumn()).
    /// False when the id has no row. Emits dataChanged for that row only.
    bool setPending(const QString& id, const QString& text);
    void clearPending(const QString& id);

    /// The row of an id, -1 when none. O(1).
    int rowOf(const QString& id) const { return index_.value(id, -1); }
    /// The id of a row; precondition: 0 <= row < rowCount().
    QString idAt(int row) const;
    /// The entity of a row; precondition: 0 <= row < rowCount().
    const Entity& entityAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    struct Row {
        Entity value;
        QString id;
        qint64 changedAt = 0;
        QString pending;
    };

    /// `timeColumns`: the columns whose text depends on now() (bit i = column i).
    EntityTableModel(QStringList headers, std::uint32_t timeColumns, QObject* parent);

    virtual state::EntityKind kind() const = 0;
    virtual const EntityMap& entitiesOf(const state::EngineState& state) const = 0;
    /// The data of one cell for the roles that are not common to every model (Roles.h).
    virtual QVariant cell(const Row& row, int column, int role) const = 0;
    /// The cells an update with this diff changes.
    virtual ChangedCells changedCells(const nlohmann::json& diff) const = 0;
    /// The order of the rows after a reset.
    virtual bool resetOrder(const Entity& a, const Entity& b) const = 0;
    /// The column that shows the pending text (default 0).
    virtual int pendingColumn() const { return 0; }
    /// Whether an update with this diff ends the row's pending action (default: any shown change).
    virtual bool clearsPending(const nlohmann::json& diff) const { return !changedCells(diff).empty(); }
    /// Hooks for models that also follow other kinds (the volumes' container names): called inside reset()
    /// before endResetModel(), and at the start of apply() before any row signal.
    virtual void resetting(const state::EngineState& /*state*/) {}
    virtual void applying(const state::Batch& /*batch*/, const state::EngineState& /*after*/) {}

    const Row& rowAt(int row) const { return rows_[static_cast<std::size_t>(row)]; }
    /// Emits dataChanged for rows [first, last] over `cells`: one signal per run of adjacent columns.
    void emitChanged(int first, int last, const ChangedCells& cells);
    qint64 clockNow() const;

private:
    void removeRowSet(std::vector<int> rows);
    void updateRows(const state::Batch& batch, const EntityMap& entities);
    /// Every column, every role (an empty role list).
    ChangedCells allCells() const;
    void appendRows(const std::vector<const Entity*>& entities);
    void reindexFrom(int row);

    QStringList headers_;
    std::uint32_t timeColumns_;
    std::vector<Row> rows_;
    QHash<QString, int> index_;
    qint64 now_;
    std::function<qint64()> clock_;
};

extern template class EntityTableModel<state::Container>;
extern template class EntityTableModel<state::Image>;
extern template class EntityTableModel<state::Volume>;
extern template class EntityTableModel<state::Network>;

} // namespace dockscope::client::models
