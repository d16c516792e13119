// The Logs tab's view against the real private dockerd: lines arrive live with stdout and stderr told apart,
// the search counts matches, timestamps are drawn from the kept lines, and a container that stops and starts
// again continues in the same view without repeating what is already there.
#include "LogsView.h"
#include "gui/GuiHarness.h"
#include "support/TestEngine.h"

#include "dockscope/docker/DockerClient.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTest>
#include <QTextBlock>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::test;

namespace {

QColor colourOf(QPlainTextEdit* text, const QString& needle)
{
    for (QTextBlock block = text->document()->begin(); block.isValid(); block = block.next())
        if (block.text().contains(needle))
            return block.begin().fragment().charFormat().foreground().color();
    return {};
}

TEST(LogsView, ShowsBothStreamsSearchesAndContinuesAfterARestart)
{
    docker::DockerClient docker({sharedEngine()});
    ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { docker.negotiate(nullptr, cb); }).ok());
    GuiHarness gui(sharedEngine());
    ASSERT_TRUE(gui.start());
    const std::string name = uniqueName("gui-logs");
    const std::string id = createContainer(
        docker, name,
        {"sh", "-c", "for i in 0 1 2; do echo out-$i; echo err-$i >&2; done; sleep 1; echo late"}, true);
    ASSERT_FALSE(id.empty());

    ui::LogsView view(gui.replica());
    view.resize(800, 400);
    view.show();
    view.setContainer(QString::fromStdString(id));
    view.setActive(true);
    QPlainTextEdit* text = view.text();
    const auto shown = [text] { return text->toPlainText(); };
    ASSERT_TRUE(waitFor([&] { return shown().contains(QLatin1String("late")); }, 20s))
        << shown().toStdString();
    for (const char* line : {"out-0", "out-1", "out-2", "err-0", "err-1", "err-2"})
        EXPECT_TRUE(shown().contains(QLatin1String(line))) << line;
    EXPECT_EQ(colourOf(text, QStringLiteral("err-1")), QColor(0xc6, 0x28, 0x28));
    EXPECT_NE(colourOf(text, QStringLiteral("out-1")), QColor(0xc6, 0x28, 0x28));

    // The container exits: the stream ends and says so.
    ASSERT_TRUE(waitFor([&] { return shown().contains(QLatin1String("the container stopped")); }, 20s));
    EXPECT_FALSE(view.isStreaming());

    QTest::keyClicks(view.searchBox(), QStringLiteral("err-"));
    EXPECT_TRUE(waitFor([&] { return view.matchCount() == 3; })) << view.matchCount();

    // Timestamps come from the kept lines: no new request, every output line gains its time.
    auto* stamps = view.findChild<QCheckBox*>(QStringLiteral("logsTimestamps"));
    ASSERT_NE(stamps, nullptr);
    stamps->setChecked(true);
    const QRegularExpression stamped(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} out-0$"),
        QRegularExpression::MultilineOption);
    EXPECT_TRUE(stamped.match(shown()).hasMatch()) << shown().toStdString();
    stamps->setChecked(false);
    EXPECT_TRUE(shown().startsWith(QLatin1String("out-0")) || shown().startsWith(QLatin1String("err-0")))
        << shown().toStdString();

    // Started again, it prints everything anew: the view continues by itself and repeats nothing.
    ASSERT_TRUE(await<docker::Done>([&](auto cb) { docker.startContainer(id, nullptr, cb); }).ok());
    ASSERT_TRUE(waitFor([&] { return shown().count(QLatin1String("late")) == 2; }, 20s))
        << shown().toStdString();
    EXPECT_EQ(shown().count(QLatin1String("out-0")), 2) << shown().toStdString();
    EXPECT_EQ(shown().count(QLatin1String("err-2")), 2) << shown().toStdString();

    (void)await<docker::Done>([&](auto cb) { docker.removeContainer(id, true, false, nullptr, cb); });
}

} // namespace
