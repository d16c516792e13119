#include "dockscope/client/models/NetworkModel.h"

#include "dockscope/client/models/Text.h"

#include <nlohmann/json.hpp>

#include <tuple>

namespace dockscope::client::models {

namespace {

QVariant display(const state::Network& n, int column)
{
    switch (column) {
    case NetworkModel::NameColumn:
        return QString::fromStdString(n.name);
    case NetworkModel::DriverColumn:
        return QString::fromStdString(n.driver);
    case NetworkModel::ScopeColumn:
        return QString::fromStdString(n.scope);
    case NetworkModel::ContainersColumn:
        return static_cast<int>(n.containers.size());
    case NetworkModel::SubnetsColumn:
        return toStringList(n.subnets).join(QStringLiteral(", "));
    case NetworkModel::InternalColumn:
        return n.internal ? QStringLiteral("yes") : QStringLiteral("no");
    default:
        return {};
    }
}

} // namespace

NetworkModel::NetworkModel(QObject* parent)
    : EntityTableModel({QStringLiteral("Name"), QStringLiteral("Driver"), QStringLiteral("Scope"),
                        QStringLiteral("Containers"), QStringLiteral("Subnets"), QStringLiteral("Internal")},
                       0, parent)
{}

QVariant NetworkModel::cell(const Row& row, int column, int role) const
{
    const state::Network& n = row.value;
    switch (role) {
    case Qt::DisplayRole:
        return display(n, column);
    case SortRole:
        if (column == ContainersColumn)
            return static_cast<int>(n.containers.size());
        if (column == InternalColumn)
            return n.internal;
        return display(n, column).toString().toLower();
    case ContainersRole:
        return toStringList(n.containers);
    case SubnetsRole:
        return toStringList(n.subnets);
    case InternalRole:
        return n.internal;
    default:
        return {};
    }
}

ChangedCells NetworkModel::changedCells(const nlohmann::json& diff) const
{
    const int D = Qt::DisplayRole;
    static const FieldEffect kEffects[] = {
        {"name", column(NameColumn), {D}},
        {"driver", column(DriverColumn), {D}},
        {"scope", column(ScopeColumn), {D}},
        {"containers", column(ContainersColumn), {D, ContainersRole}},
        {"subnets", column(SubnetsColumn), {D, SubnetsRole}},
        {"internal", column(InternalColumn), {D, InternalRole}},
    };
    return ChangedCells::fromDiff(diff, kEffects);
}

bool NetworkModel::resetOrder(const state::Network& a, const state::Network& b) const
{
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
}

} // namespace dockscope::client::models
