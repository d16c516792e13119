// The fading highlight of changed rows: painted right after a change, gone after the fade, and the shared
// repaint timer stops when nothing fades (no timer when idle).
#include "HighlightDelegate.h"
#include "ItemViewTuning.h"
#include "support/EventLoop.h"
#include "support/GuiTestMain.h"

#include "dockscope/client/models/Roles.h"

#include <QApplication>
#include <QDateTime>
#include <QPaintEvent>
#include <QRegion>
#include <QStandardItemModel>
#include <QTableView>

#include <gtest/gtest.h>

#include <vector>

using namespace dockscope;
using namespace std::chrono_literals;
using ui::HighlightDelegate;

namespace {

constexpr int kRows = 4;

class Highlight : public ::testing::Test {
protected:
    void SetUp() override
    {
        model.setColumnCount(2);
        for (int r = 0; r < kRows; ++r) {
            QList<QStandardItem*> items{new QStandardItem(QStringLiteral("row %1").arg(r)),
                                        new QStandardItem()};
            for (auto* item : items)
                item->setData(qint64(0), client::models::roles::ChangedAt);
            model.appendRow(items);
        }
        view.setModel(&model);
        view.setItemDelegate(new HighlightDelegate(&view));
        view.setAlternatingRowColors(false);
        view.resize(400, 200);
        view.show();
        ASSERT_TRUE(test::waitFor([&] { return view.isVisible(); }, 5s));
    }

    void touch(int row, qint64 at)
    {
        for (int c = 0; c < model.columnCount(); ++c)
            model.item(row, c)->setData(at, client::models::roles::ChangedAt);
    }

    /// The background of `row` in the second (empty) column, as painted.
    QColor background(int row)
    {
        const QImage image = view.viewport()->grab().toImage();
        const QRect cell = view.visualRect(model.index(row, 1));
        return image.pixelColor(cell.center());
    }

    QStandardItemModel model;
    QTableView view;
};

} // namespace

TEST(HighlightStrength, FadesFromFullToNothing)
{
    EXPECT_DOUBLE_EQ(HighlightDelegate::strength(0), 1.0);
    EXPECT_DOUBLE_EQ(HighlightDelegate::strength(-50), 1.0) << "a clock a little behind the model's";
    EXPECT_DOUBLE_EQ(HighlightDelegate::strength(HighlightDelegate::fadeMs()), 0.0);
    EXPECT_DOUBLE_EQ(HighlightDelegate::strength(100000), 0.0);
    double last = 1.0;
    for (int ms = 0; ms <= HighlightDelegate::fadeMs(); ms += 50) {
        const double s = HighlightDelegate::strength(ms);
        EXPECT_LE(s, last);
        last = s;
    }
}

TEST_F(Highlight, IdleViewHasNoTimer)
{
    const QColor plain = background(0);
    EXPECT_EQ(background(2), plain);
    EXPECT_FALSE(HighlightDelegate::isAnimating());
    touch(1, QDateTime::currentMSecsSinceEpoch() - 10 * HighlightDelegate::fadeMs()); // an old change
    EXPECT_EQ(background(1), plain);
    EXPECT_FALSE(HighlightDelegate::isAnimating());
}

