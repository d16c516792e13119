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

namespace dockscope::ui {

namespace {
constexpr int kSamples = 60;
}

#ifdef DOCKSCOPE_HAVE_CHARTS

struct StatsChart::Private {
    QLineSeries* cpu = nullptr;
    QLineSeries* mem = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    int next = 0;
    double peak = 0;
};

StatsChart::StatsChart(QWidget* parent)
    : QWidget(parent)
    , d(new Private)
{
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignRight);
    d->cpu = new QLineSeries(chart);
    d->cpu->setName(tr("CPU"));
    d->mem = new QLineSeries(chart);
    d->mem->setName(tr("Memory"));
    chart->addSeries(d->cpu);
    chart->addSeries(d->mem);
    d->x = new QValueAxis(chart);
    d->x->setRange(0, kSamples);
    d->x->setLabelsVisible(false);
    d->x->setGridLineVisible(false);
    d->y = new QValueAxis(chart);
    d->y->setRange(0, 10);
    d->y->setTickCount(6);
    d->y->setLabelFormat(QStringLiteral("%.0f %%"));
    chart->addAxis(d->x, Qt::AlignBottom);
    chart->addAxis(d->y, Qt::AlignLeft);
    for (QLineSeries* series : {d->cpu, d->mem}) {
        series->attachAxis(d->x);
        series->attachAxis(d->y);
    }
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    setMinimumHeight(160);
}

StatsChart::~StatsChart()
{
    delete d;
}

bool StatsChart::available()
{
    return true;
}

void StatsChart::addSample(double cpuPercent, double memPercent)
{
    const int x = d->next++;
    d->cpu->append(x, cpuPercent);
    d->mem->append(x, memPercent);
    if (d->cpu->count() > kSamples) {
        d->cpu->remove(0);
        d->mem->remove(0);
    }
    d->x->setRange(std::max(0, x - kSamples), std::max(kSamples, x));
    d->peak = std::max({d->peak, cpuPercent, memPercent});
    // Steps of 10 % keep the six ticks on round numbers.
    d->y->setRange(0, std::max(10.0, std::ceil(d->peak * 1.2 / 10.0) * 10.0));
}

void StatsChart::clear()
{
    d->cpu->clear();
    d->mem->clear();
    d->next = 0;
    d->peak = 0;
    d->x->setRange(0, kSamples);
    d->y->setRange(0, 10);
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
void StatsChart::addSample(double, double) {}
void StatsChart::clear() {}

#endif

} // namespace dockscope::ui
