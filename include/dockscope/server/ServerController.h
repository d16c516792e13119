#pragma once

#include "dockscope/engine/EngineOptions.h"
#include "dockscope/server/StateServer.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>

namespace dockscope::engine {
class EngineController;
}

namespace dockscope::server {

struct DaemonOptions {
    engine::EngineOptions engine;
    ServerOptions server;
    /// Where the URL and token are published for local clients (mode 0600); empty: defaultDiscoveryFile();
    /// "-": not written.
    QString discoveryFile;
    /// The offline cache folder (state.msgpack inside); empty: no cache.
    QString cacheDir;
};

/// The default discovery file: $XDG_RUNTIME_DIR/dockscope/daemon.json, else
/// ~/.local/state/dockscope/daemon.json (docs/protocol.md "Discovery").
QString defaultDiscoveryFile();
/// Writes {"url", "token", "pid", "epoch", "version": 1} atomically with mode 0600 (folder 0700).
bool writeDiscoveryFile(const QString& path, const QUrl& url, const QString& token, std::uint64_t epoch,
                        QString* error = nullptr);

/// The engine and the state server together, as `dockscoped` and the GUI embed them: the engine worker on its
/// thread, the server on another, batches going straight from one to the other; the discovery file written
/// once listening and removed at the end; the offline cache loaded to seed the engine when present.
class ServerController : public QObject {
    Q_OBJECT

public:
    explicit ServerController(DaemonOptions options, QObject* parent = nullptr);
    ~ServerController() override;

    /// Listens, writes the discovery file and starts the engine. False with `*error` if the server cannot
    /// listen or the discovery file cannot be written.
    bool start(QString* error = nullptr);

    QUrl url() const { return m_url; }
    QString token() const { return m_token; }
    QString discoveryFile() const { return m_discoveryFile; }
    std::uint64_t epoch() const;
    /// True when the engine was seeded with the saved state.
    bool startedFromCache() const { return m_fromCache; }
    engine::EngineController& engine() { return *m_engine; }
    /// Asks the server thread for its metrics; the answer comes as serverMetricsReady on this thread.
    void requestServerMetrics();
    /// Runs `task` once on each thread this controller started (the engine worker's and the server's), queued
    /// there and never waited for: for per-thread settings such as scheduling (the GUI lowers these threads'
    /// priority; dockscoped does not). Call after start().
    void runOnWorkerThreads(const std::function<void()>& task);

Q_SIGNALS:
    void serverMetricsReady(const dockscope::server::ServerMetrics& metrics);

private:
    DaemonOptions m_options;
    std::unique_ptr<engine::EngineController> m_engine;
    QThread m_serverThread;
    StateServer* m_server = nullptr; ///< lives on m_serverThread
    QUrl m_url;
    QString m_token;
    QString m_discoveryFile;
    bool m_fromCache = false;
    bool m_wroteDiscovery = false;
};

} // namespace dockscope::server
