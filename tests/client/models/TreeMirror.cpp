#include "TreeMirror.h"

#include "dockscope/client/models/Text.h"

#include <algorithm>

namespace dockscope::client::models::testing {

void TreeMirror::clear()
{
    children_.clear();
    groups_.clear();
}

void TreeMirror::verify(const ComposeTreeModel& tree, SignalLog& log, const state::Batch& batch,
                        const state::EngineState& before, const state::EngineState& after,
                        const QSet<QString>& ended, const QSet<QString>& pending)
{
    Expected expected = followContainers(batch, before, after, ended);
    followGroups(expected, before, after);
    checkSignals(expected, log);
    log.clear();
    checkContent(tree, after, pending);
}

TreeMirror::Expected TreeMirror::followContainers(const state::Batch& batch, const state::EngineState& before,
                                                  const state::EngineState& after, const QSet<QString>& ended)
{
    Expected expected;
    leaving_.clear();
    arriving_.clear();
    for (const state::StateChange& c : batch.changes) {
        if (c.kind != state::EntityKind::Container)
            continue;
        const auto old = before.containers().find(c.id);
        const auto now = after.containers().find(c.id);
        const bool was = old != before.containers().end();
        const bool is = now != after.containers().end();
        const bool moved = was && is && old->second.composeProject != now->second.composeProject;
        if (was) {
            expected.touched.insert(old->second.composeProject);
        }
        if (is)
            expected.touched.insert(now->second.composeProject);
        if (was && (!is || moved)) {
            expected.removed.insert(q(c.id));
            leaving_.insert(old->second.composeProject);
            auto& children = children_[old->second.composeProject];
            children.erase(std::find(children.begin(), children.end(), q(c.id)));
        }
        if (is && (!was || moved)) {
            expected.inserted.insert(q(c.id));
            arriving_.push_back(now->second.composeProject);
        }
        if (c.op == state::ChangeOp::Updated && !moved) {
            auto columns = columnsOf(c.diff, containerColumns());
            if (ended.contains(q(c.id)))
                columns.insert(CM::StatusColumn);
            expected.childCells.merge(cellsOf(q(c.id), columns));
        }
    }
    // Inserted containers are appended to their project, in batch order.
    for (const state::StateChange& c : batch.changes) {
        if (c.kind == state::EntityKind::Container && expected.inserted.count(q(c.id)))
            children_[after.containers().at(c.id).composeProject].push_back(q(c.id));
    }
    return expected;
}

void TreeMirror::followGroups(Expected& expected, const state::EngineState& before,
                              const state::EngineState& after)
{
    // Project rows emptied by the batch go before any insertion; new ones come in the order of the batch,
    // before "(no project)".
    for (const std::string& project : leaving_) {
        if (std::none_of(children_[project].begin(), children_[project].end(),
                         [&](const QString& id) { return !expected.inserted.count(id); })) {
            expected.removed.insert(groupKey(project));
            groups_.erase(std::find(groups_.begin(), groups_.end(), project));
        }
    }
    for (const std::string& project : arriving_) {
        if (std::find(groups_.begin(), groups_.end(), project) != groups_.end())
            continue;
        expected.inserted.insert(groupKey(project));
        const bool noProjectLast = !groups_.empty() && groups_.back().empty();
        groups_.insert(project.empty() || !noProjectLast ? groups_.end() : groups_.end() - 1, project);
    }
    // A project row announces its counts as soon as they move: surely when they differ at the end (or the row
    // is new), possibly for a touched project whose counts came back.
    const auto countsBefore = projectCounts(before);
    for (const auto& [project, counts] : projectCounts(after)) {
        const auto was = countsBefore.find(project);
        if (expected.inserted.count(groupKey(project)) || was == countsBefore.end() ||
            !(was->second == counts))
            expected.groupCells.emplace(groupKey(project), CM::StatusColumn);
    }
}

void TreeMirror::checkSignals(const Expected& expected, SignalLog& log)
{
    Cells childCells;
    Cells groupCells;
    for (const auto& cell : log.cells)
        (cell.first.startsWith(QStringLiteral("group:")) ? groupCells : childCells).insert(cell);
    EXPECT_EQ(log.insertedSet(), expected.inserted);
    EXPECT_EQ(log.inserted.size(), expected.inserted.size());
    EXPECT_EQ(log.removedSet(), expected.removed);
    EXPECT_EQ(log.removed.size(), expected.removed.size());
    EXPECT_EQ(childCells, expected.childCells);
    EXPECT_TRUE(std::includes(groupCells.begin(), groupCells.end(), expected.groupCells.begin(),
                              expected.groupCells.end()));
    for (const auto& [key, column] : groupCells) {
        EXPECT_EQ(column, CM::StatusColumn);
        EXPECT_TRUE(expected.touched.count(key.mid(6).toStdString())) << key.toStdString();
    }
    EXPECT_EQ(log.resets, 0);
    EXPECT_EQ(log.layouts, 0);
    EXPECT_EQ(log.moves, 0);
}

void TreeMirror::checkContent(const ComposeTreeModel& tree, const state::EngineState& after,
                              const QSet<QString>& pending)
{
    const auto counts = projectCounts(after);
    ASSERT_EQ(tree.rowCount(), static_cast<int>(counts.size()));
    ASSERT_EQ(groups_.size(), counts.size());
    for (int g = 0; g < tree.rowCount(); ++g) {
        const std::string& project = groups_[static_cast<std::size_t>(g)];
        const QModelIndex group = tree.index(g, 0);
        EXPECT_EQ(group.data(CM::ProjectRole).toString(), q(project));
        EXPECT_EQ(
            tree.index(g, CM::StatusColumn).data().toString(),
            QStringLiteral("%1/%2 running").arg(counts.at(project).running).arg(counts.at(project).total));
        const auto& children = children_[project];
        ASSERT_EQ(tree.rowCount(group), static_cast<int>(children.size()));
        for (int r = 0; r < tree.rowCount(group); ++r) {
            const QModelIndex child = tree.index(r, CM::NameColumn, group);
            const QString id = children[static_cast<std::size_t>(r)];
            EXPECT_EQ(child.data(CM::IdRole).toString(), id);
            const state::Container& c = after.containers().at(id.toStdString());
            EXPECT_EQ(child.data().toString(), q(c.name));
            EXPECT_EQ(child.siblingAtColumn(CM::StatusColumn).data().toString(),
                      pending.contains(id) ? QStringLiteral("pending") : statusText(c, kNowMs));
        }
    }
    if (!groups_.empty()) {
        EXPECT_TRUE(std::none_of(groups_.begin(), groups_.end() - 1, [](const auto& p) { return p.empty(); }))
            << "(no project) is last";
    }
}

} // namespace dockscope::client::models::testing
