#include "dockscope/server/ServerController.h"

#include "StateCache.h"

#include "dockscope/engine/EngineController.h"
#include "dockscope/engine/EngineWorker.h"
#include "dockscope/state/StateTransaction.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

namespace dockscope::server {

QString defaultDiscoveryFile()
{
    const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo(QString::fromLocal8Bit(runtime)).isDir())
        return QString::fromLocal8Bit(runtime) + QStringLiteral("/dockscope/daemon.json");
    return QDir::homePath() + QStringLiteral("/.local/state/dockscope/daemon.json");
}

bool writeDiscoveryFile(const QString& path, const QUrl& url, const QString& token, std::uint64_t epoch,
                        QString* error)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    ::chmod(QFile::encodeName(dir).constData(), 0700);
    const nlohmann::json body = {{"url", url.toString().toStdString()},
                                 {"token", token.toStdString()},
                                 {"pid", QCoreApplication::applicationPid()},
                                 {"epoch", epoch},
                                 {"version", 1}};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    // The temporary file gets the mode before the token is written into it.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        if (error)
            *error = QStringLiteral("cannot make %1 private").arg(path);
        file.cancelWriting();
        return false;
    }
    file.write(QByteArray::fromStdString(body.dump(2) + "\n"));
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

namespace {

QString cacheFile(const DaemonOptions& options)
{
    return options.cacheDir.isEmpty() ? QString() : options.cacheDir + QStringLiteral("/state.msgpack");
}

} // namespace

ServerController::ServerController(DaemonOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<ServerMetrics>("dockscope::server::ServerMetrics");
    const QString cache = cacheFile(m_options);
    if (!cache.isEmpty() && QFileInfo::exists(cache)) {
        QString error;
        if (auto saved = loadState(cache, &error)) {
            spdlog::info("daemon: starting from the state saved in {} ({} containers)", cache.toStdString(),
                         saved->containers().size());
            if (saved->engine()) {
                // Until the engine answers, the engine entity must not claim the saved state is live.
                state::EngineInfo engine = *saved->engine();
                engine.status = state::EngineStatus::Connecting;
                engine.statusSince = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
                engine.lastError = "not connected yet: showing the state saved at " +
                                   QFileInfo(cache).lastModified().toString(Qt::ISODate).toStdString();
                state::StateTransaction tx;
                tx.setEngine(std::move(engine));
                saved->commit(tx, QDateTime::currentMSecsSinceEpoch() * 1'000'000);
            }
            m_options.engine.seed = std::make_shared<const state::EngineState>(std::move(*saved));
            m_fromCache = true;
        } else {
            spdlog::warn("daemon: ignoring the saved state: {}", error.toStdString());
        }
    }
    m_engine = std::make_unique<engine::EngineController>(m_options.engine);
    m_options.server.cacheFile = cache;
    if (m_options.server.dockerEndpoint == docker::Endpoint{})
        m_options.server.dockerEndpoint = m_options.engine.endpoint;
    m_server = new StateServer(m_options.server, engine::initialState(m_options.engine, m_engine->epoch()));
    m_serverThread.setObjectName(QStringLiteral("dockscope-server"));
    m_server->moveToThread(&m_serverThread);
    connect(&m_serverThread, &QThread::finished, m_server, &QObject::deleteLater);
    // Straight from the engine's thread to the server's.
    connect(m_engine->worker(), &engine::EngineWorker::batchCommitted, m_server, &StateServer::publish,
            Qt::QueuedConnection);
    connect(m_engine->worker(), &engine::EngineWorker::engineEvent, m_server, &StateServer::publishEvent,
            Qt::QueuedConnection);
}

ServerController::~ServerController()
{
    m_engine.reset(); // no more batches
    if (m_serverThread.isRunning()) {
        QMetaObject::invokeMethod(
            m_server, [s = m_server] { s->shutdown(); }, Qt::BlockingQueuedConnection);
        m_serverThread.quit();
        m_serverThread.wait();
    } else {
        delete m_server;
    }
    if (m_wroteDiscovery)
        QFile::remove(m_discoveryFile);
}

std::uint64_t ServerController::epoch() const
{
    return m_engine->epoch();
}

bool ServerController::start(QString* error)
{
    m_serverThread.start();
    bool listening = false;
    QString listenError;
    QMetaObject::invokeMethod(
        m_server,
        [&] {
            listening = m_server->listen(&listenError);
            if (listening) {
                m_url = m_server->url();
                m_token = m_server->token();
            }
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        if (error)
            *error = QStringLiteral("cannot listen: %1").arg(listenError);
        return false;
    }
    if (m_options.discoveryFile != QLatin1String("-")) {
        m_discoveryFile =
            m_options.discoveryFile.isEmpty() ? defaultDiscoveryFile() : m_options.discoveryFile;
        QString writeError;
        if (!writeDiscoveryFile(m_discoveryFile, m_url, m_token, epoch(), &writeError)) {
            if (error)
                *error =
                    QStringLiteral("cannot write the discovery file %1: %2").arg(m_discoveryFile, writeError);
            return false;
        }
        m_wroteDiscovery = true;
    }
    m_engine->start();
    return true;
}

void ServerController::requestServerMetrics()
{
    QMetaObject::invokeMethod(
        m_server,
        [this, s = m_server] {
            const ServerMetrics metrics = s->metrics();
            QMetaObject::invokeMethod(
                this, [this, metrics] { Q_EMIT serverMetricsReady(metrics); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void ServerController::runOnWorkerThreads(const std::function<void()>& task)
{
    QMetaObject::invokeMethod(m_server, task, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_engine->worker(), task, Qt::QueuedConnection);
}

} // namespace dockscope::server
