#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include <nlohmann/json_fwd.hpp>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTimer;
class QTreeView;

namespace dockscope::ui {
class LogsView;
class JsonFilterProxy;
class JsonTreeModel;
class StatsChart;
} // namespace dockscope::ui

namespace dockscope::client {
class Replica;
}

namespace dockscope::ui {

/// The details of one container: its fields (kept current from the replica's batches), its logs (a follow
/// stream, stderr in red), its live stats and Docker's inspect document (a searchable tree). Streams are open
/// only while their tab is visible; the inspect document is fetched (`container.inspect`) when its tab is
/// shown, on Refresh, and again when the container's state changes while the tab is visible.
class ContainerDetailsView : public QWidget {
    Q_OBJECT

public:
    /// The tabs, in order (ContainersPage::showDetailsTab, Screenshots.cpp).
    enum Tab { OverviewTab, LogsTab, StatsTab, InspectTab };

    explicit ContainerDetailsView(client::Replica& replica, QWidget* parent = nullptr);
    ~ContainerDetailsView() override;

    /// Empty: nothing selected.
    void showContainer(const QString& id);
    void showTab(int tab);

    /// The Inspect tab's parts (tests).
    QTreeView* inspectView() const { return inspectView_; }
    JsonTreeModel* inspectModel() const { return inspectModel_; }
    QLineEdit* inspectSearch() const { return inspectSearch_; }
    /// How many inspect documents arrived so far.
    int inspectFetches() const { return inspectFetches_; }

Q_SIGNALS:
    /// An inspect document arrived and is shown (or the fetch failed: `ok` false).
    void inspected(bool ok);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    QLabel* addField(const QString& title);
    void refreshOverview();
    void syncStreams();
    void closeStreams();
    void openStats();
    void showStats(const nlohmann::json& piece);
    QWidget* buildInspectTab();
    bool inspectVisible() const;
    void syncInspect();
    void fetchInspect();
    void applySearch();
    void showInspectMenu(const QPoint& pos);

    client::Replica& replica_;
    QString id_;
    QTabWidget* tabs_;
    QLabel* title_;
    QFormLayout* form_;
    QHash<QString, QLabel*> fields_;
    LogsView* logs_;
    QHash<QString, QLabel*> stats_;
    StatsChart* chart_;
    QString statsStream_;

    QWidget* inspectPage_ = nullptr;
    JsonTreeModel* inspectModel_ = nullptr;
    JsonFilterProxy* inspectProxy_ = nullptr;
    QTreeView* inspectView_ = nullptr;
    QLineEdit* inspectSearch_ = nullptr;
    QTimer* inspectDebounce_ = nullptr;
    QPushButton* inspectRefresh_ = nullptr;
    QLabel* inspectStatus_ = nullptr;
    QString inspectedId_;        ///< whose document the tree shows (empty: none yet)
    bool inspectStale_ = false;  ///< the container's state moved since the document was fetched
    int inspectedState_ = -1;    ///< state::ContainerState at the fetch
    quint64 inspectRequest_ = 0; ///< the latest fetch; older answers are dropped
    int inspectFetches_ = 0;
};

} // namespace dockscope::ui
