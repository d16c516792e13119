#include "dockscope/engine/EngineController.h"

#include "dockscope/engine/EngineWorker.h"

#include <QRandomGenerator>

namespace dockscope::engine {

EngineController::EngineController(EngineOptions options, QObject* parent)
    : QObject(parent)
    , m_epoch(QRandomGenerator::system()->generate64())
    , m_worker(new EngineWorker(std::move(options), m_epoch))
{
    qRegisterMetaType<std::shared_ptr<const state::Batch>>("std::shared_ptr<const dockscope::state::Batch>");
    qRegisterMetaType<state::DockerEvent>("dockscope::state::DockerEvent");
    qRegisterMetaType<EngineMetrics>("dockscope::engine::EngineMetrics");
    m_thread.setObjectName(QStringLiteral("dockscope-engine"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &EngineWorker::batchCommitted, this, &EngineController::batchCommitted);
    connect(m_worker, &EngineWorker::engineEvent, this, &EngineController::engineEvent);
    connect(m_worker, &EngineWorker::synced, this, &EngineController::synced);
}

EngineController::~EngineController()
{
    if (!m_thread.isRunning()) {
        delete m_worker;
        return;
    }
    // Shutdown only: waiting here is bounded (stop() closes sockets and returns).
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void EngineController::start()
{
    m_thread.start();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->start(); }, Qt::QueuedConnection);
}

void EngineController::requestMetrics()
{
    QMetaObject::invokeMethod(
        m_worker,
        [this, w = m_worker] {
            const EngineMetrics metrics = w->metrics();
            QMetaObject::invokeMethod(
                this, [this, metrics] { Q_EMIT metricsReady(metrics); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EngineController::requestDriftCheck()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->checkDrift(); }, Qt::QueuedConnection);
}

} // namespace dockscope::engine
