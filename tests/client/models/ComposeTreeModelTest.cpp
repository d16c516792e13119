#include "ModelTestSupport.h"

#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/client/models/ContainerModel.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;
using M = ContainerModel;
using T = ComposeTreeModel;

namespace {

class ComposeTreeTest : public ::testing::Test, protected Fed<T> {
protected:
    void SetUp() override
    {
        commitShop(source);
        resetAndRecord();
    }

    QStringList groups() const
    {
        QStringList titles;
        for (int r = 0; r < model.rowCount(); ++r)
            titles << model.index(r, M::NameColumn).data().toString();
        return titles;
    }

    QString groupStatus(const QString& project) const
    {
        return model.groupIndex(project, M::StatusColumn).data().toString();
    }
};

} // namespace

TEST_F(ComposeTreeTest, GroupsByProjectWithNoProjectLast)
{
    EXPECT_EQ(groups(), (QStringList{q("shop"), T::noProjectTitle()}));
    EXPECT_EQ(groupStatus(q("shop")), q("1/2 running"));
    EXPECT_EQ(groupStatus(QString()), q("1/1 running"));
    const QModelIndex shop = model.groupIndex(q("shop"));
    EXPECT_TRUE(shop.data(T::IsGroupRole).toBool());
    EXPECT_EQ(shop.data(T::ContainerCountRole).toInt(), 2);
    EXPECT_EQ(model.rowCount(shop), 2);
    EXPECT_EQ(model.index(0, M::NameColumn, shop).data().toString(), q("db"));
    EXPECT_EQ(model.index(1, M::StatusColumn, shop).data().toString(), q("Up 5 minutes"));
    EXPECT_FALSE(model.index(1, 0, shop).data(T::IsGroupRole).toBool());
    const QModelIndex web = model.indexOf(q("c1"));
    EXPECT_EQ(web.parent(), shop);
    EXPECT_EQ(web.data(M::IdRole).toString(), q("c1"));
}

TEST_F(ComposeTreeTest, ContainerOfANewProjectInsertsTheGroupFirst)
{
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    step([](auto& tx) { tx.put(container("c4", "api", "blog")); });
    ASSERT_EQ(inserted.count(), 2);
    EXPECT_FALSE(inserted[0][0].value<QModelIndex>().isValid()) << "the group row first";
    EXPECT_EQ(inserted[0][1].toInt(), 1) << "before (no project)";
    EXPECT_EQ(inserted[1][0].value<QModelIndex>(), model.groupIndex(q("blog")));
    EXPECT_EQ(inserted[1][1].toInt(), 0);
    EXPECT_EQ(groups(), (QStringList{q("shop"), q("blog"), T::noProjectTitle()}));
    EXPECT_EQ(groupStatus(q("blog")), q("1/1 running"));
    EXPECT_EQ(log.inserted, (std::vector<QString>{q("group:blog"), q("c4")}));
    EXPECT_EQ(log.cells, cellsOf(q("group:blog"), {M::StatusColumn})) << "its count moved from 0/0";
}

TEST_F(ComposeTreeTest, RemovingTheLastContainerRemovesTheGroup)
{
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    step([](auto& tx) { tx.remove(state::EntityKind::Container, "c3"); });
    ASSERT_EQ(removed.count(), 2);
    EXPECT_EQ(log.removed, (std::vector<QString>{q("c3"), q("group:")}));
    EXPECT_EQ(groups(), QStringList{q("shop")});
    EXPECT_TRUE(log.cells.empty());

    step([](auto& tx) { tx.remove(state::EntityKind::Container, "c2"); });
    EXPECT_EQ(log.removed, std::vector<QString>{q("c2")});
    EXPECT_EQ(log.cells, cellsOf(q("group:shop"), {M::StatusColumn}));
    EXPECT_EQ(groupStatus(q("shop")), q("1/1 running"));
}

TEST_F(ComposeTreeTest, ProjectChangeMovesTheContainer)
{
    edit("c1", [](auto& c) { c.composeProject = "blog"; });
    EXPECT_EQ(log.removed, std::vector<QString>{q("c1")});
    EXPECT_EQ(log.inserted, (std::vector<QString>{q("group:blog"), q("c1")}));
    EXPECT_EQ(model.indexOf(q("c1")).parent(), model.groupIndex(q("blog")));
    EXPECT_EQ(groupStatus(q("shop")), q("0/1 running"));
    const auto expected = [] {
        auto cells = cellsOf(q("group:shop"), {M::StatusColumn});
        cells.merge(cellsOf(q("group:blog"), {M::StatusColumn}));
        return cells;
    }();
    EXPECT_EQ(log.cells, expected);

    edit("c3", [](auto& c) { c.composeProject = "shop"; });
    EXPECT_EQ(log.removed, (std::vector<QString>{q("c3"), q("group:")}));
    EXPECT_EQ(log.inserted, std::vector<QString>{q("c3")});
    EXPECT_EQ(groups(), (QStringList{q("shop"), q("blog")}));
    EXPECT_EQ(groupStatus(q("shop")), q("1/2 running"));
    EXPECT_EQ(log.resets, 0);
}

TEST_F(ComposeTreeTest, StateChangeUpdatesTheRowAndTheGroupCount)
{
    edit("c2", [](auto& c) { c.state = state::ContainerState::Running; });
    auto expected = cellsOf(q("c2"), {M::StateColumn, M::StatusColumn});
    expected.merge(cellsOf(q("group:shop"), {M::StatusColumn}));
    EXPECT_EQ(log.cells, expected);
    EXPECT_EQ(groupStatus(q("shop")), q("2/2 running"));

    edit("c2", [](auto& c) { c.name = "database"; });
    EXPECT_EQ(log.cells, cellsOf(q("c2"), {M::NameColumn})) << "the count did not move";
}

TEST_F(ComposeTreeTest, PendingAndNow)
{
    ASSERT_TRUE(model.setPending(q("c1"), q("stopping…")));
    EXPECT_EQ(log.cells, cellsOf(q("c1"), {M::StatusColumn}));
    EXPECT_EQ(model.indexOf(q("c1"), M::StatusColumn).data().toString(), q("stopping…"));
    edit("c1", [](auto& c) { c.state = state::ContainerState::Exited; });
    EXPECT_EQ(model.indexOf(q("c1"), M::StatusColumn).data().toString(), q("Exited (0)"));

    log.clear();
    model.setNow(kNowMs + 1000);
    std::set<std::pair<QString, int>> expected;
    for (const char* id : {"c1", "c2", "c3"})
        expected.merge(cellsOf(q(id), {M::StatusColumn, M::CreatedColumn}));
    EXPECT_EQ(log.cells, expected);
}

TEST_F(ComposeTreeTest, ResetOnlyOnReset)
{
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    step([](auto& tx) { tx.put(container("c9", "x", "ci")); });
    edit("c9", [](auto& c) { c.composeProject = ""; });
    step([](auto& tx) { tx.remove(state::EntityKind::Container, "c9"); });
    EXPECT_EQ(resets.count(), 0);
    model.reset(source.state);
    EXPECT_EQ(resets.count(), 1);
}
