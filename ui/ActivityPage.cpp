#include "ActivityPage.h"

#include "dockscope/client/models/EventFilterProxy.h"
#include "dockscope/client/models/EventModel.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace dockscope::ui {

using client::models::EventModel;

ActivityPage::ActivityPage(EventModel& model, QWidget* parent)
    : QWidget(parent)
    , model_(model)
    , proxy_(new client::models::EventFilterProxy(this))
    , view_(new QTableView(this))
    , search_(new QLineEdit(this))
    , type_(new QComboBox(this))
    , pause_(new QAction(tr("Pause"), this))
    , debounce_(new QTimer(this))
{
    proxy_->setSourceModel(&model_);
    view_->setModel(proxy_);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setColumnWidth(EventModel::TimeColumn, 90);
    view_->setColumnWidth(EventModel::TypeColumn, 90);
    view_->setColumnWidth(EventModel::ActionColumn, 120);
    view_->setColumnWidth(EventModel::ActorColumn, 220);
    view_->setWordWrap(false);

    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    pause_->setCheckable(true);
    pause_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    pause_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(pause_);
    bar->addAction(pause_);
    bar->addAction(tr("Clear"), this, [this] { model_.clear(); });
    bar->addSeparator();
    type_->addItem(tr("All types"), QString());
    for (const char* type : {"container", "image", "volume", "network", "daemon"})
        type_->addItem(QString::fromLatin1(type), QString::fromLatin1(type));
    bar->addWidget(type_);
    search_->setPlaceholderText(tr("Filter events…"));
    search_->setClearButtonEnabled(true);
    search_->setMaximumWidth(320);
    bar->addWidget(search_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(view_, 1);

    debounce_->setSingleShot(true);
    debounce_->setInterval(250);
    connect(search_, &QLineEdit::textChanged, debounce_, qOverload<>(&QTimer::start));
    connect(debounce_, &QTimer::timeout, this, [this] { proxy_->setSearchText(search_->text()); });
    connect(type_, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QString type = type_->itemData(index).toString();
        proxy_->setTypes(type.isEmpty() ? QSet<QString>() : QSet<QString>{type});
    });
    connect(pause_, &QAction::toggled, this, [this](bool paused) {
        model_.setPaused(paused);
        updatePauseText(model_.bufferedCount());
    });
    connect(&model_, &EventModel::bufferedCountChanged, this, &ActivityPage::updatePauseText);
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, &ActivityPage::rowsAdded);
    QTimer::singleShot(0, view_, [this] { view_->scrollToBottom(); });
}

void ActivityPage::rowsAdded()
{
    // Follow the newest events only while the user is at the end; reading older ones is not disturbed.
    // One scroll per turn of the event loop, however many events came in it.
    QScrollBar* bar = view_->verticalScrollBar();
    if (!scrollPending_ &&
        bar->value() >= bar->maximum() - 2 * view_->verticalHeader()->defaultSectionSize()) {
        scrollPending_ = true;
        QTimer::singleShot(0, view_, [this] {
            scrollPending_ = false;
            view_->scrollToBottom();
        });
    }
}

void ActivityPage::updatePauseText(int buffered)
{
    pause_->setText(model_.isPaused() ? tr("Resume (%1 waiting)").arg(buffered) : tr("Pause"));
}

} // namespace dockscope::ui
