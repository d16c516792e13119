#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <vector>

class QTimer;

namespace dockscope::ui {

/// Measures how long the GUI thread is kept from its event loop (the hidden --stall-report option, used by
/// scripts/bench.sh): a precise timer ticks every kIntervalMs, and each gap beyond the interval is a stall.
/// It also reads the thread's own CPU time per gap, which tells a stall of our own work (busy) from one where
/// the thread was ready but not scheduled (the machine's other processes had the cores).
/// Runs only when asked for; the app never ticks a timer like this otherwise.
class StallMeter : public QObject {
    Q_OBJECT

public:
    static constexpr int kIntervalMs = 4;

    explicit StallMeter(QObject* parent = nullptr);

    void start();
    void stop();
    /// The longest stall, ms.
    double longestMs() const;
    /// The most CPU time the GUI thread spent within one gap, ms: the longest stall of our own making.
    double longestBusyMs() const;
    /// {"intervalMs", "ticks", "longestStallMs", "p99GapMs", "stallsOver16ms", "longestBusyMs",
    /// "busyOver16ms", "measuredSeconds"}; false if the file cannot be written.
    bool writeReport(const QString& path) const;

private:
    void tick();

    QTimer* timer_;
    QElapsedTimer clock_;
    qint64 lastNs_ = 0;
    qint64 lastCpuNs_ = 0;
    qint64 startedNs_ = 0;
    qint64 stoppedNs_ = 0;
    std::vector<qint64> gapsNs_;
    std::vector<qint64> busyNs_; ///< the thread's CPU time within each gap
};

} // namespace dockscope::ui
