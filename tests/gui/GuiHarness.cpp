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
    : endpoint_(std::move(endpoint))
    , tuning_(tuning)
{}

GuiHarness::~GuiHarness()
{
    // The window and its models hold references to the replica; the replica is a client of the server.
    window_.reset();
    replica_.reset();
    server_.reset();
}

bool GuiHarness::start()
{
    server::DaemonOptions options;
    options.engine.endpoint = endpoint_;
    options.engine.livenessIdle = 0ms;
    options.engine.unreachableAfter = tuning_.unreachableAfter;
    options.engine.backoffMax = tuning_.backoffMax;
    options.server.dockerEndpoint = endpoint_;
    options.discoveryFile = QStringLiteral("-");
    server_ = std::make_unique<server::ServerController>(options);
    QString error;
    if (!server_->start(&error)) {
        ADD_FAILURE() << "embedded server: " << error.toStdString();
        return false;
    }
    client::Replica::Options replicaOptions;
    replicaOptions.url = server_->url();
    replicaOptions.token = server_->token();
    replicaOptions.clientName = QStringLiteral("dockscope gui test");
    replica_ = std::make_unique<client::Replica>(replicaOptions);
    window_ = std::make_unique<ui::MainWindow>(*replica_, &server_->engine(),
                                               QString::fromStdString(endpoint_.url()));
    replica_->start();
    window_->show();
    const bool live = waitFor(
        [this] {
            const auto engine = replica_->engine();
            return replica_->status() == client::Replica::Status::Live && engine &&
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
