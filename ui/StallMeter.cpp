#include "StallMeter.h"

#include <QFile>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dockscope::ui {

StallMeter::StallMeter(QObject* parent)
    : QObject(parent)
    , timer_(new QTimer(this))
{
    timer_->setTimerType(Qt::PreciseTimer);
    timer_->setInterval(kIntervalMs);
    connect(timer_, &QTimer::timeout, this, &StallMeter::tick);
}

void StallMeter::start()
{
    clock_.start();
    lastNs_ = startedNs_ = clock_.nsecsElapsed();
    gapsNs_.clear();
    timer_->start();
}

void StallMeter::stop()
{
    timer_->stop();
    stoppedNs_ = clock_.isValid() ? clock_.nsecsElapsed() : 0;
}

void StallMeter::tick()
{
    const qint64 now = clock_.nsecsElapsed();
    gapsNs_.push_back(now - lastNs_);
    lastNs_ = now;
}

double StallMeter::longestMs() const
{
    const qint64 longest = gapsNs_.empty() ? 0 : *std::max_element(gapsNs_.begin(), gapsNs_.end());
    return std::max(0.0, static_cast<double>(longest) / 1e6 - kIntervalMs);
}

bool StallMeter::writeReport(const QString& path) const
{
    std::vector<qint64> sorted = gapsNs_;
    std::sort(sorted.begin(), sorted.end());
    const auto p99 = sorted.empty() ? 0.0 : static_cast<double>(sorted[(sorted.size() - 1) * 99 / 100]) / 1e6;
    const auto over = std::count_if(sorted.begin(), sorted.end(),
                                    [](qint64 gap) { return gap > (16 + kIntervalMs) * 1'000'000LL; });
    const nlohmann::json report = {{"intervalMs", kIntervalMs},
                                   {"ticks", sorted.size()},
                                   {"longestStallMs", longestMs()},
                                   {"p99GapMs", p99},
                                   {"stallsOver16ms", over},
                                   {"measuredSeconds", static_cast<double>(stoppedNs_ - startedNs_) / 1e9}};
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const std::string text = report.dump(2) + "\n";
    return file.write(text.data(), static_cast<qint64>(text.size())) == static_cast<qint64>(text.size());
}

} // namespace dockscope::ui
