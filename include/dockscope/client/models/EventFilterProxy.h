#pragma once

#include <QSet>
#include <QSortFilterProxyModel>
#include <QString>

namespace dockscope::client::models {

/// Filters an EventModel by event type and by text. Debouncing the text is the view's business.
class EventFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit EventFilterProxy(QObject* parent = nullptr);

    /// The types to show ("container", "image", ...); empty: every type.
    void setTypes(const QSet<QString>& types);
    QSet<QString> types() const { return types_; }

    /// Case-insensitive substring of the type, action, actor, details or an attribute value, or a prefix of
    /// the actor id. Empty: everything.
    void setSearchText(const QString& text);
    QString searchText() const { return search_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QSet<QString> types_;
    QString search_;
};

} // namespace dockscope::client::models
