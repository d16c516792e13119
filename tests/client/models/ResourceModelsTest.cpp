// The image, volume and network tables, fed by real batches; their derived fields (image.containers,
// volume.usedBy, network.containers) change when containers do, in the same batch.
#include "ModelTestSupport.h"

#include "dockscope/client/models/ImageModel.h"
#include "dockscope/client/models/NetworkModel.h"
#include "dockscope/client/models/VolumeModel.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::client::models;
using namespace dockscope::client::models::testing;

namespace {

state::Container using_(const std::string& id, const std::string& name, const std::string& imageId,
                        const std::string& volumeName, const std::string& networkName)
{
    state::Container c = container(id, name);
    c.imageId = imageId;
    if (!volumeName.empty())
        c.mounts = {{"volume", volumeName, "/var/lib/docker/volumes/" + volumeName, "/data", true}};
    if (!networkName.empty())
        c.networks = {networkName};
    return c;
}

} // namespace

TEST(ImageModel, ColumnsAndDerivedContainerCount)
{
    Fed<ImageModel> fed;
    fed.source.commit([](auto& tx) {
        tx.put(image("sha256:0123456789abcdef", {"app:1", "app:latest"}, 12'345'678));
        tx.put(image("sha256:fedcba9876543210"));
    });
    fed.resetAndRecord();
    using M = ImageModel;
    EXPECT_EQ(fed.model.rowCount(), 2);
    EXPECT_EQ(fed.model.idAt(0), q("sha256:0123456789abcdef")) << "tagged images first";
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::TagsColumn).toString(), q("app:1, app:latest"));
    EXPECT_EQ(fed.at("sha256:fedcba9876543210", M::TagsColumn).toString(), q("<none>"));
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::IdColumn).toString(), q("0123456789ab"));
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::SizeColumn).toString(), q("12.3 MB"));
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::SizeColumn, M::SortRole).toLongLong(), 12'345'678);
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::CreatedColumn).toString(), q("24 hours ago"));
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::ContainersColumn).toInt(), 0);

    fed.step([](auto& tx) { tx.put(using_("c1", "web", "sha256:0123456789abcdef", "", "")); });
    EXPECT_EQ(fed.log.cells, cellsOf(q("sha256:0123456789abcdef"), {M::ContainersColumn}));
    EXPECT_EQ(fed.at("sha256:0123456789abcdef", M::ContainersColumn).toInt(), 1);
    EXPECT_TRUE(fed.log.roles.at(0).contains(M::ContainersRole));

    fed.step([](auto& tx) {
        state::Image i = image("sha256:fedcba9876543210", {"tool:2"});
        i.repoDigests = {"tool@sha256:aa"};
        tx.put(i);
    });
    EXPECT_EQ(fed.log.cells, cellsOf(q("sha256:fedcba9876543210"), {M::TagsColumn}));
    EXPECT_TRUE(fed.log.roles.at(0).contains(Qt::ToolTipRole));
    EXPECT_EQ(fed.at("sha256:fedcba9876543210", M::TagsColumn, Qt::ToolTipRole).toString(),
              q("tool@sha256:aa"));

    fed.step([](auto& tx) { tx.remove(state::EntityKind::Image, "sha256:0123456789abcdef"); });
    EXPECT_EQ(fed.log.removed, std::vector<QString>{q("sha256:0123456789abcdef")});
    EXPECT_EQ(fed.model.rowCount(), 1);
    EXPECT_EQ(fed.log.resets, 0);
}

TEST(VolumeModel, UsedByFollowsContainersAndTheirNames)
{
    Fed<VolumeModel> fed;
    fed.source.commit([](auto& tx) {
        tx.put(volume("data"));
        tx.put(volume("logs"));
    });
    fed.resetAndRecord();
    using M = VolumeModel;
    EXPECT_EQ(fed.at("data", M::NameColumn).toString(), q("data"));
    EXPECT_EQ(fed.at("data", M::DriverColumn).toString(), q("local"));
    EXPECT_EQ(fed.at("data", M::MountpointColumn).toString(), q("/var/lib/docker/volumes/data/_data"));
    EXPECT_EQ(fed.at("data", M::CreatedColumn).toString(), q("2 hours ago"));

    fed.step([](auto& tx) { tx.put(using_("c1", "web", "", "data", "")); });
    EXPECT_EQ(fed.log.cells, cellsOf(q("data"), {M::UsedByColumn}));
    EXPECT_EQ(fed.at("data", M::UsedByColumn).toInt(), 1);
    EXPECT_EQ(fed.at("data", M::UsedByColumn, Qt::ToolTipRole).toString(), q("web"))
        << "the name is known when the volume's change is announced";
    EXPECT_EQ(fed.at("data", M::UsedByColumn, M::UsedByRole).toStringList(), QStringList{q("c1")});

    fed.edit("c1", [](state::Container& c) { c.name = "frontend"; });
    EXPECT_EQ(fed.log.cells, cellsOf(q("data"), {M::UsedByColumn})) << "a rename refreshes the tooltip";
    ASSERT_EQ(fed.log.roles.size(), 1u);
    EXPECT_TRUE(fed.log.roles[0].contains(Qt::ToolTipRole));
    EXPECT_TRUE(fed.log.roles[0].contains(M::UsedByNamesRole));
    EXPECT_EQ(fed.at("data", M::UsedByColumn, M::UsedByNamesRole).toStringList(), QStringList{q("frontend")});

    fed.step([&](auto& tx) {
        state::Volume v = fed.source.state.volumes().at("logs");
        v.mountpoint = "/elsewhere";
        tx.put(v);
    });
    EXPECT_EQ(fed.log.cells, cellsOf(q("logs"), {M::MountpointColumn}));

    fed.step([](auto& tx) { tx.remove(state::EntityKind::Container, "c1"); });
    EXPECT_EQ(fed.log.cells, cellsOf(q("data"), {M::UsedByColumn}));
    EXPECT_EQ(fed.at("data", M::UsedByColumn).toInt(), 0);
    EXPECT_EQ(fed.log.resets, 0);
}

