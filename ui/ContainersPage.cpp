#include "ContainersPage.h"

#include "ActionSender.h"
#include "ContainerDetailsView.h"
#include "HighlightDelegate.h"
#include "Icons.h"
#include "ItemViewTuning.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/client/models/ContainerFilterProxy.h"
#include "dockscope/client/models/ContainerModel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace dockscope::ui {

using client::models::ComposeTreeModel;
using client::models::ContainerFilterProxy;
using client::models::ContainerModel;

namespace {

/// Paints the state as a coloured circle before the name (project rows get none), over the fading highlight
/// of a recently changed row.
class StateDelegate : public HighlightDelegate {
public:
    using HighlightDelegate::HighlightDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        HighlightDelegate::initStyleOption(option, index);
        if (index.column() != ContainerModel::NameColumn ||
            index.data(ComposeTreeModel::IsGroupRole).toBool())
            return;
        const QVariant stateValue = index.data(ContainerModel::StateRole);
        if (!stateValue.isValid())
            return;
        const auto containerState = static_cast<state::ContainerState>(stateValue.toInt());
        const auto health = static_cast<state::Health>(index.data(ContainerModel::HealthRole).toInt());
        option->icon = stateIcon(containerState, health);
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->decorationSize = QSize(14, 14);
        if (!index.data(ContainerModel::PendingRole).toString().isEmpty())
            option->font.setItalic(true);
    }
};

} // namespace

ContainersPage::ContainersPage(client::Replica& replica, ContainerModel& table, ComposeTreeModel& tree,
                               ActionSender& actions, QWidget* parent)
    : QWidget(parent)
    , replica_(replica)
    , table_(table)
    , tree_(tree)
    , actions_(actions)
    , proxy_(new ContainerFilterProxy(this))
    , view_(new QTreeView(this))
    , details_(nullptr)
    , search_(new QLineEdit(this))
    , stateFilter_(new QComboBox(this))
    , group_(new QCheckBox(tr("Group by project"), this))
    , debounce_(new QTimer(this))
{
    proxy_->setSourceModel(&table_);
    proxy_->setSortRole(ContainerModel::SortRole);
    view_->setModel(proxy_);
    view_->setRootIsDecorated(false);
    view_->setUniformRowHeights(true);
    view_->setSortingEnabled(true);
    view_->sortByColumn(ContainerModel::NameColumn, Qt::AscendingOrder);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setAlternatingRowColors(true);
    view_->setItemDelegate(new StateDelegate(view_));
    tuneForManyRows(view_);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    view_->header()->setStretchLastSection(true);
    view_->setColumnWidth(ContainerModel::NameColumn, 200);
    view_->setColumnWidth(ContainerModel::ImageColumn, 180);
    view_->setColumnWidth(ContainerModel::StateColumn, 70);
    view_->setColumnWidth(ContainerModel::HealthColumn, 75);
    view_->setColumnWidth(ContainerModel::StatusColumn, 230);
    view_->setColumnWidth(ContainerModel::PortsColumn, 160);
    view_->setColumnWidth(ContainerModel::CreatedColumn, 140);

    details_ = new ContainerDetailsView(replica_, this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(view_);
    splitter->addWidget(details_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    buildToolbar();
    layout->addWidget(findChild<QToolBar*>());
    layout->addWidget(splitter, 1);

    debounce_->setSingleShot(true);
    debounce_->setInterval(250);
    connect(search_, &QLineEdit::textChanged, debounce_, qOverload<>(&QTimer::start));
    connect(debounce_, &QTimer::timeout, this, [this] { proxy_->setSearchText(search_->text()); });
    connect(stateFilter_, &QComboBox::currentIndexChanged, this, [this](int i) {
        proxy_->setStateFilter(
            static_cast<ContainerFilterProxy::StateFilter>(stateFilter_->itemData(i).toInt()));
    });
    connect(group_, &QCheckBox::toggled, this, &ContainersPage::setGrouped);
    connect(view_, &QWidget::customContextMenuRequested, this, &ContainersPage::showContextMenu);
    connect(view_, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.column() == ContainerModel::PortsColumn)
            openPorts(index);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ContainersPage::updateActions);
    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ContainersPage::currentChanged);
    // A state change of a selected row may enable or disable actions.
    connect(proxy_, &QAbstractItemModel::dataChanged, this, &ContainersPage::updateActions);
    updateActions();
}

