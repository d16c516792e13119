// The benchmark's scheduling figures (src/apps/bench/BenchUtil.h): read from this process's own threads.
#include "BenchUtil.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <pthread.h>
#include <thread>

namespace dockscope::bench {
namespace {

using namespace std::chrono_literals;

// Spins on a core for `span` of wall time (so at least a good part of it on a core).
void spin(std::chrono::milliseconds span)
{
    const auto end = std::chrono::steady_clock::now() + span;
    volatile std::uint64_t sink = 0;
    while (std::chrono::steady_clock::now() < end)
        sink = sink + 1;
}

TEST(BenchUtilTest, ThreadTimesNameTheMainThreadAndTheOthersByTheirNames)
{
    const auto before = threadSchedTimes(0);
    if (before.empty())
        GTEST_SKIP() << "no /proc/self/task/*/schedstat in this kernel";
    ASSERT_TRUE(before.count("main"));

    std::atomic<bool> spun{false};
    std::atomic<bool> stop{false};
    std::thread worker([&] {
        pthread_setname_np(pthread_self(), "bench-spinner");
        spin(200ms);
        spun = true;
        while (!stop)
            std::this_thread::sleep_for(1ms);
    });
    spin(200ms);
    while (!spun)
        std::this_thread::sleep_for(1ms);
    const auto after = threadSchedTimes(0);
    stop = true;
    worker.join();

    const auto span = schedSpan(before, after);
    ASSERT_TRUE(span.count("main"));
    // A thread that spun for 200 ms of wall time ran for a good part of it even on a loaded machine.
    EXPECT_GT(span.at("main").cpuNs, 20'000'000);
    EXPECT_GE(span.at("main").waitNs, 0);
    // The spinner did not exist before: its own figures are in `after`, not in the span.
    ASSERT_TRUE(after.count("bench-spinner"));
    EXPECT_GT(after.at("bench-spinner").cpuNs, 20'000'000);
    EXPECT_FALSE(span.count("bench-spinner"));
}

TEST(BenchUtilTest, SchedSpanSubtractsRoleByRole)
{
    const std::map<std::string, SchedTimes> before{{"main", {100, 10}}, {"gone", {5, 5}}};
    const std::map<std::string, SchedTimes> after{{"main", {350, 70}}, {"new", {9, 1}}};
    const auto span = schedSpan(before, after);
    ASSERT_EQ(span.size(), 1u);
    EXPECT_EQ(span.at("main").cpuNs, 250);
    EXPECT_EQ(span.at("main").waitNs, 60);
}

TEST(BenchUtilTest, AnotherProcessThatIsGoneHasNoThreads)
{
    EXPECT_TRUE(threadSchedTimes(999'999'999).empty());
}

} // namespace
} // namespace dockscope::bench
