#pragma once

#include "dockscope/protocol/Messages.h"

#include <QObject>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace dockscope::docker {
class DockerClient;
}

namespace dockscope::server {

/// The logs and stats streams of containers, shared: one Docker stream per (container, what, variant) however
/// many watchers, opened with the first watcher and closed when the last one leaves. A watcher that joins a
/// running logs stream first receives the requested tail from the lines the hub keeps (the last 1000).
/// Lives on the server thread.
///
/// Sharing: follow logs per (container, timestamps), stats per container; the container is matched as the
/// watcher spelled it (an id and a name of the same container open two Docker streams). A finite logs request
/// (follow=false) gets a Docker stream of its own. The first watcher's tail comes from Docker; a joiner's
/// from the hub's last 1000 lines, so it gets at most what the hub has seen. A stats joiner first gets the
/// latest sample. A joiner's backlog is delivered from the event loop, never inside watch(), and stays in
/// order with the live data. Log lines: one per '\n' (a trailing '\r' dropped), stdout and stderr kept apart,
/// invalid UTF-8 replaced by U+FFFD, lines over 64 KiB split. Stats: one sample per second from Docker, also
/// for a stopped container (zeros, `read` 0) until it is removed.
class StreamHub : public QObject {
    Q_OBJECT

public:
    /// One piece of data: the `data` of a stream-data message (fields documented in protocol/Messages.h).
    using Sink = std::function<void(const nlohmann::json& data)>;
    /// The stream ended (container gone, engine lost, non-follow logs complete); no more data follows. No
    /// error when Docker ended it cleanly (finite logs done, follow logs of a container that stopped, stats
    /// of a removed container); otherwise server::toErrorInfo(Docker's error): not-found for a missing
    /// container, unavailable when the engine went away.
    using End = std::function<void(std::optional<protocol::ErrorInfo> error)>;
    using Handle = std::uint64_t;

    explicit StreamHub(docker::DockerClient& client, QObject* parent = nullptr);
    ~StreamHub() override;

    /// Starts watching; params are StreamRequest's (validated here with protocol::parseStream: bad ones end
    /// with bad-field, through an End queued to the event loop so that the caller holds the handle first).
    Handle watch(protocol::StreamWhat what, const std::string& container, const nlohmann::json& params,
                 Sink sink, End end);
    /// Stops watching; the Docker stream closes when its last watcher leaves. No End is called.
    void unwatch(Handle handle);

    /// How many Docker streams are open now (for tests and metrics).
    int openDockerStreams() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dockscope::server
