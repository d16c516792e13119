// Random sequences of real batches (EngineState::commit) through every model and proxy at once, each under a
// QAbstractItemModelTester in Fatal mode. After each batch: rows inserted and removed exactly as the batch
// says, in a stable order; dataChanged only for changed rows and only over the changed columns; no reset;
// the content equal to the state.
#include "ModelExpectations.h"
#include "ModelTestSupport.h"
#include "RandomOperations.h"
#include "TreeMirror.h"

#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/client/models/ContainerFilterProxy.h"
#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/ImageModel.h"
#include "dockscope/client/models/NetworkModel.h"
#include "dockscope/client/models/Text.h"
#include "dockscope/client/models/VolumeModel.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;

namespace {

constexpr int kOperations = 500;
constexpr int kSeeds = 3;

std::uint64_t seedFor(int run)
{
    const char* text = std::getenv("DOCKSCOPE_TEST_SEED");
    return (text ? std::strtoull(text, nullptr, 10) : 7000) + static_cast<std::uint64_t>(run);
}

class ModelProperty : public ::testing::Test {
protected:
    void SetUp() override
    {
        containers.model.setNow(kNowMs);
        tree.setNow(kNowMs);
        filtered.setSourceModel(&containers.model);
        filtered.setStateFilter(ContainerFilterProxy::StateFilter::Running);
        filtered.setSearchText(q("1"));
        sorted.setSourceModel(&containers.model);
        sorted.sort(CM::NameColumn);
        treeFiltered.setSourceModel(&tree);
        treeFiltered.setStateFilter(ContainerFilterProxy::StateFilter::Stopped);
    }

    /// The pending texts this batch ends (state, startedAt or finishedAt in the diff, or a removal).
    QSet<QString> endedPending(const state::Batch& batch) const;
    void verifyContainers(const state::Batch& batch, const state::EngineState& after,
                          const QSet<QString>& ended);
    void verifyVolumes(const state::Batch& batch, const state::EngineState& before,
                       const state::EngineState& after);
    void verifyProxies(const state::EngineState& after);

    Table<ContainerModel> containers;
    Table<ImageModel> images;
    Table<VolumeModel> volumes;
    Table<NetworkModel> networks;
    ComposeTreeModel tree;
    std::unique_ptr<QAbstractItemModelTester> treeCheck = tester(tree);
    SignalLog treeLog;
    std::unique_ptr<QObject> treeRecorder = record(tree, treeLog);
    TreeMirror treeMirror;
    ContainerFilterProxy filtered;
    ContainerFilterProxy sorted;
    ContainerFilterProxy treeFiltered;
    std::unique_ptr<QAbstractItemModelTester> filteredCheck = tester(filtered);
    std::unique_ptr<QAbstractItemModelTester> sortedCheck = tester(sorted);
    std::unique_ptr<QAbstractItemModelTester> treeFilteredCheck = tester(treeFiltered);
    QSet<QString> pending;
};

QSet<QString> ModelProperty::endedPending(const state::Batch& batch) const
{
    QSet<QString> ended;
    for (const state::StateChange& c : batch.changes) {
        if (c.kind != state::EntityKind::Container || !pending.contains(q(c.id)))
            continue;
        if (c.op == state::ChangeOp::Removed || c.diff.contains("state") || c.diff.contains("startedAt") ||
            c.diff.contains("finishedAt"))
            ended.insert(q(c.id));
    }
    return ended;
}

void ModelProperty::verifyContainers(const state::Batch& batch, const state::EngineState& after,
                                     const QSet<QString>& ended)
{
    // An ended pending text changes the Status cell (of a row that stays).
    Cells extra;
    for (const QString& id : ended) {
        if (after.containers().count(id.toStdString()))
            extra.emplace(id, CM::StatusColumn);
    }
    containers.verify(batch, state::EntityKind::Container, containerColumns(), extra);
    const ContainerModel& m = containers.model;
    ASSERT_EQ(m.rowCount(), static_cast<int>(after.containers().size()));
    for (int r = 0; r < m.rowCount(); ++r) {
        const QString id = m.idAt(r);
        ASSERT_EQ(m.rowOf(id), r);
        const state::Container& c = after.containers().at(id.toStdString());
        EXPECT_EQ(m.entityAt(r), c);
        const auto text = [&](int column) { return m.index(r, column).data().toString(); };
        EXPECT_EQ(text(CM::NameColumn), q(c.name));
        EXPECT_EQ(text(CM::ImageColumn), q(c.image));
        EXPECT_EQ(text(CM::StateColumn), QString::fromUtf8(state::toString(c.state)));
        EXPECT_EQ(text(CM::HealthColumn), healthText(c.health));
        EXPECT_EQ(text(CM::StatusColumn),
                  pending.contains(id) ? QStringLiteral("pending") : statusText(c, kNowMs));
        EXPECT_EQ(text(CM::PortsColumn), portsText(c.ports));
        EXPECT_EQ(text(CM::CreatedColumn), relativeTimeText(c.createdAt, kNowMs));
        EXPECT_EQ(text(CM::ProjectColumn), q(c.composeProject));
    }
}

void ModelProperty::verifyVolumes(const state::Batch& batch, const state::EngineState& before,
                                  const state::EngineState& after)
{
    // A renamed container refreshes the Used-by cell of the volumes that list it (and exist before and
    // after).
    Cells extra;
    for (const state::StateChange& c : batch.changes) {
        if (c.kind != state::EntityKind::Container || c.op != state::ChangeOp::Updated ||
            !c.diff.contains("name"))
            continue;
        for (const auto& [name, v] : before.volumes()) {
            if (after.volumes().count(name) && std::count(v.usedBy.begin(), v.usedBy.end(), c.id))
                extra.emplace(q(name), VolumeModel::UsedByColumn);
        }
    }
    volumes.verify(batch, state::EntityKind::Volume, volumeColumns(), extra);
    const VolumeModel& m = volumes.model;
    ASSERT_EQ(m.rowCount(), static_cast<int>(after.volumes().size()));
    for (int r = 0; r < m.rowCount(); ++r) {
        const state::Volume& v = after.volumes().at(m.idAt(r).toStdString());
        EXPECT_EQ(m.entityAt(r), v);
        QStringList names;
        for (const std::string& id : v.usedBy)
            names << q(after.containers().count(id) ? after.containers().at(id).name : id);
        EXPECT_EQ(m.index(r, VolumeModel::UsedByColumn).data(VolumeModel::UsedByNamesRole).toStringList(),
                  names);
    }
}

void ModelProperty::verifyProxies(const state::EngineState& after)
{
    std::set<QString> expected;
    for (const auto& [id, c] : after.containers()) {
        const bool up = c.state == state::ContainerState::Running ||
                        c.state == state::ContainerState::Paused ||
                        c.state == state::ContainerState::Restarting;
        const bool match = q(c.name).contains(QLatin1Char('1')) || q(c.image).contains(QLatin1Char('1')) ||
                           q(c.composeProject).contains(QLatin1Char('1')) ||
                           q(id).startsWith(QLatin1Char('1'));
        if (up && match)
            expected.insert(q(id));
    }
    std::set<QString> shown;
    for (int r = 0; r < filtered.rowCount(); ++r)
        shown.insert(filtered.index(r, 0).data(CM::IdRole).toString());
    EXPECT_EQ(shown, expected);
    ASSERT_EQ(sorted.rowCount(), static_cast<int>(after.containers().size()));
    for (int r = 1; r < sorted.rowCount(); ++r)
        EXPECT_LE(sorted.index(r - 1, 0).data(CM::SortRole).toString(),
                  sorted.index(r, 0).data(CM::SortRole).toString());
}

} // namespace

