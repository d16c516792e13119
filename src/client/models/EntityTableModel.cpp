// The shared row bookkeeping of the entity tables. The model keeps its own copy of each row, so the view sees
// consistent data between the replica's aboutToApply() and applied() without any begin/end pair spanning
// them.
#include "dockscope/client/models/EntityTableModel.h"

#include "dockscope/client/Replica.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dockscope::client::models {

namespace {

const std::string& entityId(const state::Container& c)
{
    return c.id;
}
const std::string& entityId(const state::Image& i)
{
    return i.id;
}
const std::string& entityId(const state::Volume& v)
{
    return v.name;
}
const std::string& entityId(const state::Network& n)
{
    return n.id;
}

} // namespace

template <typename Entity>
EntityTableModel<Entity>::EntityTableModel(QStringList headers, std::uint32_t timeColumns, QObject* parent)
    : QAbstractTableModel(parent)
    , headers_(std::move(headers))
    , timeColumns_(timeColumns)
    , now_(QDateTime::currentMSecsSinceEpoch())
{}

template <typename Entity>
void EntityTableModel<Entity>::reset(const state::EngineState& state)
{
    const EntityMap& entities = entitiesOf(state);
    std::vector<const Entity*> sorted;
    sorted.reserve(entities.size());
    for (const auto& [id, entity] : entities)
        sorted.push_back(&entity);
    std::sort(sorted.begin(), sorted.end(),
              [this](const Entity* a, const Entity* b) { return resetOrder(*a, *b); });

    beginResetModel();
    std::vector<Row> rows;
    rows.reserve(sorted.size());
    for (const Entity* entity : sorted) {
        Row row{*entity, QString::fromStdString(entityId(*entity)), 0, {}};
        // An action in flight survives a resync when its entity does.
        if (const int old = rowOf(row.id); old >= 0)
            row.pending = rows_[static_cast<std::size_t>(old)].pending;
        rows.push_back(std::move(row));
    }
    rows_ = std::move(rows);
    index_.clear();
    reindexFrom(0);
    resetting(state);
    endResetModel();
}

template <typename Entity>
void EntityTableModel<Entity>::apply(const state::Batch& batch, const state::EngineState& after)
{
    applying(batch, after);
    const EntityMap& entities = entitiesOf(after);
    std::vector<int> removed;
    std::vector<const Entity*> created;
    for (const state::StateChange& change : batch.changes) {
        if (change.kind != kind())
            continue;
        const int row = rowOf(QString::fromStdString(change.id));
        const auto it = entities.find(change.id);
        if (it == entities.end()) {
            if (row >= 0)
                removed.push_back(row);
        } else if (row < 0) {
            created.push_back(&it->second);
        }
    }
    removeRowSet(std::move(removed));
    updateRows(batch, entities);
    appendRows(created);
}

template <typename Entity>
void EntityTableModel<Entity>::updateRows(const state::Batch& batch, const EntityMap& entities)
{
    struct Update {
        int row;
        ChangedCells cells;
        const Entity* value;
        bool endsPending;
    };
    std::vector<Update> updates;
    for (const state::StateChange& change : batch.changes) {
        if (change.kind != kind() || change.op == state::ChangeOp::Removed)
            continue;
        const int row = rowOf(QString::fromStdString(change.id));
        const auto it = entities.find(change.id);
        if (row < 0 || it == entities.end()) // rows to create are appended afterwards
            continue;
        // A "created" for a row we hold (out of step: should not happen) refreshes every cell.
        const bool whole = change.op == state::ChangeOp::Created;
        Update update{row, whole ? allCells() : changedCells(change.diff), &it->second, false};
        if (!rowAt(row).pending.isEmpty() && (whole || clearsPending(change.diff))) {
            update.endsPending = true;
            update.cells.addColumns(column(pendingColumn()));
            update.cells.addRole(roles::Pending);
        }
        if (!update.cells.empty() && !whole) {
            update.cells.addRole(roles::Sort);
            update.cells.addRole(roles::ChangedAt);
        }
        updates.push_back(std::move(update));
    }
    std::sort(updates.begin(), updates.end(), [](const Update& a, const Update& b) { return a.row < b.row; });

    // Adjacent rows with the same cells share one signal. Each run takes its new values just before its
    // signal, so that a listener (a sorting proxy) never meets a changed row whose signal is still to come.
    const qint64 stamp = clockNow();
    for (std::size_t i = 0; i < updates.size();) {
        std::size_t j = i + 1;
        while (j < updates.size() && updates[j].row == updates[j - 1].row + 1 &&
               updates[j].cells == updates[i].cells)
            ++j;
        for (std::size_t k = i; k < j; ++k) {
            Row& row = rows_[static_cast<std::size_t>(updates[k].row)];
            row.value = *updates[k].value;
            if (updates[k].endsPending)
                row.pending.clear();
            if (!updates[k].cells.empty())
                row.changedAt = stamp;
        }
        if (!updates[i].cells.empty())
            emitChanged(updates[i].row, updates[j - 1].row, updates[i].cells);
        i = j;
    }
}

