// The container actions of ContainersPage: pending text on the rows, dialogs that never block the event
// loop (open(), not exec()), and the Docker answer.
#include "ActionSender.h"
#include "ContainersPage.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/client/models/ContainerModel.h"

#include <QCheckBox>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace dockscope::ui {

using client::models::ContainerModel;

namespace {

nlohmann::json toJson(const QVariantMap& params)
{
    if (params.isEmpty())
        return nlohmann::json::object();
    return nlohmann::json::parse(QJsonDocument(QJsonObject::fromVariantMap(params)).toJson().toStdString());
}

/// How long a pending text may stay after Docker accepted the action without the state moving (starting a
/// running container changes nothing).
constexpr int kPendingGraceMs = 4000;

} // namespace

void ContainersPage::setPending(const QString& id, const QString& text)
{
    table_.setPending(id, text);
    tree_.setPending(id, text);
}

void ContainersPage::clearPendingIf(const QString& id, const QString& text)
{
    const int row = table_.rowOf(id);
    if (row >= 0 && table_.index(row, 0).data(ContainerModel::PendingRole).toString() == text) {
        table_.clearPending(id);
        tree_.clearPending(id);
    }
}

void ContainersPage::run(const QString& id, const char* op, const QString& pending, const QString& what,
                         const QVariantMap& params)
{
    setPending(id, pending);
    QPointer<ContainersPage> self(this);
    actions_.send(protocol::ActionKind::Container, id, op, what, toJson(params),
                  [self, id, pending](const protocol::Result& result) {
                      if (!self)
                          return;
                      if (!result.ok) {
                          self->clearPendingIf(id, pending);
                          return;
                      }
                      QTimer::singleShot(kPendingGraceMs, self, [self, id, pending] {
                          if (self)
                              self->clearPendingIf(id, pending);
                      });
                  });
}

void ContainersPage::runOnSelection(const char* op, const QString& pending, const QVariantMap& params)
{
    const QStringList ids = selectedIds();
    for (const QString& id : ids)
        run(id, op, pending, QStringLiteral("%1 %2").arg(QString::fromLatin1(op), nameOf(id)), params);
}

void ContainersPage::startSelected()
{
    runOnSelection("start", tr("starting…"));
}

void ContainersPage::stopSelected()
{
    runOnSelection("stop", tr("stopping…"));
}

void ContainersPage::restartSelected()
{
    runOnSelection("restart", tr("restarting…"));
}

void ContainersPage::killSelected()
{
    runOnSelection("kill", tr("killing…"));
}

void ContainersPage::togglePauseSelected()
{
    const auto& containers = replica_.state().containers();
    const QStringList ids = selectedIds();
    for (const QString& id : ids) {
        const auto found = containers.find(id.toStdString());
        if (found == containers.end())
            continue;
        if (found->second.state == state::ContainerState::Paused)
            run(id, "unpause", tr("unpausing…"), tr("unpause %1").arg(nameOf(id)), {});
        else if (found->second.state == state::ContainerState::Running)
            run(id, "pause", tr("pausing…"), tr("pause %1").arg(nameOf(id)), {});
    }
}

void ContainersPage::removeSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    QStringList names;
    for (const QString& id : ids)
        names.append(nameOf(id));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Remove containers"),
                                ids.size() == 1 ? tr("Remove the container %1?").arg(names.first())
                                                : tr("Remove these %1 containers?").arg(ids.size()),
                                QMessageBox::Cancel, this);
    if (ids.size() > 1)
        box->setDetailedText(names.join(QLatin1Char('\n')));
    QPushButton* removeButton = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    auto* force = new QCheckBox(tr("Force (stop running containers first)"), box);
    box->setCheckBox(force);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, removeButton, force, ids] {
        if (box->clickedButton() != removeButton)
            return;
        QVariantMap params;
        if (force->isChecked())
            params.insert(QStringLiteral("force"), true);
        for (const QString& id : ids)
            run(id, "remove", tr("removing…"), tr("remove %1").arg(nameOf(id)), params);
    });
    box->open();
}

void ContainersPage::renameCurrent()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return;
    const QString id = ids.first();
    auto* dialog = new QInputDialog(this);
    dialog->setWindowTitle(tr("Rename container"));
    dialog->setLabelText(tr("New name for %1:").arg(nameOf(id)));
    dialog->setTextValue(nameOf(id));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString& name) {
        const QString trimmed = name.trimmed();
        if (trimmed.isEmpty() || trimmed == nameOf(id))
            return;
        run(id, "rename", tr("renaming…"), tr("rename %1 to %2").arg(nameOf(id), trimmed),
            {{QStringLiteral("name"), trimmed}});
    });
    dialog->open();
}

} // namespace dockscope::ui
