#include "JsonTreeModel.h"

#include <nlohmann/json.hpp>

namespace dockscope::ui {

struct JsonTreeModel::Node {
    QString key;
    QString value;
    QString type;
    QString copy;
    QString path;
    Node* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
};

namespace {

QString typeOf(const nlohmann::json& value)
{
    switch (value.type()) {
    case nlohmann::json::value_t::object:
        return QStringLiteral("object");
    case nlohmann::json::value_t::array:
        return QStringLiteral("array");
    case nlohmann::json::value_t::string:
        return QStringLiteral("string");
    case nlohmann::json::value_t::boolean:
        return QStringLiteral("boolean");
    case nlohmann::json::value_t::null:
        return QStringLiteral("null");
    default:
        return QStringLiteral("number");
    }
}

QString dump(const nlohmann::json& value, int indent = -1)
{
    return QString::fromStdString(value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , root_(std::make_unique<Node>())
{}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(const nlohmann::json& document)
{
    beginResetModel();
    root_ = std::make_unique<Node>();
    // Depth-first without recursion limits on the C++ stack: Docker documents are shallow, but a pending list
    // keeps a hostile one from overflowing it.
    std::vector<std::pair<Node*, const nlohmann::json*>> pending{{root_.get(), &document}};
    while (!pending.empty()) {
        Node* const node = pending.back().first;
        const nlohmann::json* const value = pending.back().second;
        pending.pop_back();
        if (!value->is_structured())
            continue;
        const auto add = [&](QString key, QString path, const nlohmann::json& child) {
            auto entry = std::make_unique<Node>();
            entry->key = std::move(key);
            entry->path = std::move(path);
            entry->type = typeOf(child);
            if (child.is_object())
                entry->value = QStringLiteral("{%1}").arg(child.size());
            else if (child.is_array())
                entry->value = QStringLiteral("[%1]").arg(child.size());
            else if (child.is_string())
                entry->value = QString::fromStdString(child.get<std::string>());
            else
                entry->value = dump(child);
            entry->copy = child.is_structured() ? dump(child, 2) : entry->value;
            entry->parent = node;
            entry->row = static_cast<int>(node->children.size());
            pending.emplace_back(entry.get(), &child);
            node->children.push_back(std::move(entry));
        };
        if (value->is_object()) {
            for (const auto& [key, child] : value->items()) {
                const QString name = QString::fromStdString(key);
                add(name, node->path.isEmpty() ? name : node->path + QLatin1Char('.') + name, child);
            }
        } else {
            for (std::size_t i = 0; i < value->size(); ++i) {
                const QString name = QStringLiteral("[%1]").arg(i);
                add(name, node->path + name, (*value)[i]);
            }
        }
    }
    endResetModel();
}

void JsonTreeModel::clear()
{
    beginResetModel();
    root_ = std::make_unique<Node>();
    endResetModel();
}

const JsonTreeModel::Node* JsonTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : root_.get();
}

QModelIndex JsonTreeModel::indexOfPath(const QString& path) const
{
    // Breadth-first over the rows: paths are unique.
    std::vector<const Node*> pending{root_.get()};
    while (!pending.empty()) {
        const Node* node = pending.back();
        pending.pop_back();
        for (const auto& child : node->children) {
            if (child->path == path)
                return createIndex(child->row, 0, const_cast<Node*>(child.get()));
            if (path.startsWith(child->path))
                pending.push_back(child.get());
        }
    }
    return {};
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node* node = nodeOf(parent);
    return createIndex(row, column, const_cast<Node*>(node->children[static_cast<std::size_t>(row)].get()));
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* node = nodeOf(child);
    Node* up = node->parent;
    if (!up || up == root_.get())
        return {};
    return createIndex(up->row, 0, up);
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex& /*parent*/) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* node = nodeOf(index);
    if (role == CopyRole)
        return node->copy;
    if (role == PathRole || (role == Qt::ToolTipRole && index.column() != ValueColumn))
        return node->path;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (index.column() == KeyColumn)
        return node->key;
    if (index.column() == ValueColumn)
        return node->value;
    return node->type;
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    default:
        return {};
    }
}

JsonFilterProxy::JsonFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
}

void JsonFilterProxy::setSearch(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == search_)
        return;
    search_ = trimmed;
    invalidateFilter();
}

bool JsonFilterProxy::matches(const QModelIndex& sourceIndex) const
{
    if (search_.isEmpty() || !sourceIndex.isValid())
        return false;
    const QAbstractItemModel* model = sourceIndex.model();
    for (const int column : {JsonTreeModel::KeyColumn, JsonTreeModel::ValueColumn}) {
        const QModelIndex cell = model->index(sourceIndex.row(), column, sourceIndex.parent());
        if (cell.data().toString().contains(search_, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool JsonFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (search_.isEmpty())
        return true;
    return matches(sourceModel()->index(sourceRow, 0, sourceParent));
}

} // namespace dockscope::ui
