#pragma once

#include <QPalette>
#include <QString>

// The GUI tests' main (GuiTestMain.cpp) records these before any test changes the application.
namespace dockscope::test {

struct GuiStart {
    QString style;       ///< the style the application started with
    QPalette palette;    ///< its palette
    QString settingsDir; ///< the private folder QSettings writes to during the tests
};
extern GuiStart g_start;
const GuiStart& guiStart();

} // namespace dockscope::test
