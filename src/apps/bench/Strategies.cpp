#include "Strategies.h"

#include "BenchUtil.h"

#include "dockscope/client/Replica.h"
#include "dockscope/engine/EngineController.h"
#include "dockscope/server/ServerController.h"

#include <set>

namespace dockscope::bench {

using namespace std::chrono_literals;

void Strategy::replaceView(View next)
{
    auto keys = changedKeys(view_, next);
    view_ = std::move(next);
    if (!keys.empty())
        Q_EMIT changed(keys);
}

// ---- (a) Dockscope
// ------------------------------------------------------------------------------------------

DockscopeStrategy::DockscopeStrategy(const docker::Endpoint& endpoint, QObject* parent)
    : Strategy(parent)
{
    server::DaemonOptions options;
    options.engine.endpoint = endpoint;
    options.server.dockerEndpoint = endpoint;
    options.discoveryFile = QStringLiteral("-");
    controller_ = std::make_unique<server::ServerController>(options);
}

DockscopeStrategy::~DockscopeStrategy()
{
    delete replica_;
}

void DockscopeStrategy::start()
{
    const std::int64_t started = monoNs();
    connect(&controller_->engine(), &engine::EngineController::synced, this, [this, started] {
        if (engineSyncNs_ == 0)
            engineSyncNs_ = monoNs() - started;
    });
    QString error;
    if (!controller_->start(&error)) {
        Q_EMIT failed(error);
        return;
    }
    client::Replica::Options options;
    options.url = controller_->url();
    options.token = controller_->token();
    options.clientName = QStringLiteral("dockscope-bench");
    replica_ = new client::Replica(options);
    connect(replica_, &client::Replica::reset, this, &DockscopeStrategy::rebuild);
    connect(replica_, &client::Replica::applied, this, &DockscopeStrategy::applyBatch);
    replica_->start();
}

void DockscopeStrategy::rebuild()
{
    const auto& state = replica_->state();
    // The replica's first snapshot may come before the engine's first sync (an empty state): wait for the
    // engine's containers to be in (the engine entity says so).
    View next;
    for (const auto& [id, c] : state.containers())
        next.setContainer(c);
    for (const auto& [id, i] : state.images())
        next.setImage(i);
    for (const auto& [name, v] : state.volumes())
        next.volumes.insert(name);
    for (const auto& [id, n] : state.networks())
        next.setNetwork(n);
    replaceView(std::move(next));
    Q_EMIT refreshed(monoNs());
    if (!synced_ && !view_.images.empty()) {
        synced_ = true;
        Q_EMIT synced();
    }
}

void DockscopeStrategy::applyBatch(const state::Batch& batch)
{
    const auto& state = replica_->state();
    std::set<std::string> keys;
    for (const auto& change : batch.changes) {
        switch (change.kind) {
        case state::EntityKind::Container: {
            const auto it = state.containers().find(change.id);
            const auto old = view_.containers.find(change.id);
            if (it == state.containers().end()) {
                if (old != view_.containers.end()) {
                    view_.containers.erase(old);
                    keys.insert("c/" + change.id);
                }
            } else if (old == view_.containers.end() ||
                       !(old->second == ContainerView{it->second.name,
                                                      std::string(state::toString(it->second.state)),
                                                      it->second.networks})) {
                view_.setContainer(it->second);
                keys.insert("c/" + change.id);
            }
            break;
        }
        case state::EntityKind::Image: {
            const auto old = view_.images.find(change.id);
            std::vector<std::string> before =
                old == view_.images.end() ? std::vector<std::string>{} : old->second;
            const auto it = state.images().find(change.id);
            std::vector<std::string> after;
            if (it == state.images().end()) {
                view_.removeImage(change.id);
            } else {
                view_.setImage(it->second);
                after = it->second.repoTags;
            }
            if (before != after || (old == view_.images.end()) != (it == state.images().end())) {
                keys.insert("i/" + change.id);
                for (const auto& t : before)
                    if (std::find(after.begin(), after.end(), t) == after.end())
                        keys.insert("t/" + t);
                for (const auto& t : after)
                    if (std::find(before.begin(), before.end(), t) == before.end())
                        keys.insert("t/" + t);
            }
            break;
        }
        case state::EntityKind::Volume: {
            const bool present = state.volumes().count(change.id) > 0;
            if (present != (view_.volumes.count(change.id) > 0)) {
                if (present)
                    view_.volumes.insert(change.id);
                else
                    view_.volumes.erase(change.id);
                keys.insert("v/" + change.id);
            }
            break;
        }
        case state::EntityKind::Network: {
            const auto it = state.networks().find(change.id);
            const auto old = view_.networks.find(change.id);
            if (it == state.networks().end()) {
                if (old != view_.networks.end()) {
                    view_.networks.erase(old);
                    keys.insert("n/" + change.id);
                }
            } else if (old == view_.networks.end() || old->second != it->second.name) {
                view_.setNetwork(it->second);
                keys.insert("n/" + change.id);
            }
            break;
        }
        case state::EntityKind::Engine:
            break;
        }
    }
    if (!synced_ && !view_.images.empty()) {
        synced_ = true;
        Q_EMIT synced();
    }
    if (!keys.empty())
        Q_EMIT changed(std::vector<std::string>(keys.begin(), keys.end()));
    Q_EMIT refreshed(monoNs());
}

void DockscopeStrategy::apiCalls(std::function<void(std::uint64_t)> done)
{
    auto* engine = &controller_->engine();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(engine, &engine::EngineController::metricsReady, this,
                          [connection, done](const engine::EngineMetrics& metrics) {
                              QObject::disconnect(*connection);
                              done(metrics.totalApiCalls());
                          });
    engine->requestMetrics();
}

void DockscopeStrategy::engineMetrics(std::function<void(nlohmann::json)> done)
{
    auto* engine = &controller_->engine();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(engine, &engine::EngineController::metricsReady, this,
                          [connection, done](const engine::EngineMetrics& m) {
                              QObject::disconnect(*connection);
                              done({{"apiCalls", m.apiCalls},
                                    {"eventsReceived", m.eventsReceived},
                                    {"eventsIgnored", m.eventsIgnored},
                                    {"eventsCoalesced", m.eventsCoalesced},
                                    {"inspects", m.inspects},
                                    {"relists", m.relists},
                                    {"batches", m.batches},
                                    {"changes", m.changes},
                                    {"driftChecks", m.driftChecks},
                                    {"driftRepairs", m.driftRepairs},
                                    {"eventToCommitP50Ms", double(m.latencyP50) / 1e6},
                                    {"eventToCommitP99Ms", double(m.latencyP99) / 1e6},
                                    {"eventToCommitMaxMs", double(m.latencyMax) / 1e6}});
                          });
    engine->requestMetrics();
}

// ---- (b) and (c): re-lists
// ----------------------------------------------------------------------------------

ListingStrategy::ListingStrategy(const docker::Endpoint& endpoint, QObject* parent)
    : Strategy(parent)
    , client_(new docker::DockerClient(clientOptions(endpoint), this))
{}

void ListingStrategy::apiCalls(std::function<void(std::uint64_t)> done)
{
    std::uint64_t total = 0;
    for (const auto& [endpoint, count] : client_->callCounts())
        total += count;
    done(total);
}

void ListingStrategy::relist()
{
    if (inFlight_ > 0)
        return;
    inFlight_ = 4;
    failed_ = false;
    started_ = monoNs();
    const auto finish = [this](const docker::DockerError* error) {
        if (error && !failed_) {
            failed_ = true;
            Q_EMIT failed(QString::fromStdString(error->describe()));
        }
        if (--inFlight_ > 0 || failed_)
            return;
        replaceView(viewOf(containers_, images_, volumes_, networks_));
        Q_EMIT refreshed(started_);
        if (!synced_) {
            synced_ = true;
            Q_EMIT synced();
        }
        relisted();
    };
    client_->listContainers(this, [this, finish](auto result) {
        if (result.ok())
            containers_ = std::move(result).value();
        finish(result.ok() ? nullptr : &result.error());
    });
    client_->listImages(this, [this, finish](auto result) {
        if (result.ok())
            images_ = std::move(result).value();
        finish(result.ok() ? nullptr : &result.error());
    });
    client_->listVolumes(this, [this, finish](auto result) {
        if (result.ok())
            volumes_ = std::move(result).value();
        finish(result.ok() ? nullptr : &result.error());
    });
    client_->listNetworks(this, [this, finish](auto result) {
        if (result.ok())
            networks_ = std::move(result).value();
        finish(result.ok() ? nullptr : &result.error());
    });
}

PollStrategy::PollStrategy(const docker::Endpoint& endpoint, QObject* parent)
    : ListingStrategy(endpoint, parent)
{
    timer_.setInterval(1000);
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, [this] {
        if (!relisting())
            relist();
    });
}

