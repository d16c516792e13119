#pragma once

#include "dockscope/state/Labels.h"
#include "dockscope/state/Timestamp.h"

#include <string>
#include <vector>

namespace dockscope::state {

/// A named volume. Its id is its name.
struct Volume {
    std::string name;
    std::string driver;
    std::string mountpoint;
    Timestamp createdAt = 0;
    std::string scope; ///< local | global
    Labels labels;
    std::vector<std::string> usedBy; ///< derived: ids of the containers mounting it, sorted

    bool operator==(const Volume&) const = default;
};

} // namespace dockscope::state
