// Replica: what each server message does to the replica (welcome, snapshot, changes, ...), and how a batch
// that does not fit becomes a resync.
#include "ReplicaPrivate.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace dockscope::client {

namespace {

// Malformed messages tolerated on one connection before it is dropped (and retried with backoff).
constexpr int kMaxMalformedPerConnection = 8;

bool touchesEngine(const state::Batch& batch)
{
    return std::any_of(batch.changes.begin(), batch.changes.end(),
                       [](const state::StateChange& c) { return c.kind == state::EntityKind::Engine; });
}

} // namespace

void Replica::Private::onFrame(protocol::Frame frame)
{
    stats.bytesReceived += frame.bytes.size();
    armLiveness(); // anything at all proves the connection alive
    protocol::ServerMessage message;
    try {
        message = protocol::decodeServerFrame(frame);
    } catch (const protocol::ProtocolError& e) {
        onMalformed(e.code(), e.what());
        return;
    } catch (const std::exception& e) {
        onMalformed(std::string(protocol::errors::Malformed), e.what());
        return;
    }
    // Nothing may unwind into Qt's event loop, not even from a slot connected to our signals.
    try {
        dispatch(std::move(message));
    } catch (const std::exception& e) {
        spdlog::error("replica: handling a message failed: {}", e.what());
    }
}

void Replica::Private::dispatch(protocol::ServerMessage message)
{
    if (!welcomed && !std::holds_alternative<protocol::Welcome>(message) &&
        !std::holds_alternative<protocol::Error>(message)) {
        onMalformed(std::string(protocol::errors::Malformed),
                    "a '" + std::string(protocol::typeName(message)) + "' message before the welcome");
        return;
    }
    std::visit([this](auto&& m) { handle(std::move(m)); }, std::move(message));
}

void Replica::Private::onMalformed(const std::string& code, const std::string& why)
{
    ++stats.malformed;
    if (code == protocol::errors::UnknownType) {
        // A message type of a newer protocol: skipping it is what forward compatibility means.
        spdlog::debug("replica: skipped a message: {}", why);
        return;
    }
    spdlog::warn("replica: malformed message from the daemon ({}): {}", code, why);
    if (!welcomed || ++malformedThisConnection > kMaxMalformedPerConnection) {
        endConnection(0,
                      QStringLiteral("the daemon sent malformed messages: ") + QString::fromStdString(why));
        return;
    }
    // What could not be read may have been a batch: only a snapshot can tell.
    requestResync("a malformed message");
}

void Replica::Private::handle(protocol::Welcome welcome)
{
    if (welcomed) {
        onMalformed(std::string(protocol::errors::Malformed), "a second welcome");
        return;
    }
    if (welcome.protocol != protocol::kProtocolVersion) {
        endConnection(0,
                      QStringLiteral("the daemon speaks protocol %1; this client speaks %2")
                          .arg(welcome.protocol)
                          .arg(protocol::kProtocolVersion),
                      false);
        return;
    }
    welcomed = true;
    session = QString::fromStdString(welcome.session);
    heartbeatMs = welcome.heartbeatMs;
    sessionAge.start();
    closeCode = 0;
    lastError.clear();
    armLiveness();
    spdlog::info("replica: session {} (epoch {}, version {})", welcome.session, welcome.epoch,
                 welcome.version);
    if (resumeSent) {
        if (welcome.epoch == state.epoch() && welcome.version >= state.version())
            setStatus(Status::Live); // the missing batches follow
        else
            awaitedSnapshots.push_back(sessionSubscription); // another incarnation: a snapshot follows
    }
    flushOutbox();
}

void Replica::Private::handle(protocol::Snapshot snapshot)
{
    protocol::Subscription subscription = sessionSubscription;
    if (!awaitedSnapshots.empty()) {
        subscription = std::move(awaitedSnapshots.front());
        awaitedSnapshots.pop_front();
    }
    Q_EMIT q->aboutToReset();
    state = std::move(snapshot.state);
    haveState = true;
    stateSubscription = std::move(subscription);
    ++stats.snapshots;
    Q_EMIT q->reset();
    noteEngine(state.engine());
    if (awaitedSnapshots.empty())
        setStatus(Status::Live);
}