TEST(NetworkModel, ColumnsAndAttachedContainers)
{
    Fed<NetworkModel> fed;
    fed.source.commit([](auto& tx) {
        state::Network n = network("n1", "backend");
        n.internal = true;
        tx.put(n);
        tx.put(network("n2", "frontend"));
    });
    fed.resetAndRecord();
    using M = NetworkModel;
    EXPECT_EQ(fed.model.idAt(0), q("n1"));
    EXPECT_EQ(fed.at("n1", M::NameColumn).toString(), q("backend"));
    EXPECT_EQ(fed.at("n1", M::DriverColumn).toString(), q("bridge"));
    EXPECT_EQ(fed.at("n1", M::ScopeColumn).toString(), q("local"));
    EXPECT_EQ(fed.at("n1", M::SubnetsColumn).toString(), q("172.18.0.0/16"));
    EXPECT_EQ(fed.at("n1", M::InternalColumn).toString(), q("yes"));
    EXPECT_EQ(fed.at("n2", M::InternalColumn).toString(), q("no"));

    fed.step([](auto& tx) { tx.put(using_("c1", "web", "", "", "frontend")); });
    EXPECT_EQ(fed.log.cells, cellsOf(q("n2"), {M::ContainersColumn}));
    EXPECT_EQ(fed.at("n2", M::ContainersColumn).toInt(), 1);
    EXPECT_EQ(fed.at("n2", M::ContainersColumn, M::ContainersRole).toStringList(), QStringList{q("c1")});

    fed.step([&](auto& tx) {
        state::Network n = fed.source.state.networks().at("n1");
        n.subnets = {"10.0.0.0/8", "fd00::/64"};
        n.internal = false;
        tx.put(n);
    });
    EXPECT_EQ(fed.log.cells, cellsOf(q("n1"), {M::SubnetsColumn, M::InternalColumn}));
    EXPECT_EQ(fed.log.ranges.size(), 1u) << "adjacent columns share one signal";
    EXPECT_EQ(fed.at("n1", M::SubnetsColumn).toString(), q("10.0.0.0/8, fd00::/64"));

    fed.step([](auto& tx) { tx.put(network("n3", "extra")); });
    EXPECT_EQ(fed.log.inserted, std::vector<QString>{q("n3")});
    EXPECT_EQ(fed.model.rowOf(q("n3")), 2);
    EXPECT_EQ(fed.log.resets, 0);
}

TEST(EntityTables, SetNowTouchesOnlyTimeColumns)
{
    Source source;
    source.commit([](auto& tx) {
        tx.put(image("sha256:a", {"a:1"}));
        tx.put(volume("v"));
        tx.put(network("n", "net"));
    });
    ImageModel images;
    VolumeModel volumes;
    NetworkModel networks;
    images.reset(source.state);
    volumes.reset(source.state);
    networks.reset(source.state);
    QSignalSpy imageChanges(&images, &QAbstractItemModel::dataChanged);
    QSignalSpy volumeChanges(&volumes, &QAbstractItemModel::dataChanged);
    QSignalSpy networkChanges(&networks, &QAbstractItemModel::dataChanged);
    images.setNow(kNowMs);
    volumes.setNow(kNowMs);
    networks.setNow(kNowMs);
    ASSERT_EQ(imageChanges.count(), 1);
    EXPECT_EQ(imageChanges[0][0].value<QModelIndex>().column(), ImageModel::CreatedColumn);
    ASSERT_EQ(volumeChanges.count(), 1);
    EXPECT_EQ(volumeChanges[0][0].value<QModelIndex>().column(), VolumeModel::CreatedColumn);
    EXPECT_EQ(networkChanges.count(), 0) << "no time column";
}
