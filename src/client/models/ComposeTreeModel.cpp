// The compose tree keeps, like the tables, its own copy of the containers, here in groups. Indexes of
// container rows carry their group's key (never a pointer), so a stale index cannot reach freed memory.
#include "dockscope/client/models/ComposeTreeModel.h"

#include "ContainerCells.h"
#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ContainerModel.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dockscope::client::models {

namespace {

int running(const state::Container& c)
{
    return c.state == state::ContainerState::Running ? 1 : 0;
}

} // namespace

struct ComposeTreeModel::Group {
    quintptr key = 0;
    QString project;
    std::vector<Child> children;
    QHash<QString, int> rows; ///< container id -> row
    int running = 0;
    // The counts as last announced, so that the project row's dataChanged comes only when they moved.
    int shownRunning = 0;
    int shownTotal = 0;

    void reindexFrom(std::size_t row)
    {
        for (; row < children.size(); ++row)
            rows.insert(children[row].id, static_cast<int>(row));
    }
};

ComposeTreeModel::ComposeTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , headers_(containerHeaders())
    , now_(QDateTime::currentMSecsSinceEpoch())
{}

ComposeTreeModel::~ComposeTreeModel() = default;

QString ComposeTreeModel::noProjectTitle()
{
    return QStringLiteral("(no project)");
}

void ComposeTreeModel::reset(const state::EngineState& state)
{
    std::vector<const state::Container*> sorted;
    for (const auto& [id, c] : state.containers())
        sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        // Projects by name with "(no project)" last, then containers by name.
        if (a->composeProject != b->composeProject)
            return !a->composeProject.empty() &&
                   (b->composeProject.empty() || a->composeProject < b->composeProject);
        return containerResetOrder(*a, *b);
    });

    beginResetModel();
    QHash<QString, QString> pending;
    for (const auto& group : groups_) {
        for (const Child& child : group->children) {
            if (!child.pending.isEmpty())
                pending.insert(child.id, child.pending);
        }
    }
    groups_.clear();
    groupRows_.clear();
    groupKeys_.clear();
    containers_.clear();
    for (const state::Container* c : sorted) {
        const QString project = QString::fromStdString(c->composeProject);
        if (groups_.empty() || groups_.back()->project != project) {
            auto group = std::make_unique<Group>();
            group->key = nextKey_++;
            group->project = project;
            groupRows_.insert(group->key, static_cast<int>(groups_.size()));
            groupKeys_.insert(project, group->key);
            groups_.push_back(std::move(group));
        }
        Group& group = *groups_.back();
        const QString id = QString::fromStdString(c->id);
        group.rows.insert(id, static_cast<int>(group.children.size()));
        group.children.push_back(Child{*c, id, 0, pending.value(id)});
        group.running += running(*c);
        containers_.insert(id, group.key);
    }
    for (const auto& group : groups_) {
        group->shownRunning = group->running;
        group->shownTotal = static_cast<int>(group->children.size());
    }
    endResetModel();
}

void ComposeTreeModel::apply(const state::Batch& batch, const state::EngineState& after)
{
    std::vector<Child> inserts;
    const qint64 stamp = clockNow();
    for (const state::StateChange& change : batch.changes) {
        if (change.kind != state::EntityKind::Container)
            continue;
        const QString id = QString::fromStdString(change.id);
        const auto it = after.containers().find(change.id);
        const Group* group = groupOf(id);
        if (it == after.containers().end()) {
            if (group)
                takeChild(id);
        } else if (!group) {
            inserts.push_back(Child{it->second, id, stamp, {}});
        } else {
            updateChild(change, it->second, inserts);
        }
    }
    for (Child& child : inserts)
        child.changedAt = stamp; // the moved ones too
    // One insertion per project, in the order the projects first appear in the batch.
    while (!inserts.empty()) {
        const QString project = QString::fromStdString(inserts.front().value.composeProject);
        std::vector<Child> same;
        std::vector<Child> rest;
        for (Child& child : inserts)
            (QString::fromStdString(child.value.composeProject) == project ? same : rest)
                .push_back(std::move(child));
        insertChildren(project, std::move(same));
        inserts = std::move(rest);
    }
}

