#pragma once

#include <map>
#include <string>

namespace dockscope::state {

/// Labels sorted by key, so that equal label sets compare and encode identically.
using Labels = std::map<std::string, std::string>;

} // namespace dockscope::state