void Replica::Private::handle(protocol::Changes changes)
{
    if (!awaitedSnapshots.empty()) {
        ++stats.droppedBatches; // the snapshot on its way supersedes it
        return;
    }
    std::string why;
    if (!fits(changes, &why)) {
        requestResync(why);
        return;
    }
    applyBatch(changes.batch);
}

bool Replica::Private::sparse() const
{
    return !stateSubscription.filter.empty() ||
           stateSubscription.topics != protocol::Subscription::everything().topics;
}

bool Replica::Private::fits(const protocol::Changes& changes, std::string* why) const
{
    const state::Batch& batch = changes.batch;
    if (!haveState)
        *why = "a batch before any snapshot";
    else if (changes.epoch != state.epoch())
        *why = "the epoch changed from " + std::to_string(state.epoch()) + " to " +
               std::to_string(changes.epoch);
    else if (batch.from != state.version())
        *why = "a batch from version " + std::to_string(batch.from) + " on version " +
               std::to_string(state.version());
    else if (batch.to < batch.from || batch.to - batch.from < batch.changes.size() ||
             (!sparse() && batch.to - batch.from != batch.changes.size()))
        *why = "a batch whose versions " + std::to_string(batch.from) + ".." + std::to_string(batch.to) +
               " do not match its " + std::to_string(batch.changes.size()) + " changes";
    return why->empty();
}

void Replica::Private::applyBatch(const state::Batch& batch)
{
    Q_EMIT q->aboutToApply(batch);
    std::string error;
    const bool ok = sparse() ? state.applySparse(batch, &error) : state.apply(batch, &error);
    if (!ok) {
        // The state is unchanged; whoever opened a change in aboutToApply() closes it here.
        Q_EMIT q->aboutToReset();
        Q_EMIT q->reset();
        requestResync("batch refused: " + error);
        return;
    }
    ++stats.batches;
    Q_EMIT q->applied(batch);
    if (touchesEngine(batch))
        noteEngine(state.engine());
}

void Replica::Private::requestResync(const std::string& why)
{
    if (!socket || !welcomed || !awaitedSnapshots.empty())
        return; // a snapshot is already on its way, or the next connection brings one
    ++stats.resyncs;
    spdlog::warn("replica: resync from a snapshot: {}", why);
    QString error;
    if (!send(protocol::Subscribe{options.subscription}, &error)) {
        endConnection(0, QStringLiteral("cannot ask for a snapshot: ") + error);
        return;
    }
    awaitedSnapshots.push_back(options.subscription);
    sessionSubscription = options.subscription;
}

void Replica::Private::noteEngine(const std::optional<state::EngineInfo>& info)
{
    if (!info || engine == info)
        return;
    engine = info;
    Q_EMIT q->engineChanged(*info);
}

void Replica::Private::handle(protocol::EngineUpdate update)
{
    noteEngine(update.engine);
}

void Replica::Private::handle(protocol::Event event)
{
    Q_EMIT q->eventReceived(event.event);
}

void Replica::Private::handle(protocol::Heartbeat)
{
    // Liveness only (onFrame re-armed the timer); a heartbeat is never answered.
}

void Replica::Private::handle(protocol::Pong) {}

void Replica::Private::handle(protocol::Result result)
{
    if (!requests.finishAction(QString::fromStdString(result.id), result))
        spdlog::debug("replica: a result for no pending action '{}'", result.id);
}

void Replica::Private::handle(protocol::StreamData data)
{
    const QString id = QString::fromStdString(data.id);
    if (requests.deliver(id, data.data) == PendingRequests::Delivery::StreamOrphaned)
        sendOrHold(protocol::Unstream{data.id}); // its context is gone: nobody reads it any more
}

void Replica::Private::handle(protocol::StreamEnd end)
{
    requests.endStream(QString::fromStdString(end.id), end.error);
}

void Replica::Private::handle(protocol::Error error)
{
    spdlog::warn("replica: the daemon reports {}: {}", error.error.code, error.error.message);
    Q_EMIT q->serverError(error.error);
}

} // namespace dockscope::client