void ComposeTreeModel::updateChild(const state::StateChange& change, const state::Container& value,
                                   std::vector<Child>& moved)
{
    const QString id = QString::fromStdString(change.id);
    Group& group = groupAt(containers_.value(id));
    const int row = group.rows.value(id);
    const bool whole = change.op == state::ChangeOp::Created; // out of step: refresh everything
    const bool clears = whole || containerClearsPending(change.diff);
    if (QString::fromStdString(value.composeProject) != group.project) {
        Child child = takeChild(id); // may delete `group`
        child.value = value;
        if (clears)
            child.pending.clear();
        moved.push_back(std::move(child));
        return;
    }
    Child& child = group.children[static_cast<std::size_t>(row)];
    ChangedCells cells = whole ? ChangedCells{(1u << ContainerModel::ColumnCount) - 1, {}}
                               : containerChangedCells(change.diff);
    if (!child.pending.isEmpty() && clears) {
        child.pending.clear();
        cells.addColumns(column(ContainerModel::StatusColumn));
        cells.addRole(roles::Pending);
    }
    group.running += running(value) - running(child.value);
    child.value = value;
    if (cells.empty())
        return;
    child.changedAt = clockNow();
    if (!whole) {
        cells.addRole(roles::Sort);
        cells.addRole(roles::ChangedAt);
    }
    const QModelIndex parent = createIndex(groupRow(group), 0, quintptr(0));
    forEachColumnRun(cells.columns, [&](int c0, int c1) {
        Q_EMIT dataChanged(index(row, c0, parent), index(row, c1, parent), cells.roles);
    });
    announceCounts(group);
}

ComposeTreeModel::Group* ComposeTreeModel::groupOf(const QString& containerId) const
{
    const auto key = containers_.constFind(containerId);
    if (key == containers_.constEnd())
        return nullptr;
    return &groupAt(*key);
}

ComposeTreeModel::Group& ComposeTreeModel::groupAt(quintptr key) const
{
    return *groups_[static_cast<std::size_t>(groupRows_.value(key))];
}

int ComposeTreeModel::groupRow(const Group& group) const
{
    return groupRows_.value(group.key, -1);
}

ComposeTreeModel::Group& ComposeTreeModel::ensureGroup(const QString& project)
{
    if (const auto key = groupKeys_.constFind(project); key != groupKeys_.constEnd())
        return groupAt(*key);
    const bool noProjectLast = !groups_.empty() && groups_.back()->project.isEmpty();
    const auto row = static_cast<int>(groups_.size()) - (noProjectLast && !project.isEmpty() ? 1 : 0);
    auto group = std::make_unique<Group>();
    group->key = nextKey_++;
    group->project = project;
    Group& ref = *group;
    beginInsertRows({}, row, row);
    groups_.insert(groups_.begin() + row, std::move(group));
    groupKeys_.insert(project, ref.key);
    for (auto r = static_cast<std::size_t>(row); r < groups_.size(); ++r)
        groupRows_.insert(groups_[r]->key, static_cast<int>(r));
    endInsertRows();
    return ref;
}

void ComposeTreeModel::removeGroup(const Group& group)
{
    const int row = groupRow(group);
    beginRemoveRows({}, row, row);
    groupKeys_.remove(group.project);
    groupRows_.remove(group.key);
    groups_.erase(groups_.begin() + row);
    for (auto r = static_cast<std::size_t>(row); r < groups_.size(); ++r)
        groupRows_.insert(groups_[r]->key, static_cast<int>(r));
    endRemoveRows();
}

void ComposeTreeModel::insertChildren(const QString& project, std::vector<Child> children)
{
    Group& group = ensureGroup(project);
    const auto first = static_cast<int>(group.children.size());
    beginInsertRows(createIndex(groupRow(group), 0, quintptr(0)), first,
                    first + static_cast<int>(children.size()) - 1);
    for (Child& child : children) {
        group.running += running(child.value);
        containers_.insert(child.id, group.key);
        group.children.push_back(std::move(child));
    }
    group.reindexFrom(static_cast<std::size_t>(first));
    endInsertRows();
    announceCounts(group);
}

ComposeTreeModel::Child ComposeTreeModel::takeChild(const QString& id)
{
    Group& group = groupAt(containers_.value(id));
    const int row = group.rows.value(id);
    beginRemoveRows(createIndex(groupRow(group), 0, quintptr(0)), row, row);
    Child child = std::move(group.children[static_cast<std::size_t>(row)]);
    group.children.erase(group.children.begin() + row);
    group.rows.remove(id);
    group.reindexFrom(static_cast<std::size_t>(row));
    group.running -= running(child.value);
    containers_.remove(id);
    endRemoveRows();
    if (group.children.empty())
        removeGroup(group);
    else
        announceCounts(group);
    return child;
}

