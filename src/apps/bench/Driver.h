#pragma once
// The workload driver: runs as a child of the observer, so that its CPU time and API calls are not counted.
#include "dockscope/docker/Endpoint.h"

namespace dockscope::bench {

struct DriverSpec {
    int ops = 300;    ///< scripted operations before the burst
    int burst = 1000; ///< operations of the burst
    int inFlight = 8; ///< burst operations in flight at once
    unsigned seed = 42;
    int gapMinMs = 10; ///< pause between two scripted operations
    int gapMaxMs = 60;
};

/// Runs the seeded workload; one JSON line per operation on stdout:
///   {"op":N,"kind":K,"expect":{...},"mono":NS,"wall":NS,"burst":B}   (completion of the API call)
///   {"op":N,"eventNano":T}                                             (the event the operation caused)
///   {"burstStart":NS} / {"burstEnd":NS,"ops":N} / {"done":true,"ops":N,"failed":F,"unmatched":U}
/// Everything it creates is labelled dockscope.bench=work (tags: bench-work/...), for cleanupWork().
int drive(const docker::Endpoint& endpoint, const DriverSpec& spec);

} // namespace dockscope::bench
