#include "BenchUtil.h"

#include <QDir>
#include <QFile>

#include <cstdio>
#include <ctime>
#include <memory>
#include <unistd.h>

namespace dockscope::bench {

namespace {

std::int64_t clockNs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

std::int64_t monoNs()
{
    return clockNs(CLOCK_MONOTONIC);
}

std::int64_t wallNs()
{
    return clockNs(CLOCK_REALTIME);
}

std::int64_t selfCpuNs()
{
    return clockNs(CLOCK_PROCESS_CPUTIME_ID);
}

std::int64_t processCpuNs(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = file.readAll();
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // Fields 14 and 15 (utime, stime) are at indexes 11 and 12 after the state field (field 3).
    if (fields.size() < 13)
        return -1;
    const long ticks = sysconf(_SC_CLK_TCK);
    return (fields[11].toLongLong() + fields[12].toLongLong()) * (1'000'000'000 / ticks);
}

std::map<std::string, SchedTimes> threadSchedTimes(qint64 pid)
{
    const QString process = pid > 0 ? QString::number(pid) : QString::number(getpid());
    std::map<std::string, SchedTimes> out;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(process));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(tasks.filePath(tid + QStringLiteral("/schedstat")));
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!stat.open(QIODevice::ReadOnly) || !comm.open(QIODevice::ReadOnly))
            continue; // ended meanwhile, or no schedstats in this kernel
        const QList<QByteArray> fields = stat.readAll().trimmed().split(' ');
        if (fields.size() < 2)
            continue;
        const std::string role = tid == process ? "main" : comm.readAll().trimmed().toStdString();
        out[role] += SchedTimes{fields[0].toLongLong(), fields[1].toLongLong()};
    }
    return out;
}

std::map<std::string, SchedTimes> schedSpan(const std::map<std::string, SchedTimes>& before,
                                            const std::map<std::string, SchedTimes>& after)
{
    std::map<std::string, SchedTimes> out;
    for (const auto& [role, end] : after) {
        const auto start = before.find(role);
        if (start != before.end())
            out[role] = {end.cpuNs - start->second.cpuNs, end.waitNs - start->second.waitNs};
    }
    return out;
}

std::int64_t selfRssKb()
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 pidFromFile(const QString& path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toLongLong();
}

std::optional<docker::Endpoint> resolveEndpoint(const QString& host)
{
    const auto explicitHost = host.isEmpty() ? std::nullopt : std::optional(host.toStdString());
    const auto resolution =
        docker::EndpointResolver::resolve(docker::EndpointResolver::fromEnvironment(explicitHost));
    if (!resolution.endpoint)
        std::fprintf(stderr, "dockscope-bench: no Docker endpoint: %s\n", resolution.error.c_str());
    return resolution.endpoint;
}

docker::DockerClient::Options clientOptions(const docker::Endpoint& endpoint, int connections)
{
    docker::DockerClient::Options options;
    options.endpoint = endpoint;
    options.maxConnections = connections;
    return options;
}

void runConcurrently(std::vector<Task> tasks, int inFlight)
{
    if (tasks.empty())
        return;
    struct Run {
        std::vector<Task> tasks;
        std::size_t next = 0;
        std::size_t finished = 0;
        int running = 0;
        QEventLoop loop;
    };
    auto run = std::make_shared<Run>();
    run->tasks = std::move(tasks);
    std::function<void()> launch;
    launch = [run, inFlight, &launch] {
        while (run->running < inFlight && run->next < run->tasks.size()) {
            ++run->running;
            auto& task = run->tasks[run->next++];
            task([run, &launch] {
                --run->running;
                if (++run->finished == run->tasks.size())
                    run->loop.quit();
                else
                    launch();
            });
        }
    };
    launch();
    if (run->finished < run->tasks.size())
        run->loop.exec();
}

} // namespace dockscope::bench
