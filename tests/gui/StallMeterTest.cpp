// The benchmark's GUI stall meter: a thread kept from its event loop shows as a stall of about that length.
#include "StallMeter.h"
#include "support/EventLoop.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using dockscope::ui::StallMeter;

TEST(StallMeter, ABlockedEventLoopShowsAsAStall)
{
    StallMeter meter;
    meter.start();
    QElapsedTimer clock;
    clock.start();
    dockscope::test::waitFor([&] { return clock.elapsed() >= 100; }, std::chrono::seconds(5));
    QThread::msleep(60); // the event loop is kept waiting
    clock.restart();
    dockscope::test::waitFor([&] { return clock.elapsed() >= 50; }, std::chrono::seconds(5));
    meter.stop();
    EXPECT_GE(meter.longestMs(), 50.0);
    EXPECT_LT(meter.longestMs(), 1000.0);
    EXPECT_LT(meter.longestBusyMs(), 30.0); // asleep, not busy: the stall was not the thread's own work

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("stalls.json"));
    ASSERT_TRUE(meter.writeReport(path));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const auto report = nlohmann::json::parse(file.readAll().toStdString());
    EXPECT_DOUBLE_EQ(report.at("longestStallMs").get<double>(), meter.longestMs());
    EXPECT_GE(report.at("stallsOver16ms").get<int>(), 1);
    EXPECT_GT(report.at("ticks").get<int>(), 10);
    EXPECT_GE(report.at("measuredSeconds").get<double>(), 0.2);
    EXPECT_DOUBLE_EQ(report.at("longestBusyMs").get<double>(), meter.longestBusyMs());
    EXPECT_EQ(report.at("busyOver16ms").get<int>(), 0);
}

TEST(StallMeter, WorkOnTheThreadShowsAsBusy)
{
    StallMeter meter;
    meter.start();
    QElapsedTimer clock;
    clock.start();
    dockscope::test::waitFor([&] { return clock.elapsed() >= 50; }, std::chrono::seconds(5));
    clock.restart();
    volatile unsigned spin = 0;
    while (clock.elapsed() < 60) // the thread itself keeps the event loop waiting
        spin = spin + 1;
    clock.restart();
    dockscope::test::waitFor([&] { return clock.elapsed() >= 30; }, std::chrono::seconds(5));
    meter.stop();
    EXPECT_GE(meter.longestMs(), 50.0);
    // CPU time of this thread, so a busy machine can only lower it; 60 ms of wall clock spent spinning.
    EXPECT_GE(meter.longestBusyMs(), 5.0);
    EXPECT_LE(meter.longestBusyMs(), meter.longestMs() + StallMeter::kIntervalMs + 1.0);
}
