#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

#include <cstdint>

namespace dockscope::ui {

/// The last minute of a container's stats as charts: CPU and memory (per cent) above, network receive and
/// send rates below (computed from the cumulative byte counts of successive samples, in B/s, KiB/s or MiB/s
/// as the window's peak needs). Qt Charts when it was found at build time; otherwise an empty widget and the
/// numbers alone.
class StatsChart : public QWidget {
    Q_OBJECT

public:
    struct Sample {
        double cpuPercent = 0;
        double memPercent = 0;
        std::int64_t netRx = 0;  ///< bytes received since the container started
        std::int64_t netTx = 0;  ///< bytes sent
        std::int64_t readNs = 0; ///< Docker's time of the sample
    };

    explicit StatsChart(QWidget* parent = nullptr);
    ~StatsChart() override;

    /// Whether this build draws anything.
    static bool available();
    void addSample(const Sample& sample);
    void clear();

    /// What the network chart shows (tests): x and the rate in the current unit, and that unit ("KiB/s").
    QList<QPointF> networkPoints(bool received) const;
    QString networkUnit() const;

private:
    struct Private;
    Private* d;
};

} // namespace dockscope::ui
