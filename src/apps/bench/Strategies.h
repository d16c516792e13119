#pragma once
// The three ways of keeping a client's view of the engine that the benchmark compares, behind one interface.
#include "View.h"

#include "dockscope/docker/DockerClient.h"
#include "dockscope/state/Batch.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace dockscope::server {
class ServerController;
}
namespace dockscope::client {
class Replica;
}

namespace dockscope::bench {

class Strategy : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    /// "dockscope", "poll" or "relist".
    virtual QString name() const = 0;
    /// Starts following the engine; synced() comes once the first complete view is in.
    virtual void start() = 0;
    /// Docker API calls made so far (asynchronous for the engine, whose worker runs on its own thread).
    virtual void apiCalls(std::function<void(std::uint64_t)> done) = 0;
    const View& view() const { return view_; }

Q_SIGNALS:
    void synced();
    /// The view changed; `keys` as changedKeys() names them. Connect directly (same thread).
    void changed(const std::vector<std::string>& keys);
    void failed(const QString& message);
    /// The view is now known to be current as of `validFrom` (CLOCK_MONOTONIC ns): a re-list that started
    /// then has been applied, or a batch of the replica. Comes after changed(), also when nothing changed.
    void refreshed(std::int64_t validFrom);

protected:
    /// Replaces the view (a full re-list) and emits changed() when something differs.
    void replaceView(View next);

    View view_;
};

/// (a) Dockscope: the engine and the state server as dockscoped runs them, and a client::Replica connected to
/// them over loopback WebSocket; the view follows the replica's batches entity by entity.
class DockscopeStrategy : public Strategy {
    Q_OBJECT

public:
    explicit DockscopeStrategy(const docker::Endpoint& endpoint, QObject* parent = nullptr);
    ~DockscopeStrategy() override;
    QString name() const override { return QStringLiteral("dockscope"); }
    void start() override;
    void apiCalls(std::function<void(std::uint64_t)> done) override;
    server::ServerController& controller() { return *controller_; }
    /// The engine's metrics (events, inspects, re-lists, drift checks, event -> commit latency) as JSON.
    void engineMetrics(std::function<void(nlohmann::json)> done);
    std::int64_t engineInitialSyncNs() const { return engineSyncNs_; }

private:
    void rebuild();
    void applyBatch(const state::Batch& batch);

    std::unique_ptr<server::ServerController> controller_;
    client::Replica* replica_ = nullptr;
    bool synced_ = false;
    std::int64_t engineSyncNs_ = 0;
};

/// The part (b) and (c) share: one DockerClient, and a re-list of the four kinds, concurrently, that replaces
/// the view; never two in flight.
class ListingStrategy : public Strategy {
    Q_OBJECT

public:
    ListingStrategy(const docker::Endpoint& endpoint, QObject* parent);
    void apiCalls(std::function<void(std::uint64_t)> done) override;

protected:
    void relist();
    virtual void relisted() {}
    bool relisting() const { return inFlight_ > 0; }

    docker::DockerClient* client_;
    bool synced_ = false;

private:
    int inFlight_ = 0;
    std::int64_t started_ = 0;
    bool failed_ = false;
    std::vector<state::Container> containers_;
    std::vector<state::Image> images_;
    std::vector<state::Volume> volumes_;
    std::vector<state::Network> networks_;
};

/// (b) Polling: the four lists every second (a tick while a re-list is still running is skipped).
class PollStrategy : public ListingStrategy {
    Q_OBJECT

public:
    explicit PollStrategy(const docker::Endpoint& endpoint, QObject* parent = nullptr);
    QString name() const override { return QStringLiteral("poll"); }
    void start() override;

private:
    QTimer timer_;
};

/// (c) Events, then a re-list of all four kinds, throttled at 50 ms: the first event re-lists at once, events
/// during the throttle window or during a re-list give one trailing re-list.
class RelistStrategy : public ListingStrategy {
    Q_OBJECT

public:
    explicit RelistStrategy(const docker::Endpoint& endpoint, QObject* parent = nullptr);
    QString name() const override { return QStringLiteral("relist"); }
    void start() override;

private:
    void onEvent(const state::DockerEvent& event);
    void trigger();
    void relisted() override;
    void openEvents();

    QTimer trailing_;
    QElapsedTimer sinceRelist_;
    bool dirty_ = false;
};

} // namespace dockscope::bench
