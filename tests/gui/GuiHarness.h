#pragma once

#include "gui/EmbeddedServer.h"

#include <QModelIndex>
#include <QString>

#include <chrono>
#include <memory>

class QAbstractItemModel;
class QAction;
class QComboBox;
class QLineEdit;
class QToolButton;

namespace dockscope::ui {
class ContainersPage;
class MainWindow;
} // namespace dockscope::ui

namespace dockscope::test {

/// The desktop app as `dockscope` runs it, inside the test process: the embedded engine and state server on
/// `endpoint`, a replica connected to it, and the real MainWindow shown (on the offscreen platform). Tests
/// drive the widgets and read what they show.
class GuiHarness {
public:
    struct Tuning {
        std::chrono::milliseconds unreachableAfter{10000};
        std::chrono::milliseconds backoffMax{8000};
    };

    explicit GuiHarness(docker::Endpoint endpoint, Tuning tuning);
    explicit GuiHarness(docker::Endpoint endpoint)
        : GuiHarness(std::move(endpoint), Tuning{})
    {}
    ~GuiHarness();

    /// Starts the server and the replica, shows the window and waits until the view is live.
    bool start();

    ui::MainWindow& window() { return *window_; }
    client::Replica& replica() { return *embedded_.replica; }
    ui::ContainersPage& containers();
    /// The model the containers view shows (the filter proxy).
    QAbstractItemModel& containersView();
    QLineEdit& search();
    QComboBox& stateFilter();
    QAction& containerAction(const char* objectName);
    QToolButton& toolButton(QAction& action);
    /// What the status bar says about the view being live.
    QString liveText();
    /// The status bar's message (an action's outcome, Docker's refusal) as shown, perhaps elided, and whole
    /// (its tooltip).
    QString statusMessage();
    QString statusMessageWhole();

    /// The containers view's row (column 0) showing `name`, invalid when none does.
    QModelIndex rowOf(const QString& name);
    /// The text the view shows in `column` of `name`'s row; empty when there is no such row.
    QString cell(const QString& name, int column);
    /// Names of all rows the view shows.
    QStringList shownNames();

private:
    EmbeddedServer embedded_;
    std::unique_ptr<ui::MainWindow> window_;
};

} // namespace dockscope::test
