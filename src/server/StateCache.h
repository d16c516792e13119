#pragma once

#include "dockscope/state/EngineState.h"

#include <QString>

#include <optional>

namespace dockscope::server {

/// The offline cache: the last known state, saved as a snapshot (JSON) so that a daemon started while the
/// engine is unreachable can show it. Writes are atomic (QSaveFile: write a temporary, then rename), mode
/// 0600.
bool saveState(const state::EngineState& state, const QString& path, QString* error = nullptr);
/// The saved state, or nullopt (with `*error`) when there is none or it cannot be read (a damaged file is
/// reported, never trusted: the snapshot's digest must match its entities).
std::optional<state::EngineState> loadState(const QString& path, QString* error = nullptr);

} // namespace dockscope::server
