#include "HighlightDelegate.h"

#include "dockscope/client/models/Roles.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace dockscope::ui {

namespace {

constexpr int kFrameMs = 40;
constexpr double kMaxAlpha = 0.45;

/// The shared repaint timer: repaints the views that have a fading row until their last fade is over, then
/// stops. Lives as a child of the application (created on first use).
class FadeClock : public QObject {
public:
    static FadeClock* instance(bool create)
    {
        static QPointer<FadeClock> clock;
        if (!clock && create && QCoreApplication::instance())
            clock = new FadeClock(QCoreApplication::instance());
        return clock;
    }

    void keep(QAbstractItemView* view, qint64 untilMs)
    {
        const auto it =
            std::find_if(views_.begin(), views_.end(), [view](const Entry& e) { return e.view == view; });
        if (it == views_.end())
            views_.push_back({view, untilMs});
        else
            it->until = std::max(it->until, untilMs);
        if (!timer_.isActive())
            timer_.start();
    }

    bool active() const { return timer_.isActive(); }

private:
    explicit FadeClock(QObject* parent)
        : QObject(parent)
    {
        timer_.setInterval(kFrameMs);
        connect(&timer_, &QTimer::timeout, this, &FadeClock::tick);
    }

    void tick()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const auto& e : views_)
            if (e.view)
                e.view->viewport()->update(); // the last frame too, which paints no highlight
        std::erase_if(views_, [now](const Entry& e) { return !e.view || e.until <= now; });
        if (views_.empty())
            timer_.stop();
    }

    struct Entry {
        QPointer<QAbstractItemView> view;
        qint64 until = 0;
    };
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
    // option->widget is the view (QAbstractItemView passes itself).
    if (auto* view = qobject_cast<QAbstractItemView*>(const_cast<QWidget*>(option->widget)))
        if (FadeClock* clock = FadeClock::instance(true))
            clock->keep(view, changedAt + fadeMs());
}

} // namespace dockscope::ui
