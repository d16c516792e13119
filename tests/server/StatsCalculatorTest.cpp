// The `docker stats` figures, on samples recorded from a real dockerd (tests/fixtures/engine/README.md) and
// on synthetic edge cases.
#include "StatsCalculator.h"

#include "dockscope/docker/DockerJson.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace {

using namespace dockscope;
using nlohmann::json;
using server::calculateStats;
using server::StatsSample;

json loadFixture(const std::string& name)
{
    const std::string path = std::string(DOCKSCOPE_FIXTURES_DIR) + "/engine/" + name;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("missing fixture " + path);
    return json::parse(in);
}

// A cgroup v1 sample with both CPU readings one second apart.
json sample()
{
    return json::parse(R"({
        "read": "2024-05-01T10:00:01.5Z",
        "cpu_stats": {"cpu_usage": {"total_usage": 3000000000, "percpu_usage": [1, 2, 3, 4]},
                      "system_cpu_usage": 20000000000, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 2000000000}, "system_cpu_usage": 16000000000},
        "memory_stats": {"usage": 1000, "limit": 4000, "stats": {"total_inactive_file": 200}},
        "pids_stats": {"current": 7}
    })");
}

TEST(StatsCalculator, RecordedRunningSample)
{
    // A busy loop on two CPUs, 256 MiB limit, 30 MB written to a file (inactive page cache), one bridge
    // network.
    const StatsSample s = calculateStats(loadFixture("stats-running.json"));
    const double expectedCpu =
        (44744123251.0 - 43800490003.0) / (22537080000000.0 - 22535050000000.0) * 2 * 100;
    EXPECT_DOUBLE_EQ(s.cpuPercent, expectedCpu);
    EXPECT_GT(s.cpuPercent, 50.0);
    EXPECT_EQ(s.memUsage, 32911360u - 31457280u); // usage − total_inactive_file (cgroup v1)
    EXPECT_EQ(s.memLimit, 268435456u);
    EXPECT_DOUBLE_EQ(s.memPercent, (32911360.0 - 31457280.0) / 268435456.0 * 100);
    EXPECT_EQ(s.netRx, 1626u);
    EXPECT_EQ(s.netTx, 0u);
    EXPECT_EQ(s.blockRead, 0u); // this engine reports no block I/O (empty io_service_bytes_recursive)
    EXPECT_EQ(s.blockWrite, 0u);
    EXPECT_EQ(s.pids, 1u);
    EXPECT_EQ(s.read, 1795645909057021912);
}

TEST(StatsCalculator, RecordedFirstSampleOfAStreamHasNoCpuFigure)
{
    // The first document of stream=true has precpu_stats without system_cpu_usage.
    const StatsSample s = calculateStats(loadFixture("stats-first-sample.json"));
    EXPECT_EQ(s.cpuPercent, 0.0);
    EXPECT_EQ(s.memUsage, 847872u);
    EXPECT_EQ(s.memLimit, 25276063744u);
    EXPECT_EQ(s.netRx, 0u); // --network none: no "networks" member at all
    EXPECT_EQ(s.pids, 1u);
    EXPECT_GT(s.read, 0);
}

TEST(StatsCalculator, RecordedStoppedContainerGivesZeros)
{
    // A container that is not running: zero time, empty memory_stats, null blkio arrays, empty pids_stats.
    EXPECT_EQ(calculateStats(loadFixture("stats-stopped.json")), StatsSample{});
}

TEST(StatsCalculator, CpuPercentFollowsDockerCli)
{
    const StatsSample s = calculateStats(sample());
    EXPECT_DOUBLE_EQ(s.cpuPercent, 1e9 / 4e9 * 2 * 100); // online_cpus wins over len(percpu_usage)
    EXPECT_EQ(s.read, 1714557601500000000);
}

TEST(StatsCalculator, OnlineCpusFallsBackToPerCpuCount)
{
    json doc = sample();
    doc["cpu_stats"].erase("online_cpus");
    EXPECT_DOUBLE_EQ(calculateStats(doc).cpuPercent, 1e9 / 4e9 * 4 * 100);
    doc["cpu_stats"]["online_cpus"] = 0;
    EXPECT_DOUBLE_EQ(calculateStats(doc).cpuPercent, 1e9 / 4e9 * 4 * 100);
}

TEST(StatsCalculator, ZeroOrNegativeDeltasGiveZeroCpu)
{
    json doc = sample();
    doc["precpu_stats"]["cpu_usage"]["total_usage"] = 3000000000; // the container used nothing
    EXPECT_EQ(calculateStats(doc).cpuPercent, 0.0);
    doc = sample();
    doc["precpu_stats"]["system_cpu_usage"] = 20000000000; // no system time passed
    EXPECT_EQ(calculateStats(doc).cpuPercent, 0.0);
    doc = sample();
    doc["precpu_stats"]["cpu_usage"]["total_usage"] = 5000000000u; // a counter reset
    EXPECT_EQ(calculateStats(doc).cpuPercent, 0.0);
}

