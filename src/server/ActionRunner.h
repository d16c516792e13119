#pragma once

#include "dockscope/docker/DockerError.h"
#include "dockscope/protocol/Messages.h"

#include <QObject>

#include <functional>

namespace dockscope::docker {
class DockerClient;
}
namespace dockscope::protocol {
struct ImagePull;
}

namespace dockscope::server {

/// Docker's refusal as the protocol's error (for action results and stream ends): 404 → not-found, 409 →
/// conflict, a failed or timed-out connection → unavailable, anything else → docker-error. The message is
/// Docker's own (DockerError::message) where Docker gave one.
protocol::ErrorInfo toErrorInfo(const docker::DockerError& error);

/// What a DockerStream that is no longer running right after DockerClient opened it stood for: its
/// connection failed at once (QLocalSocket reports a missing socket inside connectToServer()), and its
/// `finished` signal went out before anyone could connect to it.
docker::DockerError streamFailedAtOnce();

/// Runs the protocol's typed action allowlist (protocol/Actions.h) against Docker. Never passes a raw API
/// call through. Lives on the server thread with the client it is given.
class ActionRunner : public QObject {
    Q_OBJECT

public:
    using Done = std::function<void(protocol::Result result)>;
    /// Progress of a long action (image pull): the `data` of a stream-data message with the action's id.
    using Progress = std::function<void(nlohmann::json data)>;

    explicit ActionRunner(docker::DockerClient& client, QObject* parent = nullptr);

    /// Validates and runs `action`; `done` is called exactly once (also for an invalid action: a Result with
    /// ok=false and error code not-allowed / bad-field), on this thread, unless `context` is destroyed first.
    /// Docker's refusals become a Result whose error carries Docker's own message (code not-found, conflict
    /// or docker-error; unavailable when the engine cannot be reached).
    ///
    /// `done` never runs inside run() (refusals are queued too). Result values: container run → {"id"} (also
    /// when the start failed: the container stays created, as with `docker run`), volume create → {"name"},
    /// network create → {"id"}, container inspect → Docker's inspect document, prunes and image remove →
    /// Docker's report; null otherwise. Docker's 304 (start of a running container, stop of a stopped one)
    /// counts as success. Image pull reports each progress line as {"status", "layer", "current", "total"}
    /// (layer "" and figures 0 when Docker gives none) and ends with a null-valued result; an {"error": ...}
    /// line inside the stream makes it ok=false (docker-error) with Docker's message. Destroying `context`
    /// during a pull stops the pull.
    void run(const protocol::Action& action, QObject* context, Done done, Progress progress = {});

private:
    void dispatch(const protocol::Action& action, QObject* context, Done done, Progress progress);
    void pull(const protocol::ImagePull& request, const std::string& id, QObject* context, Done done,
              Progress progress);

    docker::DockerClient& m_client;
};

} // namespace dockscope::server
