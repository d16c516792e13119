#pragma once

// What the models must show and emit, written out again from the wire fields rather than taken from the
// models: the columns each field feeds, the cells a batch changes, the row order after it, the projects'
// counts.

#include "ModelTestSupport.h"

#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/ImageModel.h"
#include "dockscope/client/models/NetworkModel.h"
#include "dockscope/client/models/VolumeModel.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace dockscope::client::models::testing {

using CM = ContainerModel;

// The columns each wire field shows in, written out again here rather than taken from the models.
inline const std::map<std::string, std::set<int>>& containerColumns()
{
    static const std::map<std::string, std::set<int>> columns{
        {"name", {CM::NameColumn}},
        {"image", {CM::ImageColumn}},
        {"state", {CM::StateColumn, CM::StatusColumn}},
        {"health", {CM::HealthColumn, CM::StatusColumn}},
        {"exitCode", {CM::StatusColumn}},
        {"startedAt", {CM::StatusColumn}},
        {"finishedAt", {CM::StatusColumn}},
        {"ports", {CM::PortsColumn}},
        {"createdAt", {CM::CreatedColumn}},
        {"composeProject", {CM::ProjectColumn}},
        {"composeService", {CM::ProjectColumn}},
    };
    return columns;
}

inline const std::map<std::string, std::set<int>>& imageColumns()
{
    static const std::map<std::string, std::set<int>> columns{
        {"repoTags", {ImageModel::TagsColumn}},
        {"repoDigests", {ImageModel::TagsColumn}},
        {"size", {ImageModel::SizeColumn}},
        {"createdAt", {ImageModel::CreatedColumn}},
        {"containers", {ImageModel::ContainersColumn}},
    };
    return columns;
}

inline const std::map<std::string, std::set<int>>& volumeColumns()
{
    static const std::map<std::string, std::set<int>> columns{
        {"driver", {VolumeModel::DriverColumn}},         {"scope", {VolumeModel::DriverColumn}},
        {"usedBy", {VolumeModel::UsedByColumn}},         {"createdAt", {VolumeModel::CreatedColumn}},
        {"mountpoint", {VolumeModel::MountpointColumn}},
    };
    return columns;
}

inline const std::map<std::string, std::set<int>>& networkColumns()
{
    static const std::map<std::string, std::set<int>> columns{
        {"name", {NetworkModel::NameColumn}},       {"driver", {NetworkModel::DriverColumn}},
        {"scope", {NetworkModel::ScopeColumn}},     {"containers", {NetworkModel::ContainersColumn}},
        {"subnets", {NetworkModel::SubnetsColumn}}, {"internal", {NetworkModel::InternalColumn}},
    };
    return columns;
}

inline std::set<int> columnsOf(const nlohmann::json& diff, const std::map<std::string, std::set<int>>& table)
{
    std::set<int> columns;
    for (const auto& item : diff.items()) {
        if (const auto it = table.find(item.key()); it != table.end())
            columns.insert(it->second.begin(), it->second.end());
    }
    return columns;
}

using Cells = std::set<std::pair<QString, int>>;

/// What a table must have emitted for a batch: the cells of the updated rows of its kind.
inline Cells expectedCells(const state::Batch& batch, state::EntityKind kind,
                           const std::map<std::string, std::set<int>>& table)
{
    Cells cells;
    for (const state::StateChange& c : batch.changes) {
        if (c.kind == kind && c.op == state::ChangeOp::Updated)
            cells.merge(cellsOf(q(c.id), columnsOf(c.diff, table)));
    }
    return cells;
}

/// A table's row order after a batch: the earlier order without the removed ids, the created ones appended.
inline std::vector<QString> nextOrder(std::vector<QString> order, const state::Batch& batch,
                                      state::EntityKind kind)
{
    for (const std::string& id : idsOf(batch, kind, state::ChangeOp::Removed))
        order.erase(std::find(order.begin(), order.end(), q(id)));
    for (const std::string& id : idsOf(batch, kind, state::ChangeOp::Created))
        order.push_back(q(id));
    return order;
}

template <typename Model>
std::vector<QString> orderOf(const Model& model)
{
    std::vector<QString> ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids.push_back(model.idAt(r));
    return ids;
}

template <typename Model>
struct Table {
    Model model;
    std::unique_ptr<QAbstractItemModelTester> check = tester(model);
    SignalLog log;
    std::unique_ptr<QObject> recorder = record(model, log);
    std::vector<QString> order;

    /// The signals and order after a batch, for a table of `kind`; `extra`: cells changed on top of the
    /// diffs.
    void verify(const state::Batch& batch, state::EntityKind kind,
                const std::map<std::string, std::set<int>>& table, const Cells& extra = {})
    {
        const auto created = idsOf(batch, kind, state::ChangeOp::Created);
        const auto removed = idsOf(batch, kind, state::ChangeOp::Removed);
        std::set<QString> createdIds;
        for (const auto& id : created)
            createdIds.insert(q(id));
        std::set<QString> removedIds;
        for (const auto& id : removed)
            removedIds.insert(q(id));
        EXPECT_EQ(log.inserted.size(), created.size());
        EXPECT_EQ(log.insertedSet(), createdIds);
        EXPECT_EQ(log.removed.size(), removed.size());
        EXPECT_EQ(log.removedSet(), removedIds);
        Cells cells = expectedCells(batch, kind, table);
        cells.insert(extra.begin(), extra.end());
        EXPECT_EQ(log.cells, cells);
        EXPECT_EQ(log.resets, 0);
        EXPECT_EQ(log.layouts, 0);
        EXPECT_EQ(log.moves, 0);
        order = nextOrder(order, batch, kind);
        EXPECT_EQ(orderOf(model), order);
        log.clear();
    }
};

inline QString groupKey(const std::string& project)
{
    return QStringLiteral("group:") + q(project);
}

struct Counts {
    int running = 0;
    int total = 0;
    bool operator==(const Counts&) const = default;
};

inline std::map<std::string, Counts> projectCounts(const state::EngineState& s)
{
    std::map<std::string, Counts> counts;
    for (const auto& [id, c] : s.containers()) {
        counts[c.composeProject].total += 1;
        counts[c.composeProject].running += c.state == state::ContainerState::Running ? 1 : 0;
    }
    return counts;
}

} // namespace dockscope::client::models::testing