void ContainersPage::buildToolbar()
{
    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buildActions();
    for (QAction* action : {start_, stop_, restart_, pause_, kill_, remove_, rename_})
        bar->addAction(action);
    bar->addSeparator();
    search_->setObjectName(QStringLiteral("containerSearch"));
    search_->setPlaceholderText(tr("Search name, image, project or id…"));
    search_->setClearButtonEnabled(true);
    search_->setMaximumWidth(320);
    bar->addWidget(search_);
    stateFilter_->setObjectName(QStringLiteral("stateFilter"));
    stateFilter_->addItem(tr("All"), static_cast<int>(ContainerFilterProxy::StateFilter::All));
    stateFilter_->addItem(tr("Running"), static_cast<int>(ContainerFilterProxy::StateFilter::Running));
    stateFilter_->addItem(tr("Stopped"), static_cast<int>(ContainerFilterProxy::StateFilter::Stopped));
    bar->addWidget(stateFilter_);
    bar->addWidget(group_);
    auto* focusSearch = new QAction(this);
    focusSearch->setShortcut(QKeySequence::Find);
    focusSearch->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(focusSearch, &QAction::triggered, search_, [this] { search_->setFocus(); });
    addAction(focusSearch);
}

void ContainersPage::buildActions()
{
    auto make = [this](const QString& text, const QKeySequence& key, void (ContainersPage::*slot)()) {
        auto* action = new QAction(text, this);
        action->setObjectName(text.toLower().remove(QStringLiteral("…")));
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    start_ = make(tr("Start"), QKeySequence(Qt::CTRL | Qt::Key_S), &ContainersPage::startSelected);
    stop_ = make(tr("Stop"), QKeySequence(Qt::CTRL | Qt::Key_T), &ContainersPage::stopSelected);
    restart_ = make(tr("Restart"), QKeySequence(Qt::CTRL | Qt::Key_R), &ContainersPage::restartSelected);
    pause_ = make(tr("Pause"), QKeySequence(Qt::CTRL | Qt::Key_P), &ContainersPage::togglePauseSelected);
    kill_ = make(tr("Kill"), QKeySequence(Qt::CTRL | Qt::Key_K), &ContainersPage::killSelected);
    remove_ = make(tr("Remove…"), QKeySequence(QKeySequence::Delete), &ContainersPage::removeSelected);
    rename_ = make(tr("Rename…"), QKeySequence(Qt::Key_F2), &ContainersPage::renameCurrent);
    open_ = new QAction(tr("Open published port"), this);
    open_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    open_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(open_, &QAction::triggered, this, [this] { openPorts(view_->currentIndex()); });
    addAction(open_);
}

void ContainersPage::setGrouped(bool grouped)
{
    if (group_->isChecked() != grouped)
        group_->setChecked(grouped);
    QAbstractItemModel* source = grouped ? static_cast<QAbstractItemModel*>(&tree_) : &table_;
    if (proxy_->sourceModel() == source)
        return;
    proxy_->setSourceModel(source);
    view_->setRootIsDecorated(grouped);
    if (grouped)
        view_->expandAll();
    updateActions();
}

bool ContainersPage::isGrouped() const
{
    return proxy_->sourceModel() == &tree_;
}

bool ContainersPage::selectFirst(const QString& nameContains)
{
    for (int row = 0; row < proxy_->rowCount(); ++row) {
        QModelIndex index = proxy_->index(row, 0);
        if (index.data(ComposeTreeModel::IsGroupRole).toBool())
            index = proxy_->index(0, 0, index);
        if (!index.isValid() || !index.data().toString().contains(nameContains))
            continue;
        view_->setCurrentIndex(index);
        view_->selectionModel()->select(index,
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        return true;
    }
    return false;
}

void ContainersPage::showDetailsTab(int tab)
{
    details_->showTab(tab);
}

QStringList ContainersPage::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = view_->selectionModel()->selectedRows(0);
    for (const QModelIndex& index : rows) {
        if (index.data(ComposeTreeModel::IsGroupRole).toBool()) {
            for (int r = 0; r < proxy_->rowCount(index); ++r)
                ids.append(proxy_->index(r, 0, index).data(ContainerModel::IdRole).toString());
        } else {
            ids.append(index.data(ContainerModel::IdRole).toString());
        }
    }
    ids.removeAll(QString());
    ids.removeDuplicates();
    return ids;
}

QString ContainersPage::nameOf(const QString& id) const
{
    const auto& containers = replica_.state().containers();
    const auto found = containers.find(id.toStdString());
    return found == containers.end() ? id.left(12) : QString::fromStdString(found->second.name);
}

void ContainersPage::updateActions()
{
    bool anyRunning = false, anyStopped = false, anyPaused = false;
    const QStringList ids = selectedIds();
    const auto& containers = replica_.state().containers();
    for (const QString& id : ids) {
        const auto found = containers.find(id.toStdString());
        if (found == containers.end())
            continue;
        const auto s = found->second.state;
        anyPaused |= s == state::ContainerState::Paused;
        anyRunning |= s == state::ContainerState::Running || s == state::ContainerState::Restarting;
        anyStopped |= s == state::ContainerState::Created || s == state::ContainerState::Exited ||
                      s == state::ContainerState::Dead;
    }
    const bool any = !ids.isEmpty();
    start_->setEnabled(anyStopped);
    stop_->setEnabled(anyRunning || anyPaused);
    restart_->setEnabled(any);
    pause_->setEnabled(anyRunning || anyPaused);
    pause_->setText(anyPaused && !anyRunning ? tr("Unpause") : tr("Pause"));
    kill_->setEnabled(anyRunning || anyPaused);
    remove_->setEnabled(any);
    rename_->setEnabled(ids.size() == 1);
}

void ContainersPage::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = view_->indexAt(pos);
    if (!index.isValid())
        return;
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (QAction* action : {start_, stop_, restart_, pause_, kill_})
        menu->addAction(action);
    menu->addSeparator();
    menu->addAction(rename_);
    menu->addAction(remove_);
    if (QMenu* ports = portsMenu(index)) {
        menu->addSeparator();
        menu->addMenu(ports);
    }
    menu->popup(view_->viewport()->mapToGlobal(pos));
}

