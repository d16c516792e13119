#pragma once
// Creating the benchmark's population through the Docker API, and removing what the workload left.
#include "dockscope/docker/Endpoint.h"

#include <nlohmann/json.hpp>

#include <string>

namespace dockscope::bench {

inline constexpr const char* kTestImage = "dockscope-test/busybox:latest";
/// A one-file image (imported by populate() with `tinyImage`) for containers that are never started.
inline constexpr const char* kTinyImage = "dockscope-bench/tiny:latest";

struct PopulationSpec {
    int containers = 1000;
    int running = 200;
    int projects = 8;
    int imageTags = 100;
    int volumes = 100;
    int networks = 50;
    int inFlight = 6;
    /// The containers that are never started use kTinyImage: on the vfs storage driver of the private
    /// dockerd every container copies its image, and busybox (about 4 MB) would need 50 GB for 10000.
    bool tinyImage = false;
};

/// A `sleep 100000` container of `image` labelled dockscope.bench=ROLE and with compose project/service
/// labels.
nlohmann::json containerConfig(const std::string& project, const std::string& service,
                               const std::string& role, const std::string& networkMode,
                               const std::string& image = kTestImage);

/// Creates the population (containers labelled dockscope.bench=pop in `projects` compose projects, the
/// first `running` of them started, the others of kTinyImage with `tinyImage`; image tags bench-pop/tag:N
/// on the test image; volumes; networks with their own 10.x.y.0/24 subnets). Returns 0, or 1 after printing
/// what failed.
int populate(const docker::Endpoint& endpoint, const PopulationSpec& spec);

/// Removes everything the workload made (label dockscope.bench=work, bench-work/ tags), so that the next
/// strategy sees the same population. Returns 0, or 1 after printing what failed.
int cleanupWork(const docker::Endpoint& endpoint);

} // namespace dockscope::bench
