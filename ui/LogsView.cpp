#include "LogsView.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/Text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace dockscope::ui {

namespace {

constexpr int kMaxHighlights = 2000;
const QColor kStderr(0xc6, 0x28, 0x28);

QString stampText(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(client::models::toMsecs(ns))
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

LogsView::LogsView(client::Replica& replica, QWidget* parent)
    : QWidget(parent)
    , replica_(replica)
    , text_(new QPlainTextEdit(this))
    , tail_(new QComboBox(this))
    , timestamps_(new QCheckBox(tr("Timestamps"), this))
    , follow_(new QToolButton(this))
    , search_(new QLineEdit(this))
    , found_(new QLabel(this))
    , searchDebounce_(new QTimer(this))
{
    text_->setReadOnly(true);
    text_->setMaximumBlockCount(kMaxLines);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setPlaceholderText(tr("No output yet."));
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);

    tail_->setObjectName(QStringLiteral("logsTail"));
    for (const int n : {100, 500, 1000})
        tail_->addItem(tr("Last %1 lines").arg(n), n);
    tail_->addItem(tr("All lines"), -1);
    tail_->setCurrentIndex(1);
    timestamps_->setObjectName(QStringLiteral("logsTimestamps"));
    follow_->setObjectName(QStringLiteral("logsFollow"));
    follow_->setText(tr("Follow"));
    follow_->setCheckable(true);
    follow_->setChecked(true);
    follow_->setToolTip(tr("Keep the newest line in view (scrolling up pauses it)"));
    search_->setObjectName(QStringLiteral("logsSearch"));
    search_->setPlaceholderText(tr("Search the logs (Enter: next, Shift+Enter: previous)"));
    search_->setClearButtonEnabled(true);
    auto* clear = new QToolButton(this);
    clear->setText(tr("Clear"));
    clear->setToolTip(tr("Clear the lines shown (the stream stays open)"));

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(tail_);
    bar->addWidget(timestamps_);
    bar->addWidget(follow_);
    bar->addWidget(clear);
    bar->addSpacing(12);
    bar->addWidget(search_, 1);
    bar->addWidget(found_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(text_, 1);

    connect(tail_, &QComboBox::currentIndexChanged, this, [this] {
        if (isStreaming() || endedCleanly_) {
            close();
            lines_.clear();
            lastTs_ = 0;
            rerender();
            open(false);
        }
    });
    connect(timestamps_, &QCheckBox::toggled, this, &LogsView::rerender);
    connect(follow_, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            text_->verticalScrollBar()->setValue(text_->verticalScrollBar()->maximum());
    });
    // Scrolling by hand (wheel, keys, the scroll bar) pauses following away from the bottom and resumes it
    // there. Only the user's own input counts: appends and re-layouts move the scroll bar too.
    text_->viewport()->installEventFilter(this);
    text_->installEventFilter(this);
    text_->verticalScrollBar()->installEventFilter(this);
    connect(clear, &QToolButton::clicked, this, [this] {
        lines_.clear();
        rerender();
    });
    searchDebounce_->setSingleShot(true);
    searchDebounce_->setInterval(200);
    connect(search_, &QLineEdit::textChanged, searchDebounce_, qOverload<>(&QTimer::start));
    connect(searchDebounce_, &QTimer::timeout, this, &LogsView::updateSearch);
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        if (searchDebounce_->isActive()) {
            searchDebounce_->stop();
            updateSearch();
        }
        findNext(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier);
    });
    auto* next = new QShortcut(QKeySequence::FindNext, this, [this] { findNext(false); });
    next->setContext(Qt::WidgetWithChildrenShortcut);
    auto* previous = new QShortcut(QKeySequence::FindPrevious, this, [this] { findNext(true); });
    previous->setContext(Qt::WidgetWithChildrenShortcut);

    connect(&replica_, &client::Replica::applied, this, [this](const state::Batch& batch) {
        for (const auto& change : batch.changes)
            if (change.kind == state::EntityKind::Container && QString::fromStdString(change.id) == id_) {
                containerChanged();
                return;
            }
    });
}

LogsView::~LogsView()
{
    close();
}

bool LogsView::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::Wheel:
    case QEvent::KeyRelease:
    case QEvent::MouseButtonRelease:
        // After Qt has scrolled: then look where the user left the view.
        QTimer::singleShot(0, this, [this] {
            QScrollBar* bar = text_->verticalScrollBar();
            follow_->setChecked(bar->value() >= bar->maximum());
        });
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void LogsView::setContainer(const QString& id)
{
    if (id == id_)
        return;
    close();
    id_ = id;
    lines_.clear();
    lastTs_ = 0;
    endedCleanly_ = false;
    rerender();
    if (active_)
        open(false);
}

void LogsView::setActive(bool active)
{
    active_ = active;
    if (!active)
        close();
    else if (!isStreaming() && !id_.isEmpty())
        open(!lines_.empty());
}

