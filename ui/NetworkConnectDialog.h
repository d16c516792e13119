#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace dockscope::client::models {
class ContainerModel;
}

namespace dockscope::ui {

class ActionSender;

/// The networks page's "Connect…" and "Disconnect…": picks a container (from the ContainerModel; to connect,
/// those not attached yet; to disconnect, only those attached to the network) and sends `network.connect` or
/// `network.disconnect`.
class NetworkConnectDialog : public QDialog {
    Q_OBJECT

public:
    enum class Mode { Connect, Disconnect };

    /// `attached`: the ids of the containers attached to the network now (NetworkModel::ContainersRole).
    NetworkConnectDialog(Mode mode, const QString& networkId, const QString& networkName,
                         const QStringList& attached, const client::models::ContainerModel& containers,
                         ActionSender& actions, QWidget* parent = nullptr);

    Mode mode() const { return mode_; }
    /// The containers offered, by name (in the combo's order).
    QStringList offeredNames() const;
    /// Selects the offered container with this name or id; false when it is not offered.
    bool selectContainer(const QString& nameOrId);
    /// The id of the selected container, empty when none.
    QString selectedId() const;

    void accept() override;

private:
    Mode mode_;
    QString networkId_;
    QString networkName_;
    ActionSender& actions_;
    QComboBox* container_;
    QCheckBox* force_ = nullptr;
    QLabel* note_;
    QDialogButtonBox* buttons_;
};

} // namespace dockscope::ui
