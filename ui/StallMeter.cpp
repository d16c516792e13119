#include "StallMeter.h"

#include <QFile>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>

#include <time.h>

namespace dockscope::ui {

namespace {

qint64 threadCpuNs()
{
    timespec t{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
        return 0;
    return static_cast<qint64>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

double maxMs(const std::vector<qint64>& values)
{
    return values.empty() ? 0.0 : static_cast<double>(*std::max_element(values.begin(), values.end())) / 1e6;
}

} // namespace

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
    lastCpuNs_ = threadCpuNs();
    gapsNs_.clear();
    busyNs_.clear();
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
    const qint64 cpu = threadCpuNs();
    gapsNs_.push_back(now - lastNs_);
    busyNs_.push_back(cpu - lastCpuNs_);
    lastNs_ = now;
    lastCpuNs_ = cpu;
}

double StallMeter::longestMs() const
{
    const qint64 longest = gapsNs_.empty() ? 0 : *std::max_element(gapsNs_.begin(), gapsNs_.end());
    return std::max(0.0, static_cast<double>(longest) / 1e6 - kIntervalMs);
}

double StallMeter::longestBusyMs() const
{
    return maxMs(busyNs_);
}

bool StallMeter::writeReport(const QString& path) const
{
    std::vector<qint64> sorted = gapsNs_;
    std::sort(sorted.begin(), sorted.end());
    const auto p99 = sorted.empty() ? 0.0 : static_cast<double>(sorted[(sorted.size() - 1) * 99 / 100]) / 1e6;
    const auto over = std::count_if(sorted.begin(), sorted.end(),
                                    [](qint64 gap) { return gap > (16 + kIntervalMs) * 1'000'000LL; });
    const nlohmann::json report = {
        {"intervalMs", kIntervalMs},
        {"ticks", sorted.size()},
        {"longestStallMs", longestMs()},
        {"p99GapMs", p99},
        {"stallsOver16ms", over},
        {"longestBusyMs", longestBusyMs()},
        {"busyOver16ms",
         std::count_if(busyNs_.begin(), busyNs_.end(), [](qint64 busy) { return busy > 16'000'000LL; })},
        {"measuredSeconds", static_cast<double>(stoppedNs_ - startedNs_) / 1e9}};
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const std::string text = report.dump(2) + "\n";
    return file.write(text.data(), static_cast<qint64>(text.size())) == static_cast<qint64>(text.size());
}

} // namespace dockscope::ui
