#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include <nlohmann/json_fwd.hpp>

class QFormLayout;
class QLabel;
class QTabWidget;

namespace dockscope::ui {
class LogsView;
class StatsChart;
} // namespace dockscope::ui

namespace dockscope::client {
class Replica;
}

namespace dockscope::ui {

/// The details of one container: its fields (kept current from the replica's batches), its logs (a follow
/// stream, stderr in red) and its live stats. Streams are open only while their tab is visible.
class ContainerDetailsView : public QWidget {
    Q_OBJECT

public:
    explicit ContainerDetailsView(client::Replica& replica, QWidget* parent = nullptr);
    ~ContainerDetailsView() override;

    /// Empty: nothing selected.
    void showContainer(const QString& id);
    void showTab(int tab);

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
};

} // namespace dockscope::ui
