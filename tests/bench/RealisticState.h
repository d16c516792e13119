#pragma once

// Realistic Docker entities for the benchmarks and the heap measurement. Modelled on what a real engine
// reports (tests/fixtures/engine/*.json) and on what Docker Compose v2 writes: 64-hex ids, "sha256:" image
// ids, compose projects of a few services with numbered replicas and the full set of com.docker.compose.*
// labels plus a few OCI image labels, published ports listed once for IPv4 and once for IPv6, named volumes
// under /var/lib/docker/volumes, bind mounts of config files, one "<project>_default" network per project.
// Deterministic for a given seed. Unlike tests/state/RandomState.h (small id pools and odd strings to hit the
// edge cases), this aims at the sizes and shapes of a real engine.

#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateTransaction.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dockscope::bench {

class RealisticState {
public:
    explicit RealisticState(std::uint64_t seed = 20261126)
        : rng_(seed)
    {}

    std::string hex64()
    {
        static constexpr char digits[] = "0123456789abcdef";
        std::string out(64, '0');
        for (char& c : out)
            c = digits[rng_() & 15u];
        return out;
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

    /// Nanoseconds in the last year before 2026-11-26.
    state::Timestamp recent()
    {
        constexpr std::int64_t now = 1'795'600'000'000'000'000;
        constexpr std::int64_t year = 365LL * 24 * 3600 * 1'000'000'000;
        return now - std::uniform_int_distribution<std::int64_t>(0, year)(rng_);
    }

    struct Service {
        const char* name;
        const char* image; ///< repository:tag
        const char* command;
        std::vector<std::uint16_t> ports;
        const char* volumePath; ///< nullptr: no named volume
        const char* configFile; ///< nullptr: no bind mount
        bool healthcheck;
    };

    static const std::vector<Service>& services()
    {
        static const std::vector<Service> all{
            {"web",
             "nginx:1.27.2-alpine",
             "/docker-entrypoint.sh nginx -g 'daemon off;'",
             {80, 443},
             nullptr,
             "/etc/nginx/conf.d/default.conf",
             true},
            {"api",
             "registry.example.com/shop/api:2.14.1",
             "node dist/server.js --port 8080",
             {8080},
             nullptr,
             "/app/config/production.json",
             true},
            {"worker",
             "registry.example.com/shop/worker:2.14.1",
             "python -m worker --queue default",
             {},
             nullptr,
             nullptr,
             false},
            {"db",
             "postgres:16.4-bookworm",
             "docker-entrypoint.sh postgres",
             {5432},
             "/var/lib/postgresql/data",
             nullptr,
             true},
            {"cache",
             "redis:7.4.1-alpine",
             "docker-entrypoint.sh redis-server --save ''",
             {6379},
             nullptr,
             nullptr,
             true},
            {"queue",
             "rabbitmq:3.13-management",
             "docker-entrypoint.sh rabbitmq-server",
             {5672, 15672},
             "/var/lib/rabbitmq",
             nullptr,
             true},
        };
        return all;
    }

    /// A compose-made container: replica `replica` of `service` in project `project`.
    state::Container container(const std::string& project, const Service& service, int replica,
                               const std::string& imageId)
    {
        state::Container c;
        c.id = hex64();
        c.name = project + "-" + service.name + "-" + std::to_string(replica);
        c.image = service.image;
        c.imageId = imageId;
        c.command = service.command;
        c.createdAt = recent();
        const int roll = uniform(0, 99);
        c.state = roll < 85   ? state::ContainerState::Running
                  : roll < 95 ? state::ContainerState::Exited
                  : roll < 98 ? state::ContainerState::Created
                              : state::ContainerState::Paused;
        if (service.healthcheck && c.state == state::ContainerState::Running)
            c.health = chance(0.95) ? state::Health::Healthy : state::Health::Unhealthy;
        c.exitCode = c.state == state::ContainerState::Exited ? (chance(0.5) ? 0 : 137) : 0;
        c.startedAt = c.state == state::ContainerState::Created ? 0 : c.createdAt + 1'500'000'000;
        c.finishedAt = c.state == state::ContainerState::Exited ? c.startedAt + 86'400'000'000'000 : 0;
        c.restartCount = chance(0.1) ? uniform(1, 5) : 0;
        for (std::uint16_t port : service.ports) {
            if (replica == 1 && chance(0.5)) { // published, listed for IPv4 and IPv6 as Docker does
                const auto host = static_cast<std::uint16_t>(uniform(20000, 60000));
                c.ports.push_back({"0.0.0.0", port, host, "tcp"});
                c.ports.push_back({"::", port, host, "tcp"});
            } else {
                c.ports.push_back({"", port, 0, "tcp"});
            }
        }
        c.labels = {
            {"com.docker.compose.config-hash", hex64()},
            {"com.docker.compose.container-number", std::to_string(replica)},
            {"com.docker.compose.depends_on",
             service.name == std::string("web") ? "api:service_started:false" : ""},
            {"com.docker.compose.image", "sha256:" + imageId.substr(7)},
            {"com.docker.compose.oneoff", "False"},
            {"com.docker.compose.project", project},
            {"com.docker.compose.project.config_files", "/srv/" + project + "/compose.yaml"},
            {"com.docker.compose.project.working_dir", "/srv/" + project},
            {"com.docker.compose.service", service.name},
            {"com.docker.compose.version", "2.29.7"},
            {"org.opencontainers.image.source", "https://github.com/example/" + std::string(service.name)},
            {"org.opencontainers.image.version", "2.14.1"},
        };
        c.networks = {project + "_default"};
        if (service.volumePath) {
            const std::string volume = project + "_" + service.name + "-data";
            c.mounts.push_back(
                {"volume", volume, "/var/lib/docker/volumes/" + volume + "/_data", service.volumePath, true});
        }
        if (service.configFile)
            c.mounts.push_back({"bind", "", "/srv/" + project + "/config/" + service.name + ".conf",
                                service.configFile, false});
        c.composeProject = project;
        c.composeService = service.name;
        return c;
    }

    state::Image image(const std::string& id, const std::string& repoTag)
    {
        state::Image i;
        i.id = id;
        i.repoTags = {repoTag};
        const std::string repo = repoTag.substr(0, repoTag.rfind(':'));
        i.repoDigests = {repo + "@sha256:" + hex64()};
        i.createdAt = recent() / 1'000'000'000 * 1'000'000'000;
        i.size = uniform(5, 900) * 1'000'000LL;
        i.labels = {{"org.opencontainers.image.created", "2026-10-01T12:00:00Z"},
                    {"org.opencontainers.image.source", "https://github.com/example/" + repo},
                    {"org.opencontainers.image.version", repoTag.substr(repoTag.rfind(':') + 1)}};
        return i;
    }

    state::Volume volume(const std::string& name, const std::string& project)
    {
        state::Volume v;
        v.name = name;
        v.driver = "local";
        v.mountpoint = "/var/lib/docker/volumes/" + name + "/_data";
        v.createdAt = recent() / 1'000'000'000 * 1'000'000'000;
        v.scope = "local";
        if (!project.empty())
            v.labels = {{"com.docker.compose.project", project},
                        {"com.docker.compose.version", "2.29.7"},
                        {"com.docker.compose.volume", name.substr(project.size() + 1)}};
        return v;
    }

    state::Network network(const std::string& name, const std::string& project, int index)
    {
        state::Network n;
        n.id = hex64();
        n.name = name;
        n.driver = "bridge";
        n.scope = "local";
        n.createdAt = recent();
        if (!project.empty())
            n.labels = {{"com.docker.compose.network", "default"},
                        {"com.docker.compose.project", project},
                        {"com.docker.compose.version", "2.29.7"}};
        n.subnets = {"172." + std::to_string(16 + index / 256 % 16) + "." + std::to_string(index % 256) +
                     ".0/24"};
        return n;
    }

    state::EngineInfo engine()
    {
        state::EngineInfo e;
        e.status = state::EngineStatus::Connected;
        e.statusSince = recent();
        e.version = "29.0.1";
        e.apiVersion = "1.52";
        e.os = "Debian GNU/Linux 12 (bookworm)";
        e.arch = "x86_64";
        e.kernel = "6.1.0-27-amd64";
        e.cpus = 16;
        e.memTotal = 67'108'864'000;
        e.name = "build-host-03";
        return e;
    }

    /// A transaction that creates exactly `containers` containers in compose projects of 20 containers (6
    /// services, up to 4 replicas each), one "<project>_default" network and two named volumes (db, queue)
    /// per project, the images the containers use (a new set of 6 every third project: version skew) plus
    /// unused ones, and the engine. That is about containers/10 images, containers/10 volumes and
    /// containers/20 networks; loose (non-compose) images, volumes and networks fill up to those figures.
    state::StateTransaction transaction(int containers)
    {
        state::StateTransaction tx;
        const int wantImages = containers / 10;
        const int wantVolumes = containers / 10;
        const int wantNetworks = containers / 20;
        const int projects = std::max(1, containers / 20);
        const std::size_t serviceCount = services().size();
        std::vector<std::string> imageIds; // the current set, one per service
        int images = 0;
        int volumes = 0;
        int networks = 0;
        int made = 0;
        for (int p = 0; p < projects; ++p) {
            const std::string project = "shop-" + std::to_string(p);
            const int perProject = p == projects - 1 ? containers - made : containers / projects;
            if (p % 3 == 0) {
                imageIds.clear();
                for (const Service& service : services()) {
                    const std::string tag = service.image;
                    const std::string id = "sha256:" + hex64();
                    tx.put(image(id, tag.substr(0, tag.rfind(':')) + ":" + std::to_string(p / 3) + "." +
                                         tag.substr(tag.rfind(':') + 1)));
                    ++images;
                    imageIds.push_back(id);
                }
            }
            tx.put(network(project + "_default", project, networks));
            ++networks;
            for (int i = 0; i < perProject; ++i) {
                const std::size_t s = static_cast<std::size_t>(i) % serviceCount;
                const int replica = i / static_cast<int>(serviceCount) + 1;
                state::Container c = container(project, services()[s], replica, imageIds[s]);
                if (replica == 1)
                    for (const state::Mount& m : c.mounts)
                        if (m.type == "volume" && m.name.rfind(project, 0) == 0) {
                            tx.put(volume(m.name, project));
                            ++volumes;
                        }
                tx.put(std::move(c));
                ++made;
            }
        }
        for (; images < wantImages; ++images)
            tx.put(image("sha256:" + hex64(), "registry.example.com/tools/job-" + std::to_string(images) +
                                                  ":1." + std::to_string(uniform(0, 40))));
        for (; volumes < wantVolumes; ++volumes)
            tx.put(volume(hex64(), ""));
        for (; networks < wantNetworks; ++networks)
            tx.put(network("net-" + std::to_string(networks), "", networks));
        tx.setEngine(engine());
        return tx;
    }

    /// An engine-side state of `containers` realistic containers (and the proportional rest), built through
    /// commit() as the engine worker builds it.
    state::EngineState state(int containers, std::uint64_t epoch = 7)
    {
        state::EngineState s(epoch);
        s.commit(transaction(containers), 1'795'600'000'000'000'000);
        return s;
    }

private:
    std::mt19937_64 rng_;
};

} // namespace dockscope::bench
