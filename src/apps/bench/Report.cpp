#include "Report.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::bench {

namespace {

using Json = nlohmann::json;

/// The number at a "/"-separated path, if there is one.
std::optional<double> number(const Json& j, const std::string& path)
{
    const Json* at = &j;
    std::size_t from = 0;
    while (from <= path.size()) {
        const auto to = path.find('/', from);
        const std::string part = path.substr(from, to == std::string::npos ? std::string::npos : to - from);
        if (!at->is_object() || !at->contains(part))
            return std::nullopt;
        at = &(*at)[part];
        if (to == std::string::npos)
            break;
        from = to + 1;
    }
    if (at->is_boolean())
        return at->get<bool>() ? 1.0 : 0.0;
    if (!at->is_number())
        return std::nullopt;
    return at->get<double>();
}

std::string format(double v)
{
    char buffer[64];
    if (v >= 1000 && v < 1e15 && v == std::floor(v))
        std::snprintf(buffer, sizeof buffer, "%.0f", v); // counts and bytes in full, not 1e+04
    else if (v != 0 && (v >= 1000 || v < 0.01))
        std::snprintf(buffer, sizeof buffer, "%.4g", v);
    else
        std::snprintf(buffer, sizeof buffer, "%.2f", v);
    return buffer;
}

struct Row {
    std::string label;
    std::string path;
    bool boolean = false;
};

} // namespace

