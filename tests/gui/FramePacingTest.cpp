// The main window's frame pacing: however often its widgets ask for a repaint, the window repaints at most
// once per frame, and the last change is always painted.
#include "MainWindow.h"
#include "support/EventLoop.h"
#include "support/GuiTestMain.h"

#include "dockscope/client/Replica.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QLabel>
#include <QThread>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace std::chrono_literals;

namespace {

/// Counts a widget's paint events and what a label showed at the last one.
class PaintCounter : public QObject {
public:
    explicit PaintCounter(QLabel* label)
        : label_(label)
    {
        label->installEventFilter(this);
    }
    int paints = 0;
    QString lastPainted;

protected:
    bool eventFilter(QObject*, QEvent* event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
            lastPainted = label_->text();
        }
        return false;
    }

private:
    QLabel* label_;
};

} // namespace

TEST(FramePacing, TheWindowRepaintsAtMostOncePerFrameAndPaintsTheLastChange)
{
    client::Replica replica(client::Replica::Options{});
    ui::MainWindow window(replica, nullptr, QString());
    auto* label = window.findChild<QLabel*>(QStringLiteral("statusMessage"));
    ASSERT_NE(label, nullptr);
    label->setText(QStringLiteral("start"));
    PaintCounter counter(label);
    window.show();
    ASSERT_TRUE(test::waitFor([&] { return counter.paints > 0; }, 5s)) << "the first paint";

    // A change every millisecond or so for half a second: without pacing, about one repaint per change.
    counter.paints = 0;
    QElapsedTimer clock;
    clock.start();
    int changes = 0;
    while (clock.elapsed() < 500) {
        label->setText(QStringLiteral("change %1").arg(++changes));
        QCoreApplication::processEvents();
        QThread::usleep(500);
    }
    const QString last = label->text();
    ASSERT_TRUE(test::waitFor([&] { return counter.lastPainted == last; }, 2s))
        << "the last change must be painted; painted: " << counter.lastPainted.toStdString();
    EXPECT_GE(counter.paints, 5) << "the window keeps repainting during the changes";
    // 500 ms at one repaint per 25 ms frame is 20; a little slack for the timer's granularity.
    EXPECT_LE(counter.paints, 26) << changes << " changes";
    EXPECT_GT(changes, 2 * counter.paints);
}
