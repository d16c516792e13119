#pragma once

#include "dockscope/state/Container.h"

#include <QColor>
#include <QIcon>

namespace dockscope::ui {

/// The colour of a container's state: green running, amber paused or restarting, red dead or unhealthy,
/// grey otherwise (created, exited).
QColor stateColor(state::ContainerState state, state::Health health);
/// A small painted circle of that colour (cached per colour).
QIcon stateIcon(state::ContainerState state, state::Health health);
/// A circle of any colour (the status bar's live indicator).
QIcon dotIcon(const QColor& color);
/// The sidebar's glyphs.
enum class Glyph { Containers, Images, Volumes, Networks, Activity };
QIcon glyphIcon(Glyph glyph);
/// The application icon, painted: a container box seen through a scope's round lens.
QIcon appIcon();

} // namespace dockscope::ui
