// The dialogs and the Inspect tab against the real private dockerd, through the whole chain the app uses: a
// ServerController embedded on the test engine (as ui/main.cpp embeds one), a client::Replica, the item
// models and the real pages and widgets. Each test asserts what Docker itself then shows.
#include "ActionSender.h"
#include "ContainerDetailsView.h"
#include "JsonTreeModel.h"
#include "NetworkConnectDialog.h"
#include "PullDialog.h"
#include "ResourcePages.h"
#include "RunDialog.h"
#include "TablePage.h"
#include "gui/EmbeddedServer.h"
#include "server/FakeRegistry.h"
#include "support/TestEngine.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/ImageModel.h"
#include "dockscope/client/models/NetworkModel.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QTableView>
#include <QTreeView>

#include <gtest/gtest.h>

#include <algorithm>

using namespace dockscope;
using namespace dockscope::test;
using client::models::ContainerModel;
using client::models::ImageModel;
using client::models::NetworkModel;
using nlohmann::json;

namespace {

constexpr const char* kImage = "dockscope-test/busybox:latest";

class DialogEngineTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        const docker::Endpoint endpoint = sharedEngine();
        docker = std::make_unique<docker::DockerClient>(docker::DockerClient::Options{endpoint});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { docker->negotiate(nullptr, cb); }).ok());

        embedded = std::make_unique<EmbeddedServer>(endpoint);
        ASSERT_TRUE(embedded->start(QStringLiteral("dialog-test")));
        replica = embedded->replica.get();
        containers = std::make_unique<ContainerModel>();
        images = std::make_unique<ImageModel>();
        networks = std::make_unique<NetworkModel>();
        containers->bind(*replica);
        images->bind(*replica);
        networks->bind(*replica);
        actions = std::make_unique<ui::ActionSender>(*replica);
        QObject::connect(actions.get(), &ui::ActionSender::failed,
                         [this](const QString& message) { failures.append(message); });
        replica->start();
        // Live, and past the engine's first sync (the test image is always there).
        ASSERT_TRUE(waitFor(
            [&] {
                if (replica->status() != client::Replica::Status::Live)
                    return false;
                const auto& all = replica->state().images();
                return std::any_of(all.begin(), all.end(), [](const auto& entry) {
                    const auto& tags = entry.second.repoTags;
                    return std::find(tags.begin(), tags.end(), kImage) != tags.end();
                });
            },
            30s));
    }

    void TearDown() override
    {
        for (const std::string& id : removeContainers)
            await<docker::Done>([&](auto cb) { docker->removeContainer(id, true, true, nullptr, cb); });
        for (const std::string& name : removeVolumes)
            await<docker::Done>([&](auto cb) { docker->removeVolume(name, true, nullptr, cb); });
        for (const std::string& id : removeNetworks)
            await<docker::Done>([&](auto cb) { docker->removeNetwork(id, nullptr, cb); });
        for (const std::string& ref : removeImages)
            await<json>([&](auto cb) { docker->removeImage(ref, true, false, nullptr, cb); });
        // The widgets and models before the replica they watch, the replica before its server.
        actions.reset();
        networks.reset();
        images.reset();
        containers.reset();
        replica = nullptr;
        embedded.reset();
    }

    /// The replica's container of this name, or null.
    const state::Container* containerNamed(const std::string& name) const
    {
        for (const auto& [id, c] : replica->state().containers())
            if (c.name == name)
                return &c;
        return nullptr;
    }

    json inspect(const std::string& id)
    {
        const auto doc = await<json>([&](auto cb) { docker->inspectContainerJson(id, nullptr, cb); });
        EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().describe());
        return doc.ok() ? *doc : json();
    }

    std::string createNetwork()
    {
        docker::NetworkSpec spec;
        spec.name = uniqueName("dlg-net");
        spec.internal = true;
        const auto id = await<std::string>([&](auto cb) { docker->createNetwork(spec, nullptr, cb); });
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().describe());
        if (!id.ok())
            return {};
        removeNetworks.push_back(*id);
        networkNames[*id] = spec.name;
        return *id;
    }

    /// A running test container attached to `network` (one on "none" could not join another network).
    std::string runOn(const std::string& network, const std::string& name)
    {
        auto config = busyboxConfig({"sleep", "300"});
        config["HostConfig"]["NetworkMode"] = network;
        const auto id =
            await<std::string>([&](auto cb) { docker->createContainer(name, config, nullptr, cb); });
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().describe());
        if (!id.ok())
            return {};
        removeContainers.push_back(*id);
        EXPECT_TRUE(await<docker::Done>([&](auto cb) { docker->startContainer(*id, nullptr, cb); }).ok());
        return *id;
    }

    /// Selects the page's row whose `role` data satisfies `match`; false when none does.
    static bool selectRow(ui::TablePage& page, const std::function<bool(const QModelIndex&)>& match)
    {
        QAbstractItemModel* model = page.view()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (match(index)) {
                page.view()->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
                return true;
            }
        }
        return false;
    }

    static QAction* tool(ui::TablePage& page, const char* name)
    {
        auto* action = page.findChild<QAction*>(QString::fromLatin1(name));
        EXPECT_NE(action, nullptr) << name;
        return action;
    }

    std::unique_ptr<docker::DockerClient> docker;
    std::unique_ptr<EmbeddedServer> embedded;
    client::Replica* replica = nullptr; ///< the embedded server's
    std::unique_ptr<ContainerModel> containers;
    std::unique_ptr<ImageModel> images;
    std::unique_ptr<NetworkModel> networks;
    std::unique_ptr<ui::ActionSender> actions;
    QStringList failures;
    std::vector<std::string> removeContainers, removeVolumes, removeNetworks, removeImages;
    std::map<std::string, std::string> networkNames;
};

