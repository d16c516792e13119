#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace dockscope::client::models {

/// Filters and sorts a ContainerModel (or a ComposeTreeModel: a project row stays while one of its containers
/// passes, or when the search matches the project). Sorts by ContainerModel::SortRole. Debouncing the search
/// text is the view's business.
class ContainerFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    enum class StateFilter {
        All,
        Running, ///< running, paused, restarting
        Stopped, ///< created, exited, dead
    };
    Q_ENUM(StateFilter)

    explicit ContainerFilterProxy(QObject* parent = nullptr);

    /// Case-insensitive; matches a substring of the name, the image or the compose project, or a prefix of
    /// the id. Empty: everything.
    void setSearchText(const QString& text);
    QString searchText() const { return search_; }

    void setStateFilter(StateFilter filter);
    StateFilter stateFilter() const { return state_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool matchesSearch(const QModelIndex& index) const;
    bool matchesState(const QModelIndex& index) const;

    QString search_;
    StateFilter state_ = StateFilter::All;
};

} // namespace dockscope::client::models
