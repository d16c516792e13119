#include "Population.h"

#include "BenchUtil.h"

#include "dockscope/docker/DockerClient.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace dockscope::bench {

namespace {

struct Failures {
    int count = 0;
    void note(const std::string& what, const docker::DockerError& error)
    {
        if (++count <= 5)
            std::fprintf(stderr, "dockscope-bench: %s: %s\n", what.c_str(), error.describe().c_str());
    }
};

/// A ustar archive holding one small regular file, the whole root file system of kTinyImage.
QByteArray tinyImageTar()
{
    const QByteArray content = "dockscope-bench: an image for containers that are never started\n";
    QByteArray header(512, '\0');
    const auto field = [&header](int offset, const char* text) {
        std::memcpy(header.data() + offset, text, std::strlen(text));
    };
    // name, mode, uid, gid, size, mtime, checksum (blanks while summing), type (regular file), magic, version
    field(0, "tiny");
    field(100, "0000644");
    field(108, "0000000");
    field(116, "0000000");
    field(124, QByteArray::number(content.size(), 8).rightJustified(11, '0').constData());
    field(136, "00000000000");
    field(148, "        ");
    field(156, "0");
    field(257, "ustar");
    field(263, "00");
    unsigned sum = 0;
    for (const char c : header)
        sum += static_cast<unsigned char>(c);
    // Six octal digits, a NUL and a blank.
    field(148, QByteArray::number(sum, 8).rightJustified(6, '0').constData());
    header[154] = '\0';
    QByteArray tar = header + content;
    tar.append(QByteArray((512 - content.size() % 512) % 512, '\0'));
    tar.append(QByteArray(1024, '\0')); // two zero blocks end the archive
    return tar;
}

/// Imports kTinyImage (POST /images/create?fromSrc=-, the tar as the body) unless it exists.
bool importTinyImage(docker::DockerClient& client)
{
    if (await<state::Image>([&](auto cb) { client.inspectImage(kTinyImage, nullptr, cb); }).ok())
        return true;
    auto request = docker::HttpRequest::post("/images/create")
                       .arg("fromSrc", "-")
                       .arg("repo", "dockscope-bench/tiny")
                       .arg("tag", "latest");
    request.body = tinyImageTar();
    request.contentType = "application/x-tar";
    const auto response =
        await<docker::HttpResponse>([&](auto cb) { client.send(std::move(request), nullptr, cb); });
    // The import reports its failures inside a 200 response's progress lines.
    if (!response.ok() || response->body.contains("\"error")) {
        std::fprintf(stderr, "dockscope-bench: import %s: %s\n", kTinyImage,
                     response.ok() ? response->body.constData() : response.error().describe().c_str());
        return false;
    }
    const auto image = await<state::Image>([&](auto cb) { client.inspectImage(kTinyImage, nullptr, cb); });
    if (!image.ok())
        std::fprintf(stderr, "dockscope-bench: import %s: %s\n", kTinyImage,
                     image.error().describe().c_str());
    return image.ok();
}

} // namespace

nlohmann::json containerConfig(const std::string& project, const std::string& service,
                               const std::string& role, const std::string& networkMode,
                               const std::string& image)
{
    return {{"Image", image},
            {"Cmd", {"sleep", "100000"}},
            {"Labels",
             {{"dockscope.bench", role},
              {"com.docker.compose.project", project},
              {"com.docker.compose.service", service}}},
            {"HostConfig", {{"NetworkMode", networkMode}}}};
}

