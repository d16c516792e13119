#pragma once

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QTableWidget;

namespace dockscope::client {
class Replica;
}
namespace dockscope::engine {
struct EngineMetrics;
}

namespace dockscope::ui {

/// The engine: what it is (version, OS, CPUs, memory, counts), how we are connected to it and to the state
/// server, and the engine worker's metrics — API calls by endpoint, events, inspects, latency — so a user
/// can see that nothing polls. Metrics exist only when the engine is embedded (not with --attach).
class EnginePage : public QWidget {
    Q_OBJECT

public:
    EnginePage(client::Replica& replica, bool embedded, const QString& endpoint, QWidget* parent = nullptr);

    void refresh();
    void showMetrics(const engine::EngineMetrics& metrics);

private:
    QLabel* addRow(QFormLayout* form, const QString& title);
    void set(const QString& key, const QString& text);

    client::Replica& replica_;
    QHash<QString, QLabel*> labels_;
    QTableWidget* calls_;
};

} // namespace dockscope::ui
