#pragma once

#include "dockscope/docker/ApiVersion.h"
#include "dockscope/docker/DockerStream.h"
#include "dockscope/docker/Endpoint.h"
#include "dockscope/docker/HttpRequest.h"
#include "dockscope/docker/HttpResponseParser.h"
#include "dockscope/docker/Result.h"
#include "dockscope/state/Container.h"
#include "dockscope/state/EngineInfo.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/Volume.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::docker {

class HttpConnection;

/// A buffered response: status, headers and the whole body.
struct HttpResponse {
    HttpResponseHead head;
    QByteArray body;
};

/// Filters for list calls and the events stream, as Docker's `filters` query parameter takes them.
using Filters = std::map<std::string, std::vector<std::string>>;

struct EventsOptions {
    std::optional<state::Timestamp> since; ///< replay from this time (dockerd keeps the last 256 events)
    std::optional<state::Timestamp> until; ///< end the stream at this time
    Filters filters;
};

struct LogsOptions {
    bool follow = false;
    bool stdoutStream = true;
    bool stderrStream = true;
    bool timestamps = false;
    std::string tail = "all"; ///< "all" or a number of lines
    state::Timestamp since = 0;
};

struct NetworkSpec {
    std::string name;
    std::string driver = "bridge";
    bool internal = false;
    bool attachable = false;
    state::Labels labels;
    std::string subnet; ///< optional CIDR
};

/// The asynchronous Docker Engine API client. Requests share a small pool of kept-alive connections (extra
/// requests queue); streams get connections of their own. Every call returns at once and reports through its
/// callback, which runs on this object's thread and only while `context` is alive. Nothing here blocks.
///
/// Call negotiate() first (or setApiVersion()): versioned calls made before that use the lowest supported
/// version, 1.41.
class DockerClient : public QObject {
    Q_OBJECT

public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    struct Options {
        Endpoint endpoint;
        int maxConnections = 4;
        std::chrono::milliseconds requestTimeout{30000};
        std::chrono::milliseconds streamConnectTimeout{10000}; ///< until a stream's response head arrives
        std::size_t maxBodyBytes = 64 * 1024 * 1024;           ///< for buffered (non-stream) responses
    };

    explicit DockerClient(Options options, QObject* parent = nullptr);
    ~DockerClient() override;

    const Endpoint& endpoint() const { return m_options.endpoint; }
    ApiVersion apiVersion() const { return m_apiVersion; }
    void setApiVersion(ApiVersion version) { m_apiVersion = version; }
    /// Requests sent so far, by method and endpoint template ("GET /containers/{id}/json").
    const std::map<std::string, std::uint64_t>& callCounts() const { return m_callCounts; }

    // Low level.
    void send(HttpRequest request, QObject* context, Callback<HttpResponse> done,
              std::chrono::milliseconds timeout = {});
    /// Opens a stream; the caller owns it (deleting it stops it).
    DockerStream* openStream(const HttpRequest& request, DockerStream::Kind kind, QObject* parent = nullptr);

    // System.
    /// GET /_ping: the engine's API-Version header. `timeout` 0 means the client's request timeout.
    void ping(QObject* context, Callback<ApiVersion> done, std::chrono::milliseconds timeout = {});
    /// GET /_ping then /version: picks min(engine, ours), refuses engines older than 1.41, and remembers it.
    void negotiate(QObject* context, Callback<ApiVersion> done);
    void version(QObject* context, Callback<nlohmann::json> done);
    void info(QObject* context, Callback<nlohmann::json> done);
    void systemDf(QObject* context, Callback<nlohmann::json> done);
    /// /info and /version together, as the engine entity (status Connected, apiVersion as negotiated).
    void engineInfo(QObject* context, Callback<state::EngineInfo> done);
    DockerStream* events(const EventsOptions& options, QObject* parent = nullptr);

