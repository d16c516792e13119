#pragma once

#include "dockscope/state/Labels.h"
#include "dockscope/state/Timestamp.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dockscope::state {

/// A local image. `createdAt` has one-second precision: Docker's image list gives no more.
struct Image {
    std::string id;
    std::vector<std::string> repoTags;    ///< sorted; "<none>:<none>" is dropped
    std::vector<std::string> repoDigests; ///< sorted; "<none>@<none>" is dropped
    Timestamp createdAt = 0;
    std::int64_t size = 0;
    Labels labels;
    int containers = 0; ///< derived: how many containers use this image

    bool operator==(const Image&) const = default;
};

} // namespace dockscope::state
