// The image, volume and network pages: a TablePage each with its actions. Dialogs open with open(), never
// exec(): the event loop keeps running while they are up.
#include "ResourcePages.h"

#include "ActionSender.h"
#include "NetworkConnectDialog.h"
#include "PullDialog.h"
#include "RunDialog.h"
#include "TablePage.h"

#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/ImageModel.h"
#include "dockscope/client/models/NetworkModel.h"
#include "dockscope/client/models/Text.h"
#include "dockscope/client/models/VolumeModel.h"

#include <QCheckBox>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

#include <nlohmann/json.hpp>

#include <functional>

namespace dockscope::ui {

using protocol::ActionKind;

namespace {

/// Asks for confirmation without blocking; `accepted(checked)` runs when the user confirms (`checked` is the
/// optional check box's state).
void confirm(QWidget* parent, const QString& title, const QString& text, const QString& button,
             const QString& checkText, std::function<void(bool checked)> accepted)
{
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Cancel, parent);
    QPushButton* ok = box->addButton(button, QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    QCheckBox* check = nullptr;
    if (!checkText.isEmpty()) {
        check = new QCheckBox(checkText, box);
        box->setCheckBox(check);
    }
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, parent, [box, ok, check, accepted = std::move(accepted)] {
        if (box->clickedButton() == ok)
            accepted(check && check->isChecked());
    });
    box->open();
}

/// Asks for a line of text without blocking.
void askText(QWidget* parent, const QString& title, const QString& label, const QString& initial,
             std::function<void(const QString&)> accepted)
{
    auto* dialog = new QInputDialog(parent);
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextValue(initial);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QInputDialog::textValueSelected, parent,
                     [accepted = std::move(accepted)](const QString& text) {
                         if (!text.trimmed().isEmpty())
                             accepted(text.trimmed());
                     });
    dialog->open();
}

QString pruneReport(const protocol::Result& result, const char* listKey)
{
    if (!result.ok || !result.value.is_object())
        return {};
    const auto& list = result.value.value(listKey, nlohmann::json::array());
    const std::int64_t space = result.value.value("SpaceReclaimed", std::int64_t{0});
    return QObject::tr("%1 removed, %2 reclaimed")
        .arg(list.is_array() ? static_cast<int>(list.size()) : 0)
        .arg(client::models::sizeText(space));
}

/// Removes each selected row's entity after confirmation.
void removeSelected(TablePage* page, ActionSender& actions, ActionKind kind, const QString& noun,
                    const QString& forceText)
{
    const QStringList ids = page->selectedIds();
    const QStringList names = page->selectedNames();
    if (ids.isEmpty())
        return;
    const QString text = ids.size() == 1 ? QObject::tr("Remove the %1 %2?").arg(noun, names.first())
                                         : QObject::tr("Remove these %1 %2s?\n\n%3")
                                               .arg(ids.size())
                                               .arg(noun, names.join(QLatin1Char('\n')));
    confirm(page, QObject::tr("Remove"), text, QObject::tr("Remove"), forceText,
            [&actions, kind, ids, names](bool force) {
                for (int i = 0; i < ids.size(); ++i) {
                    nlohmann::json params = nlohmann::json::object();
                    if (force)
                        params["force"] = true;
                    actions.send(kind, ids[i], "remove", QObject::tr("remove %1").arg(names.value(i)),
                                 params);
                }
            });
}

void prune(TablePage* page, ActionSender& actions, ActionKind kind, const QString& what, const char* listKey,
           nlohmann::json params = nlohmann::json::object())
{
    confirm(page, QObject::tr("Prune"), QObject::tr("Remove %1?").arg(what), QObject::tr("Prune"), {},
            [&actions, kind, what, listKey, params](bool) {
                actions.send(kind, {}, "prune", QObject::tr("prune %1").arg(what), params,
                             [&actions, listKey](const protocol::Result& result) {
                                 if (result.ok)
                                     Q_EMIT actions.succeeded(QObject::tr("Prune: ") +
                                                              pruneReport(result, listKey));
                             });
            });
}

/// The first selected row of a page (column 0), invalid when none.
QModelIndex selectedRow(const TablePage* page)
{
    const QModelIndexList rows = page->view()->selectionModel()->selectedRows(0);
    return rows.isEmpty() ? QModelIndex() : rows.first();
}

QStringList networkNames(const client::models::NetworkModel* networks)
{
    QStringList names;
    if (!networks)
        return names;
    for (int row = 0; row < networks->rowCount(); ++row)
        names.append(networks->index(row, client::models::NetworkModel::NameColumn).data().toString());
    return names;
}

} // namespace

