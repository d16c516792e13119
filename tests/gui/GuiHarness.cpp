#include "gui/GuiHarness.h"

#include "ContainersPage.h"
#include "LiveStatus.h"
#include "MainWindow.h"

#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/engine/EngineController.h"
#include "support/TestEngine.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>

#include <gtest/gtest.h>

namespace dockscope::test {

using client::models::ContainerModel;

GuiHarness::GuiHarness(docker::Endpoint endpoint, Tuning tuning)
    : embedded_(endpoint, [tuning](server::DaemonOptions& options) {
        options.engine.unreachableAfter = tuning.unreachableAfter;
        options.engine.backoffMax = tuning.backoffMax;
    })
{}

GuiHarness::~GuiHarness()
{
    // The window and its models hold references to the replica (the embedded server's, destroyed after).
    window_.reset();
}

bool GuiHarness::start()
{
    if (!embedded_.start())
        return false;
    client::Replica& replica = *embedded_.replica;
    window_ =
        std::make_unique<ui::MainWindow>(replica, &embedded_.server->engine(),
                                         QString::fromStdString(embedded_.options.engine.endpoint.url()));
    replica.start();
    window_->show();
    const bool live = waitFor(
        [&replica] {
            const auto engine = replica.engine();
            return replica.status() == client::Replica::Status::Live && engine &&
                   engine->status == state::EngineStatus::Connected;
        },
        30s);
    EXPECT_TRUE(live) << "the window never went live: " << liveText().toStdString();
    return live;
}

ui::ContainersPage& GuiHarness::containers()
{
    auto* page = window_->findChild<ui::ContainersPage*>();
    EXPECT_NE(page, nullptr);
    return *page;
}

QAbstractItemModel& GuiHarness::containersView()
{
    return *containers().view()->model();
}

QLineEdit& GuiHarness::search()
{
    auto* edit = containers().findChild<QLineEdit*>(QStringLiteral("containerSearch"));
    EXPECT_NE(edit, nullptr);
    return *edit;
}

QComboBox& GuiHarness::stateFilter()
{
    auto* combo = containers().findChild<QComboBox*>(QStringLiteral("stateFilter"));
    EXPECT_NE(combo, nullptr);
    return *combo;
}

QAction& GuiHarness::containerAction(const char* objectName)
{
    auto* action = containers().findChild<QAction*>(QString::fromLatin1(objectName));
    EXPECT_NE(action, nullptr) << objectName;
    return *action;
}

QToolButton& GuiHarness::toolButton(QAction& action)
{
    auto* button = qobject_cast<QToolButton*>(containers().findChild<QToolBar*>()->widgetForAction(&action));
    EXPECT_NE(button, nullptr) << action.objectName().toStdString();
    return *button;
}

QString GuiHarness::liveText()
{
    if (!window_)
        return {};
    auto* label = window_->findChild<QLabel*>(QStringLiteral("liveStatusText"));
    return label ? label->text() : QString();
}

QString GuiHarness::statusMessage()
{
    auto* label = window_ ? window_->findChild<QLabel*>(QStringLiteral("statusMessage")) : nullptr;
    return label ? label->text() : QString();
}

QString GuiHarness::statusMessageWhole()
{
    auto* label = window_ ? window_->findChild<QLabel*>(QStringLiteral("statusMessage")) : nullptr;
    return label ? label->toolTip() : QString();
}

QModelIndex GuiHarness::rowOf(const QString& name)
{
    QAbstractItemModel& model = containersView();
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, ContainerModel::NameColumn);
        if (index.data().toString() == name)
            return index;
    }
    return {};
}

QString GuiHarness::cell(const QString& name, int column)
{
    const QModelIndex row = rowOf(name);
    return row.isValid() ? row.siblingAtColumn(column).data().toString() : QString();
}

QStringList GuiHarness::shownNames()
{
    QStringList names;
    QAbstractItemModel& model = containersView();
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.index(row, ContainerModel::NameColumn).data().toString();
    return names;
}

} // namespace dockscope::test
