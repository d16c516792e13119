// The GUI test executables' main: a QApplication on the offscreen platform (unless the caller chose another,
// e.g. xcb under Xvfb to watch), QStandardPaths' test mode, and QSettings pointed at a private folder so that
// no test reads or writes the user's settings.
#include "support/GuiTestMain.h"

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

namespace dockscope::test {

GuiStart g_start; // NOLINT: set once by main

const GuiStart& guiStart()
{
    return g_start;
}

} // namespace dockscope::test

// Under LeakSanitizer (the asan preset): what the system libraries under QApplication keep until exit (font
// configuration, D-Bus, GLib) is theirs, not ours. Unused in other builds.
extern "C" const char* __lsan_default_suppressions(); // NOLINT
extern "C" const char* __lsan_default_suppressions()  // NOLINT
{
    return "leak:libfontconfig\nleak:libdbus-1\nleak:libglib-2.0\nleak:libgobject-2.0\n";
}

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir settingsDir;
    if (!settingsDir.isValid())
        return 2;
    for (const auto format : {QSettings::NativeFormat, QSettings::IniFormat})
        for (const auto scope : {QSettings::UserScope, QSettings::SystemScope})
            QSettings::setPath(format, scope, settingsDir.path());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("dockscope-tests"));
    QApplication::setApplicationName(QStringLiteral("gui-tests"));
    dockscope::test::g_start = {QApplication::style()->name(), QApplication::palette(), settingsDir.path()};
    ::testing::InitGoogleTest(&argc, argv);
    spdlog::set_level(qEnvironmentVariableIsSet("DOCKSCOPE_TEST_VERBOSE") ? spdlog::level::debug
                                                                          : spdlog::level::warn);
    return RUN_ALL_TESTS();
}