TEST_F(ModelProperty, RandomBatchesKeepEveryModelEqualToTheState)
{
    // Filled below; Table::verify compares the logs per batch.
    for (int run = 0; run < kSeeds && !HasFailure(); ++run) {
        const std::uint64_t seed = seedFor(run);
        SCOPED_TRACE("seed=" + std::to_string(seed) + " (set DOCKSCOPE_TEST_SEED to replay)");
        Source source;
        RandomOperations random(seed);
        containers.model.reset(source.state);
        images.model.reset(source.state);
        volumes.model.reset(source.state);
        networks.model.reset(source.state);
        tree.reset(source.state);
        for (auto* log : {&containers.log, &images.log, &volumes.log, &networks.log, &treeLog})
            log->clear();
        containers.order.clear();
        images.order.clear();
        volumes.order.clear();
        networks.order.clear();
        treeMirror.clear();
        pending.clear();

        int operations = 0;
        int moves = 0;
        for (int step = 0; operations < kOperations && !HasFailure(); ++step) {
            SCOPED_TRACE("step " + std::to_string(step));
            const state::EngineState before = source.state;
            const int count = random.uniform(1, 4);
            const state::Batch batch = source.commit([&](auto& tx) {
                for (int i = 0; i < count; ++i)
                    random.add(tx, source.state);
            });
            operations += count;
            for (const auto& c : batch.changes)
                moves += c.kind == state::EntityKind::Container && c.diff.contains("composeProject") ? 1 : 0;

            containers.model.apply(batch, source.state);
            images.model.apply(batch, source.state);
            volumes.model.apply(batch, source.state);
            networks.model.apply(batch, source.state);
            tree.apply(batch, source.state);

            const QSet<QString> ended = endedPending(batch);
            pending.subtract(ended);
            verifyContainers(batch, source.state, ended);
            images.verify(batch, state::EntityKind::Image, imageColumns());
            verifyVolumes(batch, before, source.state);
            networks.verify(batch, state::EntityKind::Network, networkColumns());
            treeMirror.verify(tree, treeLog, batch, before, source.state, ended, pending);
            verifyProxies(source.state);

            // Now and then an action starts on a random container.
            const int rows = containers.model.rowCount();
            const QString id = rows > 0 ? containers.model.idAt(random.uniform(0, rows - 1)) : QString();
            if (!id.isEmpty() && !pending.contains(id) && random.chance(0.2)) {
                containers.model.setPending(id, QStringLiteral("pending"));
                tree.setPending(id, QStringLiteral("pending"));
                EXPECT_EQ(containers.log.cells, cellsOf(id, {CM::StatusColumn}));
                EXPECT_EQ(treeLog.cells, cellsOf(id, {CM::StatusColumn}));
                containers.log.clear();
                treeLog.clear();
                pending.insert(id);
            }
        }
        EXPECT_GT(moves, 5) << "the generator moved too few containers between projects";
    }
}
