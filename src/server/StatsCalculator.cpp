#include "StatsCalculator.h"

#include "dockscope/docker/DockerJson.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace dockscope::server {

namespace {

using Json = nlohmann::json;

// Docker omits or nulls most fields of a stopped container's sample: those are 0, never an error.
const Json& member(const Json& object, std::string_view key)
{
    static const Json none;
    if (!object.is_object())
        return none;
    const auto it = object.find(key);
    return it == object.end() ? none : *it;
}

std::uint64_t count(const Json& value)
{
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_number_integer())
        return static_cast<std::uint64_t>(std::max<std::int64_t>(0, value.get<std::int64_t>()));
    if (value.is_number_float())
        return static_cast<std::uint64_t>(std::max(0.0, value.get<double>()));
    return 0;
}

std::uint64_t count(const Json& object, std::string_view key)
{
    return count(member(object, key));
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

double cpuPercent(const Json& current, const Json& previous)
{
    const std::uint64_t previousSystem = count(previous, "system_cpu_usage");
    if (previousSystem == 0) // no previous sample: no interval to measure
        return 0;
    const auto cpuDelta = static_cast<double>(count(member(current, "cpu_usage"), "total_usage")) -
                          static_cast<double>(count(member(previous, "cpu_usage"), "total_usage"));
    const auto systemDelta =
        static_cast<double>(count(current, "system_cpu_usage")) - static_cast<double>(previousSystem);
    auto onlineCpus = static_cast<double>(count(current, "online_cpus"));
    if (onlineCpus == 0) {
        const Json& perCpu = member(member(current, "cpu_usage"), "percpu_usage");
        onlineCpus = perCpu.is_array() ? static_cast<double>(perCpu.size()) : 0;
    }
    if (systemDelta > 0 && cpuDelta > 0)
        return cpuDelta / systemDelta * onlineCpus * 100.0;
    return 0;
}

std::uint64_t memoryWithoutCache(const Json& memory)
{
    const std::uint64_t usage = count(memory, "usage");
    const Json& stats = member(memory, "stats");
    const Json& v1 = member(stats, "total_inactive_file");
    if (!v1.is_null() && count(v1) < usage)
        return usage - count(v1);
    const std::uint64_t v2 = count(stats, "inactive_file");
    return v2 < usage ? usage - v2 : usage;
}

void addNetworks(const Json& networks, StatsSample& sample)
{
    if (!networks.is_object())
        return;
    for (const auto& link : networks) { // iterating an object yields its values
        sample.netRx += count(link, "rx_bytes");
        sample.netTx += count(link, "tx_bytes");
    }
}

void addBlockIo(const Json& blkio, StatsSample& sample)
{
    const Json& entries = member(blkio, "io_service_bytes_recursive");
    if (!entries.is_array())
        return;
    for (const auto& entry : entries) {
        const Json& op = member(entry, "op");
        if (!op.is_string())
            continue;
        const auto& name = op.get_ref<const std::string&>();
        if (equalsIgnoringCase(name, "read"))
            sample.blockRead += count(entry, "value");
        else if (equalsIgnoringCase(name, "write"))
            sample.blockWrite += count(entry, "value");
    }
}

} // namespace

StatsSample calculateStats(const Json& stats)
{
    if (!stats.is_object())
        throw docker::JsonFieldError("stats: expected an object, got " + std::string(stats.type_name()));
    StatsSample sample;
    sample.cpuPercent = cpuPercent(member(stats, "cpu_stats"), member(stats, "precpu_stats"));
    const Json& memory = member(stats, "memory_stats");
    sample.memUsage = memoryWithoutCache(memory);
    sample.memLimit = count(memory, "limit");
    if (sample.memLimit != 0)
        sample.memPercent =
            static_cast<double>(sample.memUsage) / static_cast<double>(sample.memLimit) * 100.0;
    addNetworks(member(stats, "networks"), sample);
    addBlockIo(member(stats, "blkio_stats"), sample);
    sample.pids = count(member(stats, "pids_stats"), "current");
    const Json& read = member(stats, "read");
    if (read.is_string())
        sample.read = docker::json::parseTime(read.get_ref<const std::string&>(), "stats: read");
    else if (!read.is_null())
        throw docker::JsonFieldError("stats: read: expected a string, got " + std::string(read.type_name()));
    return sample;
}

Json toJson(const StatsSample& sample)
{
    return {{"cpuPercent", sample.cpuPercent},
            {"memUsage", sample.memUsage},
            {"memLimit", sample.memLimit},
            {"memPercent", sample.memPercent},
            {"netRx", sample.netRx},
            {"netTx", sample.netTx},
            {"blockRead", sample.blockRead},
            {"blockWrite", sample.blockWrite},
            {"pids", sample.pids},
            {"read", sample.read}};
}

} // namespace dockscope::server