TEST_F(DialogEngineTest, RunDialogStartsTheContainerAsFilledIn)
{
    const std::string network = createNetwork();
    ASSERT_FALSE(network.empty());
    const std::string networkName = networkNames[network];
    ASSERT_TRUE(waitFor([&] { return replica->state().networks().count(network) == 1; }));

    std::unique_ptr<ui::TablePage> page(ui::createImagesPage(*images, *actions, nullptr, networks.get()));
    page->show();
    ASSERT_TRUE(selectRow(*page, [](const QModelIndex& index) {
        return index.data(ImageModel::TagsRole).toStringList().contains(QString::fromLatin1(kImage));
    }));
    QAction* run = tool(*page, "run");
    ASSERT_TRUE(run && run->isEnabled());
    run->trigger();
    auto* dialog = page->findChild<ui::RunDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_FALSE(dialog->isModal()) << "the tables stay usable";

    ui::RunForm form = dialog->form();
    EXPECT_EQ(form.image.toStdString(), kImage) << "prefilled with the selected image";
    const std::string name = uniqueName("dlg-run");
    const std::string volume = uniqueName("dlg-vol");
    removeVolumes.push_back(volume);
    form.name = QString::fromStdString(name);
    form.command = QStringLiteral("sh -c 'echo \"$GREETING\" > /data/greeting; exec sleep 300'");
    form.env = QStringLiteral("GREETING=hello world\n# a comment\nMODE=test");
    form.volumes = QString::fromStdString(volume + ":/data");
    form.network = QString::fromStdString(networkName);
    form.restartPolicy = QStringLiteral("unless-stopped");
    dialog->setForm(form);
    ASSERT_TRUE(dialog->params().ok()) << dialog->params().error.toStdString();
    dialog->accept();

    // The replica shows it running, under the given name, on the chosen network.
    std::string id;
    ASSERT_TRUE(waitFor(
        [&] {
            const state::Container* c = containerNamed(name);
            if (c)
                id = c->id;
            return c && c->state == state::ContainerState::Running;
        },
        30s))
        << failures.join(QLatin1Char('\n')).toStdString();
    removeContainers.push_back(id);
    EXPECT_TRUE(failures.isEmpty()) << failures.join(QLatin1Char('\n')).toStdString();
    const state::Container* c = containerNamed(name);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->image, kImage);
    EXPECT_EQ(c->networks, std::vector<std::string>{networkName});

    // Docker has exactly what the form said.
    const json doc = inspect(id);
    EXPECT_EQ(doc.at("HostConfig").at("RestartPolicy").at("Name"), "unless-stopped");
    EXPECT_EQ(doc.at("HostConfig").at("NetworkMode"), networkName);
    EXPECT_EQ(doc.at("Config").at("Cmd"),
              (json{"sh", "-c", "echo \"$GREETING\" > /data/greeting; exec sleep 300"}));
    const auto& env = doc.at("Config").at("Env");
    EXPECT_NE(std::find(env.begin(), env.end(), "GREETING=hello world"), env.end()) << env.dump();
    EXPECT_NE(std::find(env.begin(), env.end(), "MODE=test"), env.end()) << env.dump();
    bool mounted = false;
    for (const auto& m : doc.at("Mounts"))
        mounted = mounted || (m.contains("Name") && m.at("Name") == json(volume) &&
                              m.at("Destination") == json("/data"));
    EXPECT_TRUE(mounted) << doc.at("Mounts").dump();
}