void PollStrategy::start()
{
    client_->negotiate(this, [this](auto result) {
        if (!result.ok()) {
            Q_EMIT failed(QString::fromStdString(result.error().describe()));
            return;
        }
        relist();
        timer_.start();
    });
}

RelistStrategy::RelistStrategy(const docker::Endpoint& endpoint, QObject* parent)
    : ListingStrategy(endpoint, parent)
{
    trailing_.setSingleShot(true);
    trailing_.setTimerType(Qt::PreciseTimer);
    connect(&trailing_, &QTimer::timeout, this, &RelistStrategy::trigger);
}

void RelistStrategy::start()
{
    client_->negotiate(this, [this](auto result) {
        if (!result.ok()) {
            Q_EMIT failed(QString::fromStdString(result.error().describe()));
            return;
        }
        openEvents();
    });
}

void RelistStrategy::openEvents()
{
    auto* stream = client_->events({}, this);
    connect(stream, &docker::DockerStream::started, this, [this] {
        sinceRelist_.start();
        relist(); // the initial list, after the stream is open so that nothing falls between the two
    });
    connect(stream, &docker::DockerStream::event, this, &RelistStrategy::onEvent);
    connect(stream, &docker::DockerStream::finished, this, [this, stream](const docker::DockerError& error) {
        stream->deleteLater();
        Q_EMIT failed(
            QStringLiteral("events stream ended: %1").arg(QString::fromStdString(error.describe())));
    });
}

void RelistStrategy::onEvent(const state::DockerEvent& event)
{
    // Only what can change the four lists; exec, attach, resize, top, health probes and archive copies
    // cannot.
    static const std::set<std::string> kinds{"container", "image", "volume", "network"};
    static const std::set<std::string> inert{
        "exec_create", "exec_start", "exec_die",     "exec_detach",    "attach",        "resize", "top",
        "export",      "copy",       "archive-path", "extract-to-dir", "health_status", "mount",  "unmount"};
    if (kinds.count(event.type) == 0 || inert.count(event.action) > 0)
        return;
    trigger();
}

void RelistStrategy::trigger()
{
    if (!synced_ || relisting()) {
        dirty_ = true;
        return;
    }
    if (trailing_.isActive())
        return;
    const qint64 elapsed = sinceRelist_.isValid() ? sinceRelist_.elapsed() : 50;
    if (elapsed < 50) {
        trailing_.start(int(50 - elapsed));
        return;
    }
    dirty_ = false;
    sinceRelist_.start();
    relist();
}

void RelistStrategy::relisted()
{
    if (dirty_) {
        dirty_ = false;
        trigger();
    }
}

} // namespace dockscope::bench
