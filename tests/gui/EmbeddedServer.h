#pragma once

#include "dockscope/client/Replica.h"
#include "dockscope/docker/Endpoint.h"
#include "dockscope/server/ServerController.h"

#include <QString>

#include <functional>
#include <memory>

namespace dockscope::test {

/// What `dockscope` embeds, for the GUI tests: the engine and state server on `endpoint` (no discovery file,
/// no cache, no liveness ping) and a replica connected to it, not yet started. Destroys the replica before
/// the server; whatever watches the replica must go first.
struct EmbeddedServer {
    explicit EmbeddedServer(const docker::Endpoint& endpoint,
                            const std::function<void(server::DaemonOptions&)>& tune = {});
    ~EmbeddedServer();

    /// Starts the server and creates the replica; false (with a test failure) when the server cannot start.
    bool start(const QString& clientName = QStringLiteral("dockscope gui test"));

    server::DaemonOptions options;
    std::unique_ptr<server::ServerController> server;
    std::unique_ptr<client::Replica> replica;
};

} // namespace dockscope::test
