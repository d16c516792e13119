#include "NetworkConnectDialog.h"

#include "ActionSender.h"

#include "dockscope/client/models/ContainerModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace dockscope::ui {

using client::models::ContainerModel;

NetworkConnectDialog::NetworkConnectDialog(Mode mode, const QString& networkId, const QString& networkName,
                                           const QStringList& attached, const ContainerModel& containers,
                                           ActionSender& actions, QWidget* parent)
    : QDialog(parent)
    , mode_(mode)
    , networkId_(networkId)
    , networkName_(networkName)
    , actions_(actions)
    , container_(new QComboBox(this))
    , note_(new QLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    const bool connecting = mode_ == Mode::Connect;
    setWindowTitle(connecting ? tr("Connect to %1").arg(networkName_)
                              : tr("Disconnect from %1").arg(networkName_));
    container_->setObjectName(QStringLiteral("container"));
    note_->setObjectName(QStringLiteral("note"));
    note_->setWordWrap(true);

    std::vector<std::pair<QString, QString>> offered; // name, id
    for (int row = 0; row < containers.rowCount(); ++row) {
        const QModelIndex index = containers.index(row, ContainerModel::NameColumn);
        const QString id = index.data(ContainerModel::IdRole).toString();
        if (attached.contains(id) == connecting)
            continue;
        offered.emplace_back(index.data(ContainerModel::NameRole).toString(), id);
    }
    std::sort(offered.begin(), offered.end(), [](const auto& a, const auto& b) {
        return QString::compare(a.first, b.first, Qt::CaseInsensitive) < 0;
    });
    for (const auto& [name, id] : offered)
        container_->addItem(name, id);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Container:"), container_);
    if (!connecting) {
        force_ = new QCheckBox(tr("Force (also when the container is not running)"), this);
        force_->setObjectName(QStringLiteral("force"));
        form->addRow(QString(), force_);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note_);
    layout->addWidget(buttons_);
    setMinimumWidth(420);

    if (offered.empty()) {
        note_->setText(connecting ? tr("Every container is attached to %1 already.").arg(networkName_)
                                  : tr("No container is attached to %1.").arg(networkName_));
        container_->setEnabled(false);
    } else {
        note_->hide();
    }
    buttons_->button(QDialogButtonBox::Ok)->setText(connecting ? tr("Connect") : tr("Disconnect"));
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(!offered.empty());
    connect(buttons_, &QDialogButtonBox::accepted, this, &NetworkConnectDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &NetworkConnectDialog::reject);
}

QStringList NetworkConnectDialog::offeredNames() const
{
    QStringList names;
    for (int i = 0; i < container_->count(); ++i)
        names.append(container_->itemText(i));
    return names;
}

bool NetworkConnectDialog::selectContainer(const QString& nameOrId)
{
    int index = container_->findData(nameOrId);
    if (index < 0)
        index = container_->findText(nameOrId);
    if (index < 0)
        return false;
    container_->setCurrentIndex(index);
    return true;
}

QString NetworkConnectDialog::selectedId() const
{
    return container_->currentData().toString();
}

void NetworkConnectDialog::accept()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const QString name = container_->currentText();
    nlohmann::json params = {{"container", id.toStdString()}};
    if (mode_ == Mode::Connect) {
        actions_.send(protocol::ActionKind::Network, networkId_, "connect",
                      tr("connect %1 to %2").arg(name, networkName_), params);
    } else {
        if (force_ && force_->isChecked())
            params["force"] = true;
        actions_.send(protocol::ActionKind::Network, networkId_, "disconnect",
                      tr("disconnect %1 from %2").arg(name, networkName_), params);
    }
    QDialog::accept();
}

} // namespace dockscope::ui
