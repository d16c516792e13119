// Shared main for the GUI test executables: one QApplication on the offscreen platform (unless the caller
// chose another, e.g. xcb under Xvfb to watch), and QStandardPaths' test mode so that QSettings and the
// caches never touch the user's own files.
#include <QApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("dockscope-tests"));
    QApplication::setApplicationName(QStringLiteral("dockscope-gui-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    spdlog::set_level(qEnvironmentVariableIsSet("DOCKSCOPE_TEST_VERBOSE") ? spdlog::level::debug
                                                                          : spdlog::level::warn);
    return RUN_ALL_TESTS();
}