TEST(StatsCalculator, FirstSampleWithoutPrecpu)
{
    json doc = sample();
    doc.erase("precpu_stats");
    EXPECT_EQ(calculateStats(doc).cpuPercent, 0.0);
    doc["precpu_stats"] = json::object();
    EXPECT_EQ(calculateStats(doc).cpuPercent, 0.0);
    EXPECT_EQ(calculateStats(doc).memUsage, 800u); // everything else is there already
}

TEST(StatsCalculator, MemoryCacheCgroupV1AndV2)
{
    json doc = sample();
    EXPECT_EQ(calculateStats(doc).memUsage, 800u);
    EXPECT_DOUBLE_EQ(calculateStats(doc).memPercent, 20.0);

    // cgroup v2 has inactive_file and no total_* keys.
    doc["memory_stats"]["stats"] = {{"inactive_file", 300}, {"anon", 700}};
    EXPECT_EQ(calculateStats(doc).memUsage, 700u);

    // Cache not below usage: usage itself (the CLI's rule), for v1 and v2 alike.
    doc["memory_stats"]["stats"] = {{"total_inactive_file", 1000}};
    EXPECT_EQ(calculateStats(doc).memUsage, 1000u);
    doc["memory_stats"]["stats"] = {{"inactive_file", 5000}};
    EXPECT_EQ(calculateStats(doc).memUsage, 1000u);

    // A v1 figure that is too large falls through to the v2 key, as the CLI does.
    doc["memory_stats"]["stats"] = {{"total_inactive_file", 5000}, {"inactive_file", 100}};
    EXPECT_EQ(calculateStats(doc).memUsage, 900u);

    // No limit: no percentage.
    doc["memory_stats"].erase("limit");
    EXPECT_EQ(calculateStats(doc).memLimit, 0u);
    EXPECT_EQ(calculateStats(doc).memPercent, 0.0);
}

TEST(StatsCalculator, NetworksAreSummedAndMayBeMissing)
{
    json doc = sample();
    EXPECT_EQ(calculateStats(doc).netRx, 0u);
    doc["networks"] = json::parse(R"({"eth0": {"rx_bytes": 100, "tx_bytes": 10},
                                      "eth1": {"rx_bytes": 23, "tx_bytes": 4}})");
    EXPECT_EQ(calculateStats(doc).netRx, 123u);
    EXPECT_EQ(calculateStats(doc).netTx, 14u);
    doc["networks"] = nullptr;
    EXPECT_EQ(calculateStats(doc).netTx, 0u);
}

TEST(StatsCalculator, BlockIoByOpInAnyCase)
{
    json doc = sample();
    doc["blkio_stats"]["io_service_bytes_recursive"] = json::parse(R"([
        {"major": 8, "minor": 0, "op": "Read", "value": 100},
        {"major": 8, "minor": 0, "op": "Write", "value": 10},
        {"major": 8, "minor": 0, "op": "Sync", "value": 1000},
        {"major": 8, "minor": 0, "op": "Total", "value": 110},
        {"major": 8, "minor": 16, "op": "read", "value": 5},
        {"major": 8, "minor": 16, "op": "write", "value": 6},
        {"major": 8, "minor": 16, "op": "", "value": 99},
        {"major": 8, "minor": 16, "value": 99}
    ])");
    EXPECT_EQ(calculateStats(doc).blockRead, 105u);
    EXPECT_EQ(calculateStats(doc).blockWrite, 16u);
    doc["blkio_stats"]["io_service_bytes_recursive"] = nullptr; // how a stopped container's sample says it
    EXPECT_EQ(calculateStats(doc).blockRead, 0u);
}

TEST(StatsCalculator, RefusesWhatIsNotAStatsDocument)
{
    EXPECT_THROW(calculateStats(json::array()), docker::JsonFieldError);
    json doc = sample();
    doc["read"] = "yesterday";
    EXPECT_THROW(calculateStats(doc), docker::JsonFieldError);
    doc["read"] = 5;
    EXPECT_THROW(calculateStats(doc), docker::JsonFieldError);
    // Wrong types elsewhere count as 0 rather than failing the whole sample.
    doc = sample();
    doc["pids_stats"]["current"] = "many";
    EXPECT_EQ(calculateStats(doc).pids, 0u);
}

TEST(StatsCalculator, WireFields)
{
    const json data = toJson(calculateStats(sample()));
    for (const char* key : {"cpuPercent", "memUsage", "memLimit", "memPercent", "netRx", "netTx", "blockRead",
                            "blockWrite", "pids", "read"})
        EXPECT_TRUE(data.contains(key)) << key;
    EXPECT_EQ(data.size(), 10u);
    EXPECT_EQ(data["pids"], 7);
    EXPECT_EQ(data["memUsage"], 800);
}

} // namespace
