// The real GUI against the real private dockerd, driven as a person would: through the widgets (buttons,
// the search box, the state filter) and read from what the view shows. Docker is changed from outside through
// its API, as another tool or the docker CLI would.
#include "ContainersPage.h"
#include "gui/GuiHarness.h"
#include "support/TestEngine.h"

#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/docker/DockerClient.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <gtest/gtest.h>

#include <future>

using namespace dockscope;
using namespace dockscope::test;
using client::models::ContainerModel;
using docker::DockerClient;

namespace {

/// A busybox container that exits at once on SIGTERM (PID 1 ignores it otherwise, and `stop` would wait for
/// its 10 s kill timeout).
const std::vector<std::string> kStoppable = {"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"};

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

std::unique_ptr<DockerClient> dockerClient(const docker::Endpoint& endpoint)
{
    auto client = std::make_unique<DockerClient>(DockerClient::Options{endpoint});
    EXPECT_TRUE(await<docker::ApiVersion>([&](auto cb) { client->negotiate(nullptr, cb); }).ok());
    return client;
}

std::optional<bool> isRunning(DockerClient& docker, const std::string& id)
{
    const auto inspected =
        await<state::Container>([&](auto cb) { docker.inspectContainer(id, nullptr, cb); });
    if (!inspected.ok())
        return std::nullopt;
    return inspected->state == state::ContainerState::Running;
}

void removeContainer(DockerClient& docker, const std::string& id)
{
    (void)await<docker::Done>([&](auto cb) { docker.removeContainer(id, true, true, nullptr, cb); });
}

class GuiTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        docker = dockerClient(sharedEngine());
        gui = std::make_unique<GuiHarness>(sharedEngine());
        ASSERT_TRUE(gui->start());
    }
    void TearDown() override
    {
        gui.reset();
        for (const auto& id : made)
            removeContainer(*docker, id);
    }
    std::string make(const std::string& name, bool start)
    {
        const auto id = createContainer(*docker, name, kStoppable, start);
        made.push_back(id);
        return id;
    }

    std::unique_ptr<DockerClient> docker;
    std::unique_ptr<GuiHarness> gui;
    std::vector<std::string> made;
};

