#include "ProbeApp.h"

#include <QDateTime>

#include <cstdio>
#include <string>

namespace dockscope::apps {

namespace {

std::string shortId(const std::string& id)
{
    return id.substr(0, 12);
}

std::string clock(state::Timestamp ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000)
        .toString(QStringLiteral("HH:mm:ss.zzz"))
        .toStdString();
}

} // namespace

ProbeApp::ProbeApp(docker::Endpoint endpoint, bool follow, QObject* parent)
    : QObject(parent)
    , m_client({std::move(endpoint)})
    , m_follow(follow)
{}

void ProbeApp::fail(const docker::DockerError& error)
{
    std::fprintf(stderr, "dockscope-probe: %s\n", error.describe().c_str());
    Q_EMIT done(1);
}

void ProbeApp::start()
{
    // Open the events stream first, as the engine worker does, so nothing between the lists and it is lost.
    m_client.negotiate(this, [this](docker::Result<docker::ApiVersion> version) {
        if (!version)
            return fail(version.error());
        if (m_follow)
            followEvents();
        printEngine();
    });
}

void ProbeApp::printEngine()
{
    m_client.engineInfo(this, [this](docker::Result<state::EngineInfo> engine) {
        if (!engine)
            return fail(engine.error());
        std::printf("Engine   %s (API %s) on %s, %s/%s, %d CPUs, %.1f GiB\n", engine->version.c_str(),
                    engine->apiVersion.c_str(), engine->name.c_str(), engine->os.c_str(),
                    engine->arch.c_str(), engine->cpus,
                    static_cast<double>(engine->memTotal) / (1024.0 * 1024 * 1024));
        printContainers();
    });
}

void ProbeApp::printContainers()
{
    m_client.listContainers(this, [this](docker::Result<std::vector<state::Container>> list) {
        if (!list)
            return fail(list.error());
        std::printf("\n%-12s  %-28s  %-10s  %-32s  %s\n", "ID", "NAME", "STATE", "IMAGE", "PROJECT");
        for (const auto& c : *list)
            std::printf("%-12s  %-28s  %-10s  %-32s  %s\n", shortId(c.id).c_str(), c.name.c_str(),
                        std::string(state::toString(c.state)).c_str(), c.image.c_str(),
                        c.composeProject.c_str());
        printCounts();
    });
}

void ProbeApp::printCounts()
{
    m_client.listImages(this, [this](docker::Result<std::vector<state::Image>> images) {
        if (!images)
            return fail(images.error());
        m_client.listVolumes(
            this, [this, nImages = images->size()](docker::Result<std::vector<state::Volume>> vols) {
                if (!vols)
                    return fail(vols.error());
                m_client.listNetworks(this, [this, nImages, nVols = vols->size()](auto nets) {
                    if (!nets)
                        return fail(nets.error());
                    std::printf("\n%zu images, %zu volumes, %zu networks\n", nImages, nVols, nets->size());
                    if (!m_follow)
                        return Q_EMIT done(0);
                    std::printf("\nFollowing engine events (Ctrl-C to stop)...\n");
                    std::fflush(stdout);
                });
            });
    });
}

void ProbeApp::followEvents()
{
    m_events.reset(m_client.events({}));
    connect(m_events.get(), &docker::DockerStream::event, this, [](const state::DockerEvent& e) {
        const auto name = e.attributes.count("name") ? e.attributes.at("name") : std::string();
        std::printf("%s  %-9s %-14s %-24s %s%s%s\n", clock(e.timeNano).c_str(), e.type.c_str(),
                    e.action.c_str(), name.c_str(), shortId(e.actorId).c_str(),
                    e.actionDetail.empty() ? "" : "  ", e.actionDetail.c_str());
        std::fflush(stdout);
    });
    connect(m_events.get(), &docker::DockerStream::finished, this, [this](const docker::DockerError& error) {
        if (error)
            fail(error);
        else
            Q_EMIT done(0);
    });
}

} // namespace dockscope::apps
