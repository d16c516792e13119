#pragma once

#include <QColor>
#include <QDateTime>
#include <QWidget>

class QLabel;

namespace dockscope::client {
class Replica;
}

namespace dockscope::ui {

/// The status bar's account of whether the view is live: the link to the state server and the engine's
/// status with since when ("Live — engine connected since 14:02", "Engine reconnecting since 14:03:05"),
/// the time of the last update, and the recent event latency (the metrics' p50).
class LiveStatus : public QWidget {
    Q_OBJECT

public:
    explicit LiveStatus(client::Replica& replica, QWidget* parent = nullptr);

    void setLatency(qint64 p50ns);
    void refresh();

private:
    void showLastUpdate();

    client::Replica& replica_;
    QLabel* dot_;
    QLabel* status_;
    QLabel* updated_;
    QLabel* latency_;
    QDateTime lastUpdate_;
    QColor dotColor_;
};

} // namespace dockscope::ui
