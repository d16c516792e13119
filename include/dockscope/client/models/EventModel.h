#pragma once

#include "dockscope/client/models/Roles.h"
#include "dockscope/state/DockerEvent.h"

#include <QAbstractTableModel>
#include <QString>

#include <deque>

namespace dockscope::client {
class Replica;
}

namespace dockscope::client::models {

/// The activity feed: Docker events as they arrive, oldest first, at most capacity() rows. A new event is
/// appended (rowsInserted at the end); past the capacity the oldest go (rowsRemoved at the front). While
/// paused, events wait in a side buffer (also bounded by the capacity) and are inserted on resume.
///
/// Columns: Time ("14:03:07", local time; the full date in the tooltip), Type, Action ("start",
/// "health_status"), Actor (the "name" attribute, else the actor id, shortened when it is a long id),
/// Details (the action's detail, e.g. "healthy", then exitCode, signal, image, container, driver, type
/// attributes as key=value; every attribute in the tooltip).
class EventModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, TypeColumn, ActionColumn, ActorColumn, DetailsColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        SortRole = roles::Sort,  ///< the column's raw value (the time as ns)
        TimeRole = roles::First, ///< qint64 ms since the epoch
        TypeRole,                ///< QString
        ActionRole,              ///< QString
        ActionDetailRole,        ///< QString
        ActorIdRole,             ///< QString
        ActorNameRole,           ///< QString, as the Actor column
        AttributesRole,          ///< QVariantMap
    };
    Q_ENUM(Role)

    static constexpr int kDefaultCapacity = 5000;

    explicit EventModel(QObject* parent = nullptr);

    void append(const state::DockerEvent& event);
    /// Follows the replica's eventReceived().
    void bind(const Replica& replica);

    /// Pausing keeps new events aside; resuming inserts them (in one rowsInserted).
    void setPaused(bool paused);
    bool isPaused() const { return paused_; }
    /// Events waiting while paused.
    int bufferedCount() const { return static_cast<int>(buffer_.size()); }

    /// At least 1. Lowering it removes the oldest rows (and buffered events) beyond it.
    void setCapacity(int capacity);
    int capacity() const { return capacity_; }
    /// Removes every row (rowsRemoved, not a reset) and the buffered events.
    void clear();

    /// The event of a row; precondition: 0 <= row < rowCount().
    const state::DockerEvent& eventAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void bufferedCountChanged(int count);

private:
    struct Row {
        state::DockerEvent event;
        QString actor;
        QString details;
    };

    static Row makeRow(const state::DockerEvent& event);
    void insert(std::deque<Row> rows);
    void trimFront(std::size_t keep);
    QVariant display(const Row& row, int column) const;

    std::deque<Row> rows_;
    std::deque<Row> buffer_;
    int capacity_ = kDefaultCapacity;
    bool paused_ = false;
};

} // namespace dockscope::client::models
