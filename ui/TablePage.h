#pragma once

#include <QKeySequence>
#include <QStringList>
#include <QWidget>

#include <functional>

class QAbstractItemModel;
class QAction;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QToolBar;

namespace dockscope::ui {

/// A page of one entity table (images, volumes, networks): a toolbar of actions, a debounced search over
/// every column, a sortable multi-selection table.
class TablePage : public QWidget {
    Q_OBJECT

public:
    TablePage(QAbstractItemModel& model, int sortRole, QWidget* parent = nullptr);

    /// Adds a toolbar button (and context-menu entry); `needsSelection` disables it without a selection.
    QAction* addTool(const QString& text, const QKeySequence& key, bool needsSelection,
                     std::function<void()> handler);
    /// The IdRole of the selected rows.
    QStringList selectedIds() const;
    /// The display text of column 0 of the selected rows.
    QStringList selectedNames() const;
    QTableView* view() const { return view_; }

private:
    void updateActions();

    QSortFilterProxyModel* proxy_;
    QTableView* view_;
    QToolBar* bar_;
    QLineEdit* search_;
    QTimer* debounce_;
    QList<QAction*> selectionActions_;
};

} // namespace dockscope::ui
