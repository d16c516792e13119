#include "dockscope/client/models/ContainerFilterProxy.h"

#include "dockscope/client/models/ContainerModel.h"
#include "dockscope/state/Container.h"

namespace dockscope::client::models {

ContainerFilterProxy::ContainerFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ContainerModel::SortRole);
    setDynamicSortFilter(true);
    // The project rows of the compose tree stay while a container under them passes.
    setRecursiveFilteringEnabled(true);
}

void ContainerFilterProxy::setSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == search_)
        return;
    search_ = trimmed;
    invalidateRowsFilter();
}

void ContainerFilterProxy::setStateFilter(StateFilter filter)
{
    if (filter == state_)
        return;
    state_ = filter;
    invalidateRowsFilter();
}

bool ContainerFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return matchesState(index) && matchesSearch(index);
}

bool ContainerFilterProxy::matchesSearch(const QModelIndex& index) const
{
    if (search_.isEmpty())
        return true;
    const auto contains = [&](int role) {
        return index.data(role).toString().contains(search_, Qt::CaseInsensitive);
    };
    return contains(ContainerModel::NameRole) || contains(ContainerModel::ImageRole) ||
           contains(ContainerModel::ProjectRole) ||
           index.data(ContainerModel::IdRole).toString().startsWith(search_, Qt::CaseInsensitive);
}

bool ContainerFilterProxy::matchesState(const QModelIndex& index) const
{
    if (state_ == StateFilter::All)
        return true;
    const QVariant value = index.data(ContainerModel::StateRole);
    if (!value.isValid()) // a project row: shown through its containers
        return false;
    using S = state::ContainerState;
    switch (static_cast<S>(value.toInt())) {
    case S::Running:
    case S::Paused:
    case S::Restarting:
        return state_ == StateFilter::Running;
    case S::Created:
    case S::Exited:
    case S::Dead:
        return state_ == StateFilter::Stopped;
    case S::Removing:
        break;
    }
    return false;
}

} // namespace dockscope::client::models
