// The dialog tests' own main: one QApplication (the dialogs are widgets) on the offscreen platform unless
// another one is asked for (QT_QPA_PLATFORM=xcb under Xvfb to look at them).
#include <QApplication>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    spdlog::set_level(qEnvironmentVariableIsSet("DOCKSCOPE_TEST_VERBOSE") ? spdlog::level::debug
                                                                          : spdlog::level::warn);
    return RUN_ALL_TESTS();
}
