#pragma once

#include "dockscope/engine/EngineMetrics.h"
#include "dockscope/engine/EngineOptions.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/DockerEvent.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace dockscope::engine {

class EngineWorker;

/// Owns the engine worker's thread: starts the worker there and stops it (quit, then wait) in one RAII place.
/// Its signals are the worker's, delivered queued on the controller's thread.
class EngineController : public QObject {
    Q_OBJECT

public:
    explicit EngineController(EngineOptions options, QObject* parent = nullptr);
    ~EngineController() override;

    /// The random epoch of this state incarnation (per process start).
    std::uint64_t epoch() const { return m_epoch; }
    void start();
    /// The worker, for direct connections to its signals from another thread (the server connects its
    /// thread to the worker's this way, sparing the controller's thread a hop). Never call its methods.
    EngineWorker* worker() const { return m_worker; }
    /// Asks the worker for its metrics; the answer comes as metricsReady on this thread. Never blocks.
    void requestMetrics();
    /// Asks for a drift check now.
    void requestDriftCheck();

Q_SIGNALS:
    void batchCommitted(std::shared_ptr<const dockscope::state::Batch> batch);
    void engineEvent(const dockscope::state::DockerEvent& event);
    void synced();
    void metricsReady(const dockscope::engine::EngineMetrics& metrics);

private:
    std::uint64_t m_epoch;
    QThread m_thread;
    EngineWorker* m_worker; ///< lives on m_thread; deleted there when it finishes
};

} // namespace dockscope::engine