template <typename Entity>
void EntityTableModel<Entity>::removeRowSet(std::vector<int> rows)
{
    // From the bottom up, one signal per run of adjacent rows, so the rows still to remove keep their number.
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (std::size_t i = 0; i < rows.size();) {
        std::size_t j = i + 1;
        while (j < rows.size() && rows[j] == rows[j - 1] - 1)
            ++j;
        const int first = rows[j - 1];
        const int last = rows[i];
        beginRemoveRows({}, first, last);
        for (int r = first; r <= last; ++r)
            index_.remove(rows_[static_cast<std::size_t>(r)].id);
        rows_.erase(rows_.begin() + first, rows_.begin() + last + 1);
        reindexFrom(first);
        endRemoveRows();
        i = j;
    }
}

template <typename Entity>
void EntityTableModel<Entity>::appendRows(const std::vector<const Entity*>& entities)
{
    if (entities.empty())
        return;
    const int first = static_cast<int>(rows_.size());
    const qint64 stamp = clockNow();
    beginInsertRows({}, first, first + static_cast<int>(entities.size()) - 1);
    for (const Entity* entity : entities)
        rows_.push_back(Row{*entity, QString::fromStdString(entityId(*entity)), stamp, {}});
    reindexFrom(first);
    endInsertRows();
}

template <typename Entity>
void EntityTableModel<Entity>::reindexFrom(int row)
{
    for (auto r = static_cast<std::size_t>(row); r < rows_.size(); ++r)
        index_.insert(rows_[r].id, static_cast<int>(r));
}

template <typename Entity>
void EntityTableModel<Entity>::bind(const Replica& replica)
{
    connect(&replica, &Replica::reset, this, [this, &replica] { reset(replica.state()); });
    connect(&replica, &Replica::applied, this,
            [this, &replica](const state::Batch& batch) { apply(batch, replica.state()); });
    reset(replica.state());
}

template <typename Entity>
void EntityTableModel<Entity>::setNow(qint64 ms)
{
    now_ = ms;
    if (rows_.empty())
        return;
    const int last = static_cast<int>(rows_.size()) - 1;
    forEachColumnRun(timeColumns_, [&](int first, int lastColumn) {
        Q_EMIT dataChanged(index(0, first), index(last, lastColumn), {Qt::DisplayRole});
    });
}

template <typename Entity>
void EntityTableModel<Entity>::setClock(std::function<qint64()> clock)
{
    clock_ = std::move(clock);
}

template <typename Entity>
qint64 EntityTableModel<Entity>::clockNow() const
{
    return clock_ ? clock_() : QDateTime::currentMSecsSinceEpoch();
}

template <typename Entity>
bool EntityTableModel<Entity>::setPending(const QString& id, const QString& text)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    Row& r = rows_[static_cast<std::size_t>(row)];
    if (r.pending == text)
        return true;
    r.pending = text;
    ChangedCells cells{column(pendingColumn()), {}};
    cells.addRole(Qt::DisplayRole);
    cells.addRole(roles::Pending);
    emitChanged(row, row, cells);
    return true;
}

template <typename Entity>
void EntityTableModel<Entity>::clearPending(const QString& id)
{
    setPending(id, {});
}

template <typename Entity>
void EntityTableModel<Entity>::emitChanged(int first, int last, const ChangedCells& cells)
{
    forEachColumnRun(cells.columns, [&](int c0, int c1) {
        Q_EMIT dataChanged(index(first, c0), index(last, c1), cells.roles);
    });
}

template <typename Entity>
ChangedCells EntityTableModel<Entity>::allCells() const
{
    return ChangedCells{(1u << static_cast<unsigned>(headers_.size())) - 1, {}};
}

template <typename Entity>
QString EntityTableModel<Entity>::idAt(int row) const
{
    return rowAt(row).id;
}

template <typename Entity>
const Entity& EntityTableModel<Entity>::entityAt(int row) const
{
    return rowAt(row).value;
}

template <typename Entity>
int EntityTableModel<Entity>::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

template <typename Entity>
int EntityTableModel<Entity>::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(headers_.size());
}

template <typename Entity>
QVariant EntityTableModel<Entity>::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rowAt(index.row());
    switch (role) {
    case roles::Id:
        return row.id;
    case roles::ChangedAt:
        return row.changedAt;
    case roles::Pending:
        return row.pending;
    default:
        return cell(row, index.column(), role);
    }
}

template <typename Entity>
QVariant EntityTableModel<Entity>::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= headers_.size())
        return {};
    return headers_[section];
}

template class EntityTableModel<state::Container>;
template class EntityTableModel<state::Image>;
template class EntityTableModel<state::Volume>;
template class EntityTableModel<state::Network>;

} // namespace dockscope::client::models
