#pragma once

#include "dockscope/protocol/Messages.h"
#include "dockscope/state/EngineState.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace dockscope::client {

/// Where a daemon listens and its token, as the discovery file says (docs/protocol.md "Discovery").
struct DaemonAddress {
    QUrl url;
    QString token;
    qint64 pid = 0;
    std::uint64_t epoch = 0; ///< the daemon's state epoch at start (0 when the file gives none)
};

/// The default discovery file: $XDG_RUNTIME_DIR/dockscope/daemon.json when that folder exists, else
/// ~/.local/state/dockscope/daemon.json (the same choice as the daemon's).
QString defaultDiscoveryFile();
/// Reads a discovery file {"url", "token", "pid", "epoch", "version": 1}; nullopt with `*error` saying why:
/// missing, unreadable, not owned by this user, readable or writable by group or others (it holds the token:
/// the mode must be 0600 or stricter), malformed, not a ws:// or wss:// url, or an unknown version.
std::optional<DaemonAddress> readDiscoveryFile(const QString& path, QString* error = nullptr);

/// A client's copy of the daemon's state (DESIGN.md "client"): connects, sends hello (with resume when it has
/// a state), applies snapshots and batches with the shared apply code, checks contiguity and digest and
/// resyncs on any mismatch, reconnects with backoff and resumes. Lives on one thread (usually the GUI's);
/// never blocks it. Do not delete it from one of its own signals or callbacks (use deleteLater()).
///
/// Signal order: a snapshot gives aboutToReset() then reset(); an accepted batch aboutToApply() then
/// applied(). Epoch, contiguity and span are checked before aboutToApply(); a batch that passes those but is
/// then refused by the apply code (an undecodable value, a digest mismatch: a broken server) gives
/// aboutToApply(), then aboutToReset() and reset() around the unchanged state, then a resync. Models that
/// open a change in aboutToApply() must close it in either applied() or aboutToReset().
class Replica : public QObject {
    Q_OBJECT

public:
    enum class Status {
        Disconnected, ///< not started, stopped, or given up (wrong token: see closeCode())
        Connecting,   ///< first connection in progress
        Live, ///< welcome received and the state is current (after the snapshot, or at once when resuming)
        Reconnecting, ///< lost; retrying with backoff, state() keeps the last known state
    };
    Q_ENUM(Status)

    struct Options {
        QUrl url;              ///< empty: read the discovery file
        QString token;         ///< used with url
        QString discoveryFile; ///< empty: defaultDiscoveryFile()
        protocol::Encoding encoding = protocol::Encoding::Msgpack;
        bool compress = true; ///< offer zstd
        /// Offer id-set changes (a network's containers as ids added and removed); false gets whole lists.
        bool idSets = true;
        protocol::Subscription subscription = protocol::Subscription::everything();
        QString clientName = QStringLiteral("dockscope");
        bool reconnect = true;
        std::chrono::milliseconds backoffMin{250};
        std::chrono::milliseconds backoffMax{5000};
        /// The WebSocket handshake and the server's welcome must both arrive within this (addition).
        std::chrono::milliseconds connectTimeout{10000};
    };

    explicit Replica(Options options, QObject* parent = nullptr);
    ~Replica() override;

    void start();
    void stop();

    Status status() const;
    /// Why the last connection ended or failed (human text), empty when none.
    QString lastError() const;
    /// The close code of the last connection (4401 bad token, ...), 0 when none.
    int closeCode() const;

    /// The state as of the last applied message. Epoch and version are the server's.
    const state::EngineState& state() const;
    /// The engine entity as last reported (through the state or an `engine` message).
    std::optional<state::EngineInfo> engine() const;
    /// Replaces the subscription; the server answers with a snapshot (snapshotApplied).
    void setSubscription(const protocol::Subscription& subscription);

    using ActionDone = std::function<void(const protocol::Result& result)>;
    using Progress = std::function<void(const nlohmann::json& data)>;
    /// Sends an action (its id is assigned here and returned). `done` is called exactly once, on this thread,
    /// unless `context` is destroyed first: with the server's result, or with ok=false and code
    /// "unavailable" if the connection is lost before the result arrives (or the replica is stopped, or was
    /// not started). A null `context` means no context. Actions made while (re)connecting are sent once the
    /// server welcomes the replica. Destroying the Replica drops pending callbacks without calling them.
    QString act(protocol::Action action, QObject* context, ActionDone done, Progress progress = {});

    using StreamData = std::function<void(const nlohmann::json& data)>;
    using StreamEnd = std::function<void(const std::optional<protocol::ErrorInfo>& error)>;
    /// Opens a logs or stats stream; returns its id ("s1", "s2", ...). `end` is called once when it ends
    /// (also on disconnect, with code "unavailable"), unless `context` is destroyed first; a stream whose
    /// context is gone is closed on its next data.
    QString openStream(protocol::StreamWhat what, const std::string& container, const nlohmann::json& params,
                       QObject* context, StreamData data, StreamEnd end);
    /// Sends `unstream`; no callback of that stream is called afterwards.
    void closeStream(const QString& id);

    struct Stats {
        std::uint64_t snapshots = 0;
        std::uint64_t batches = 0;
        std::uint64_t resyncs = 0;    ///< snapshots asked for because a batch did not fit (gap, digest)
        std::uint64_t reconnects = 0; ///< connection attempts after the first
        std::uint64_t bytesReceived = 0;
        std::uint64_t malformed = 0;      ///< frames that could not be decoded or came out of turn (addition)
        std::uint64_t droppedBatches = 0; ///< batches dropped while waiting for a snapshot (addition)
    };
    Stats stats() const;

Q_SIGNALS:
    void statusChanged(dockscope::client::Replica::Status status);
    /// The state is about to be replaced by a snapshot / was replaced (models reset around these two).
    void aboutToReset();
    void reset();
    /// A batch is about to be applied / was applied (state() shows the result). Models emit their
    /// fine-grained row signals around these two.
    void aboutToApply(const dockscope::state::Batch& batch);
    void applied(const dockscope::state::Batch& batch);
    void engineChanged(const dockscope::state::EngineInfo& engine);
    void eventReceived(const dockscope::state::DockerEvent& event);
    /// An `error` message from the server.
    void serverError(const dockscope::protocol::ErrorInfo& error);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dockscope::client