void ComposeTreeModel::announceCounts(Group& group)
{
    // At once, not at the end of the batch: a sorting proxy must not meet a project row whose new counts are
    // still unannounced while it handles another signal.
    const auto total = static_cast<int>(group.children.size());
    if (group.shownRunning == group.running && group.shownTotal == total)
        return;
    group.shownRunning = group.running;
    group.shownTotal = total;
    const QModelIndex cell = createIndex(groupRow(group), ContainerModel::StatusColumn, quintptr(0));
    Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole, roles::Sort, RunningCountRole, ContainerCountRole});
}

void ComposeTreeModel::bind(const Replica& replica)
{
    connect(&replica, &Replica::reset, this, [this, &replica] { reset(replica.state()); });
    connect(&replica, &Replica::applied, this,
            [this, &replica](const state::Batch& batch) { apply(batch, replica.state()); });
    reset(replica.state());
}

void ComposeTreeModel::setNow(qint64 ms)
{
    now_ = ms;
    for (int g = 0; g < static_cast<int>(groups_.size()); ++g) {
        const QModelIndex parent = index(g, 0);
        const int last = static_cast<int>(groups_[static_cast<std::size_t>(g)]->children.size()) - 1;
        if (last < 0)
            continue;
        for (int c : {int(ContainerModel::StatusColumn), int(ContainerModel::CreatedColumn)})
            Q_EMIT dataChanged(index(0, c, parent), index(last, c, parent), {Qt::DisplayRole});
    }
}

void ComposeTreeModel::setClock(std::function<qint64()> clock)
{
    clock_ = std::move(clock);
}

qint64 ComposeTreeModel::clockNow() const
{
    return clock_ ? clock_() : QDateTime::currentMSecsSinceEpoch();
}

bool ComposeTreeModel::setPending(const QString& id, const QString& text)
{
    const QModelIndex cell = indexOf(id, ContainerModel::StatusColumn);
    if (!cell.isValid())
        return false;
    Group& group = groupAt(containers_.value(id));
    Child& child = group.children[static_cast<std::size_t>(cell.row())];
    if (child.pending != text) {
        child.pending = text;
        Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole, roles::Pending});
    }
    return true;
}

void ComposeTreeModel::clearPending(const QString& id)
{
    setPending(id, {});
}

QModelIndex ComposeTreeModel::indexOf(const QString& containerId, int column) const
{
    const Group* group = groupOf(containerId);
    if (!group)
        return {};
    return createIndex(group->rows.value(containerId), column, group->key);
}

QModelIndex ComposeTreeModel::groupIndex(const QString& project, int column) const
{
    const auto key = groupKeys_.constFind(project);
    if (key == groupKeys_.constEnd())
        return {};
    return createIndex(groupRows_.value(*key), column, quintptr(0));
}

QModelIndex ComposeTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, groups_[static_cast<std::size_t>(parent.row())]->key);
}

QModelIndex ComposeTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const int row = groupRows_.value(child.internalId(), -1);
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

int ComposeTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(groups_.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return static_cast<int>(groups_[static_cast<std::size_t>(parent.row())]->children.size());
}

int ComposeTreeModel::columnCount(const QModelIndex&) const
{
    return ContainerModel::ColumnCount;
}

QVariant ComposeTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0)
        return groupData(*groups_[static_cast<std::size_t>(index.row())], index.column(), role);
    const Group& group = groupAt(index.internalId());
    const Child& child = group.children[static_cast<std::size_t>(index.row())];
    switch (role) {
    case IsGroupRole:
        return false;
    case roles::Id:
        return child.id;
    case roles::ChangedAt:
        return child.changedAt;
    case roles::Pending:
        return child.pending;
    default:
        return containerCell(child.value, child.pending, now_, index.column(), role);
    }
}

QVariant ComposeTreeModel::groupData(const Group& group, int column, int role) const
{
    const QString title = group.project.isEmpty() ? noProjectTitle() : group.project;
    const auto total = static_cast<int>(group.children.size());
    switch (role) {
    case Qt::DisplayRole:
        if (column == ContainerModel::NameColumn)
            return title;
        if (column == ContainerModel::ProjectColumn)
            return group.project;
        if (column == ContainerModel::StatusColumn)
            return QStringLiteral("%1/%2 running").arg(group.running).arg(total);
        return {};
    case roles::Sort:
        if (column == ContainerModel::StatusColumn)
            return group.running;
        // "(no project)" sorts after the projects (ascending).
        return group.project.isEmpty() ? QString(QChar(0xffff)) : group.project.toLower();
    case ContainerModel::ProjectRole:
        return group.project;
    case IsGroupRole:
        return true;
    case RunningCountRole:
        return group.running;
    case ContainerCountRole:
        return total;
    default:
        return {};
    }
}

QVariant ComposeTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= headers_.size())
        return {};
    return headers_[section];
}

} // namespace dockscope::client::models