TablePage* createImagesPage(client::models::ImageModel& model, ActionSender& actions, QWidget* parent,
                            const client::models::NetworkModel* networks)
{
    auto* page = new TablePage(model, client::models::ImageModel::SortRole, parent);
    page->view()->setColumnWidth(client::models::ImageModel::TagsColumn, 380);
    QAction* run = page->addTool(QObject::tr("Run…"), {}, true, [page, &actions, networks] {
        const QModelIndex row = selectedRow(page);
        if (!row.isValid())
            return;
        // The image by its first tag (what `docker run` is given), else by id.
        const QStringList tags = row.data(client::models::ImageModel::TagsRole).toStringList();
        const QString image =
            tags.isEmpty() ? row.data(client::models::ImageModel::IdRole).toString() : tags.first();
        auto* dialog = new RunDialog(image, networkNames(networks), actions, page);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show(); // non-modal: the tables stay usable while it is up
    });
    run->setObjectName(QStringLiteral("run"));
    QAction* pull = page->addTool(QObject::tr("Pull…"), {}, false, [page, &actions] {
        auto* dialog = new PullDialog(actions, page);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    pull->setObjectName(QStringLiteral("pull"));
    page->addTool(QObject::tr("Remove…"), QKeySequence::Delete, true, [page, &actions] {
        removeSelected(page, actions, ActionKind::Image, QObject::tr("image"),
                       QObject::tr("Force (also untag images used by stopped containers)"));
    });
    page->addTool(QObject::tr("Tag…"), QKeySequence(Qt::Key_F2), true, [page, &actions] {
        const QStringList ids = page->selectedIds();
        if (ids.size() != 1)
            return;
        const QString id = ids.first();
        askText(page, QObject::tr("Tag image"), QObject::tr("New tag (repository[:tag]):"), QString(),
                [&actions, id](const QString& text) {
                    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
                    const bool hasTag = colon > text.lastIndexOf(QLatin1Char('/'));
                    nlohmann::json params = {{"repo", (hasTag ? text.left(colon) : text).toStdString()}};
                    if (hasTag)
                        params["tag"] = text.mid(colon + 1).toStdString();
                    actions.send(
                        ActionKind::Image, id, "tag",
                        QObject::tr("tag %1 as %2").arg(client::models::shortId(id.toStdString()), text),
                        params);
                });
    });
    page->addTool(QObject::tr("Prune dangling"), {}, false, [page, &actions] {
        prune(page, actions, ActionKind::Image, QObject::tr("dangling images"), "ImagesDeleted",
              {{"dangling", true}});
    });
    page->addTool(QObject::tr("Prune unused"), {}, false, [page, &actions] {
        prune(page, actions, ActionKind::Image, QObject::tr("every image no container uses"), "ImagesDeleted",
              {{"dangling", false}});
    });
    return page;
}

TablePage* createVolumesPage(client::models::VolumeModel& model, ActionSender& actions, QWidget* parent)
{
    auto* page = new TablePage(model, client::models::VolumeModel::SortRole, parent);
    page->view()->setColumnWidth(client::models::VolumeModel::NameColumn, 300);
    page->addTool(QObject::tr("Create…"), QKeySequence::New, false, [page, &actions] {
        askText(page, QObject::tr("Create volume"), QObject::tr("Name:"), QString(),
                [&actions](const QString& name) {
                    actions.send(ActionKind::Volume, {}, "create", QObject::tr("create volume %1").arg(name),
                                 {{"name", name.toStdString()}});
                });
    });
    page->addTool(QObject::tr("Remove…"), QKeySequence::Delete, true, [page, &actions] {
        removeSelected(page, actions, ActionKind::Volume, QObject::tr("volume"), QObject::tr("Force"));
    });
    page->addTool(QObject::tr("Prune"), {}, false, [page, &actions] {
        prune(page, actions, ActionKind::Volume, QObject::tr("unused volumes"), "VolumesDeleted");
    });
    return page;
}

TablePage* createNetworksPage(client::models::NetworkModel& model,
                              const client::models::ContainerModel& containers, ActionSender& actions,
                              QWidget* parent)
{
    auto* page = new TablePage(model, client::models::NetworkModel::SortRole, parent);
    page->view()->setColumnWidth(client::models::NetworkModel::NameColumn, 260);
    page->addTool(QObject::tr("Create…"), QKeySequence::New, false, [page, &actions] {
        askText(page, QObject::tr("Create network"), QObject::tr("Name:"), QString(),
                [&actions](const QString& name) {
                    actions.send(ActionKind::Network, {}, "create",
                                 QObject::tr("create network %1").arg(name), {{"name", name.toStdString()}});
                });
    });
    const auto connectDialog = [page, &actions, &containers](NetworkConnectDialog::Mode mode) {
        const QModelIndex row = selectedRow(page);
        if (!row.isValid())
            return;
        auto* dialog = new NetworkConnectDialog(
            mode, row.data(client::models::NetworkModel::IdRole).toString(), row.data().toString(),
            row.data(client::models::NetworkModel::ContainersRole).toStringList(), containers, actions, page);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    };
    page->addTool(QObject::tr("Connect…"), {}, true,
                  [connectDialog] { connectDialog(NetworkConnectDialog::Mode::Connect); })
        ->setObjectName(QStringLiteral("connect"));
    page->addTool(QObject::tr("Disconnect…"), {}, true,
                  [connectDialog] { connectDialog(NetworkConnectDialog::Mode::Disconnect); })
        ->setObjectName(QStringLiteral("disconnect"));
    page->addTool(QObject::tr("Remove…"), QKeySequence::Delete, true, [page, &actions] {
        removeSelected(page, actions, ActionKind::Network, QObject::tr("network"), {});
    });
    page->addTool(QObject::tr("Prune"), {}, false, [page, &actions] {
        prune(page, actions, ActionKind::Network, QObject::tr("unused networks"), "NetworksDeleted");
    });
    return page;
}

} // namespace dockscope::ui
