#pragma once

class QWidget;

namespace dockscope::client::models {
class ContainerModel;
class ImageModel;
class NetworkModel;
class VolumeModel;
} // namespace dockscope::client::models

namespace dockscope::ui {

class ActionSender;
class TablePage;

/// The images page: run a container of the selected image (RunDialog; its network choice lists `networks`
/// when given), pull (PullDialog), remove (confirmed, optionally forced), tag, prune.
TablePage* createImagesPage(client::models::ImageModel& model, ActionSender& actions, QWidget* parent,
                            const client::models::NetworkModel* networks = nullptr);
/// The volumes page: create, remove (confirmed), prune.
TablePage* createVolumesPage(client::models::VolumeModel& model, ActionSender& actions, QWidget* parent);
/// The networks page: create, connect or disconnect a container (NetworkConnectDialog, offering the
/// containers of `containers`), remove (confirmed), prune.
TablePage* createNetworksPage(client::models::NetworkModel& model,
                              const client::models::ContainerModel& containers, ActionSender& actions,
                              QWidget* parent);

} // namespace dockscope::ui
