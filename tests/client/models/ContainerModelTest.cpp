#include "ModelTestSupport.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/Text.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;
using M = ContainerModel;

namespace {

class ContainerModelTest : public ::testing::Test, protected Fed<M> {
protected:
    void SetUp() override
    {
        model.setClock([this] { return clock; });
        commitShop(source);
        resetAndRecord();
    }

    QString display(const QString& id, int column) const
    {
        return model.index(model.rowOf(id), column).data().toString();
    }

    std::vector<QString> order() const
    {
        std::vector<QString> ids;
        for (int r = 0; r < model.rowCount(); ++r)
            ids.push_back(model.idAt(r));
        return ids;
    }

    qint64 clock = 42;
};

} // namespace

TEST_F(ContainerModelTest, ResetFillsRowsSortedByName)
{
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.columnCount(), M::ColumnCount);
    EXPECT_EQ(order(), (std::vector<QString>{q("c3"), q("c2"), q("c1")})); // cache, db, web
    EXPECT_EQ(model.headerData(M::StatusColumn, Qt::Horizontal).toString(), q("Status"));
    EXPECT_EQ(display(q("c1"), M::NameColumn), q("web"));
    EXPECT_EQ(display(q("c1"), M::ImageColumn), q("busybox:latest"));
    EXPECT_EQ(display(q("c1"), M::StateColumn), q("running"));
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("Up 5 minutes"));
    EXPECT_EQ(display(q("c1"), M::CreatedColumn), q("About an hour ago"));
    EXPECT_EQ(display(q("c1"), M::ProjectColumn), q("shop"));
    EXPECT_EQ(display(q("c3"), M::ProjectColumn), QString());
    const QModelIndex c1 = model.index(model.rowOf(q("c1")), M::NameColumn);
    EXPECT_EQ(c1.data(M::IdRole).toString(), q("c1"));
    EXPECT_EQ(c1.data(M::StateRole).toInt(), int(state::ContainerState::Running));
    EXPECT_EQ(c1.data(M::StartedAtRole).toLongLong(), kNowMs - 300'000);
    EXPECT_EQ(c1.data(M::ServiceRole).toString(), q("web"));
    EXPECT_EQ(c1.data(M::ChangedAtRole).toLongLong(), 0) << "a reset is not a change";
    EXPECT_EQ(c1.data(M::SortRole).toString(), q("web"));
    EXPECT_EQ(model.index(0, M::CreatedColumn).data(M::SortRole).toLongLong(), agoNs(3'600'000));

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.reset(source.state);
    EXPECT_EQ(resets.count(), 1);
}

TEST_F(ContainerModelTest, CreatedRowsAreAppendedInOneInsertion)
{
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const auto batch = step([](auto& tx) {
        tx.put(container("c5", "aaa"));
        tx.put(container("c4", "zzz"));
    });
    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(inserted[0][1].toInt(), 3);
    EXPECT_EQ(inserted[0][2].toInt(), 4);
    EXPECT_EQ(log.insertedSet(), (std::set<QString>{q("c4"), q("c5")}));
    EXPECT_TRUE(log.cells.empty()) << "no dataChanged for created rows";
    EXPECT_EQ(log.resets, 0);
    EXPECT_EQ(order().size(), 5u);
    EXPECT_EQ(order()[0], q("c3")) << "existing rows keep their place";
    EXPECT_EQ(model.index(model.rowOf(q("c4")), 0).data(M::ChangedAtRole).toLongLong(), 42);
}

TEST_F(ContainerModelTest, RemovalKeepsTheOthersOrder)
{
    step([](auto& tx) { tx.put(container("c4", "zzz")); });
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    step([](auto& tx) {
        tx.remove(state::EntityKind::Container, "c2");
        tx.remove(state::EntityKind::Container, "c1");
    });
    // c3 c2 c1 c4: rows 1 and 2 go in one run.
    ASSERT_EQ(removed.count(), 1);
    EXPECT_EQ(removed[0][1].toInt(), 1);
    EXPECT_EQ(removed[0][2].toInt(), 2);
    EXPECT_EQ(order(), (std::vector<QString>{q("c3"), q("c4")}));
    EXPECT_EQ(model.rowOf(q("c4")), 1);
    EXPECT_EQ(model.rowOf(q("c1")), -1);
    EXPECT_EQ(log.removedSet(), (std::set<QString>{q("c1"), q("c2")}));
    EXPECT_TRUE(log.cells.empty());
}

