#include "ModelTestSupport.h"

#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/client/models/ContainerFilterProxy.h"
#include "dockscope/client/models/ContainerModel.h"

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;
using M = ContainerModel;
using F = ContainerFilterProxy;

namespace {

class ContainerFilterProxyTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        source.commit([](auto& tx) {
            state::Container web = container("abc123", "web", "shop");
            web.image = "nginx:1.25";
            tx.put(web);
            tx.put(container("def456", "db", "shop", state::ContainerState::Exited));
            tx.put(container("aaa789", "cache", "", state::ContainerState::Paused));
            tx.put(container("fff000", "Worker", "", state::ContainerState::Created));
        });
        model.reset(source.state);
        proxy.setSourceModel(&model);
    }

    std::set<QString> shown() const
    {
        std::set<QString> ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids.insert(proxy.index(r, 0).data(M::IdRole).toString());
        return ids;
    }

    Source source;
    M model;
    F proxy;
    std::unique_ptr<QAbstractItemModelTester> checkModel = tester(model);
    std::unique_ptr<QAbstractItemModelTester> checkProxy = tester(proxy);
};

} // namespace

TEST_F(ContainerFilterProxyTest, SearchesNameImageIdPrefixAndProject)
{
    EXPECT_EQ(shown().size(), 4u);
    proxy.setSearchText(q("WEB"));
    EXPECT_EQ(shown(), std::set<QString>{q("abc123")}) << "case-insensitive name";
    proxy.setSearchText(q("nginx"));
    EXPECT_EQ(shown(), std::set<QString>{q("abc123")}) << "image";
    proxy.setSearchText(q("def4"));
    EXPECT_EQ(shown(), std::set<QString>{q("def456")}) << "id prefix";
    proxy.setSearchText(q("456"));
    EXPECT_TRUE(shown().empty()) << "the id matches by prefix only";
    proxy.setSearchText(q("shop"));
    EXPECT_EQ(shown(), (std::set<QString>{q("abc123"), q("def456")})) << "project";
    proxy.setSearchText(QString());
    EXPECT_EQ(shown().size(), 4u);
}

TEST_F(ContainerFilterProxyTest, StateFilter)
{
    proxy.setStateFilter(F::StateFilter::Running);
    EXPECT_EQ(shown(), (std::set<QString>{q("abc123"), q("aaa789")})) << "running and paused";
    proxy.setStateFilter(F::StateFilter::Stopped);
    EXPECT_EQ(shown(), (std::set<QString>{q("def456"), q("fff000")})) << "exited and created";
    proxy.setSearchText(q("db"));
    EXPECT_EQ(shown(), std::set<QString>{q("def456")}) << "both filters hold";
}

TEST_F(ContainerFilterProxyTest, FollowsStateChangesOfTheSource)
{
    proxy.setStateFilter(F::StateFilter::Running);
    state::Container web = source.state.containers().at("abc123");
    web.state = state::ContainerState::Exited;
    model.apply(source.commit([&](auto& tx) { tx.put(web); }), source.state);
    EXPECT_EQ(shown(), std::set<QString>{q("aaa789")}) << "the dataChanged over State/Status refilters";
    model.apply(source.commit([](auto& tx) { tx.put(container("new1", "new")); }), source.state);
    EXPECT_EQ(shown(), (std::set<QString>{q("aaa789"), q("new1")}));
}

TEST_F(ContainerFilterProxyTest, SortsBySortRole)
{
    proxy.sort(M::NameColumn);
    QStringList names;
    for (int r = 0; r < proxy.rowCount(); ++r)
        names << proxy.index(r, M::NameColumn).data().toString();
    EXPECT_EQ(names, (QStringList{q("cache"), q("db"), q("web"), q("Worker")})) << "lower-case keys";

    proxy.sort(M::CreatedColumn, Qt::DescendingOrder);
    state::Container newest = container("zzz", "newest");
    newest.createdAt = agoNs(1);
    model.apply(source.commit([&](auto& tx) { tx.put(newest); }), source.state);
    EXPECT_EQ(proxy.index(0, 0).data(M::IdRole).toString(), q("zzz")) << "inserted rows are sorted in";
}

TEST_F(ContainerFilterProxyTest, FiltersTheComposeTreeKeepingGroupsOfMatches)
{
    ComposeTreeModel tree;
    tree.reset(source.state);
    F treeProxy;
    treeProxy.setSourceModel(&tree);
    auto checkTree = tester(tree);
    auto checkTreeProxy = tester(treeProxy);
    treeProxy.setStateFilter(F::StateFilter::Stopped);
    ASSERT_EQ(treeProxy.rowCount(), 2) << "both groups have a stopped container";
    const QModelIndex shop = treeProxy.index(0, 0);
    EXPECT_EQ(shop.data().toString(), q("shop"));
    ASSERT_EQ(treeProxy.rowCount(shop), 1);
    EXPECT_EQ(treeProxy.index(0, 0, shop).data(M::IdRole).toString(), q("def456"));

    treeProxy.setStateFilter(F::StateFilter::All);
    treeProxy.setSearchText(q("cache"));
    ASSERT_EQ(treeProxy.rowCount(), 1);
    EXPECT_EQ(treeProxy.index(0, 0).data().toString(), ComposeTreeModel::noProjectTitle());

    state::Container db = source.state.containers().at("def456");
    db.name = "cache-db";
    tree.apply(source.commit([&](auto& tx) { tx.put(db); }), source.state);
    EXPECT_EQ(treeProxy.rowCount(), 2) << "a rename that matches brings its group in";
}
