#include "gui/EmbeddedServer.h"

#include <gtest/gtest.h>

namespace dockscope::test {

using namespace std::chrono_literals;

EmbeddedServer::EmbeddedServer(const docker::Endpoint& endpoint,
                               const std::function<void(server::DaemonOptions&)>& tune)
{
    options.engine.endpoint = endpoint;
    options.engine.livenessIdle = 0ms;
    options.server.dockerEndpoint = endpoint;
    options.discoveryFile = QStringLiteral("-");
    options.cacheDir.clear();
    if (tune)
        tune(options);
}

EmbeddedServer::~EmbeddedServer()
{
    replica.reset();
    server.reset();
}

bool EmbeddedServer::start(const QString& clientName)
{
    server = std::make_unique<server::ServerController>(options);
    QString error;
    if (!server->start(&error)) {
        ADD_FAILURE() << "embedded server: " << error.toStdString();
        return false;
    }
    client::Replica::Options replicaOptions;
    replicaOptions.url = server->url();
    replicaOptions.token = server->token();
    replicaOptions.clientName = clientName;
    replica = std::make_unique<client::Replica>(replicaOptions);
    return true;
}

} // namespace dockscope::test