TEST_F(ContainerModelTest, SingleFieldUpdatesChangeOnlyTheirColumns)
{
    struct Case {
        const char* what;
        std::function<void(state::Container&)> change;
        std::set<int> columns;
        int role;
    };
    const std::vector<Case> cases{
        {"name", [](auto& c) { c.name = "web2"; }, {M::NameColumn}, M::NameRole},
        {"image", [](auto& c) { c.image = "nginx"; }, {M::ImageColumn}, M::ImageRole},
        {"state",
         [](auto& c) { c.state = state::ContainerState::Paused; },
         {M::StateColumn, M::StatusColumn},
         M::StateRole},
        {"health",
         [](auto& c) { c.health = state::Health::Healthy; },
         {M::HealthColumn, M::StatusColumn},
         M::HealthRole},
        {"exitCode", [](auto& c) { c.exitCode = 3; }, {M::StatusColumn}, M::ExitCodeRole},
        {"startedAt", [](auto& c) { c.startedAt = agoNs(1000); }, {M::StatusColumn}, M::StartedAtRole},
        {"finishedAt", [](auto& c) { c.finishedAt = agoNs(10); }, {M::StatusColumn}, M::FinishedAtRole},
        {"ports",
         [](auto& c) {
             c.ports = {{"0.0.0.0", 80, 8080, "tcp"}};
         },
         {M::PortsColumn},
         M::PortsRole},
        {"createdAt", [](auto& c) { c.createdAt = agoNs(5); }, {M::CreatedColumn}, M::CreatedAtRole},
        {"project", [](auto& c) { c.composeProject = "blog"; }, {M::ProjectColumn}, M::ProjectRole},
        {"service", [](auto& c) { c.composeService = "api"; }, {M::ProjectColumn}, M::ServiceRole},
    };
    for (const Case& test : cases) {
        SCOPED_TRACE(test.what);
        clock += 1000;
        edit("c1", test.change);
        EXPECT_EQ(log.cells, cellsOf(q("c1"), test.columns));
        ASSERT_FALSE(log.roles.empty());
        for (const QList<int>& roles : log.roles) {
            EXPECT_TRUE(roles.contains(test.role));
            EXPECT_TRUE(roles.contains(M::SortRole));
            EXPECT_TRUE(roles.contains(M::ChangedAtRole));
        }
        EXPECT_TRUE(log.inserted.empty());
        EXPECT_TRUE(log.removed.empty());
        EXPECT_EQ(log.resets, 0);
        EXPECT_EQ(model.index(model.rowOf(q("c1")), 0).data(M::ChangedAtRole).toLongLong(), clock);
    }
    EXPECT_EQ(display(q("c1"), M::PortsColumn), q("0.0.0.0:8080->80/tcp"));
    const QVariantList ports = model.index(model.rowOf(q("c1")), 0).data(M::PortsRole).toList();
    ASSERT_EQ(ports.size(), 1);
    EXPECT_EQ(ports[0].toMap().value(q("publicPort")).toInt(), 8080);
    EXPECT_EQ(ports[0].toMap().value(q("type")).toString(), q("tcp"));
}

TEST_F(ContainerModelTest, TwoColumnsApartGiveTwoSignals)
{
    edit("c1", [](auto& c) {
        c.name = "renamed";
        c.composeProject = "blog";
    });
    EXPECT_EQ(log.cells, cellsOf(q("c1"), {M::NameColumn, M::ProjectColumn}));
    EXPECT_EQ(log.ranges.size(), 2u) << "not one range over the unchanged columns between";
}

TEST_F(ContainerModelTest, InvisibleFieldsChangeNothing)
{
    edit("c1", [](auto& c) {
        c.labels = {{"a", "b"}};
        c.command = "sleep 1";
        c.restartCount = 4;
    });
    EXPECT_TRUE(log.cells.empty());
    EXPECT_EQ(model.index(model.rowOf(q("c1")), 0).data(M::ChangedAtRole).toLongLong(), 0);
    EXPECT_EQ(model.entityAt(model.rowOf(q("c1"))).restartCount, 4) << "the value is current all the same";
}

TEST_F(ContainerModelTest, AdjacentRowsWithTheSameCellsShareASignal)
{
    step([&](auto& tx) {
        for (const char* id : {"c1", "c2", "c3"}) {
            state::Container c = source.state.containers().at(id);
            c.image = "alpine";
            tx.put(c);
        }
    });
    ASSERT_EQ(log.ranges.size(), 1u);
    EXPECT_EQ(log.ranges[0].first.row(), 0);
    EXPECT_EQ(log.ranges[0].second.row(), 2);
    EXPECT_EQ(log.ranges[0].first.column(), M::ImageColumn);
    EXPECT_EQ(log.ranges[0].second.column(), M::ImageColumn);
}

