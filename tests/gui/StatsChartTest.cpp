// The Stats tab's charts: network rates come from the cumulative byte counts of successive samples, in a unit
// fitted to the window's peak; a counter that goes down (the container restarted) starts afresh.
#include "StatsChart.h"

#include <gtest/gtest.h>

using dockscope::ui::StatsChart;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

StatsChart::Sample at(int second, std::int64_t rx, std::int64_t tx)
{
    return {12.5, 30.0, rx, tx, (1'700'000'000 + second) * kSecond};
}

TEST(StatsChart, NetworkRatesFromSuccessiveSamples)
{
    if (!StatsChart::available())
        GTEST_SKIP() << "built without Qt Charts: the Stats tab shows the numbers alone";
    StatsChart chart;
    chart.addSample(at(0, 10'000, 1'000));
    EXPECT_TRUE(chart.networkPoints(true).isEmpty()) << "one sample has no rate yet";
    chart.addSample(at(1, 10'000 + 2048, 1'000 + 512));
    chart.addSample(at(3, 10'000 + 2048 + 8192, 1'000 + 512 + 1024)); // two seconds later
    const auto received = chart.networkPoints(true);
    const auto sent = chart.networkPoints(false);
    ASSERT_EQ(received.size(), 2);
    ASSERT_EQ(sent.size(), 2);
    EXPECT_EQ(chart.networkUnit(), QStringLiteral("KiB/s"));
    EXPECT_DOUBLE_EQ(received[0].y(), 2.0);
    EXPECT_DOUBLE_EQ(received[1].y(), 4.0);
    EXPECT_DOUBLE_EQ(sent[0].y(), 0.5);
    EXPECT_DOUBLE_EQ(sent[1].y(), 0.5);

    // The container restarted: its counters start from zero again. No negative rate, no point for that pair.
    chart.addSample(at(4, 100, 50));
    EXPECT_EQ(chart.networkPoints(true).size(), 2);
    chart.addSample(at(5, 100 + 3 * 1024 * 1024, 50));
    EXPECT_EQ(chart.networkUnit(), QStringLiteral("MiB/s"));
    const auto after = chart.networkPoints(true);
    ASSERT_EQ(after.size(), 3);
    EXPECT_DOUBLE_EQ(after.back().y(), 3.0);
    EXPECT_NEAR(after.front().y(), 2.0 / 1024.0, 1e-12) << "earlier points are redrawn in the new unit";

    chart.clear();
    EXPECT_TRUE(chart.networkPoints(true).isEmpty());
    chart.addSample(at(10, 0, 0));
    chart.addSample(at(11, 100, 0));
    EXPECT_EQ(chart.networkUnit(), QStringLiteral("B/s"));
}

} // namespace
