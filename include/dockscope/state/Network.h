#pragma once

#include "dockscope/state/Labels.h"
#include "dockscope/state/Timestamp.h"

#include <string>
#include <vector>

namespace dockscope::state {

/// A network.
struct Network {
    std::string id;
    std::string name;
    std::string driver;
    std::string scope;
    bool internal = false;
    bool attachable = false;
    Timestamp createdAt = 0;
    Labels labels;
    std::vector<std::string> subnets;    ///< IPAM subnets in CIDR form, in Docker's order
    std::vector<std::string> containers; ///< derived: ids of attached containers, sorted

    bool operator==(const Network&) const = default;
};

} // namespace dockscope::state
