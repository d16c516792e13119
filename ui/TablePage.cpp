#include "TablePage.h"

#include "HighlightDelegate.h"
#include "ItemViewTuning.h"

#include "dockscope/client/models/Roles.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace dockscope::ui {

TablePage::TablePage(QAbstractItemModel& model, int sortRole, QWidget* parent)
    : QWidget(parent)
    , proxy_(new QSortFilterProxyModel(this))
    , view_(new QTableView(this))
    , bar_(new QToolBar(this))
    , search_(new QLineEdit(this))
    , debounce_(new QTimer(this))
{
    proxy_->setSourceModel(&model);
    proxy_->setSortRole(sortRole);
    proxy_->setFilterKeyColumn(-1);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(0, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 8);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->horizontalHeader()->setDefaultSectionSize(160);
    view_->setContextMenuPolicy(Qt::ActionsContextMenu);
    view_->setWordWrap(false);
    view_->setItemDelegate(new HighlightDelegate(view_)); // a changed row lights up, then fades
    tuneForManyRows(view_);

    bar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    search_->setPlaceholderText(tr("Filter…"));
    search_->setClearButtonEnabled(true);
    search_->setMaximumWidth(320);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar_);
    layout->addWidget(view_, 1);

    debounce_->setSingleShot(true);
    debounce_->setInterval(250);
    connect(search_, &QLineEdit::textChanged, debounce_, qOverload<>(&QTimer::start));
    connect(debounce_, &QTimer::timeout, this, [this] { proxy_->setFilterFixedString(search_->text()); });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TablePage::updateActions);
    connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &TablePage::updateActions);
}

QAction* TablePage::addTool(const QString& text, const QKeySequence& key, bool needsSelection,
                            std::function<void()> handler)
{
    auto* action = new QAction(text, this);
    if (!key.isEmpty()) {
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    }
    connect(action, &QAction::triggered, this, std::move(handler));
    bar_->addAction(action);
    addAction(action);
    view_->addAction(action);
    if (needsSelection) {
        selectionActions_.append(action);
        action->setEnabled(false);
    }
    // The search box goes after the page's actions, once they are all added.
    static const char* searchProperty = "dockscopeSearch";
    if (!bar_->property(searchProperty).toBool()) {
        bar_->setProperty(searchProperty, true);
        QTimer::singleShot(0, this, [this] {
            bar_->addSeparator();
            bar_->addWidget(search_);
        });
    }
    return action;
}

void TablePage::updateActions()
{
    const bool any = view_->selectionModel()->hasSelection();
    for (QAction* action : std::as_const(selectionActions_))
        action->setEnabled(any);
}

QStringList TablePage::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = view_->selectionModel()->selectedRows(0);
    for (const QModelIndex& index : rows)
        ids.append(index.data(client::models::roles::Id).toString());
    return ids;
}

QStringList TablePage::selectedNames() const
{
    QStringList names;
    const QModelIndexList rows = view_->selectionModel()->selectedRows(0);
    for (const QModelIndex& index : rows)
        names.append(index.data().toString());
    return names;
}

} // namespace dockscope::ui
