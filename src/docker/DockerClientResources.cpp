// The typed image, volume and network calls of DockerClient.
#include "ClientHelpers.h"
#include "dockscope/docker/DockerJson.h"

namespace dockscope::docker {

using namespace detail;

// --- Images -----------------------------------------------------------------------------------------------

void DockerClient::listImages(QObject* context, Callback<std::vector<state::Image>> done)
{
    call<std::vector<state::Image>>(HttpRequest::get("/images/json"), context, std::move(done),
                                    [](const HttpResponse& r) { return json::parseImageList(parseBody(r)); });
}

void DockerClient::inspectImage(const std::string& ref, QObject* context, Callback<state::Image> done)
{
    call<state::Image>(HttpRequest::get("/images/" + seg(ref) + "/json"), context, std::move(done),
                       [](const HttpResponse& r) { return json::parseImageInspect(parseBody(r)); });
}

void DockerClient::removeImage(const std::string& ref, bool force, bool noPrune, QObject* context,
                               Callback<nlohmann::json> done)
{
    callJson(HttpRequest::del("/images/" + seg(ref)).flag("force", force).flag("noprune", noPrune), context,
             std::move(done));
}

void DockerClient::tagImage(const std::string& ref, const std::string& repo, const std::string& tag,
                            QObject* context, Callback<Done> done)
{
    HttpRequest request = HttpRequest::post("/images/" + seg(ref) + "/tag").arg("repo", bytes(repo));
    if (!tag.empty())
        request.arg("tag", bytes(tag));
    callDone(std::move(request), context, std::move(done));
}

void DockerClient::pruneImages(bool danglingOnly, const Filters& filters, QObject* context,
                               Callback<nlohmann::json> done)
{
    Filters all = filters;
    all["dangling"] = {danglingOnly ? "true" : "false"};
    callJson(pruneRequest("/images/prune", all), context, std::move(done));
}

DockerStream* DockerClient::pullImage(const std::string& image, const std::string& tag, QObject* parent)
{
    HttpRequest request = HttpRequest::post("/images/create").arg("fromImage", bytes(image));
    request.arg("tag", bytes(tag.empty() ? std::string("latest") : tag));
    return openStream(request, DockerStream::Kind::Progress, parent);
}

// --- Volumes ----------------------------------------------------------------------------------------------

void DockerClient::listVolumes(QObject* context, Callback<std::vector<state::Volume>> done)
{
    call<std::vector<state::Volume>>(
        HttpRequest::get("/volumes"), context, std::move(done),
        [](const HttpResponse& r) { return json::parseVolumeList(parseBody(r)); });
}

void DockerClient::inspectVolume(const std::string& name, QObject* context, Callback<state::Volume> done)
{
    call<state::Volume>(HttpRequest::get("/volumes/" + seg(name)), context, std::move(done),
                        [](const HttpResponse& r) { return json::parseVolume(parseBody(r)); });
}

void DockerClient::createVolume(const std::string& name, const std::string& driver,
                                const state::Labels& labels, QObject* context, Callback<state::Volume> done)
{
    nlohmann::json body{{"Name", name}, {"Labels", labels}};
    if (!driver.empty())
        body["Driver"] = driver;
    call<state::Volume>(HttpRequest::post("/volumes/create").json(jsonBytes(body)), context, std::move(done),
                        [](const HttpResponse& r) { return json::parseVolume(parseBody(r)); });
}

void DockerClient::removeVolume(const std::string& name, bool force, QObject* context, Callback<Done> done)
{
    callDone(HttpRequest::del("/volumes/" + seg(name)).flag("force", force), context, std::move(done));
}

void DockerClient::pruneVolumes(const Filters& filters, QObject* context, Callback<nlohmann::json> done)
{
    callJson(pruneRequest("/volumes/prune", filters), context, std::move(done));
}

// --- Networks ---------------------------------------------------------------------------------------------

void DockerClient::listNetworks(QObject* context, Callback<std::vector<state::Network>> done)
{
    call<std::vector<state::Network>>(
        HttpRequest::get("/networks"), context, std::move(done),
        [](const HttpResponse& r) { return json::parseNetworkList(parseBody(r)); });
}

void DockerClient::inspectNetwork(const std::string& id, QObject* context, Callback<state::Network> done)
{
    call<state::Network>(HttpRequest::get("/networks/" + seg(id)), context, std::move(done),
                         [](const HttpResponse& r) { return json::parseNetwork(parseBody(r)); });
}

void DockerClient::createNetwork(const NetworkSpec& spec, QObject* context, Callback<std::string> done)
{
    nlohmann::json body{{"Name", spec.name},         {"Driver", spec.driver},
                        {"Internal", spec.internal}, {"Attachable", spec.attachable},
                        {"Labels", spec.labels},     {"CheckDuplicate", true}};
    if (!spec.subnet.empty())
        body["IPAM"] = {{"Driver", "default"}, {"Config", {{{"Subnet", spec.subnet}}}}};
    call<std::string>(HttpRequest::post("/networks/create").json(jsonBytes(body)), context, std::move(done),
                      [](const HttpResponse& r) { return parseBody(r).at("Id").get<std::string>(); });
}

void DockerClient::removeNetwork(const std::string& id, QObject* context, Callback<Done> done)
{
    callDone(HttpRequest::del("/networks/" + seg(id)), context, std::move(done));
}

void DockerClient::connectNetwork(const std::string& network, const std::string& container, QObject* context,
                                  Callback<Done> done)
{
    const nlohmann::json body{{"Container", container}};
    callDone(HttpRequest::post("/networks/" + seg(network) + "/connect").json(jsonBytes(body)), context,
             std::move(done));
}

void DockerClient::disconnectNetwork(const std::string& network, const std::string& container, bool force,
                                     QObject* context, Callback<Done> done)
{
    const nlohmann::json body{{"Container", container}, {"Force", force}};
    callDone(HttpRequest::post("/networks/" + seg(network) + "/disconnect").json(jsonBytes(body)), context,
             std::move(done));
}

void DockerClient::pruneNetworks(const Filters& filters, QObject* context, Callback<nlohmann::json> done)
{
    callJson(pruneRequest("/networks/prune", filters), context, std::move(done));
}

} // namespace dockscope::docker