void LogsView::open(bool resumed)
{
    if (id_.isEmpty())
        return;
    endedCleanly_ = false;
    skipUpTo_ = resumed ? lastTs_ : 0;
    // Timestamps are always asked for: they let a reopened stream skip the lines already shown, and the
    // checkbox only changes how the kept lines are drawn.
    nlohmann::json params = {{"follow", true}, {"timestamps", true}};
    const int tail = tail_->currentData().toInt();
    if (tail < 0)
        params["tail"] = "all";
    else
        params["tail"] = tail;
    if (resumed && lastTs_ == 0)
        params["tail"] = 0; // nothing to match against: only what comes from now on
    stream_ = replica_.openStream(
        protocol::StreamWhat::Logs, id_.toStdString(), params, this,
        [this](const nlohmann::json& piece) { received(piece); },
        [this](const std::optional<protocol::ErrorInfo>& error) { ended(error); });
}

void LogsView::close()
{
    if (!stream_.isEmpty())
        replica_.closeStream(stream_);
    stream_.clear();
}

void LogsView::received(const nlohmann::json& piece)
{
    Line line;
    line.kind = piece.value("stream", std::string()) == "stderr" ? Line::Stderr : Line::Stdout;
    line.ts = piece.value("ts", std::int64_t{0});
    // Only a reopened stream's replay is skipped, by the newest time shown before it reopened: within one
    // stream Docker's stdout and stderr lines need not come in time order (two copiers write the log).
    if (line.ts != 0 && line.ts <= skipUpTo_)
        return;
    lastTs_ = std::max(lastTs_, line.ts);
    line.text = QString::fromStdString(piece.value("line", std::string()));
    addLine(std::move(line));
}

void LogsView::ended(const std::optional<protocol::ErrorInfo>& error)
{
    stream_.clear();
    endedCleanly_ = !error;
    Line note;
    note.kind = Line::Note;
    note.text = error ? tr("— %1 —").arg(QString::fromStdString(error->message))
                      : tr("— the container stopped; the logs continue when it starts again —");
    addLine(std::move(note));
}

void LogsView::containerChanged()
{
    if (!active_ || !endedCleanly_ || isStreaming())
        return;
    const auto& containers = replica_.state().containers();
    const auto found = containers.find(id_.toStdString());
    if (found != containers.end() && found->second.state == state::ContainerState::Running)
        open(true);
}

void LogsView::addLine(Line line)
{
    lines_.push_back(std::move(line));
    if (lines_.size() > static_cast<std::size_t>(kMaxLines))
        lines_.pop_front();
    render(lines_.back());
    scrollIfFollowing();
}

void LogsView::render(const Line& line)
{
    QTextCharFormat format;
    QString text = line.text;
    switch (line.kind) {
    case Line::Stdout:
        format.setForeground(palette().color(QPalette::Text));
        break;
    case Line::Stderr:
        format.setForeground(kStderr);
        break;
    case Line::Note:
        format.setForeground(palette().color(QPalette::PlaceholderText));
        format.setFontItalic(true);
        break;
    }
    if (timestamps_->isChecked() && line.ts != 0)
        text = stampText(line.ts) + QLatin1Char(' ') + text;
    QTextCursor cursor(text_->document());
    cursor.movePosition(QTextCursor::End);
    if (rendered_++ > 0)
        cursor.insertBlock();
    cursor.insertText(text, format);
}

void LogsView::rerender()
{
    text_->clear();
    rendered_ = 0;
    for (const Line& line : lines_)
        render(line);
    scrollIfFollowing();
    updateSearch();
}

void LogsView::scrollIfFollowing()
{
    if (follow_->isChecked())
        text_->verticalScrollBar()->setValue(text_->verticalScrollBar()->maximum());
}

void LogsView::updateSearch()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString needle = search_->text();
    matches_ = 0;
    if (!needle.isEmpty()) {
        QTextCharFormat highlight;
        highlight.setBackground(QColor(0xff, 0xe0, 0x82));
        highlight.setForeground(Qt::black);
        QTextCursor at(text_->document());
        while (true) {
            at = text_->document()->find(needle, at);
            if (at.isNull())
                break;
            ++matches_;
            if (selections.size() < kMaxHighlights)
                selections.append({at, highlight});
        }
    }
    text_->setExtraSelections(selections);
    found_->setText(needle.isEmpty() ? QString()
                    : matches_ == 1  ? tr("1 match")
                                     : tr("%1 matches").arg(matches_));
}

void LogsView::findNext(bool backward)
{
    const QString needle = search_->text();
    if (needle.isEmpty())
        return;
    const QTextDocument::FindFlags flags =
        backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (!text_->find(needle, flags)) {
        // Wrap around.
        QTextCursor cursor(text_->document());
        cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
        text_->setTextCursor(cursor);
        text_->find(needle, flags);
    }
    follow_->setChecked(false); // looking at a match: new lines must not scroll it away
}

} // namespace dockscope::ui