TEST_F(GuiTest, AContainerStartedThroughTheApiAppearsAsRunning)
{
    const std::string name = uniqueName("gui-run");
    const std::string id = make(name, false);
    ASSERT_TRUE(waitFor([&] { return gui->rowOf(q(name)).isValid(); }))
        << "the created container never appeared";
    EXPECT_EQ(gui->cell(q(name), ContainerModel::StateColumn), QStringLiteral("created"));

    ASSERT_TRUE(await<docker::Done>([&](auto cb) { docker->startContainer(id, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor([&] {
        return gui->cell(q(name), ContainerModel::StateColumn) == QLatin1String("running");
    })) << "shown as "
        << gui->cell(q(name), ContainerModel::StateColumn).toStdString();
    EXPECT_TRUE(gui->cell(q(name), ContainerModel::StatusColumn).startsWith(QLatin1String("Up ")))
        << gui->cell(q(name), ContainerModel::StatusColumn).toStdString();
    EXPECT_EQ(gui->cell(q(name), ContainerModel::ImageColumn),
              QStringLiteral("dockscope-test/busybox:latest"));
    const QModelIndex row = gui->rowOf(q(name));
    EXPECT_EQ(row.data(ContainerModel::IdRole).toString(), q(id));
    EXPECT_EQ(row.data(ContainerModel::StateRole).toInt(), static_cast<int>(state::ContainerState::Running));
}

TEST_F(GuiTest, ClickingStopStopsTheContainerInDockerAndTheRowFollows)
{
    const std::string name = uniqueName("gui-stop");
    const std::string id = make(name, true);
    ASSERT_TRUE(
        waitFor([&] { return gui->cell(q(name), ContainerModel::StateColumn) == QLatin1String("running"); }));

    QAction& stop = gui->containerAction("stop");
    EXPECT_FALSE(stop.isEnabled()) << "Stop is enabled with nothing selected";
    QTreeView* view = gui->containers().view();
    const QModelIndex row = gui->rowOf(q(name));
    view->setCurrentIndex(row);
    view->selectionModel()->select(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    ASSERT_TRUE(stop.isEnabled());
    EXPECT_FALSE(gui->containerAction("start").isEnabled()) << "Start is enabled on a running container";

    QTest::mouseClick(&gui->toolButton(stop), Qt::LeftButton);
    // The pending state shows at once, before Docker has answered.
    EXPECT_EQ(gui->rowOf(q(name)).data(ContainerModel::PendingRole).toString(), QStringLiteral("stopping…"));
    EXPECT_TRUE(gui->cell(q(name), ContainerModel::StatusColumn).contains(QLatin1String("stopping")))
        << gui->cell(q(name), ContainerModel::StatusColumn).toStdString();

    ASSERT_TRUE(waitFor([&] { return isRunning(*docker, id) == false; }, 20s)) << "Docker never stopped it";
    ASSERT_TRUE(waitFor([&] {
        return gui->cell(q(name), ContainerModel::StateColumn) == QLatin1String("exited");
    })) << "the row shows "
        << gui->cell(q(name), ContainerModel::StateColumn).toStdString();
    EXPECT_TRUE(
        waitFor([&] { return gui->rowOf(q(name)).data(ContainerModel::PendingRole).toString().isEmpty(); }));
    EXPECT_TRUE(gui->cell(q(name), ContainerModel::StatusColumn).startsWith(QLatin1String("Exited (0)")))
        << gui->cell(q(name), ContainerModel::StatusColumn).toStdString();
    // The selection follows the row: Start is now offered, Stop is not.
    EXPECT_TRUE(waitFor([&] { return gui->containerAction("start").isEnabled() && !stop.isEnabled(); }));
}

TEST_F(GuiTest, ARefusedActionRollsBackAndShowsDockersMessage)
{
    const std::string name = uniqueName("gui-refused");
    const auto id = await<std::string>(
        [&](auto cb) { docker->createContainer(name, busyboxConfig({"/no/such/program"}), nullptr, cb); });
    ASSERT_TRUE(id.ok());
    made.push_back(*id);
    ASSERT_TRUE(waitFor([&] { return gui->rowOf(q(name)).isValid(); }));

    QTreeView* view = gui->containers().view();
    const QModelIndex row = gui->rowOf(q(name));
    view->setCurrentIndex(row);
    view->selectionModel()->select(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QAction& start = gui->containerAction("start");
    ASSERT_TRUE(start.isEnabled());
    QTest::mouseClick(&gui->toolButton(start), Qt::LeftButton);
    EXPECT_EQ(gui->cell(q(name), ContainerModel::StatusColumn), QStringLiteral("starting…"));

    // Docker refuses (the program does not exist): the pending text goes, the row is as Docker has it, and
    // the status bar quotes Docker.
    ASSERT_TRUE(
        waitFor([&] { return gui->statusMessageWhole().contains(QLatin1String("no such file")); }, 20s))
        << gui->statusMessageWhole().toStdString();
    EXPECT_TRUE(gui->statusMessageWhole().startsWith(QStringLiteral("Could not start ") + q(name)))
        << gui->statusMessageWhole().toStdString();
    // What fits in the bar keeps the beginning and Docker's cause at the end.
    EXPECT_TRUE(gui->statusMessage().startsWith(QLatin1String("Could not start")));
    EXPECT_TRUE(gui->statusMessage().endsWith(QLatin1String("no such file or directory: unknown")))
        << gui->statusMessage().toStdString();
    EXPECT_TRUE(
        waitFor([&] { return gui->rowOf(q(name)).data(ContainerModel::PendingRole).toString().isEmpty(); }));
    EXPECT_NE(gui->cell(q(name), ContainerModel::StatusColumn), QStringLiteral("starting…"));
    EXPECT_NE(gui->cell(q(name), ContainerModel::StateColumn), QStringLiteral("running"));
}

TEST_F(GuiTest, TheSearchBoxAndTheStateFilterNarrowTheTable)
{
    const std::string prefix = uniqueName("gui-filter");
    const QString running = q(prefix + "-up");
    const QString stopped = q(prefix + "-down");
    make(running.toStdString(), true);
    make(stopped.toStdString(), false);
    const QString bystander = q(uniqueName("gui-other")); // the search must hide it
    make(bystander.toStdString(), false);
    ASSERT_TRUE(waitFor([&] {
        return gui->cell(running, ContainerModel::StateColumn) == QLatin1String("running") &&
               gui->rowOf(stopped).isValid() && gui->rowOf(bystander).isValid();
    }));
    const int everything = gui->containersView().rowCount();
    ASSERT_GE(everything, 3);

    QLineEdit& search = gui->search();
    search.setFocus();
    QTest::keyClicks(&search, q(prefix));
    // Debounced: typing alone changes nothing at once.
    EXPECT_EQ(gui->containersView().rowCount(), everything);
    ASSERT_TRUE(waitFor([&] { return gui->containersView().rowCount() == 2; }))
        << gui->shownNames().join(QLatin1Char(',')).toStdString();
    QStringList names = gui->shownNames();
    names.sort();
    EXPECT_EQ(names, (QStringList{stopped, running}));

    QComboBox& filter = gui->stateFilter();
    filter.setCurrentIndex(filter.findText(QStringLiteral("Running")));
    EXPECT_EQ(gui->shownNames(), QStringList{running});
    filter.setCurrentIndex(filter.findText(QStringLiteral("Stopped")));
    EXPECT_EQ(gui->shownNames(), QStringList{stopped});

    // A live change moves a row across the filter: starting the stopped one hides it under "Stopped".
    ASSERT_TRUE(await<docker::Done>([&](auto cb) { docker->startContainer(made[1], nullptr, cb); }).ok());
    EXPECT_TRUE(waitFor([&] { return gui->containersView().rowCount() == 0; }))
        << gui->shownNames().join(QLatin1Char(',')).toStdString();

    filter.setCurrentIndex(filter.findText(QStringLiteral("All")));
    search.clear();
    EXPECT_TRUE(waitFor([&] { return gui->containersView().rowCount() >= everything; }));
}

/// The engine dies under the window: the status bar says so (reconnecting, then unreachable), the last known
/// rows stay on screen, and when the engine is back the view is live again and follows new changes.
TEST(GuiEngineLoss, TheWindowShowsTheEngineUnreachableAndRecoversWhenItReturns)
{
    PrivateEngine engine(uniqueName("gui"));
    ASSERT_TRUE(engine.start());
    auto docker = dockerClient(engine.endpoint());
    const std::string before = uniqueName("gui-before");
    createContainer(*docker, before, kStoppable, true);

    GuiHarness gui(engine.endpoint(), {.unreachableAfter = 1500ms, .backoffMax = 500ms});
    ASSERT_TRUE(gui.start());
    ASSERT_TRUE(waitFor(
        [&] { return gui.cell(q(before), ContainerModel::StateColumn) == QLatin1String("running"); }));
    EXPECT_TRUE(gui.liveText().startsWith(QLatin1String("Live"))) << gui.liveText().toStdString();

    ASSERT_TRUE(engine.kill());
    ASSERT_TRUE(waitFor([&] { return gui.liveText().contains(QLatin1String("unreachable")); }, 20s))
        << gui.liveText().toStdString();
    // The last known state stays on screen while the engine is away.
    EXPECT_EQ(gui.cell(q(before), ContainerModel::StateColumn), QStringLiteral("running"));

    // Restart the engine off the GUI thread: the window keeps running its event loop meanwhile.
    auto restarted = std::async(std::launch::async, [&engine] { return engine.start(); });
    ASSERT_TRUE(waitFor([&] { return restarted.wait_for(0s) == std::future_status::ready; }, 180s));
    ASSERT_TRUE(restarted.get());
    ASSERT_TRUE(waitFor([&] { return gui.liveText().startsWith(QLatin1String("Live")); }, 30s))
        << gui.liveText().toStdString();
    // dockerd was killed with its containers: the row now says what Docker says.
    EXPECT_TRUE(waitFor([&] {
        return gui.cell(q(before), ContainerModel::StateColumn) == QLatin1String("exited");
    })) << gui.cell(q(before), ContainerModel::StateColumn).toStdString();

    docker = dockerClient(engine.endpoint());
    const std::string after = uniqueName("gui-after");
    createContainer(*docker, after, kStoppable, true);
    EXPECT_TRUE(waitFor([&] {
        return gui.cell(q(after), ContainerModel::StateColumn) == QLatin1String("running");
    })) << "a container started after the engine came back never appeared";
}

} // namespace
