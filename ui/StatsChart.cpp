#include "StatsChart.h"

#include <QVBoxLayout>

#ifdef DOCKSCOPE_HAVE_CHARTS
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>
#endif

#include <algorithm>
#include <cmath>
#include <deque>

namespace dockscope::ui {

namespace {
constexpr int kSamples = 60;
}

#ifdef DOCKSCOPE_HAVE_CHARTS

namespace {

struct Axes {
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
};

/// A chart of two lines over the sample window, the legend on the right.
QChart* lineChart(QLineSeries* a, QLineSeries* b, Axes& axes)
{
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignRight);
    a->setParent(chart);
    b->setParent(chart);
    chart->addSeries(a);
    chart->addSeries(b);
    axes.x = new QValueAxis(chart);
    axes.x->setRange(0, kSamples);
    axes.x->setLabelsVisible(false);
    axes.x->setGridLineVisible(false);
    axes.y = new QValueAxis(chart);
    axes.y->setTickCount(6);
    chart->addAxis(axes.x, Qt::AlignBottom);
    chart->addAxis(axes.y, Qt::AlignLeft);
    for (QLineSeries* series : {a, b}) {
        series->attachAxis(axes.x);
        series->attachAxis(axes.y);
    }
    return chart;
}

QChartView* chartView(QChart* chart, QWidget* parent)
{
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

/// The largest of the round steps 1, 2, 5 × 10^n that is at least `value` / 5, times 5: six round ticks.
double roundTop(double value)
{
    const double step = std::max(value, 1e-9) / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    for (const double f : {1.0, 2.0, 5.0, 10.0})
        if (f * magnitude >= step)
            return f * magnitude * 5.0;
    return step * 5.0;
}

} // namespace

struct StatsChart::Private {
    QLineSeries* cpu = nullptr;
    QLineSeries* mem = nullptr;
    QLineSeries* rx = nullptr;
    QLineSeries* tx = nullptr;
    Axes usage;
    Axes network;
    int next = 0;
    double peak = 0;
    bool hasLast = false;
    Sample last;
    struct Rate {
        int x;
        double rx;
        double tx;
    };
    std::deque<Rate> rates; ///< bytes per second, raw
    QString unit = QStringLiteral("B/s");

    void redrawRates()
    {
        double top = 0;
        for (const Rate& r : rates)
            top = std::max({top, r.rx, r.tx});
        double divisor = 1;
        unit = QStringLiteral("B/s");
        if (top >= 1024.0 * 1024.0) {
            divisor = 1024.0 * 1024.0;
            unit = QStringLiteral("MiB/s");
        } else if (top >= 1024.0) {
            divisor = 1024.0;
            unit = QStringLiteral("KiB/s");
        }
        QList<QPointF> received;
        QList<QPointF> sent;
        for (const Rate& r : rates) {
            received.append({static_cast<double>(r.x), r.rx / divisor});
            sent.append({static_cast<double>(r.x), r.tx / divisor});
        }
        rx->replace(received);
        tx->replace(sent);
        network.y->setRange(0, roundTop(std::max(top / divisor * 1.1, 1.0)));
        network.y->setLabelFormat(QStringLiteral("%.3g ") + unit);
    }
};

StatsChart::StatsChart(QWidget* parent)
    : QWidget(parent)
    , d(new Private)
{
    d->cpu = new QLineSeries;
    d->cpu->setName(tr("CPU"));
    d->mem = new QLineSeries;
    d->mem->setName(tr("Memory"));
    d->rx = new QLineSeries;
    d->rx->setName(tr("Received"));
    d->tx = new QLineSeries;
    d->tx->setName(tr("Sent"));
    QChart* usage = lineChart(d->cpu, d->mem, d->usage);
    d->usage.y->setRange(0, 10);
    d->usage.y->setLabelFormat(QStringLiteral("%.0f %%"));
    QChart* network = lineChart(d->rx, d->tx, d->network);
    d->network.y->setRange(0, 1);
    d->network.y->setLabelFormat(QStringLiteral("%.3g B/s"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(chartView(usage, this), 1);
    layout->addWidget(chartView(network, this), 1);
    setMinimumHeight(240);
}

StatsChart::~StatsChart()
{
    delete d;
}

bool StatsChart::available()
{
    return true;
}

void StatsChart::addSample(const Sample& sample)
{
    const int x = d->next++;
    d->cpu->append(x, sample.cpuPercent);
    d->mem->append(x, sample.memPercent);
    if (d->cpu->count() > kSamples) {
        d->cpu->remove(0);
        d->mem->remove(0);
    }
    d->usage.x->setRange(std::max(0, x - kSamples), std::max(kSamples, x));
    d->network.x->setRange(std::max(0, x - kSamples), std::max(kSamples, x));
    d->peak = std::max({d->peak, sample.cpuPercent, sample.memPercent});
    // Steps of 10 % keep the six ticks on round numbers.
    d->usage.y->setRange(0, std::max(10.0, std::ceil(d->peak * 1.2 / 10.0) * 10.0));

    // Rates from the previous sample; a counter that went down (the container restarted) starts afresh.
    if (d->hasLast && sample.readNs > d->last.readNs && sample.netRx >= d->last.netRx &&
        sample.netTx >= d->last.netTx) {
        const double seconds = static_cast<double>(sample.readNs - d->last.readNs) / 1e9;
        d->rates.push_back({x, static_cast<double>(sample.netRx - d->last.netRx) / seconds,
                            static_cast<double>(sample.netTx - d->last.netTx) / seconds});
        while (!d->rates.empty() && d->rates.front().x < x - kSamples)
            d->rates.pop_front();
        d->redrawRates();
    }
    d->last = sample;
    d->hasLast = true;
}

void StatsChart::clear()
{
    d->cpu->clear();
    d->mem->clear();
    d->rates.clear();
    d->hasLast = false;
    d->next = 0;
    d->peak = 0;
    d->usage.x->setRange(0, kSamples);
    d->usage.y->setRange(0, 10);
    d->redrawRates();
    d->network.x->setRange(0, kSamples);
}

QList<QPointF> StatsChart::networkPoints(bool received) const
{
    return (received ? d->rx : d->tx)->points();
}

QString StatsChart::networkUnit() const
{
    return d->unit;
}

#else

struct StatsChart::Private {};

StatsChart::StatsChart(QWidget* parent)
    : QWidget(parent)
    , d(nullptr)
{}
StatsChart::~StatsChart() = default;
bool StatsChart::available()
{
    return false;
}
void StatsChart::addSample(const Sample&) {}
void StatsChart::clear() {}
QList<QPointF> StatsChart::networkPoints(bool) const
{
    return {};
}
QString StatsChart::networkUnit() const
{
    return {};
}

#endif

} // namespace dockscope::ui
