#pragma once

#include <cstdint>

namespace dockscope::state {

/// Every time in Dockscope is a count of nanoseconds since the Unix epoch (UTC); 0 means "unknown / never".
/// Docker's RFC 3339 strings and unix-second fields are converted at the edge (docker library).
using Timestamp = std::int64_t;

} // namespace dockscope::state