namespace {

/// The URLs of a container's published ports (PortsRole maps).
QList<QUrl> publishedUrls(const QModelIndex& index)
{
    QList<QUrl> urls;
    const QVariantList ports = index.data(ContainerModel::PortsRole).toList();
    for (const QVariant& value : ports) {
        const QVariantMap port = value.toMap();
        const int publicPort = port.value(QStringLiteral("publicPort")).toInt();
        if (publicPort <= 0 || port.value(QStringLiteral("type")).toString() != QLatin1String("tcp"))
            continue;
        QString host = port.value(QStringLiteral("ip")).toString();
        if (host.isEmpty() || host == QLatin1String("0.0.0.0") || host == QLatin1String("::"))
            host = QStringLiteral("localhost");
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(host);
        url.setPort(publicPort);
        if (!urls.contains(url))
            urls.append(url);
    }
    return urls;
}

} // namespace

QMenu* ContainersPage::portsMenu(const QModelIndex& index)
{
    const QList<QUrl> urls = publishedUrls(index.siblingAtColumn(0));
    if (urls.isEmpty())
        return nullptr;
    auto* menu = new QMenu(tr("Open in browser"), this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (const QUrl& url : urls)
        menu->addAction(url.toString(), this, [url] { QDesktopServices::openUrl(url); });
    return menu;
}

void ContainersPage::openPorts(const QModelIndex& index)
{
    const QList<QUrl> urls = publishedUrls(index.siblingAtColumn(0));
    if (!urls.isEmpty())
        QDesktopServices::openUrl(urls.first());
}

void ContainersPage::currentChanged(const QModelIndex& current)
{
    const QString id = current.data(ContainerModel::IdRole).toString();
    details_->showContainer(current.data(ComposeTreeModel::IsGroupRole).toBool() ? QString() : id);
}

} // namespace dockscope::ui
