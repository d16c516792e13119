#pragma once

class QWidget;

namespace dockscope::client::models {
class ImageModel;
class NetworkModel;
class VolumeModel;
} // namespace dockscope::client::models

namespace dockscope::ui {

class ActionSender;
class TablePage;

/// The images page: remove (confirmed, optionally forced), tag, prune.
TablePage* createImagesPage(client::models::ImageModel& model, ActionSender& actions, QWidget* parent);
/// The volumes page: create, remove (confirmed), prune.
TablePage* createVolumesPage(client::models::VolumeModel& model, ActionSender& actions, QWidget* parent);
/// The networks page: create, remove (confirmed), prune.
TablePage* createNetworksPage(client::models::NetworkModel& model, ActionSender& actions, QWidget* parent);

} // namespace dockscope::ui