TEST_F(DialogEngineTest, ConnectAndDisconnectDialogsAttachAndDetachAContainer)
{
    const std::string home = createNetwork();
    const std::string other = createNetwork();
    ASSERT_FALSE(home.empty() || other.empty());
    const std::string name = uniqueName("dlg-net-c");
    const std::string id = runOn(networkNames[home], name);
    ASSERT_FALSE(id.empty());
    const std::string idle = uniqueName("dlg-idle");
    const std::string idleId = runOn(networkNames[home], idle);
    ASSERT_TRUE(waitFor([&] {
        return networks->rowOf(QString::fromStdString(other)) >= 0 &&
               containers->rowOf(QString::fromStdString(id)) >= 0 &&
               containers->rowOf(QString::fromStdString(idleId)) >= 0;
    }));

    std::unique_ptr<ui::TablePage> page(ui::createNetworksPage(*networks, *containers, *actions, nullptr));
    page->show();
    const auto selectNetwork = [&](const std::string& networkId) {
        return selectRow(*page, [&](const QModelIndex& index) {
            return index.data(NetworkModel::IdRole).toString().toStdString() == networkId;
        });
    };
    ASSERT_TRUE(selectNetwork(other));

    // Connect: the dialog offers the containers not on the network yet.
    tool(*page, "connect")->trigger();
    auto* dialog = page->findChild<ui::NetworkConnectDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->mode(), ui::NetworkConnectDialog::Mode::Connect);
    EXPECT_TRUE(dialog->offeredNames().contains(QString::fromStdString(name)));
    ASSERT_TRUE(dialog->selectContainer(QString::fromStdString(name)));
    EXPECT_EQ(dialog->selectedId().toStdString(), id);
    QPointer<ui::NetworkConnectDialog> closed(dialog);
    dialog->accept();
    delete closed.data(); // closed by accept(); its deferred delete needs an event loop of its own
    const auto attached = [&](const std::string& network) {
        const json doc = inspect(id);
        return doc.at("NetworkSettings").at("Networks").contains(networkNames[network]);
    };
    ASSERT_TRUE(waitFor([&] { return attached(other); }, 20s))
        << failures.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(attached(home));
    // The replica follows: the network's row lists the container.
    ASSERT_TRUE(waitFor([&] {
        const int row = networks->rowOf(QString::fromStdString(other));
        return row >= 0 && networks->index(row, 0)
                               .data(NetworkModel::ContainersRole)
                               .toStringList()
                               .contains(QString::fromStdString(id));
    }));

    // Disconnect: only the attached container is offered.
    ASSERT_TRUE(selectNetwork(other));
    tool(*page, "disconnect")->trigger();
    dialog = page->findChild<ui::NetworkConnectDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->mode(), ui::NetworkConnectDialog::Mode::Disconnect);
    EXPECT_EQ(dialog->offeredNames(), QStringList{QString::fromStdString(name)});
    EXPECT_FALSE(dialog->selectContainer(QString::fromStdString(idle))) << "not attached: not offered";
    dialog->accept();
    EXPECT_TRUE(waitFor([&] { return !attached(other); }, 20s))
        << failures.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(attached(home));
    EXPECT_TRUE(failures.isEmpty()) << failures.join(QLatin1Char('\n')).toStdString();
}

