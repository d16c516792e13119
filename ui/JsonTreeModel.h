#pragma once

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <vector>

namespace dockscope::ui {

/// A JSON document as a read-only tree: one row per member or element (the root itself is not a row).
/// Columns: Key (a member's name, "[i]" for an array element), Value (strings as they are, numbers, true,
/// false, null; "{n}" / "[n]" for objects and arrays of n entries), Type ("object", "array", "string",
/// "number", "boolean", "null"). Object members come in key order.
class JsonTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        CopyRole = Qt::UserRole + 1, ///< QString: a string's text, a scalar's JSON, an object/array indented
        PathRole,                    ///< QString: "State.Health.Status", "Mounts[0].Source"
    };

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const nlohmann::json& document);
    void clear();
    /// The index (column 0) of the row at `path` (PathRole), invalid when there is none.
    QModelIndex indexOfPath(const QString& path) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node;
    const Node* nodeOf(const QModelIndex& index) const;
    std::unique_ptr<Node> root_;
};

/// Filters a JsonTreeModel to the rows whose key or value contains the search text (case-insensitive), with
/// their ancestors (recursive filtering) and everything under a matching row.
class JsonFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit JsonFilterProxy(QObject* parent = nullptr);

    void setSearch(const QString& text);
    QString search() const { return search_; }
    /// Whether this source row matches the search by itself (not only through a child or parent).
    bool matches(const QModelIndex& sourceIndex) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString search_;
};

} // namespace dockscope::ui