int report(const QStringList& files, const QString& out, const QString& markdownPath, const QString& config)
{
    std::vector<Json> results;
    int rc = 0;
    for (const auto& path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "dockscope-bench: cannot read %s\n", qPrintable(path));
            rc = 1;
            continue;
        }
        Json j = Json::parse(file.readAll().toStdString(), nullptr, false);
        if (j.is_discarded()) {
            std::fprintf(stderr, "dockscope-bench: %s is not JSON\n", qPrintable(path));
            rc = 1;
            continue;
        }
        if (j.contains("error"))
            rc = 1;
        results.push_back(std::move(j));
    }
    const std::vector<Row> rows{
        {"containers seen", "containers"},
        {"initial sync (ms)", "initialSyncMs"},
        {"engine's own initial sync (ms)", "engineInitialSyncMs"},
        {"idle: our CPU (% of a core)", "idle/cpuPercentOfCore"},
        {"idle: dockerd CPU (% of a core)", "idle/dockerdCpuPercentOfCore"},
        {"idle: API calls per minute", "idle/apiCallsPerMinute"},
        {"ops (incl. burst)", "ops/total"},
        {"op -> view p50 (ms)", "latencyMs/all/p50"},
        {"op -> view p95 (ms)", "latencyMs/all/p95"},
        {"op -> view p99 (ms)", "latencyMs/all/p99"},
        {"op -> view max (ms)", "latencyMs/all/max"},
        {"scripted ops p50 (ms)", "latencyMs/scripted/p50"},
        {"scripted ops p99 (ms)", "latencyMs/scripted/p99"},
        {"burst ops p50 (ms)", "latencyMs/burst/p50"},
        {"burst ops p99 (ms)", "latencyMs/burst/p99"},
        {"event timeNano -> view p50 (ms)", "eventLatencyMs/p50"},
        {"event timeNano -> view p99 (ms)", "eventLatencyMs/p99"},
        {"event timeNano -> view max (ms)", "eventLatencyMs/max"},
        {"event timeNano -> read by the driver's bare events reader, scripted p99 (ms)",
         "eventDeliveryMs/scripted/p99"},
        {"event timeNano -> read by the driver's bare events reader, burst p50 (ms)",
         "eventDeliveryMs/burst/p50"},
        {"event timeNano -> read by the driver's bare events reader, burst p99 (ms)",
         "eventDeliveryMs/burst/p99"},
        {"event read by that reader -> view, scripted p50 (ms)", "afterDeliveryMs/scripted/p50"},
        {"event read by that reader -> view, scripted p99 (ms)", "afterDeliveryMs/scripted/p99"},
        {"event read by that reader -> view, burst p50 (ms)", "afterDeliveryMs/burst/p50"},
        {"event read by that reader -> view, burst p99 (ms)", "afterDeliveryMs/burst/p99"},
        {"shown before the call returned (counted 0)", "clampedAtZero"},
        {"workload: our CPU (ms)", "workload/cpuMs"},
        {"workload: dockerd CPU (ms)", "workload/dockerdCpuMs"},
        {"workload: API calls", "workload/apiCalls"},
        {"workload: API calls per op", "workload/apiCallsPerOp"},
        {"burst duration (s)", "workload/burstSeconds"},
        {"burst: our threads on a core (ms)", "burstScheduling/ours/cpuMs"},
        {"burst: our threads runnable, waiting for a core (ms)", "burstScheduling/ours/waitMs"},
        {"burst: engine thread on a core (ms)", "burstScheduling/threads/engine/cpuMs"},
        {"burst: engine thread waiting for a core (ms)", "burstScheduling/threads/engine/waitMs"},
        {"burst: server thread on a core (ms)", "burstScheduling/threads/server/cpuMs"},
        {"burst: server thread waiting for a core (ms)", "burstScheduling/threads/server/waitMs"},
        {"burst: main thread (replica, view) on a core (ms)", "burstScheduling/threads/main/cpuMs"},
        {"burst: main thread waiting for a core (ms)", "burstScheduling/threads/main/waitMs"},
        {"burst: dockerd on a core (ms)", "burstScheduling/dockerd/cpuMs"},
        {"burst: dockerd's threads waiting for a core (ms)", "burstScheduling/dockerd/waitMs"},
        {"burst: workload driver on a core (ms)", "burstScheduling/driver/cpuMs"},
        {"burst: workload driver waiting for a core (ms)", "burstScheduling/driver/waitMs"},
        {"converged after the burst (ms)", "convergeMs"},
        {"replica equal to the truth", "equalToTruth", true},
        {"ops never shown", "neverShown/total"},
        {"engine: event -> batch commit p50 (ms)", "engineMetrics/eventToCommitP50Ms"},
        {"engine: event -> batch commit p99 (ms)", "engineMetrics/eventToCommitP99Ms"},
        {"engine: inspects (whole run)", "engineMetrics/inspects"},
        {"engine: re-lists (whole run)", "engineMetrics/relists"},
        {"engine: drift checks", "engineMetrics/driftChecks"},
        {"engine: changes repaired by drift checks", "engineMetrics/driftRepairs"},
        {"RSS of the observer process, idle (MiB)", "rssMiBIdle"},
        {"RSS of the observer process, after the workload (MiB)", "rssMiBAfterWorkload"},
        {"new client snapshot, JSON (ms)", "snapshot/json/medianMs"},
        {"new client snapshot, JSON+zstd (ms)", "snapshot/json+zstd/medianMs"},
        {"new client snapshot, MessagePack (ms)", "snapshot/msgpack/medianMs"},
        {"new client snapshot, MessagePack+zstd (ms)", "snapshot/msgpack+zstd/medianMs"},
        {"snapshot bytes, JSON", "snapshot/json/bytesReceived"},
        {"snapshot bytes, MessagePack+zstd", "snapshot/msgpack+zstd/bytesReceived"},
    };
    for (auto& r : results) {
        for (const char* key : {"rssKbIdle", "rssKbAfterWorkload"}) {
            if (r.contains(key)) {
                std::string mib = std::string(key) == "rssKbIdle" ? "rssMiBIdle" : "rssMiBAfterWorkload";
                r[mib] = r[key].get<double>() / 1024.0;
            }
        }
    }
    const auto name = [](const Json& r) { return r.value("strategy", std::string("?")); };
    const std::optional<std::size_t> base = [&]() -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < results.size(); ++i)
            if (name(results[i]) == "dockscope")
                return i;
        return std::nullopt;
    }();
    static const std::map<std::string, std::string> titles{
        {"dockscope", "(a) Dockscope"}, {"poll", "(b) poll 1 s"}, {"relist", "(c) relist on events, 50 ms"}};
    std::string md = "### Dockscope end-to-end benchmark\n\n" + config.toStdString() + "\n\n| metric |";
    std::string rule = "|---|";
    for (const auto& r : results) {
        const auto t = titles.find(name(r));
        md += " " + (t != titles.end() ? t->second : name(r)) + " |";
        rule += "---:|";
    }
    if (base) {
        for (const auto& r : results) {
            if (name(r) != "dockscope") {
                md += " " + name(r) + " / dockscope |";
                rule += "---:|";
            }
        }
    }
    md += "\n" + rule + "\n";
    for (const auto& row : rows) {
        bool any = false;
        std::string line = "| " + row.label + " |";
        for (const auto& r : results) {
            const auto v = number(r, row.path);
            any = any || v.has_value();
            line += " " + (v ? (row.boolean ? (*v != 0 ? "yes" : "**no**") : format(*v)) : "-") + " |";
        }
        if (base) {
            const auto b = number(results[*base], row.path);
            for (const auto& r : results) {
                if (name(r) == "dockscope")
                    continue;
                const auto v = number(r, row.path);
                line += " " + (v && b && *b > 0 && !row.boolean ? format(*v / *b) + "x" : "-") + " |";
            }
        }
        if (any)
            md += line + "\n";
    }
    for (const auto& r : results) {
        if (r.contains("error"))
            md += "\n**" + name(r) + " failed:** " + r["error"].get<std::string>() + "\n";
        if (r.contains("difference"))
            md += "\n" + name(r) + " at the end: " + r["difference"].get<std::string>() + "\n";
    }
    std::fwrite(md.data(), 1, md.size(), stdout);
    std::fflush(stdout);
    if (!markdownPath.isEmpty()) {
        QFile file(markdownPath);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(QByteArray::fromStdString(md));
    }
    if (!out.isEmpty()) {
        QFile file(out);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "dockscope-bench: cannot write %s\n", qPrintable(out));
            return 1;
        }
        Json all{{"config", config.toStdString()}, {"strategies", results}};
        file.write(QByteArray::fromStdString(all.dump(2) + '\n'));
    }
    return rc;
}

} // namespace dockscope::bench
