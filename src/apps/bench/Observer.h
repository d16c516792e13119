#pragma once
// The observer: runs one strategy through the phases (initial sync, idle, snapshots, workload, convergence)
// and writes its measurements as JSON.
#include "Driver.h"

#include "dockscope/docker/Endpoint.h"

#include <QString>

namespace dockscope::bench {

struct ObserverSpec {
    QString strategy = QStringLiteral("dockscope"); ///< dockscope, poll or relist
    int idleSeconds = 60;
    int settleMs = 2000;           ///< after the initial sync, before the idle span
    int convergeTimeoutMs = 15000; ///< after the driver exits
    int snapshotRepetitions = 5;   ///< per encoding (dockscope only)
    bool workload = true;          ///< false: sync, idle, snapshots and RSS only (the scale run)
    QString dockerdPidFile;        ///< for dockerd's CPU time; empty: not measured
    QString out;                   ///< the JSON result
    QString opsOut;                ///< optional: every operation's times, one JSON line each
    DriverSpec driver;
};

/// Returns 0, or 1 on a real failure (Docker unreachable, the strategy or the driver failed).
int observe(const docker::Endpoint& endpoint, const ObserverSpec& spec);

} // namespace dockscope::bench
