#pragma once

#include <QPalette>
#include <QString>

#include <chrono>
#include <functional>

// The GUI tests' own main (PreferencesTestMain.cpp) records these before any test changes the application.
namespace dockscope::test {

struct GuiStart {
    QString style;       ///< the style the application started with
    QPalette palette;    ///< its palette
    QString settingsDir; ///< the private folder QSettings writes to during the tests
};
extern GuiStart g_start;
const GuiStart& guiStart();

/// Runs the event loop until `condition` holds or `timeout` passes; whether it held.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

} // namespace dockscope::test