TEST_F(ContainerModelTest, PendingShowsInStatusUntilTheStateChanges)
{
    ASSERT_TRUE(model.setPending(q("c1"), q("stopping…")));
    EXPECT_EQ(log.cells, cellsOf(q("c1"), {M::StatusColumn}));
    ASSERT_EQ(log.roles.size(), 1u);
    EXPECT_TRUE(log.roles[0].contains(M::PendingRole));
    EXPECT_TRUE(log.roles[0].contains(Qt::DisplayRole));
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("stopping…"));
    EXPECT_EQ(model.index(model.rowOf(q("c1")), M::NameColumn).data(M::PendingRole).toString(),
              q("stopping…"));
    EXPECT_FALSE(model.setPending(q("nope"), q("x")));

    edit("c1", [](auto& c) { c.name = "still-web"; });
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("stopping…")) << "only a state change ends it";

    edit("c1", [](auto& c) {
        c.state = state::ContainerState::Exited;
        c.finishedAt = agoNs(2000);
    });
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("Exited (0) 2 seconds ago"));
    EXPECT_TRUE(model.index(model.rowOf(q("c1")), 0).data(M::PendingRole).toString().isEmpty());
    EXPECT_TRUE(log.roles.back().contains(M::PendingRole));

    model.setPending(q("c2"), q("starting…"));
    log.clear();
    model.clearPending(q("c2"));
    EXPECT_EQ(log.cells, cellsOf(q("c2"), {M::StatusColumn}));
    EXPECT_EQ(display(q("c2"), M::StatusColumn), q("Exited (0)"));
}

TEST_F(ContainerModelTest, PendingEndsOnARestartThatOnlyMovesStartedAt)
{
    model.setPending(q("c1"), q("restarting…"));
    edit("c1", [](auto& c) { c.startedAt = agoNs(1000); });
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("Up 1 second"));
}

TEST_F(ContainerModelTest, PendingSurvivesAResyncOfItsContainer)
{
    model.setPending(q("c1"), q("stopping…"));
    model.reset(source.state);
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("stopping…"));
}

TEST_F(ContainerModelTest, SetNowRefreshesOnlyTheTimeColumns)
{
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setNow(kNowMs + 3'600'000);
    ASSERT_EQ(changed.count(), 2);
    for (const auto& args : changed) {
        const auto topLeft = args[0].value<QModelIndex>();
        const auto bottomRight = args[1].value<QModelIndex>();
        EXPECT_EQ(topLeft.row(), 0);
        EXPECT_EQ(bottomRight.row(), 2);
        EXPECT_EQ(topLeft.column(), bottomRight.column());
        EXPECT_TRUE(topLeft.column() == M::StatusColumn || topLeft.column() == M::CreatedColumn);
    }
    EXPECT_EQ(display(q("c1"), M::StatusColumn), q("Up About an hour"));
    EXPECT_EQ(display(q("c1"), M::CreatedColumn), q("2 hours ago"));
}

TEST_F(ContainerModelTest, SortRoleGivesRawValues)
{
    edit("c1", [](auto& c) { c.name = "Web"; });
    const int row = model.rowOf(q("c1"));
    EXPECT_EQ(model.index(row, M::NameColumn).data(M::SortRole).toString(), q("web"));
    EXPECT_EQ(model.index(row, M::StateColumn).data(M::SortRole).toInt(),
              int(state::ContainerState::Running));
    const qint64 running = model.index(row, M::StatusColumn).data(M::SortRole).toLongLong();
    const qint64 exited = model.index(model.rowOf(q("c2")), M::StatusColumn).data(M::SortRole).toLongLong();
    EXPECT_LT(running, exited) << "running containers sort before stopped ones";
}

TEST_F(ContainerModelTest, ModelHasNoResetOutsideReset)
{
    for (int i = 0; i < 5; ++i) {
        step([i](auto& tx) { tx.put(container("n" + std::to_string(i), "x")); });
        edit("c1", [i](auto& c) { c.exitCode = i + 1; });
    }
    step([](auto& tx) { tx.remove(state::EntityKind::Container, "n2"); });
    EXPECT_EQ(log.resets, 0);
}

TEST(ContainerModelBind, FollowsTheReplicasReset)
{
    client::Replica replica(client::Replica::Options{});
    M model;
    auto check = tester(model);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.bind(replica);
    EXPECT_EQ(resets.count(), 1) << "bind() takes the replica's current state";
    Q_EMIT replica.reset();
    EXPECT_EQ(resets.count(), 2);
    Q_EMIT replica.applied(state::Batch{});
    EXPECT_EQ(resets.count(), 2);
    EXPECT_EQ(model.rowCount(), 0);
}
