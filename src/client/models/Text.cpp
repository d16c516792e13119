#include "dockscope/client/models/Text.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

namespace dockscope::client::models {

namespace {

QString count(qint64 n, const char* unit)
{
    return QString::number(n) + QLatin1Char(' ') + QLatin1String(unit);
}

// One folded run of ports: [first, last] inside the container, published from `publicFirst` when it is not 0.
struct PortRun {
    std::string ip;
    std::string type;
    int first = 0;
    int last = 0;
    int publicFirst = 0;
    int publicLast = 0;
};

QString range(int first, int last)
{
    return first == last ? QString::number(first)
                         : QString::number(first) + QLatin1Char('-') + QString::number(last);
}

QString runText(const PortRun& run)
{
    const QString type = QLatin1Char('/') + QString::fromStdString(run.type);
    if (run.publicFirst == 0)
        return range(run.first, run.last) + type;
    QString host = QString::fromStdString(run.ip);
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return host + QLatin1Char(':') + range(run.publicFirst, run.publicLast) + QStringLiteral("->") +
           range(run.first, run.last) + type;
}

bool extends(const PortRun& run, const state::Port& port)
{
    if (port.ip != run.ip || port.type != run.type || port.privatePort != run.last + 1)
        return false;
    return run.publicFirst == 0 ? port.publicPort == 0
                                : port.publicPort != 0 && port.publicPort == run.publicLast + 1;
}

} // namespace

qint64 toMsecs(state::Timestamp time)
{
    return time / 1'000'000;
}

QString humanDuration(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(ms, 0) / 1000;
    if (seconds < 1)
        return QStringLiteral("Less than a second");
    if (seconds == 1)
        return QStringLiteral("1 second");
    if (seconds < 60)
        return count(seconds, "seconds");
    const qint64 minutes = seconds / 60;
    if (minutes == 1)
        return QStringLiteral("About a minute");
    if (minutes < 60)
        return count(minutes, "minutes");
    // Docker rounds the hours (math.Round) but truncates the larger units derived from them.
    const auto hours = static_cast<qint64>(std::llround(static_cast<double>(ms) / 3'600'000.0));
    if (hours == 1)
        return QStringLiteral("About an hour");
    if (hours < 48)
        return count(hours, "hours");
    if (hours < 24 * 7 * 2)
        return count(hours / 24, "days");
    if (hours < 24 * 30 * 2)
        return count(hours / 24 / 7, "weeks");
    if (hours < 24 * 365 * 2)
        return count(hours / 24 / 30, "months");
    return count(ms / 3'600'000 / 24 / 365, "years");
}

QString relativeTimeText(state::Timestamp time, qint64 nowMs)
{
    if (time == 0)
        return {};
    return humanDuration(nowMs - toMsecs(time)) + QStringLiteral(" ago");
}

QString healthText(state::Health health)
{
    return health == state::Health::None ? QString() : QString::fromUtf8(state::toString(health));
}

QString statusText(const state::Container& c, qint64 nowMs)
{
    using state::ContainerState;
    const QString exitCode = QStringLiteral("(%1)").arg(c.exitCode);
    const QString up = QStringLiteral("Up ") + humanDuration(nowMs - toMsecs(c.startedAt));
    switch (c.state) {
    case ContainerState::Running:
        if (c.health == state::Health::Starting)
            return up + QStringLiteral(" (health: starting)");
        return c.health == state::Health::None
                   ? up
                   : up + QStringLiteral(" (") + healthText(c.health) + QLatin1Char(')');
    case ContainerState::Paused:
        return up + QStringLiteral(" (Paused)");
    case ContainerState::Restarting:
        return QStringLiteral("Restarting ") + exitCode + QLatin1Char(' ') +
               relativeTimeText(c.finishedAt, nowMs);
    case ContainerState::Removing:
        return QStringLiteral("Removal In Progress");
    case ContainerState::Dead:
        return QStringLiteral("Dead");
    case ContainerState::Created:
        return QStringLiteral("Created");
    case ContainerState::Exited:
        break;
    }
    if (c.startedAt == 0)
        return QStringLiteral("Created");
    if (c.finishedAt == 0)
        return QStringLiteral("Exited ") + exitCode;
    return QStringLiteral("Exited ") + exitCode + QLatin1Char(' ') + relativeTimeText(c.finishedAt, nowMs);
}

QString portsText(const std::vector<state::Port>& ports)
{
    std::vector<state::Port> sorted = ports;
    // Grouping order: runs form among ports of one address and type, published apart from exposed.
    const auto groupKey = [](const state::Port& p) {
        return std::make_tuple(p.ip, p.type, p.publicPort == 0, p.privatePort, p.publicPort);
    };
    std::sort(sorted.begin(), sorted.end(),
              [&](const auto& a, const auto& b) { return groupKey(a) < groupKey(b); });
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());

    std::vector<PortRun> runs;
    for (const state::Port& port : sorted) {
        if (!runs.empty() && extends(runs.back(), port)) {
            runs.back().last = port.privatePort;
            runs.back().publicLast = port.publicPort;
            continue;
        }
        runs.push_back(
            {port.ip, port.type, port.privatePort, port.privatePort, port.publicPort, port.publicPort});
    }
    // Display order: by container port, as docker ps.
    std::stable_sort(runs.begin(), runs.end(), [](const PortRun& a, const PortRun& b) {
        return std::tie(a.first, a.ip, a.publicFirst, a.type) <
               std::tie(b.first, b.ip, b.publicFirst, b.type);
    });
    QStringList parts;
    for (const PortRun& run : runs)
        parts << runText(run);
    return parts.join(QStringLiteral(", "));
}

QString sizeText(qint64 bytes)
{
    static constexpr std::array<const char*, 7> units{"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    // Step up while the value, rounded to three significant digits, would reach 1000 ("1000 kB" is "1 MB").
    while (unit + 1 < units.size() && std::abs(value) >= 999.5) {
        value /= 1000.0;
        ++unit;
    }
    return QString::number(value, 'g', 3) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

QStringList toStringList(const std::vector<std::string>& values)
{
    QStringList list;
    list.reserve(static_cast<qsizetype>(values.size()));
    for (const std::string& v : values)
        list << QString::fromStdString(v);
    return list;
}

QString shortId(const std::string& id)
{
    QString text = QString::fromStdString(id);
    if (text.startsWith(QLatin1String("sha256:")))
        text = text.mid(7);
    return text.left(12);
}

} // namespace dockscope::client::models
