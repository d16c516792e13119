#include "ContainerCells.h"

#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/client/models/Text.h"

#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

#include <nlohmann/json.hpp>

#include <tuple>

namespace dockscope::client::models {

namespace {

using M = ContainerModel;

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

QVariantList portsList(const std::vector<state::Port>& ports)
{
    QVariantList list;
    for (const state::Port& p : ports) {
        list.push_back(QVariantMap{{QStringLiteral("ip"), text(p.ip)},
                                   {QStringLiteral("privatePort"), int(p.privatePort)},
                                   {QStringLiteral("publicPort"), int(p.publicPort)},
                                   {QStringLiteral("type"), text(p.type)}});
    }
    return list;
}

// Status sorts by state (running first), then by the time the text counts from.
qint64 statusSortKey(const state::Container& c)
{
    using S = state::ContainerState;
    static constexpr qint64 kRankStep = 10'000'000'000'000'000; // above any ms timestamp
    int rank = 0;
    switch (c.state) {
    case S::Running:
        rank = 0;
        break;
    case S::Paused:
        rank = 1;
        break;
    case S::Restarting:
        rank = 2;
        break;
    case S::Created:
        rank = 3;
        break;
    case S::Exited:
        rank = 4;
        break;
    case S::Dead:
        rank = 5;
        break;
    case S::Removing:
        rank = 6;
        break;
    }
    const bool up = c.state == S::Running || c.state == S::Paused;
    return rank * kRankStep + toMsecs(up ? c.startedAt : c.finishedAt);
}

QVariant display(const state::Container& c, const QString& pending, qint64 nowMs, int column)
{
    switch (column) {
    case M::NameColumn:
        return text(c.name);
    case M::ImageColumn:
        return text(c.image);
    case M::StateColumn:
        return QString::fromUtf8(state::toString(c.state));
    case M::HealthColumn:
        return healthText(c.health);
    case M::StatusColumn:
        return pending.isEmpty() ? statusText(c, nowMs) : pending;
    case M::PortsColumn:
        return portsText(c.ports);
    case M::CreatedColumn:
        return relativeTimeText(c.createdAt, nowMs);
    case M::ProjectColumn:
        return text(c.composeProject);
    default:
        return {};
    }
}

QVariant sortKey(const state::Container& c, int column)
{
    switch (column) {
    case M::NameColumn:
        return text(c.name).toLower();
    case M::ImageColumn:
        return text(c.image).toLower();
    case M::StateColumn:
        return int(c.state);
    case M::HealthColumn:
        return int(c.health);
    case M::StatusColumn:
        return statusSortKey(c);
    case M::PortsColumn:
        return portsText(c.ports);
    case M::CreatedColumn:
        return qint64(c.createdAt);
    case M::ProjectColumn:
        return (text(c.composeProject) + QLatin1Char('/') + text(c.composeService)).toLower();
    default:
        return {};
    }
}

QVariant rowRole(const state::Container& c, int role)
{
    switch (role) {
    case M::StateRole:
        return int(c.state);
    case M::HealthRole:
        return int(c.health);
    case M::ExitCodeRole:
        return c.exitCode;
    case M::StartedAtRole:
        return toMsecs(c.startedAt);
    case M::FinishedAtRole:
        return toMsecs(c.finishedAt);
    case M::CreatedAtRole:
        return toMsecs(c.createdAt);
    case M::ProjectRole:
        return text(c.composeProject);
    case M::ServiceRole:
        return text(c.composeService);
    case M::PortsRole:
        return portsList(c.ports);
    case M::NameRole:
        return text(c.name);
    case M::ImageRole:
        return text(c.image);
    default:
        return {};
    }
}

} // namespace

QVariant containerCell(const state::Container& c, const QString& pending, qint64 nowMs, int column, int role)
{
    if (role == Qt::DisplayRole)
        return display(c, pending, nowMs, column);
    if (role == M::SortRole)
        return sortKey(c, column);
    return rowRole(c, role);
}

ChangedCells containerChangedCells(const nlohmann::json& diff)
{
    const int D = Qt::DisplayRole;
    static const FieldEffect kEffects[] = {
        {"name", column(M::NameColumn), {D, M::NameRole}},
        {"image", column(M::ImageColumn), {D, M::ImageRole}},
        {"state", column(M::StateColumn) | column(M::StatusColumn), {D, M::StateRole}},
        {"health", column(M::HealthColumn) | column(M::StatusColumn), {D, M::HealthRole}},
        {"exitCode", column(M::StatusColumn), {D, M::ExitCodeRole}},
        {"startedAt", column(M::StatusColumn), {D, M::StartedAtRole}},
        {"finishedAt", column(M::StatusColumn), {D, M::FinishedAtRole}},
        {"ports", column(M::PortsColumn), {D, M::PortsRole}},
        {"createdAt", column(M::CreatedColumn), {D, M::CreatedAtRole}},
        {"composeProject", column(M::ProjectColumn), {D, M::ProjectRole}},
        {"composeService", column(M::ProjectColumn), {M::ServiceRole}},
    };
    return ChangedCells::fromDiff(diff, kEffects);
}

bool containerClearsPending(const nlohmann::json& diff)
{
    return diff.is_object() &&
           (diff.contains("state") || diff.contains("startedAt") || diff.contains("finishedAt"));
}

bool containerResetOrder(const state::Container& a, const state::Container& b)
{
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
}

QStringList containerHeaders()
{
    return {QStringLiteral("Name"),    QStringLiteral("Image"),  QStringLiteral("State"),
            QStringLiteral("Health"),  QStringLiteral("Status"), QStringLiteral("Ports"),
            QStringLiteral("Created"), QStringLiteral("Project")};
}

std::uint32_t containerTimeColumns()
{
    return column(M::StatusColumn) | column(M::CreatedColumn);
}

} // namespace dockscope::client::models
