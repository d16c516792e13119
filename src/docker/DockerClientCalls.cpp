// The typed Engine API calls of DockerClient (the transport is in DockerClient.cpp).
#include "dockscope/docker/DockerClient.h"

#include "ClientHelpers.h"
#include "dockscope/docker/DockerJson.h"

namespace dockscope::docker {

using namespace detail;

namespace {

HttpRequest containerPost(const std::string& id, const char* verb)
{
    return HttpRequest::post("/containers/" + seg(id) + '/' + verb);
}

} // namespace

// --- System -----------------------------------------------------------------------------------------------

void DockerClient::ping(QObject* context, Callback<ApiVersion> done, std::chrono::milliseconds timeout)
{
    HttpRequest request = HttpRequest::get("/_ping");
    request.versioned = false;
    send(
        std::move(request), context,
        [done = std::move(done)](Result<HttpResponse> r) {
            if (!r)
                return done(r.error());
            const auto header = r->head.header("Api-Version");
            const auto version = header ? ApiVersion::parse(*header) : std::nullopt;
            if (!version)
                return done(DockerError{ErrorKind::Parse, r->head.status,
                                        "/_ping: missing or malformed API-Version header"});
            done(*version);
        },
        timeout);
}

void DockerClient::negotiate(QObject* context, Callback<ApiVersion> done)
{
    HttpRequest request = HttpRequest::get("/version");
    request.versioned = false;
    call<nlohmann::json>(
        std::move(request), context,
        [this, done = std::move(done)](Result<nlohmann::json> r) {
            if (!r)
                return done(r.error());
            const auto reported = ApiVersion::parse(r->value("ApiVersion", std::string()));
            const auto chosen = reported ? ApiVersion::negotiate(*reported) : std::nullopt;
            if (!chosen) {
                return done(DockerError{ErrorKind::Unsupported, 0,
                                        "the engine speaks API " + r->value("ApiVersion", std::string("?")) +
                                            "; Dockscope needs " + ApiVersion::minimumSupported().toString() +
                                            " or later"});
            }
            m_apiVersion = *chosen;
            done(*chosen);
        },
        parseBody);
}

void DockerClient::version(QObject* context, Callback<nlohmann::json> done)
{
    callJson(HttpRequest::get("/version"), context, std::move(done));
}

void DockerClient::info(QObject* context, Callback<nlohmann::json> done)
{
    callJson(HttpRequest::get("/info"), context, std::move(done));
}

void DockerClient::systemDf(QObject* context, Callback<nlohmann::json> done)
{
    callJson(HttpRequest::get("/system/df"), context, std::move(done));
}

void DockerClient::engineInfo(QObject* context, Callback<state::EngineInfo> done)
{
    info(context, [this, context, done = std::move(done)](Result<nlohmann::json> infoDoc) {
        if (!infoDoc)
            return done(infoDoc.error());
        version(context, [this, infoDoc, done](Result<nlohmann::json> versionDoc) {
            if (!versionDoc)
                return done(versionDoc.error());
            try {
                state::EngineInfo engine = json::parseEngineInfo(infoDoc.value(), versionDoc.value());
                engine.status = state::EngineStatus::Connected;
                engine.apiVersion = m_apiVersion.toString();
                done(std::move(engine));
            } catch (const std::exception& e) {
                done(DockerError{ErrorKind::Parse, 0, e.what()});
            }
        });
    });
}

DockerStream* DockerClient::events(const EventsOptions& options, QObject* parent)
{
    HttpRequest request = HttpRequest::get("/events");
    if (options.since)
        request.arg("since", timeArg(*options.since));
    if (options.until)
        request.arg("until", timeArg(*options.until));
    if (!options.filters.empty())
        request.arg("filters", jsonBytes(nlohmann::json(options.filters)));
    return openStream(request, DockerStream::Kind::Events, parent);
}

// --- Containers -------------------------------------------------------------------------------------------

void DockerClient::listContainers(QObject* context, Callback<std::vector<state::Container>> done)
{
    call<std::vector<state::Container>>(
        HttpRequest::get("/containers/json").flag("all", true), context, std::move(done),
        [](const HttpResponse& r) { return json::parseContainerList(parseBody(r)); });
}

void DockerClient::inspectContainer(const std::string& id, QObject* context, Callback<state::Container> done)
{
    call<state::Container>(HttpRequest::get("/containers/" + seg(id) + "/json"), context, std::move(done),
                           [](const HttpResponse& r) { return json::parseContainerInspect(parseBody(r)); });
}

void DockerClient::inspectContainerJson(const std::string& id, QObject* context,
                                        Callback<nlohmann::json> done)
{
    callJson(HttpRequest::get("/containers/" + seg(id) + "/json"), context, std::move(done));
}

void DockerClient::createContainer(const std::string& name, const nlohmann::json& config, QObject* context,
                                   Callback<std::string> done)
{
    HttpRequest request = HttpRequest::post("/containers/create").json(jsonBytes(config));
    if (!name.empty())
        request.arg("name", bytes(name));
    call<std::string>(std::move(request), context, std::move(done),
                      [](const HttpResponse& r) { return parseBody(r).at("Id").get<std::string>(); });
}

void DockerClient::startContainer(const std::string& id, QObject* context, Callback<Done> done)
{
    callDone(containerPost(id, "start"), context, std::move(done));
}

void DockerClient::stopContainer(const std::string& id, std::optional<int> timeoutSeconds, QObject* context,
                                 Callback<Done> done)
{
    HttpRequest request = containerPost(id, "stop");
    if (timeoutSeconds)
        request.arg("t", QByteArray::number(*timeoutSeconds));
    // Stopping waits for the container's grace period: allow for it beyond the usual request timeout.
    const auto grace = std::chrono::seconds(timeoutSeconds.value_or(10) + 5);
    send(
        std::move(request), context,
        [done = std::move(done)](Result<HttpResponse> r) { r ? done(Done{}) : done(r.error()); },
        std::max<std::chrono::milliseconds>(grace, m_options.requestTimeout));
}

void DockerClient::restartContainer(const std::string& id, std::optional<int> timeoutSeconds,
                                    QObject* context, Callback<Done> done)
{
    HttpRequest request = containerPost(id, "restart");
    if (timeoutSeconds)
        request.arg("t", QByteArray::number(*timeoutSeconds));
    const auto grace = std::chrono::seconds(timeoutSeconds.value_or(10) + 5);
    send(
        std::move(request), context,
        [done = std::move(done)](Result<HttpResponse> r) { r ? done(Done{}) : done(r.error()); },
        std::max<std::chrono::milliseconds>(grace, m_options.requestTimeout));
}

void DockerClient::killContainer(const std::string& id, const std::string& signal, QObject* context,
                                 Callback<Done> done)
{
    HttpRequest request = containerPost(id, "kill");
    if (!signal.empty())
        request.arg("signal", bytes(signal));
    callDone(std::move(request), context, std::move(done));
}

void DockerClient::pauseContainer(const std::string& id, QObject* context, Callback<Done> done)
{
    callDone(containerPost(id, "pause"), context, std::move(done));
}

void DockerClient::unpauseContainer(const std::string& id, QObject* context, Callback<Done> done)
{
    callDone(containerPost(id, "unpause"), context, std::move(done));
}

void DockerClient::removeContainer(const std::string& id, bool force, bool removeVolumes, QObject* context,
                                   Callback<Done> done)
{
    callDone(HttpRequest::del("/containers/" + seg(id)).flag("force", force).flag("v", removeVolumes),
             context, std::move(done));
}

void DockerClient::renameContainer(const std::string& id, const std::string& newName, QObject* context,
                                   Callback<Done> done)
{
    callDone(containerPost(id, "rename").arg("name", bytes(newName)), context, std::move(done));
}

void DockerClient::pruneContainers(const Filters& filters, QObject* context, Callback<nlohmann::json> done)
{
    callJson(pruneRequest("/containers/prune", filters), context, std::move(done));
}

DockerStream* DockerClient::logs(const std::string& id, const LogsOptions& options, QObject* parent)
{
    HttpRequest request = HttpRequest::get("/containers/" + seg(id) + "/logs");
    request.flag("follow", options.follow)
        .flag("stdout", options.stdoutStream)
        .flag("stderr", options.stderrStream)
        .flag("timestamps", options.timestamps)
        .arg("tail", bytes(options.tail));
    if (options.since > 0)
        request.arg("since", timeArg(options.since));
    return openStream(request, DockerStream::Kind::Logs, parent);
}

DockerStream* DockerClient::stats(const std::string& id, bool stream, QObject* parent)
{
    return openStream(HttpRequest::get("/containers/" + seg(id) + "/stats").flag("stream", stream),
                      DockerStream::Kind::Lines, parent);
}

} // namespace dockscope::docker
