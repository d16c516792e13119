#include "HighlightDelegate.h"

#include "dockscope/client/models/Roles.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QPointer>
#include <QRegion>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace dockscope::ui {

namespace {

constexpr int kFrameMs = 40;
constexpr double kMaxAlpha = 0.45;

/// The shared repaint timer: repaints the rows that have a fading highlight until their fade is over, then
/// stops. Lives as a child of the application (created on first use). Only those rows' bands of the
/// viewport are repainted, not the whole viewport: at 1000 rows, during a burst, some row is always fading.
class FadeClock : public QObject {
public:
    static FadeClock* instance(bool create)
    {
        static QPointer<FadeClock> clock;
        if (!clock && create && QCoreApplication::instance())
            clock = new FadeClock(QCoreApplication::instance());
        return clock;
    }

    /// A row painted in `rect` (viewport coordinates) fades until `untilMs`.
    void keep(QAbstractItemView* view, const QRect& rect, qint64 untilMs)
    {
        auto it =
            std::find_if(views_.begin(), views_.end(), [view](const Entry& e) { return e.view == view; });
        if (it == views_.end()) {
            views_.push_back({view, {}});
            it = views_.end() - 1;
        }
        // The whole width of the row: the view paints the row's background and every cell in it.
        const Band band{rect.top(), rect.height(), scrollOf(view), untilMs};
        const auto same = std::find_if(it->bands.begin(), it->bands.end(), [&band](const Band& b) {
            return b.top == band.top && b.height == band.height && b.scroll == band.scroll;
        });
        if (same == it->bands.end())
            it->bands.push_back(band);
        else
            same->until = std::max(same->until, untilMs);
        if (!timer_.isActive())
            timer_.start();
    }

    bool active() const { return timer_.isActive(); }

private:
    struct Band {
        int top = 0;
        int height = 0;
        QPoint scroll; ///< the view's scroll position when the row was painted there
        qint64 until = 0;
    };
    struct Entry {
        QPointer<QAbstractItemView> view;
        std::vector<Band> bands;
    };

    explicit FadeClock(QObject* parent)
        : QObject(parent)
    {
        timer_.setInterval(kFrameMs);
        connect(&timer_, &QTimer::timeout, this, &FadeClock::tick);
    }

    static QPoint scrollOf(const QAbstractItemView* view)
    {
        return {view->horizontalScrollBar()->value(), view->verticalScrollBar()->value()};
    }

    void tick()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (Entry& e : views_) {
            if (!e.view)
                continue;
            QWidget* viewport = e.view->viewport();
            const QPoint scroll = scrollOf(e.view);
            // A band painted before a scroll is elsewhere now (scrolling moves the painted pixels without
            // repainting them): repaint the whole viewport once, which paints and keeps the rows anew.
            const bool moved = std::any_of(e.bands.begin(), e.bands.end(),
                                           [&scroll](const Band& b) { return b.scroll != scroll; });
            if (moved) {
                viewport->update();
                std::erase_if(e.bands,
                              [&scroll, now](const Band& b) { return b.scroll != scroll || b.until <= now; });
                continue;
            }
            QRegion region;
            for (const Band& b : e.bands) // the last frame too, which paints no highlight
                region += QRect(0, b.top, viewport->width(), b.height);
            viewport->update(region);
            std::erase_if(e.bands, [now](const Band& b) { return b.until <= now; });
        }
        std::erase_if(views_, [](const Entry& e) { return !e.view || e.bands.empty(); });
        if (views_.empty())
            timer_.stop();
    }

    std::vector<Entry> views_;
    QTimer timer_;
};

} // namespace

bool HighlightDelegate::isAnimating()
{
    const FadeClock* clock = FadeClock::instance(false);
    return clock && clock->active();
}

double HighlightDelegate::strength(qint64 ageMs)
{
    if (ageMs < 0)
        ageMs = 0;
    if (ageMs >= fadeMs())
        return 0;
    const double t = double(ageMs) / fadeMs();
    return 1.0 - t * t; // holds a moment, then fades faster
}

void HighlightDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const qint64 changedAt = index.data(client::models::roles::ChangedAt).toLongLong();
    if (changedAt <= 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double s = strength(now - changedAt);
    if (s <= 0)
        return;
    // Amber, not the palette's highlight: a changed row must not look selected. Translucent, so it reads on
    // light and dark themes alike.
    QColor color(0xff, 0xb3, 0x00);
    color.setAlphaF(float(kMaxAlpha * s));
    option->backgroundBrush = color;
}

void HighlightDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    // The row fades on: the shared timer repaints its band of the viewport until the fade is over.
    // option.widget is the view (QAbstractItemView passes itself); option.rect is in viewport coordinates.
    const qint64 changedAt = index.data(client::models::roles::ChangedAt).toLongLong();
    if (changedAt <= 0 || strength(QDateTime::currentMSecsSinceEpoch() - changedAt) <= 0)
        return;
    if (auto* view = qobject_cast<QAbstractItemView*>(const_cast<QWidget*>(option.widget)))
        if (FadeClock* clock = FadeClock::instance(true))
            clock->keep(view, option.rect, changedAt + fadeMs());
}

} // namespace dockscope::ui
