#pragma once

#include "dockscope/protocol/Codec.h"
#include "dockscope/protocol/Messages.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/ChangeLog.h"
#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/EngineState.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace dockscope::server {

/// A frame ready to send, shared by every session that sends the same bytes: a text frame keeps its QString
/// (QWebSocket takes text as QString; implicit sharing makes the copies free), a binary frame its QByteArray.
struct OutFrame {
    bool binary = false;
    QString text;
    QByteArray bytes;

    qsizetype size() const { return binary ? bytes.size() : text.size(); }
};

/// How a session wants its frames: encoding, whether large frames go zstd-compressed, and whether it reads
/// id-set changes (hello.features "idSets"; without it, derived id lists are sent whole).
struct FrameFormat {
    protocol::Encoding encoding = protocol::Encoding::Json;
    bool zstd = false;
    bool idSets = false;
    bool operator<(const FrameFormat& o) const
    {
        return std::tuple(encoding, zstd, idSets) < std::tuple(o.encoding, o.zstd, o.idSets);
    }
};

/// Whether a batch carries an id-set change (state/EntityDiff.h), which a client without "idSets" cannot
/// read.
bool hasIdSets(const state::Batch& batch);
/// The batch with every id-set change replaced by the whole list, read from `after`: the state the batch
/// leads to (its version must be batch.to).
state::Batch withWholeIdLists(const state::Batch& batch, const state::EngineState& after);

/// Encodes a JSON message once into the frame a format asks for.
OutFrame makeFrame(const nlohmann::json& message, const FrameFormat& format);

/// What the sessions of one subscription shape (topics + filter) see: a filtered copy of the state with its
/// own change log (sparse versions, see EngineState::applySparse), or, for the shape "everything", the hub's
/// source state itself. Frames of the newest batch and of the current snapshot are cached per format, so a
/// batch is encoded once per shape and format whatever the number of sessions.
class View {
public:
    View(const protocol::Subscription& subscription, const state::EngineState* source,
         const state::ChangeLog* sourceLog, std::size_t logChanges, std::size_t logBytes);

    const protocol::Subscription& subscription() const { return m_subscription; }
    bool identity() const { return m_identity; }
    const state::EngineState& state() const { return m_identity ? *m_source : m_state; }
    /// The batches after `version` while it is still in the log; nullopt otherwise (then: snapshot).
    std::optional<std::vector<std::shared_ptr<const state::Batch>>> since(std::uint64_t version) const;

    /// The view's batch for a source batch already applied to the source; null when nothing the view shows
    /// changed (the view's version then stays where it was).
    std::shared_ptr<const state::Batch> advance(const std::shared_ptr<const state::Batch>& source,
                                                std::string* error);
    /// Rebuilds the view from the source (after a refused batch).
    void rebuild();

    const OutFrame& batchFrame(const state::Batch& batch, FrameFormat format, std::uint64_t* encodings);
    const OutFrame& snapshotFrame(FrameFormat format, std::uint64_t* encodings);

    int sessions = 0; ///< sessions using this view (the hub drops idle views beyond a few)
    std::uint64_t lastUse = 0;

private:
    bool shows(state::EntityKind kind) const;
    std::optional<nlohmann::json> sourceValue(state::EntityKind kind, const std::string& id) const;
    bool matches(state::EntityKind kind, const std::string& id) const;

    protocol::Subscription m_subscription;
    const state::EngineState* m_source;
    const state::ChangeLog* m_sourceLog;
    bool m_identity;
    state::EngineState m_state;
    state::ChangeLog m_log;
    std::size_t m_logChanges;
    std::size_t m_logBytes;
    const state::Batch* m_framedBatch = nullptr;
    std::map<FrameFormat, OutFrame> m_batchFrames;
    std::uint64_t m_snapshotVersion = ~std::uint64_t{0};
    std::map<FrameFormat, OutFrame> m_snapshotFrames;
};

/// The server's copy of the engine's state, its change log, the views of the subscription shapes in use and
/// the recent Docker events. Plain C++ on the server thread.
class StateHub {
public:
    StateHub(state::EngineState initial, std::size_t logChanges, std::size_t logBytes,
             std::size_t eventReplay);

    const state::EngineState& state() const { return m_source; }

    /// Applies an engine batch to the source and advances every view. Returns, per view, its batch (views
    /// with nothing to show are left out). On a refused batch (a bug upstream) returns nullopt with `*error`:
    /// the caller resyncs every session.
    std::optional<std::vector<std::pair<View*, std::shared_ptr<const state::Batch>>>>
    publish(const std::shared_ptr<const state::Batch>& batch, std::string* error);

    /// The view of a subscription shape, created on first use. Release it when the session leaves or changes
    /// its subscription; idle views are kept a while for sessions that come back and resume.
    View* acquire(const protocol::Subscription& subscription);
    void release(View* view);

    /// Remembers an event (for the replay to new `events` subscribers).
    void remember(const state::DockerEvent& event);
    const std::deque<state::DockerEvent>& recentEvents() const { return m_events; }

private:
    void dropIdleViews();

    state::EngineState m_source;
    state::ChangeLog m_log;
    std::size_t m_logChanges;
    std::size_t m_logBytes;
    std::list<std::unique_ptr<View>> m_views;
    std::uint64_t m_useClock = 0;
    std::deque<state::DockerEvent> m_events;
    std::size_t m_eventReplay;

    friend class View;
};

} // namespace dockscope::server
