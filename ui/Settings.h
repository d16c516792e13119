#pragma once

#include <QString>

namespace dockscope::ui {

/// The colour theme of the whole application.
enum class Theme { System, Light, Dark };

/// The user's preferences, kept with QSettings (the keys are in Settings.cpp). Loaded and saved only by a
/// window whose settings are enabled: tests and the screenshot mode never read or write the user's settings.
struct Preferences {
    QString endpoint; ///< Docker endpoint; empty: as the docker CLI finds it
    Theme theme = Theme::System;
    bool notifications = true;   ///< the master switch
    bool notifyDied = true;      ///< when a container dies without being asked to
    bool notifyUnhealthy = true; ///< when a container turns unhealthy

    bool operator==(const Preferences&) const = default;
};

Preferences loadPreferences();
void savePreferences(const Preferences& preferences);

QString themeName(Theme theme);           ///< "system", "light", "dark"
Theme themeFromName(const QString& name); ///< System for anything unknown

/// Checks an endpoint as the Preferences dialog accepts it: empty, unix:///absolute/path or tcp://host:port.
/// False with `*error` saying why otherwise.
bool validateEndpoint(const QString& endpoint, QString* error = nullptr);

/// Applies a theme to the whole application at once: Light and Dark use the Fusion style with a light or dark
/// palette; System goes back to the style and palette the application started with.
void applyTheme(Theme theme);

} // namespace dockscope::ui
