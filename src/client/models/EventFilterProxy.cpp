#include "dockscope/client/models/EventFilterProxy.h"

#include "dockscope/client/models/EventModel.h"

#include <QVariantMap>

namespace dockscope::client::models {

EventFilterProxy::EventFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(EventModel::SortRole);
    setDynamicSortFilter(true);
}

void EventFilterProxy::setTypes(const QSet<QString>& types)
{
    if (types == types_)
        return;
    types_ = types;
    invalidateRowsFilter();
}

void EventFilterProxy::setSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == search_)
        return;
    search_ = trimmed;
    invalidateRowsFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!types_.isEmpty() && !types_.contains(index.data(EventModel::TypeRole).toString()))
        return false;
    if (search_.isEmpty())
        return true;
    if (index.data(EventModel::ActorIdRole).toString().startsWith(search_, Qt::CaseInsensitive))
        return true;
    for (int column = EventModel::TypeColumn; column < EventModel::ColumnCount; ++column) {
        if (index.siblingAtColumn(column).data().toString().contains(search_, Qt::CaseInsensitive))
            return true;
    }
    const QVariantMap attributes = index.data(EventModel::AttributesRole).toMap();
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it) {
        if (it.value().toString().contains(search_, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace dockscope::client::models
