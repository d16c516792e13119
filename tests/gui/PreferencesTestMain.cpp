// The GUI tests' main: a QApplication on the offscreen platform, and QSettings pointed at a private folder so
// that no test reads or writes the user's settings.
#include "PreferencesTestSetup.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

namespace dockscope::test {

GuiStart g_start; // NOLINT: set once by main

const GuiStart& guiStart()
{
    return g_start;
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!condition())
            QThread::msleep(1);
    }
    return true;
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
