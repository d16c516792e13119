#pragma once

#include "dockscope/state/DockerEvent.h"

#include <string>
#include <vector>

namespace dockscope::engine {

/// What one Docker event asks of the engine worker. Events never change the state themselves: they only say
/// which entities to look at again (DESIGN.md "Sync algorithm", step 3).
struct EventWork {
    enum class Kind { Container, Image, Volume, Network };

    struct Mark {
        Kind kind;
        std::string id;
        bool operator==(const Mark&) const = default;
    };

    std::vector<Mark> dirty;  ///< inspect these (a 404 means removed)
    std::vector<Kind> relist; ///< re-list these kinds (prune events carry no id)
    bool rereadInfo = false;  ///< daemon reload: /info may have changed
    bool ignored() const { return dirty.empty() && relist.empty() && !rereadInfo; }
    bool operator==(const EventWork&) const = default;
};

/// Maps a normalised Docker event to the work it causes. Events that change nothing Dockscope mirrors
/// (exec_*, attach, resize, top, copy, export, volume mount/unmount, image push/save, …) cost nothing.
EventWork classifyEvent(const state::DockerEvent& event);

} // namespace dockscope::engine
