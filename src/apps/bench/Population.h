#pragma once
// Creating the benchmark's population through the Docker API, and removing what the workload left.
#include "dockscope/docker/Endpoint.h"

#include <nlohmann/json.hpp>

#include <string>

namespace dockscope::bench {

inline constexpr const char* kTestImage = "dockscope-test/busybox:latest";

struct PopulationSpec {
    int containers = 1000;
    int running = 200;
    int projects = 8;
    int imageTags = 100;
    int volumes = 100;
    int networks = 50;
    int inFlight = 6;
};

/// A `sleep 100000` busybox container labelled dockscope.bench=ROLE and with compose project/service labels.
nlohmann::json containerConfig(const std::string& project, const std::string& service,
                               const std::string& role, const std::string& networkMode);

/// Creates the population (containers labelled dockscope.bench=pop in `projects` compose projects, the
/// first `running` of them started; image tags bench-pop/tag:N on the test image; volumes; networks with
/// their own 10.x.y.0/24 subnets). Returns 0, or 1 after printing what failed.
int populate(const docker::Endpoint& endpoint, const PopulationSpec& spec);

/// Removes everything the workload made (label dockscope.bench=work, bench-work/ tags), so that the next
/// strategy sees the same population. Returns 0, or 1 after printing what failed.
int cleanupWork(const docker::Endpoint& endpoint);

} // namespace dockscope::bench
