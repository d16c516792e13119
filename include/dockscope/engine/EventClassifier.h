#pragma once

#include "dockscope/state/Container.h"
#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/Volume.h"

#include <optional>
#include <string>
#include <vector>

namespace dockscope::engine {

/// What one Docker event asks of the engine worker. Mostly events only say which entities to look at again
/// (DESIGN.md "Sync algorithm", step 3); two say all there is to know and are applied at once: a destroy
/// (the entity is gone for good) and a container rename (the name is the only mirrored field it changes).
/// Three more say part of it, which is shown at once while the inspect they also cause is answered: an image
/// tag (the tag moved to this image), a container create (its name, image reference, labels and time) and a
/// volume create (its driver and time).
struct EventWork {
    enum class Kind { Container, Image, Volume, Network };

    struct Mark {
        Kind kind;
        std::string id;
        bool operator==(const Mark&) const = default;
    };

    struct Rename {
        std::string id;
        std::string name; ///< without the leading slash
        bool operator==(const Rename&) const = default;
    };

    std::vector<Mark> dirty;       ///< inspect these (a 404 means removed)
    std::vector<Kind> relist;      ///< re-list these kinds (prune events carry no id)
    std::vector<Mark> removed;     ///< destroyed: remove at once, nothing to ask
    std::optional<Rename> renamed; ///< a container's new name
    /// An image tag event: the tag now on the image dirty names. Whichever image held it before lost it, and
    /// only the worker knows which: it marks that one too.
    std::string tag;
    /// A container create: the new container as far as the event tells (state `created`, no networks or
    /// mounts yet), to show until its inspect (in `dirty`) answers.
    std::optional<state::Container> createdContainer;
    /// A volume create: the new volume as far as the event tells (name, driver, time), likewise.
    std::optional<state::Volume> createdVolume;
    bool rereadInfo = false; ///< daemon reload: /info may have changed
    bool ignored() const
    {
        return dirty.empty() && relist.empty() && removed.empty() && !renamed && !rereadInfo;
    }
    bool operator==(const EventWork&) const = default;
};

/// Maps a normalised Docker event to the work it causes. Events that change nothing Dockscope mirrors
/// (exec_*, attach, resize, top, copy, export, volume mount/unmount, image push/save, …) cost nothing.
EventWork classifyEvent(const state::DockerEvent& event);

} // namespace dockscope::engine