    // Containers.
    void listContainers(QObject* context, Callback<std::vector<state::Container>> done);
    void inspectContainer(const std::string& id, QObject* context, Callback<state::Container> done);
    void inspectContainerJson(const std::string& id, QObject* context, Callback<nlohmann::json> done);
    /// POST /containers/create with Docker's own create body; the result is the new id.
    void createContainer(const std::string& name, const nlohmann::json& config, QObject* context,
                         Callback<std::string> done);
    void startContainer(const std::string& id, QObject* context, Callback<Done> done);
    void stopContainer(const std::string& id, std::optional<int> timeoutSeconds, QObject* context,
                       Callback<Done> done);
    void restartContainer(const std::string& id, std::optional<int> timeoutSeconds, QObject* context,
                          Callback<Done> done);
    void killContainer(const std::string& id, const std::string& signal, QObject* context,
                       Callback<Done> done);
    void pauseContainer(const std::string& id, QObject* context, Callback<Done> done);
    void unpauseContainer(const std::string& id, QObject* context, Callback<Done> done);
    void removeContainer(const std::string& id, bool force, bool removeVolumes, QObject* context,
                         Callback<Done> done);
    void renameContainer(const std::string& id, const std::string& newName, QObject* context,
                         Callback<Done> done);
    /// Prunes take Docker's prune filters (e.g. {"label": ["k=v"]}); empty filters prune everything unused.
    void pruneContainers(const Filters& filters, QObject* context, Callback<nlohmann::json> done);
    DockerStream* logs(const std::string& id, const LogsOptions& options, QObject* parent = nullptr);
    DockerStream* stats(const std::string& id, bool stream, QObject* parent = nullptr);

    // Images.
    void listImages(QObject* context, Callback<std::vector<state::Image>> done);
    void inspectImage(const std::string& ref, QObject* context, Callback<state::Image> done);
    void removeImage(const std::string& ref, bool force, bool noPrune, QObject* context,
                     Callback<nlohmann::json> done);
    void tagImage(const std::string& ref, const std::string& repo, const std::string& tag, QObject* context,
                  Callback<Done> done);
    void pruneImages(bool danglingOnly, const Filters& filters, QObject* context,
                     Callback<nlohmann::json> done);
    /// POST /images/create?fromImage=…; progress lines arrive on the stream, a failure ends it with an error.
    DockerStream* pullImage(const std::string& image, const std::string& tag, QObject* parent = nullptr);

    // Volumes.
    void listVolumes(QObject* context, Callback<std::vector<state::Volume>> done);
    void inspectVolume(const std::string& name, QObject* context, Callback<state::Volume> done);
    void createVolume(const std::string& name, const std::string& driver, const state::Labels& labels,
                      QObject* context, Callback<state::Volume> done);
    void removeVolume(const std::string& name, bool force, QObject* context, Callback<Done> done);
    void pruneVolumes(const Filters& filters, QObject* context, Callback<nlohmann::json> done);

    // Networks.
    void listNetworks(QObject* context, Callback<std::vector<state::Network>> done);
    void inspectNetwork(const std::string& id, QObject* context, Callback<state::Network> done);
    void createNetwork(const NetworkSpec& spec, QObject* context, Callback<std::string> done);
    void removeNetwork(const std::string& id, QObject* context, Callback<Done> done);
    void connectNetwork(const std::string& network, const std::string& container, QObject* context,
                        Callback<Done> done);
    void disconnectNetwork(const std::string& network, const std::string& container, bool force,
                           QObject* context, Callback<Done> done);
    void pruneNetworks(const Filters& filters, QObject* context, Callback<nlohmann::json> done);

private:
    struct Pending;

    template <typename T, typename Parse>
    void call(HttpRequest request, QObject* context, Callback<T> done, Parse parse);
    void callDone(HttpRequest request, QObject* context, Callback<Done> done);
    void callJson(HttpRequest request, QObject* context, Callback<nlohmann::json> done);

    void dispatch();
    void run(HttpConnection* connection, std::shared_ptr<Pending> pending);
    void complete(const std::shared_ptr<Pending>& pending, Result<HttpResponse> result);
    HttpConnection* idleConnection();
    void dropConnection(HttpConnection* connection);
    QByteArray hostHeader() const;
    void count(const HttpRequest& request);

    Options m_options;
    ApiVersion m_apiVersion = ApiVersion::minimumSupported();
    std::vector<HttpConnection*> m_connections;
    std::deque<std::shared_ptr<Pending>> m_queue;
    std::map<std::string, std::uint64_t> m_callCounts;
};

} // namespace dockscope::docker