TEST_F(DialogEngineTest, InspectTabShowsTheDocumentSearchesItAndFollowsTheState)
{
    const std::string name = uniqueName("dlg-insp");
    const std::string id = createContainer(*docker, name, {"sleep", "300"}, true);
    ASSERT_FALSE(id.empty());
    removeContainers.push_back(id);
    ASSERT_TRUE(waitFor([&] { return replica->state().containers().count(id) == 1; }));

    ui::ContainerDetailsView view(*replica);
    view.resize(900, 600);
    view.show();
    view.showContainer(QString::fromStdString(id));
    EXPECT_EQ(view.inspectFetches(), 0) << "fetched on demand only";
    view.showTab(ui::ContainerDetailsView::InspectTab);
    ASSERT_TRUE(waitFor([&] { return view.inspectFetches() >= 1; }, 20s));

    ui::JsonTreeModel* model = view.inspectModel();
    const QModelIndex idRow = model->indexOfPath(QStringLiteral("Id"));
    ASSERT_TRUE(idRow.isValid());
    EXPECT_EQ(idRow.siblingAtColumn(ui::JsonTreeModel::ValueColumn).data().toString().toStdString(), id);
    const QModelIndex status = model->indexOfPath(QStringLiteral("State.Status"));
    ASSERT_TRUE(status.isValid());
    EXPECT_EQ(status.siblingAtColumn(ui::JsonTreeModel::ValueColumn).data().toString(),
              QStringLiteral("running"));

    // The search narrows the tree to the matches and their parents, opened down to the matches.
    QTreeView* tree = view.inspectView();
    const int before = tree->model()->rowCount();
    EXPECT_GT(before, 10);
    view.inspectSearch()->setText(QStringLiteral("dockscope.TEST"));
    ASSERT_TRUE(waitFor([&] { return tree->model()->rowCount() < before; }, 3s));
    const QModelIndex config = tree->model()->index(0, 0);
    EXPECT_EQ(config.data().toString(), QStringLiteral("Config"));
    EXPECT_EQ(tree->model()->rowCount(), 1) << "only Config holds the label (Config.Labels)";
    EXPECT_TRUE(tree->isExpanded(config));
    ASSERT_EQ(tree->model()->rowCount(config), 1);
    const QModelIndex labels = tree->model()->index(0, 0, config);
    EXPECT_EQ(labels.data().toString(), QStringLiteral("Labels"));
    EXPECT_TRUE(tree->isExpanded(labels)) << "opened down to the match";
    ASSERT_EQ(tree->model()->rowCount(labels), 1);
    const QModelIndex label = tree->model()->index(0, 0, labels);
    EXPECT_EQ(label.data().toString(), QStringLiteral("dockscope.test"));
    EXPECT_EQ(label.siblingAtColumn(ui::JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("1"));
    view.inspectSearch()->clear();
    ASSERT_TRUE(waitFor([&] { return tree->model()->rowCount() == before; }, 3s));

    // Stopping the container while the tab is visible fetches the document again.
    ASSERT_TRUE(await<docker::Done>([&](auto cb) { docker->stopContainer(id, 0, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor(
        [&] {
            const QModelIndex s = model->indexOfPath(QStringLiteral("State.Status"));
            return view.inspectFetches() >= 2 && s.isValid() &&
                   s.siblingAtColumn(ui::JsonTreeModel::ValueColumn).data().toString() ==
                       QStringLiteral("exited");
        },
        20s))
        << "fetches: " << view.inspectFetches();

    // Hidden on another tab: a change waits until the tab is shown again.
    view.showTab(ui::ContainerDetailsView::OverviewTab);
    const int fetches = view.inspectFetches();
    ASSERT_TRUE(await<docker::Done>([&](auto cb) { docker->startContainer(id, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor(
        [&] { return replica->state().containers().at(id).state == state::ContainerState::Running; }));
    EXPECT_EQ(view.inspectFetches(), fetches);
    view.showTab(ui::ContainerDetailsView::InspectTab);
    EXPECT_TRUE(waitFor([&] { return view.inspectFetches() == fetches + 1; }, 20s));
    EXPECT_EQ(model->indexOfPath(QStringLiteral("State.Status"))
                  .siblingAtColumn(ui::JsonTreeModel::ValueColumn)
                  .data()
                  .toString(),
              QStringLiteral("running"));
}

TEST_F(DialogEngineTest, PullDialogShowsProgressAndTheImageArrives)
{
    FakeRegistry registry(/*serveBlobs=*/true);
    const std::string repo = registry.repository("dockscope/" + uniqueName("dlg-pulled"));
    const std::string image = repo + ":v1";
    removeImages.push_back(image);

    std::unique_ptr<ui::TablePage> page(ui::createImagesPage(*images, *actions, nullptr, networks.get()));
    page->show();
    tool(*page, "pull")->trigger();
    auto* dialog = page->findChild<ui::PullDialog*>();
    ASSERT_NE(dialog, nullptr);
    bool closed = false;
    QObject::connect(dialog, &QDialog::finished, [&closed] { closed = true; });
    std::vector<int> values;
    QObject::connect(dialog->progressBar(), &QProgressBar::valueChanged,
                     [&values](int v) { values.push_back(v); });
    std::optional<std::pair<bool, QString>> finished;
    ui::PullProgress progress;
    QObject::connect(dialog, &ui::PullDialog::pullFinished, [&, dialog](bool ok, const QString& error) {
        finished.emplace(ok, error);
        progress = dialog->progress();
    });
    dialog->setImage(QString::fromStdString(image));
    dialog->accept();
    EXPECT_TRUE(dialog->isPulling());
    ASSERT_TRUE(waitFor([&] { return finished.has_value(); }, 60s));
    EXPECT_TRUE(finished->first) << finished->second.toStdString();
    EXPECT_GE(progress.layers(), 1) << "the progress pieces reached the dialog";
    EXPECT_EQ(progress.layersDone(), progress.layers());
    ASSERT_FALSE(values.empty());
    EXPECT_EQ(values.back(), 1000);
    EXPECT_TRUE(std::is_sorted(values.begin(), values.end())) << "the bar never goes back";
    EXPECT_TRUE(closed) << "closes on success";
    // The image appears in the replica (and so on the page).
    EXPECT_TRUE(waitFor([&] {
        const auto& all = replica->state().images();
        return std::any_of(all.begin(), all.end(), [&](const auto& entry) {
            const auto& tags = entry.second.repoTags;
            return std::find(tags.begin(), tags.end(), image) != tags.end();
        });
    }));
}

TEST_F(DialogEngineTest, PullDialogShowsDockersErrorOnFailure)
{
    FakeRegistry registry(/*serveBlobs=*/false);
    ui::PullDialog dialog(*actions);
    dialog.show();
    std::optional<std::pair<bool, QString>> finished;
    QObject::connect(&dialog, &ui::PullDialog::pullFinished,
                     [&finished](bool ok, const QString& error) { finished.emplace(ok, error); });
    dialog.setImage(QString::fromStdString(registry.repository("dockscope/broken")));
    dialog.accept();
    ASSERT_TRUE(waitFor([&] { return finished.has_value(); }, 60s));
    EXPECT_FALSE(finished->first);
    EXPECT_TRUE(finished->second.contains(QStringLiteral("unknown blob"))) << finished->second.toStdString();
    EXPECT_TRUE(dialog.isVisible()) << "stays open with the error";
    EXPECT_TRUE(dialog.statusText().contains(finished->second)) << dialog.statusText().toStdString();
    EXPECT_FALSE(dialog.progressBar()->isVisible());
}

} // namespace
