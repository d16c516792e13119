#include "StateHub.h"

#include "dockscope/protocol/Filter.h"
#include "dockscope/state/EntityJson.h"
#include "dockscope/state/StateCodec.h"

#include <algorithm>

namespace dockscope::server {

namespace {

constexpr std::size_t kIdleViewsKept = 8;

bool isEverything(const protocol::Subscription& subscription)
{
    return subscription.filter.empty() && subscription.topics.count(protocol::Topic::Containers) &&
           subscription.topics.count(protocol::Topic::Images) &&
           subscription.topics.count(protocol::Topic::Volumes) &&
           subscription.topics.count(protocol::Topic::Networks) &&
           subscription.topics.count(protocol::Topic::Engine);
}

template <typename Map>
std::optional<nlohmann::json> valueIn(const Map& map, const std::string& id)
{
    const auto it = map.find(id);
    if (it == map.end())
        return std::nullopt;
    return nlohmann::json(it->second);
}

} // namespace

OutFrame makeFrame(const nlohmann::json& message, const FrameFormat& format)
{
    protocol::Frame frame = protocol::encode(message, format.encoding);
    if (format.zstd && frame.bytes.size() >= protocol::kCompressThreshold)
        frame = protocol::compress(frame);
    OutFrame out;
    out.binary = frame.binary;
    if (frame.binary)
        out.bytes = QByteArray(frame.bytes.data(), static_cast<qsizetype>(frame.bytes.size()));
    else
        out.text = QString::fromUtf8(frame.bytes.data(), static_cast<qsizetype>(frame.bytes.size()));
    return out;
}

namespace {

const char* idListField(state::EntityKind kind)
{
    return kind == state::EntityKind::Network  ? "containers"
           : kind == state::EntityKind::Volume ? "usedBy"
                                               : nullptr;
}

bool isIdSetChange(const state::StateChange& change)
{
    const char* field = idListField(change.kind);
    if (!field || change.op != state::ChangeOp::Updated || !change.diff.is_object())
        return false;
    const auto it = change.diff.find(field);
    return it != change.diff.end() && it->is_object();
}

} // namespace

bool hasIdSets(const state::Batch& batch)
{
    return std::any_of(batch.changes.begin(), batch.changes.end(), isIdSetChange);
}

state::Batch withWholeIdLists(const state::Batch& batch, const state::EngineState& after)
{
    state::Batch whole = batch;
    for (state::StateChange& change : whole.changes) {
        if (!isIdSetChange(change))
            continue;
        if (change.kind == state::EntityKind::Network) {
            if (const auto it = after.networks().find(change.id); it != after.networks().end())
                change.diff["containers"] = it->second.containers;
        } else if (const auto it = after.volumes().find(change.id); it != after.volumes().end()) {
            change.diff["usedBy"] = it->second.usedBy;
        }
    }
    return whole;
}

// View ------------------------------------------------------------------------------------------------------

View::View(const protocol::Subscription& subscription, const state::EngineState* source,
           const state::ChangeLog* sourceLog, std::size_t logChanges, std::size_t logBytes)
    : m_subscription(subscription)
    , m_source(source)
    , m_sourceLog(sourceLog)
    , m_identity(isEverything(subscription))
    , m_log(logChanges, logBytes, source->version(), true)
    , m_logChanges(logChanges)
    , m_logBytes(logBytes)
{
    if (!m_identity)
        rebuild();
}

void View::rebuild()
{
    m_log = state::ChangeLog(m_logChanges, m_logBytes, m_source->version(), true);
    m_framedBatch = nullptr;
    m_batchFrames.clear();
    m_snapshotFrames.clear();
    m_snapshotVersion = ~std::uint64_t{0};
    if (m_identity)
        return;
    const protocol::Filter& f = m_subscription.filter;
    state::EngineState::ContainerMap containers;
    state::EngineState::ImageMap images;
    state::EngineState::VolumeMap volumes;
    state::EngineState::NetworkMap networks;
    std::optional<state::EngineInfo> engine;
    if (shows(state::EntityKind::Container))
        for (const auto& [id, v] : m_source->containers())
            if (protocol::matches(f, v))
                containers.emplace(id, v);
    if (shows(state::EntityKind::Image))
        for (const auto& [id, v] : m_source->images())
            if (protocol::matches(f, v))
                images.emplace(id, v);
    if (shows(state::EntityKind::Volume))
        for (const auto& [id, v] : m_source->volumes())
            if (protocol::matches(f, v))
                volumes.emplace(id, v);
    if (shows(state::EntityKind::Network))
        for (const auto& [id, v] : m_source->networks())
            if (protocol::matches(f, v))
                networks.emplace(id, v);
    if (shows(state::EntityKind::Engine))
        engine = m_source->engine();
    m_state.resetTo(m_source->epoch(), m_source->version(), std::move(containers), std::move(images),
                    std::move(volumes), std::move(networks), std::move(engine));
}

bool View::shows(state::EntityKind kind) const
{
    return protocol::subscribes(m_subscription, kind);
}

std::optional<nlohmann::json> View::sourceValue(state::EntityKind kind, const std::string& id) const
{
    switch (kind) {
    case state::EntityKind::Container:
        return valueIn(m_source->containers(), id);
    case state::EntityKind::Image:
        return valueIn(m_source->images(), id);
    case state::EntityKind::Volume:
        return valueIn(m_source->volumes(), id);
    case state::EntityKind::Network:
        return valueIn(m_source->networks(), id);
    case state::EntityKind::Engine:
        if (!m_source->engine())
            return std::nullopt;
        return nlohmann::json(*m_source->engine());
    }
    return std::nullopt;
}

bool View::matches(state::EntityKind kind, const std::string& id) const
{
    const protocol::Filter& f = m_subscription.filter;
    switch (kind) {
    case state::EntityKind::Container: {
        const auto it = m_source->containers().find(id);
        return it != m_source->containers().end() && protocol::matches(f, it->second);
    }
    case state::EntityKind::Image: {
        const auto it = m_source->images().find(id);
        return it != m_source->images().end() && protocol::matches(f, it->second);
    }
    case state::EntityKind::Volume: {
        const auto it = m_source->volumes().find(id);
        return it != m_source->volumes().end() && protocol::matches(f, it->second);
    }
    case state::EntityKind::Network: {
        const auto it = m_source->networks().find(id);
        return it != m_source->networks().end() && protocol::matches(f, it->second);
    }
    case state::EntityKind::Engine:
        return m_source->engine().has_value();
    }
    return false;
}

namespace {

bool contains(const state::EngineState& s, state::EntityKind kind, const std::string& id)
{
    switch (kind) {
    case state::EntityKind::Container:
        return s.containers().count(id) != 0;
    case state::EntityKind::Image:
        return s.images().count(id) != 0;
    case state::EntityKind::Volume:
        return s.volumes().count(id) != 0;
    case state::EntityKind::Network:
        return s.networks().count(id) != 0;
    case state::EntityKind::Engine:
        return s.engine().has_value();
    }
    return false;
}

} // namespace

std::shared_ptr<const state::Batch> View::advance(const std::shared_ptr<const state::Batch>& source,
                                                  std::string* error)
{
    m_framedBatch = nullptr;
    m_batchFrames.clear();
    if (m_identity)
        return source->changes.empty() ? nullptr : source;

    auto batch = std::make_shared<state::Batch>();
    batch->from = m_state.version();
    batch->to = source->to;
    for (const state::StateChange& change : source->changes) {
        if (!shows(change.kind))
            continue;
        const bool inView = contains(m_state, change.kind, change.id);
        const bool matchesNow = change.op != state::ChangeOp::Removed && matches(change.kind, change.id);
        if (inView && matchesNow) {
            batch->changes.push_back(change); // updated: the view's value is the source's old value
        } else if (inView) {
            batch->changes.push_back({change.kind, state::ChangeOp::Removed, change.id, {}, {}});
        } else if (matchesNow) {
            auto value = sourceValue(change.kind, change.id);
            if (value)
                batch->changes.push_back(
                    {change.kind, state::ChangeOp::Created, change.id, std::move(*value), {}});
        }
    }
    if (batch->changes.empty())
        return nullptr;
    if (!m_state.applyAndStamp(*batch, error)) {
        rebuild();
        return nullptr;
    }
    m_log.append(batch);
    return batch;
}

std::optional<std::vector<std::shared_ptr<const state::Batch>>> View::since(std::uint64_t version) const
{
    return m_identity ? m_sourceLog->since(version) : m_log.since(version);
}

const OutFrame& View::batchFrame(const state::Batch& batch, FrameFormat format, std::uint64_t* encodings)
{
    if (m_framedBatch != &batch) {
        m_batchFrames.clear();
        m_framedBatch = &batch;
    }
    // Without id-set changes the frame is the same for clients with and without "idSets".
    const bool convert = !format.idSets && hasIdSets(batch);
    if (!convert)
        format.idSets = true;
    auto it = m_batchFrames.find(format);
    if (it == m_batchFrames.end()) {
        const auto message = convert
                                 ? protocol::changesJson(state().epoch(), withWholeIdLists(batch, state()))
                                 : protocol::changesJson(state().epoch(), batch);
        it = m_batchFrames.emplace(format, makeFrame(message, format)).first;
        if (encodings)
            ++*encodings;
    }
    return it->second;
}

const OutFrame& View::snapshotFrame(FrameFormat format, std::uint64_t* encodings)
{
    if (m_snapshotVersion != state().version()) {
        m_snapshotFrames.clear();
        m_snapshotVersion = state().version();
    }
    auto it = m_snapshotFrames.find(format);
    if (it == m_snapshotFrames.end()) {
        it = m_snapshotFrames.emplace(format, makeFrame(protocol::snapshotJson(state()), format)).first;
        if (encodings)
            ++*encodings;
    }
    return it->second;
}

// StateHub --------------------------------------------------------------------------------------------------

StateHub::StateHub(state::EngineState initial, std::size_t logChanges, std::size_t logBytes,
                   std::size_t eventReplay)
    : m_source(std::move(initial))
    , m_log(logChanges, logBytes, m_source.version())
    , m_logChanges(logChanges)
    , m_logBytes(logBytes)
    , m_eventReplay(eventReplay)
{}

std::optional<std::vector<std::pair<View*, std::shared_ptr<const state::Batch>>>>
StateHub::publish(const std::shared_ptr<const state::Batch>& batch, std::string* error)
{
    if (!m_source.apply(*batch, error)) {
        // The engine's batches always apply on its own state, so this is a bug: start over from what we
        // have (versions stay monotonic: the next batch that applies continues from the engine's version).
        m_log = state::ChangeLog(m_logChanges, m_logBytes, m_source.version());
        for (auto& view : m_views)
            view->rebuild();
        return std::nullopt;
    }
    m_log.append(batch);
    std::vector<std::pair<View*, std::shared_ptr<const state::Batch>>> out;
    for (auto& view : m_views) {
        std::string viewError;
        if (auto viewBatch = view->advance(batch, &viewError))
            out.emplace_back(view.get(), std::move(viewBatch));
    }
    return out;
}

View* StateHub::acquire(const protocol::Subscription& subscription)
{
    ++m_useClock;
    for (auto& view : m_views) {
        if (view->subscription() == subscription) {
            ++view->sessions;
            view->lastUse = m_useClock;
            return view.get();
        }
    }
    auto view = std::make_unique<View>(subscription, &m_source, &m_log, m_logChanges, m_logBytes);
    view->sessions = 1;
    view->lastUse = m_useClock;
    m_views.push_back(std::move(view));
    dropIdleViews();
    return m_views.back().get();
}

void StateHub::release(View* view)
{
    if (!view)
        return;
    --view->sessions;
    view->lastUse = ++m_useClock;
    dropIdleViews();
}

void StateHub::dropIdleViews()
{
    std::vector<View*> idle;
    for (auto& view : m_views)
        if (view->sessions <= 0)
            idle.push_back(view.get());
    if (idle.size() <= kIdleViewsKept)
        return;
    std::sort(idle.begin(), idle.end(), [](const View* a, const View* b) { return a->lastUse < b->lastUse; });
    idle.resize(idle.size() - kIdleViewsKept);
    m_views.remove_if([&](const std::unique_ptr<View>& v) {
        return std::find(idle.begin(), idle.end(), v.get()) != idle.end();
    });
}

void StateHub::remember(const state::DockerEvent& event)
{
    m_events.push_back(event);
    while (m_events.size() > m_eventReplay)
        m_events.pop_front();
}

} // namespace dockscope::server
