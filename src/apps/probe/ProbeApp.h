#pragma once

#include "dockscope/docker/DockerClient.h"

#include <QObject>

#include <memory>

namespace dockscope::apps {

/// The probe's flow: negotiate, print the engine and its lists, then follow events until interrupted.
/// Everything is driven by callbacks on the event loop, as the real engine worker will be.
class ProbeApp : public QObject {
    Q_OBJECT

public:
    ProbeApp(docker::Endpoint endpoint, bool follow, QObject* parent = nullptr);
    void start();

Q_SIGNALS:
    void done(int exitCode);

private:
    void printEngine();
    void printContainers();
    void printCounts();
    void followEvents();
    void fail(const docker::DockerError& error);

    docker::DockerClient m_client;
    bool m_follow;
    std::unique_ptr<docker::DockerStream> m_events;
};

} // namespace dockscope::apps