TEST_F(Highlight, ChangedRowFadesOutAndTheTimerStops)
{
    const QColor plain = background(0);
    const qint64 changed = QDateTime::currentMSecsSinceEpoch();
    touch(2, changed);
    const QColor fresh = background(2);
    EXPECT_NE(fresh, plain) << "a changed row stands out right after the change";
    EXPECT_EQ(background(1), plain);
    EXPECT_EQ(background(3), plain);
    EXPECT_TRUE(HighlightDelegate::isAnimating());
    const QColor selected = [&] {
        view.selectRow(0);
        const QColor c = background(0);
        view.clearSelection();
        return c;
    }();
    EXPECT_NE(fresh, selected) << "a changed row must not look selected";
    if (qEnvironmentVariableIsSet("DOCKSCOPE_TEST_SHOTS"))
        view.grab().save(qEnvironmentVariable("DOCKSCOPE_TEST_SHOTS") + QStringLiteral("/highlight.png"));

    // Half way through, it is fainter but still there.
    const qint64 halfWay = changed + HighlightDelegate::fadeMs() / 2;
    ASSERT_TRUE(test::waitFor([&] { return QDateTime::currentMSecsSinceEpoch() >= halfWay; }, 5s));
    const QColor half = background(2);
    EXPECT_NE(half, plain);
    EXPECT_NE(half, fresh);

    EXPECT_TRUE(test::waitFor([] { return !HighlightDelegate::isAnimating(); }, 5s))
        << "the repaint timer must stop once the fade is over";
    EXPECT_EQ(background(2), plain) << "after the fade the row looks like any other";
    EXPECT_FALSE(HighlightDelegate::isAnimating()) << "painting a faded row starts no timer";
}

TEST_F(Highlight, TheTimerRepaintsTheViewItself)
{
    // Nobody grabs: the shared timer alone must repaint the view until the fade ends, then stop.
    touch(0, QDateTime::currentMSecsSinceEpoch());
    EXPECT_TRUE(test::waitFor([] { return HighlightDelegate::isAnimating(); }, 2s))
        << "the model's dataChanged repaints the row, which starts the timer";
    EXPECT_TRUE(test::waitFor([] { return !HighlightDelegate::isAnimating(); }, 5s));
}

namespace {

/// Records the region of every paint event of a widget.
class PaintRecorder : public QObject {
public:
    explicit PaintRecorder(QWidget* widget) { widget->installEventFilter(this); }
    std::vector<QRegion> regions;

protected:
    bool eventFilter(QObject*, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            regions.push_back(static_cast<QPaintEvent*>(event)->region());
        return false;
    }
};

} // namespace

TEST_F(Highlight, TheTimerRepaintsOnlyTheFadingRow)
{
    // At 1000 rows some row is always fading during a burst: the timer must not repaint the whole view.
    touch(2, QDateTime::currentMSecsSinceEpoch());
    ASSERT_TRUE(test::waitFor([] { return HighlightDelegate::isAnimating(); }, 2s));
    PaintRecorder recorder(view.viewport());
    const QRect row = view.visualRect(model.index(2, 0)).united(view.visualRect(model.index(2, 1)));
    const QRect band(0, row.top(), view.viewport()->width(), row.height());
    ASSERT_TRUE(test::waitFor([&] { return recorder.regions.size() >= 3; }, 2s))
        << "the fade repaints the row";
    for (const QRegion& region : recorder.regions)
        EXPECT_TRUE(band.contains(region.boundingRect())) << "a fade frame repainted beyond the fading row";
    EXPECT_TRUE(test::waitFor([] { return !HighlightDelegate::isAnimating(); }, 5s));
    EXPECT_EQ(background(2), background(0)) << "the last frame clears the highlight";
}

TEST(ItemViewTuning, SkipsShapingAndOtherwiseFollowsTheApplicationsFont)
{
    QTableView view;
    ui::tuneForManyRows(&view);
    EXPECT_TRUE(view.font().styleStrategy() & QFont::PreferNoShaping);
    EXPECT_EQ(view.font().family(), QApplication::font().family());
    EXPECT_EQ(view.font().pointSizeF(), QApplication::font().pointSizeF());
    // A later change of the application's font (a theme) still reaches the view.
    const QFont before = QApplication::font();
    QFont bigger = before;
    bigger.setPointSizeF(before.pointSizeF() + 3);
    QApplication::setFont(bigger);
    EXPECT_TRUE(test::waitFor([&] { return view.font().pointSizeF() == bigger.pointSizeF(); }, 2s))
        << view.font().pointSizeF() << " instead of " << bigger.pointSizeF();
    EXPECT_TRUE(view.font().styleStrategy() & QFont::PreferNoShaping);
    QApplication::setFont(before);
}
