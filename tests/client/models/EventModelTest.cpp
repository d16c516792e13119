#include "ModelTestSupport.h"

#include "dockscope/client/models/EventFilterProxy.h"
#include "dockscope/client/models/EventModel.h"

#include <QDateTime>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;
using E = EventModel;

namespace {

state::DockerEvent event(const std::string& type, const std::string& action, const std::string& name,
                         int n = 0)
{
    state::DockerEvent e;
    e.type = type;
    e.action = action;
    e.actorId = std::string(64, 'a');
    e.attributes = {{"name", name}, {"image", "busybox"}};
    e.scope = "local";
    e.timeNano = (kNowMs + n) * 1'000'000;
    return e;
}

class EventModelTest : public ::testing::Test {
protected:
    QString cell(int row, int column) const { return model.index(row, column).data().toString(); }

    E model;
    std::unique_ptr<QAbstractItemModelTester> check = tester(model);
    QSignalSpy inserted{&model, &QAbstractItemModel::rowsInserted};
    QSignalSpy removed{&model, &QAbstractItemModel::rowsRemoved};
    QSignalSpy resets{&model, &QAbstractItemModel::modelReset};
};

} // namespace

TEST_F(EventModelTest, ColumnsOfAnEvent)
{
    state::DockerEvent e = event("container", "health_status", "web");
    e.actionDetail = "healthy";
    model.append(e);
    state::DockerEvent die = event("container", "die", "db", 1);
    die.attributes["exitCode"] = "137";
    model.append(die);
    state::DockerEvent pruned = event("image", "prune", "", 2);
    pruned.attributes.clear();
    pruned.actorId = "sha256:" + std::string(64, 'b');
    model.append(pruned);

    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(cell(0, E::TimeColumn), QDateTime::fromMSecsSinceEpoch(kNowMs).toString(q("HH:mm:ss")));
    EXPECT_EQ(cell(0, E::TypeColumn), q("container"));
    EXPECT_EQ(cell(0, E::ActionColumn), q("health_status"));
    EXPECT_EQ(cell(0, E::ActorColumn), q("web"));
    EXPECT_EQ(cell(0, E::DetailsColumn), q("healthy, image=busybox"));
    EXPECT_EQ(cell(1, E::DetailsColumn), q("exitCode=137, image=busybox"));
    EXPECT_EQ(cell(2, E::ActorColumn), q("bbbbbbbbbbbb")) << "a long id is shortened";
    EXPECT_EQ(model.index(1, E::DetailsColumn).data(Qt::ToolTipRole).toString(),
              q("exitCode=137\nimage=busybox\nname=db"));
    EXPECT_EQ(model.index(1, 0).data(E::TimeRole).toLongLong(), kNowMs + 1);
    EXPECT_EQ(model.index(1, 0).data(E::AttributesRole).toMap().value(q("exitCode")).toString(), q("137"));
    EXPECT_EQ(model.eventAt(1), die);
}

TEST_F(EventModelTest, AppendsAtTheEndAndDropsTheOldestPastTheCapacity)
{
    model.setCapacity(3);
    for (int i = 0; i < 5; ++i)
        model.append(event("container", "start", "c" + std::to_string(i), i));
    ASSERT_EQ(inserted.count(), 5);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(inserted[i][1].toInt(), std::min(i, 2));
        EXPECT_EQ(inserted[i][2].toInt(), std::min(i, 2));
    }
    ASSERT_EQ(removed.count(), 2);
    EXPECT_EQ(removed[0][1].toInt(), 0);
    EXPECT_EQ(removed[0][2].toInt(), 0);
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_EQ(cell(0, E::ActorColumn), q("c2"));
    EXPECT_EQ(cell(2, E::ActorColumn), q("c4"));

    model.setCapacity(1);
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(cell(0, E::ActorColumn), q("c4"));
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(E::kDefaultCapacity, E().capacity());
}

TEST_F(EventModelTest, PausedEventsWaitAndComeInOnResume)
{
    model.setCapacity(4);
    model.append(event("container", "start", "a"));
    model.append(event("container", "start", "b"));
    QSignalSpy buffered(&model, &E::bufferedCountChanged);
    model.setPaused(true);
    for (int i = 0; i < 3; ++i)
        model.append(event("network", "connect", "n" + std::to_string(i), i));
    EXPECT_EQ(model.rowCount(), 2) << "nothing shown while paused";
    EXPECT_EQ(model.bufferedCount(), 3);
    EXPECT_EQ(buffered.count(), 3);
    inserted.clear();
    model.setPaused(false);
    ASSERT_EQ(inserted.count(), 1) << "one insertion on resume";
    ASSERT_EQ(removed.count(), 1);
    EXPECT_EQ(removed[0][1].toInt(), 0);
    EXPECT_EQ(removed[0][2].toInt(), 0) << "one old row makes room";
    EXPECT_EQ(inserted[0][1].toInt(), 1);
    EXPECT_EQ(inserted[0][2].toInt(), 3);
    EXPECT_EQ(model.rowCount(), 4);
    EXPECT_EQ(cell(0, E::ActorColumn), q("b"));
    EXPECT_EQ(cell(3, E::ActorColumn), q("n2"));
    EXPECT_EQ(model.bufferedCount(), 0);
    EXPECT_EQ(buffered.last()[0].toInt(), 0);

    model.setPaused(true);
    for (int i = 0; i < 6; ++i)
        model.append(event("volume", "create", "v" + std::to_string(i), i));
    EXPECT_EQ(model.bufferedCount(), 4) << "the buffer is bounded by the capacity too";
    model.setPaused(false);
    EXPECT_EQ(cell(0, E::ActorColumn), q("v2"));
    EXPECT_EQ(resets.count(), 0);
}

TEST_F(EventModelTest, FilterProxyByTypeAndText)
{
    model.append(event("container", "start", "web"));
    model.append(event("network", "connect", "backend", 1));
    state::DockerEvent e = event("container", "die", "db", 2);
    e.attributes["exitCode"] = "137";
    model.append(e);
    EventFilterProxy proxy;
    proxy.setSourceModel(&model);
    auto checkProxy = tester(proxy);
    EXPECT_EQ(proxy.rowCount(), 3);
    proxy.setTypes({q("container")});
    EXPECT_EQ(proxy.rowCount(), 2);
    proxy.setSearchText(q("DIE"));
    ASSERT_EQ(proxy.rowCount(), 1);
    EXPECT_EQ(proxy.index(0, E::ActorColumn).data().toString(), q("db"));
    proxy.setSearchText(q("137"));
    EXPECT_EQ(proxy.rowCount(), 1) << "details";
    proxy.setTypes({});
    proxy.setSearchText(q("backend"));
    EXPECT_EQ(proxy.rowCount(), 1) << "actor";
    proxy.setSearchText(q("aaaa"));
    EXPECT_EQ(proxy.rowCount(), 3) << "actor id prefix";
    proxy.setSearchText(QString());
    model.append(event("network", "disconnect", "backend", 3));
    EXPECT_EQ(proxy.rowCount(), 4) << "follows appends";
}
