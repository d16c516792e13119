#pragma once

#include <QWidget>

namespace dockscope::ui {

/// CPU and memory of the last minute of a container's stats as two lines (Qt Charts when it was found at
/// build time; otherwise an empty widget and the numbers alone).
class StatsChart : public QWidget {
    Q_OBJECT

public:
    explicit StatsChart(QWidget* parent = nullptr);
    ~StatsChart() override;

    /// Whether this build draws anything.
    static bool available();
    void addSample(double cpuPercent, double memPercent);
    void clear();

private:
    struct Private;
    Private* d;
};

} // namespace dockscope::ui