int populate(const docker::Endpoint& endpoint, const PopulationSpec& spec)
{
    docker::DockerClient client(clientOptions(endpoint, spec.inFlight));
    const auto version = await<docker::ApiVersion>([&](auto cb) { client.negotiate(nullptr, cb); });
    if (!version.ok()) {
        std::fprintf(stderr, "dockscope-bench: cannot reach Docker: %s\n",
                     version.error().describe().c_str());
        return 1;
    }
    const bool tiny = spec.tinyImage && spec.containers > spec.running;
    if (tiny && !importTinyImage(client))
        return 1;
    Failures failures;
    const std::int64_t t0 = monoNs();
    std::vector<Task> tasks;
    const int projects = std::max(1, spec.projects);
    for (int i = 0; i < spec.containers; ++i) {
        const bool run = i < spec.running;
        const std::string image = tiny && !run ? kTinyImage : kTestImage;
        tasks.push_back([&client, &failures, i, run, projects, image](std::function<void()> done) {
            const std::string project = "benchproj" + std::to_string(i % projects);
            const std::string service = "svc" + std::to_string((i / projects) % 5);
            const std::string name = "bench-pop-" + project + "-" + service + "-" + std::to_string(i);
            client.createContainer(name, containerConfig(project, service, "pop", "none", image), nullptr,
                                   [&client, &failures, name, run, done](docker::Result<std::string> id) {
                                       if (!id.ok()) {
                                           failures.note("create " + name, id.error());
                                           return done();
                                       }
                                       if (!run)
                                           return done();
                                       client.startContainer(
                                           *id, nullptr,
                                           [&failures, name, done](docker::Result<docker::Done> r) {
                                               if (!r.ok())
                                                   failures.note("start " + name, r.error());
                                               done();
                                           });
                                   });
        });
    }
    for (int i = 0; i < spec.imageTags; ++i) {
        tasks.push_back([&client, &failures, i](std::function<void()> done) {
            client.tagImage(kTestImage, "bench-pop/tag", std::to_string(i), nullptr,
                            [&failures, i, done](docker::Result<docker::Done> r) {
                                if (!r.ok())
                                    failures.note("tag " + std::to_string(i), r.error());
                                done();
                            });
        });
    }
    for (int i = 0; i < spec.volumes; ++i) {
        tasks.push_back([&client, &failures, i](std::function<void()> done) {
            client.createVolume("bench-pop-vol-" + std::to_string(i), "local", {{"dockscope.bench", "pop"}},
                                nullptr, [&failures, i, done](docker::Result<state::Volume> r) {
                                    if (!r.ok())
                                        failures.note("volume " + std::to_string(i), r.error());
                                    done();
                                });
        });
    }
    for (int i = 0; i < spec.networks; ++i) {
        tasks.push_back([&client, &failures, i](std::function<void()> done) {
            docker::NetworkSpec net;
            net.name = "bench-pop-net-" + std::to_string(i);
            net.labels = {{"dockscope.bench", "pop"}};
            net.subnet = "10." + std::to_string(100 + i / 256) + "." + std::to_string(i % 256) + ".0/24";
            client.createNetwork(net, nullptr, [&failures, i, done](docker::Result<std::string> r) {
                if (!r.ok())
                    failures.note("network " + std::to_string(i), r.error());
                done();
            });
        });
    }
    runConcurrently(std::move(tasks), spec.inFlight);
    std::fprintf(
        stderr,
        "dockscope-bench: populated %d containers (%d running), %d tags, %d volumes, %d networks in %.1f "
        "s; %d failures\n",
        spec.containers, spec.running, spec.imageTags, spec.volumes, spec.networks,
        double(monoNs() - t0) / 1e9, failures.count);
    return failures.count == 0 ? 0 : 1;
}

int cleanupWork(const docker::Endpoint& endpoint)
{
    docker::DockerClient client(clientOptions(endpoint, 6));
    if (!await<docker::ApiVersion>([&](auto cb) { client.negotiate(nullptr, cb); }).ok())
        return 1;
    Failures failures;
    const auto containers =
        await<std::vector<state::Container>>([&](auto cb) { client.listContainers(nullptr, cb); });
    const auto images = await<std::vector<state::Image>>([&](auto cb) { client.listImages(nullptr, cb); });
    if (!containers.ok() || !images.ok())
        return 1;
    std::vector<Task> tasks;
    for (const auto& c : *containers) {
        const auto label = c.labels.find("dockscope.bench");
        if (label == c.labels.end() || label->second != "work")
            continue;
        tasks.push_back([&client, &failures, id = c.id](std::function<void()> done) {
            client.removeContainer(id, true, true, nullptr,
                                   [&failures, id, done](docker::Result<docker::Done> r) {
                                       if (!r.ok())
                                           failures.note("remove " + id, r.error());
                                       done();
                                   });
        });
    }
    for (const auto& i : *images) {
        for (const auto& tag : i.repoTags) {
            if (tag.rfind("bench-work/", 0) != 0)
                continue;
            tasks.push_back([&client, &failures, tag](std::function<void()> done) {
                client.removeImage(tag, false, true, nullptr,
                                   [&failures, tag, done](docker::Result<nlohmann::json> r) {
                                       if (!r.ok())
                                           failures.note("untag " + tag, r.error());
                                       done();
                                   });
            });
        }
    }
    runConcurrently(std::move(tasks), 6);
    // Volumes and networks once no container uses them.
    tasks.clear();
    const auto volumes = await<std::vector<state::Volume>>([&](auto cb) { client.listVolumes(nullptr, cb); });
    const auto networks =
        await<std::vector<state::Network>>([&](auto cb) { client.listNetworks(nullptr, cb); });
    if (!volumes.ok() || !networks.ok())
        return 1;
    for (const auto& v : *volumes) {
        const auto label = v.labels.find("dockscope.bench");
        if (label == v.labels.end() || label->second != "work")
            continue;
        tasks.push_back([&client, &failures, name = v.name](std::function<void()> done) {
            client.removeVolume(name, true, nullptr, [&failures, name, done](docker::Result<docker::Done> r) {
                if (!r.ok())
                    failures.note("remove volume " + name, r.error());
                done();
            });
        });
    }
    for (const auto& n : *networks) {
        const auto label = n.labels.find("dockscope.bench");
        if (label == n.labels.end() || label->second != "work")
            continue;
        tasks.push_back([&client, &failures, id = n.id](std::function<void()> done) {
            client.removeNetwork(id, nullptr, [&failures, id, done](docker::Result<docker::Done> r) {
                if (!r.ok())
                    failures.note("remove network " + id, r.error());
                done();
            });
        });
    }
    runConcurrently(std::move(tasks), 6);
    return failures.count == 0 ? 0 : 1;
}

} // namespace dockscope::bench
