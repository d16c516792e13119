#pragma once

#include "dockscope/state/Batch.h"
#include "dockscope/state/DockerEvent.h"

#include <QObject>
#include <QString>

#include <map>
#include <string>
#include <utility>
#include <vector>

class QTimer;

namespace dockscope::client {
class Replica;
}

namespace dockscope::ui {

/// Watches a replica and says when a container died without being asked to, or turned unhealthy: emits
/// notify(title, body), coalesced (one message per kind per burst, at most one per container and kind per
/// 30 s), and never for what the initial snapshot, a resync or a replay of past events shows. No widgets: the
/// tray icon or the status bar shows the messages.
///
/// What Docker 20.10 sends (seen on the test engine with the Notifier test, and in
/// daemon/{kill,stop,monitor}.go):
///   docker stop:   kill (signal=15) [, kill (signal=9) after the timeout], die (exitCode=143/137/0), stop
///   docker kill:   kill (signal=9), die (exitCode=137)
///   docker rm -f:  kill (signal=9), die, destroy
///   docker restart: kill, die, stop, start, restart
///   exits by itself (or OOM, which adds `oom` first): die (exitCode=N) alone; with a restart policy a start
///   follows.
/// The `kill` event is logged after the signal was delivered while `die` comes from containerd's exit event,
/// so the two can arrive in either order. A `die` is therefore held for a short grace period and counts as
/// asked for when a kill, stop or destroy of the same container lies within a few seconds of it (by Docker's
/// own timeNano), before or after. An exit code of 0 is a clean, deliberate end (a one-shot job) and is not
/// reported; any other code is. Unhealthy comes from `health_status: unhealthy` (Docker logs it only when the
/// status changes) or from a batch changing a container's health to unhealthy, whichever comes first.
class Notifier : public QObject {
    Q_OBJECT

public:
    struct Options {
        int graceMs = 1500; ///< how long a die waits for its kill/stop, and the coalescing window
        int askedWindowMs =
            5000; ///< a kill/stop this close to a die (before or after) means it was asked for
        int perContainerMs = 30000; ///< at most one notification per container and kind in this time
        int staleMs = 60000;        ///< events older than this are history, not news
    };

    explicit Notifier(QObject* parent = nullptr);
    Notifier(Options options, QObject* parent);
    ~Notifier() override;

    /// Follows the replica's events, batches, resets and status.
    void bind(const client::Replica& replica);

    void setNotifyDied(bool on) { died_ = on; }
    void setNotifyUnhealthy(bool on) { unhealthy_ = on; }
    bool notifiesDied() const { return died_; }
    bool notifiesUnhealthy() const { return unhealthy_; }

    /// The inputs, public for tests. Times are ms since the epoch.
    /// A snapshot replaced the state or the connection (re)started: past events (the replay that follows) are
    /// history.
    void handleReset(qint64 nowMs);
    void handleEvent(const state::DockerEvent& event, qint64 nowMs);
    /// A batch applied to `names` (container id -> name, for the message).
    void handleApplied(const state::Batch& batch, const std::map<std::string, std::string>& names,
                       qint64 nowMs);
    /// Emits what is pending now (the grace timer calls it).
    void flush(qint64 nowMs);

Q_SIGNALS:
    void notify(const QString& title, const QString& body);

private:
    enum class Kind { Died, Unhealthy };
    struct Pending {
        Kind kind;
        std::string id;
        std::string name;
        int exitCode = 0;
        state::Timestamp time = 0; ///< the event's timeNano (0: from a batch)
    };

    void add(Pending pending, qint64 nowMs);
    void prune(qint64 nowMs);

    Options options_;
    bool died_ = true;
    bool unhealthy_ = true;
    const client::Replica* replica_ = nullptr;
    QTimer* timer_;
    state::Timestamp ignoreBefore_ = 0; ///< ns: events before the last reset/connect are replays
    std::map<std::string, state::Timestamp>
        asked_; ///< container id -> timeNano of its last kill/stop/destroy
    std::map<std::pair<Kind, std::string>, qint64> lastNotified_; ///< ms
    std::vector<Pending> pending_;
};

} // namespace dockscope::ui
