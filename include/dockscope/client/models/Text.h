#pragma once

#include "dockscope/state/Container.h"
#include "dockscope/state/Timestamp.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <string>
#include <vector>

// The text the item models show, as pure functions of values and a `now` (milliseconds since the epoch), so
// that they are tested alone and a view refreshes relative times without asking the daemon.
namespace dockscope::client::models {

/// Nanoseconds since the epoch (state::Timestamp) to milliseconds; 0 stays 0 ("unknown").
qint64 toMsecs(state::Timestamp time);

/// Docker's units.HumanDuration: "Less than a second", "1 second", "5 seconds", "About a minute",
/// "5 minutes", "About an hour", "3 hours" (below 48 h), "4 days" (below two weeks), "3 weeks" (below two
/// months), "5 months" (below two years), "2 years". A negative duration counts as zero.
QString humanDuration(qint64 ms);

/// "5 minutes ago"; empty when the time is unknown (0).
QString relativeTimeText(state::Timestamp time, qint64 nowMs);

/// "healthy", "unhealthy", "starting"; empty for a container without a health check.
QString healthText(state::Health health);

/// The status column of `docker ps`: "Up 5 minutes", "Up 3 hours (healthy)", "Up 2 seconds (health:
/// starting)", "Up 1 second (Paused)", "Restarting (1) 5 seconds ago", "Exited (137) 2 hours ago",
/// "Created" (also for an exited container that never started), "Removal In Progress", "Dead".
QString statusText(const state::Container& container, qint64 nowMs);

/// The ports column of `docker ps`: "0.0.0.0:8080->80/tcp, 443/tcp", sorted by container port, duplicates
/// dropped, runs of consecutive ports folded ("8000-8002/tcp", "0.0.0.0:8000-8001->8000-8001/tcp"), IPv6
/// host addresses in brackets ("[::]:8080->80/tcp").
QString portsText(const std::vector<state::Port>& ports);

/// A size in decimal units with three significant digits: "0 B", "999 B", "1.5 kB", "12.3 MB", "123 GB".
QString sizeText(qint64 bytes);

/// UTF-8 strings to a QStringList, in order.
QStringList toStringList(const std::vector<std::string>& values);

/// An id as `docker ps` shows it: without a "sha256:" prefix, 12 characters.
QString shortId(const std::string& id);

} // namespace dockscope::client::models
