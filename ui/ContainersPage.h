#pragma once

#include <QModelIndex>
#include <QStringList>
#include <QVariantMap>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QMenu;
class QTimer;
class QTreeView;

namespace dockscope::client {
class Replica;
}
namespace dockscope::client::models {
class ComposeTreeModel;
class ContainerFilterProxy;
class ContainerModel;
} // namespace dockscope::client::models

namespace dockscope::ui {

class ActionSender;
class ContainerDetailsView;

/// The containers: a flat table or grouped by compose project, a debounced search, a state filter, the
/// container actions (toolbar, context menu, shortcuts) on a multi-selection, and the details of the current
/// container. Actions show their pending text on the rows at once; a refusal clears it (ActionSender reports
/// Docker's message).
class ContainersPage : public QWidget {
    Q_OBJECT

public:
    ContainersPage(client::Replica& replica, client::models::ContainerModel& table,
                   client::models::ComposeTreeModel& tree, ActionSender& actions, QWidget* parent = nullptr);

    void setGrouped(bool grouped);
    bool isGrouped() const;
    /// Selects the first container (screenshots); false when there is none.
    bool selectFirst(const QString& nameContains = {});
    QTreeView* view() const { return view_; }
    /// Shows a tab of the details pane (ContainerDetailsView::Tab: 0 overview, 1 logs, 2 stats, 3 inspect).
    void showDetailsTab(int tab);

private:
    void buildToolbar();
    void buildActions();
    void updateActions();
    void showContextMenu(const QPoint& pos);
    void currentChanged(const QModelIndex& current);
    void openPorts(const QModelIndex& index);
    QMenu* portsMenu(const QModelIndex& index);

    /// The ids of the selected containers (a selected project row stands for its containers).
    QStringList selectedIds() const;
    QString nameOf(const QString& id) const;
    /// Sends `op` for every selected container with `pending` shown until Docker answers or the state moves.
    void runOnSelection(const char* op, const QString& pending, const QVariantMap& params = {});
    void run(const QString& id, const char* op, const QString& pending, const QString& what,
             const QVariantMap& params);
    void setPending(const QString& id, const QString& text);
    void clearPendingIf(const QString& id, const QString& text);

    void startSelected();
    void stopSelected();
    void restartSelected();
    void togglePauseSelected();
    void killSelected();
    void removeSelected();
    void renameCurrent();

    client::Replica& replica_;
    client::models::ContainerModel& table_;
    client::models::ComposeTreeModel& tree_;
    ActionSender& actions_;
    client::models::ContainerFilterProxy* proxy_;
    QTreeView* view_;
    ContainerDetailsView* details_;
    QLineEdit* search_;
    QComboBox* stateFilter_;
    QCheckBox* group_;
    QTimer* debounce_;
    QAction* start_ = nullptr;
    QAction* stop_ = nullptr;
    QAction* restart_ = nullptr;
    QAction* pause_ = nullptr;
    QAction* kill_ = nullptr;
    QAction* remove_ = nullptr;
    QAction* rename_ = nullptr;
    QAction* open_ = nullptr;
};

} // namespace dockscope::ui
