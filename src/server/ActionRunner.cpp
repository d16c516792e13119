#include "ActionRunner.h"

#include "dockscope/docker/DockerClient.h"
#include "dockscope/protocol/Actions.h"

#include <QPointer>

#include <memory>
#include <optional>
#include <utility>

namespace dockscope::server {

namespace {

using Json = nlohmann::json;
using docker::DockerClient;
using docker::ErrorKind;
using Done = ActionRunner::Done;

protocol::Result success(const std::string& id, Json value = nullptr)
{
    return protocol::Result{id, true, std::nullopt, std::move(value)};
}

protocol::Result failure(const std::string& id, protocol::ErrorInfo error, Json value = nullptr)
{
    return protocol::Result{id, false, std::move(error), std::move(value)};
}

// Docker answers 304 when the container already is where the action would take it (start of a running
// container, stop of a stopped one): the CLI treats that as success, and so do we.
bool succeeded(const docker::DockerError& error)
{
    return !error || error.kind == ErrorKind::NotModified;
}

/// A client callback that answers the action: `value` turns Docker's answer into the result's value.
template <typename T>
DockerClient::Callback<T> answer(std::string id, Done done, std::function<Json(const T&)> value = {})
{
    return [id = std::move(id), done = std::move(done), value = std::move(value)](docker::Result<T> r) {
        if (r.ok())
            done(success(id, value ? value(r.value()) : Json()));
        else if (succeeded(r.error()))
            done(success(id));
        else
            done(failure(id, toErrorInfo(r.error())));
    };
}

DockerClient::Callback<Json> answerJson(std::string id, Done done)
{
    return answer<Json>(std::move(id), std::move(done), [](const Json& doc) { return doc; });
}

docker::Filters labelFilter(const protocol::LabelMap& labels)
{
    docker::Filters filters;
    for (const auto& [key, value] : labels)
        filters["label"].push_back(key + '=' + value);
    return filters;
}

/// A pull progress line as stream-data, or nothing for lines that are not progress (the error line: the
/// stream ends with it and the result carries it).
std::optional<Json> progressData(const QByteArray& line)
{
    const auto doc = Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
    if (!doc.is_object() || doc.contains("error"))
        return std::nullopt;
    const auto text = [&doc](const char* key) {
        const auto it = doc.find(key);
        return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    Json data{{"status", text("status")}, {"layer", text("id")}, {"current", 0}, {"total", 0}};
    const auto detail = doc.find("progressDetail");
    if (detail != doc.end() && detail->is_object()) {
        for (const char* key : {"current", "total"}) {
            const auto it = detail->find(key);
            if (it != detail->end() && it->is_number())
                data[key] = *it;
        }
    }
    return data;
}

/// Every action but pull: exactly one Docker call (run: create, then start), answered through `done`.
struct Dispatch {
    DockerClient& client;
    QObject* context;
    std::string id;
    Done done;

    DockerClient::Callback<docker::Done> answerDone() { return answer<docker::Done>(id, done); }

    void operator()(const protocol::ContainerStart& a)
    {
        client.startContainer(a.target, context, answerDone());
    }
    void operator()(const protocol::ContainerStop& a)
    {
        client.stopContainer(a.target, a.timeout, context, answerDone());
    }
    void operator()(const protocol::ContainerRestart& a)
    {
        client.restartContainer(a.target, a.timeout, context, answerDone());
    }
    void operator()(const protocol::ContainerKill& a)
    {
        client.killContainer(a.target, a.signal, context, answerDone());
    }
    void operator()(const protocol::ContainerPause& a)
    {
        client.pauseContainer(a.target, context, answerDone());
    }
    void operator()(const protocol::ContainerUnpause& a)
    {
        client.unpauseContainer(a.target, context, answerDone());
    }
    void operator()(const protocol::ContainerRemove& a)
    {
        client.removeContainer(a.target, a.force, a.volumes, context, answerDone());
    }
    void operator()(const protocol::ContainerRename& a)
    {
        client.renameContainer(a.target, a.name, context, answerDone());
    }
    void operator()(const protocol::ContainerInspect& a)
    {
        client.inspectContainerJson(a.target, context, answerJson(id, done));
    }
    void operator()(const protocol::ContainerPrune& a)
    {
        client.pruneContainers(labelFilter(a.labels), context, answerJson(id, done));
    }
    void operator()(const protocol::ContainerRun& a);
    void operator()(const protocol::ImageRemove& a)
    {
        client.removeImage(a.target, a.force, a.noPrune, context, answerJson(id, done));
    }
    void operator()(const protocol::ImageTag& a)
    {
        client.tagImage(a.target, a.repo, a.tag, context, answerDone());
    }
    void operator()(const protocol::ImagePull&) {} // a stream: ActionRunner::pull
    void operator()(const protocol::ImagePrune& a)
    {
        client.pruneImages(a.dangling, {}, context, answerJson(id, done));
    }
    void operator()(const protocol::VolumeCreate& a)
    {
        client.createVolume(a.name, a.driver, a.labels, context,
                            answer<state::Volume>(id, done, [](const state::Volume& volume) {
                                return Json{{"name", volume.name}};
                            }));
    }
    void operator()(const protocol::VolumeRemove& a)
    {
        client.removeVolume(a.target, a.force, context, answerDone());
    }
    void operator()(const protocol::VolumePrune&) { client.pruneVolumes({}, context, answerJson(id, done)); }
    void operator()(const protocol::NetworkCreate& a)
    {
        const docker::NetworkSpec spec{a.name, a.driver, a.internal, a.attachable, a.labels, a.subnet};
        client.createNetwork(spec, context, answer<std::string>(id, done, [](const std::string& networkId) {
                                 return Json{{"id", networkId}};
                             }));
    }
    void operator()(const protocol::NetworkRemove& a)
    {
        client.removeNetwork(a.target, context, answerDone());
    }
    void operator()(const protocol::NetworkConnect& a)
    {
        client.connectNetwork(a.target, a.container, context, answerDone());
    }
    void operator()(const protocol::NetworkDisconnect& a)
    {
        client.disconnectNetwork(a.target, a.container, a.force, context, answerDone());
    }
    void operator()(const protocol::NetworkPrune&)
    {
        client.pruneNetworks({}, context, answerJson(id, done));
    }
};

void Dispatch::operator()(const protocol::ContainerRun& a)
{
    client.createContainer(
        a.name, protocol::runConfig(a), context,
        [client = &client, context = context, id = id, done = done](docker::Result<std::string> created) {
            if (!created.ok())
                return done(failure(id, toErrorInfo(created.error())));
            const Json value{{"id", created.value()}};
            client->startContainer(created.value(), context,
                                   [id, done, value](docker::Result<docker::Done> r) {
                                       // A container that would not start stays created, as with `docker
                                       // run`: say which it is.
                                       done(succeeded(r.ok() ? docker::DockerError{} : r.error())
                                                ? success(id, value)
                                                : failure(id, toErrorInfo(r.error()), value));
                                   });
        });
}

} // namespace

docker::DockerError streamFailedAtOnce()
{
    return docker::DockerError{ErrorKind::Transport, 0, "cannot connect to the Docker engine"};
}

protocol::ErrorInfo toErrorInfo(const docker::DockerError& error)
{
    std::string_view code = protocol::errors::DockerError;
    switch (error.kind) {
    case ErrorKind::NotFound:
        code = protocol::errors::NotFound;
        break;
    case ErrorKind::Conflict:
        code = protocol::errors::Conflict;
        break;
    case ErrorKind::Transport:
    case ErrorKind::Timeout:
        code = protocol::errors::Unavailable;
        break;
    default:
        break;
    }
    return protocol::ErrorInfo{std::string(code), error.message.empty() ? error.describe() : error.message};
}

ActionRunner::ActionRunner(docker::DockerClient& client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{}

void ActionRunner::run(const protocol::Action& action, QObject* context, Done done, Progress progress)
{
    // The client may fail a request at once (a socket that cannot connect): such answers are queued, so that
    // `done` never runs inside run().
    const auto inside = std::make_shared<bool>(true);
    Done answer = [this, inside, guard = QPointer<QObject>(context), guarded = context != nullptr,
                   done = std::move(done)](protocol::Result result) {
        if (!*inside)
            return done(std::move(result));
        QMetaObject::invokeMethod(
            this,
            [guard, guarded, done, result = std::move(result)] {
                if (!guarded || guard)
                    done(result);
            },
            Qt::QueuedConnection);
    };
    dispatch(action, context, std::move(answer), std::move(progress));
    *inside = false;
}

void ActionRunner::dispatch(const protocol::Action& action, QObject* context, Done done, Progress progress)
{
    protocol::TypedAction typed;
    try {
        typed = protocol::parseAction(action);
    } catch (const protocol::ProtocolError& e) {
        done(failure(action.id, protocol::ErrorInfo{e.code(), e.what()}));
        return;
    }
    if (const auto* pullAction = std::get_if<protocol::ImagePull>(&typed)) {
        pull(*pullAction, action.id, context, std::move(done), std::move(progress));
        return;
    }
    std::visit(Dispatch{m_client, context, action.id, std::move(done)}, typed);
}

void ActionRunner::pull(const protocol::ImagePull& request, const std::string& id, QObject* context,
                        Done done, Progress progress)
{
    docker::DockerStream* stream = m_client.pullImage(request.repo, request.tag, this);
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    if (guarded) // nobody left to tell: stop pulling
        connect(context, &QObject::destroyed, stream, &QObject::deleteLater);
    connect(stream, &docker::DockerStream::line, this,
            [guard, guarded, progress = std::move(progress)](const QByteArray& line) {
                if (!progress || (guarded && !guard))
                    return;
                if (auto data = progressData(line))
                    progress(std::move(*data));
            });
    if (!stream->isRunning()) { // it failed to connect inside pullImage(), before we could hear `finished`
        stream->deleteLater();
        done(failure(id, toErrorInfo(streamFailedAtOnce())));
        return;
    }
    connect(stream, &docker::DockerStream::finished, this,
            [stream, guard, guarded, id, done = std::move(done)](const docker::DockerError& error) {
                stream->deleteLater();
                if (guarded && !guard)
                    return;
                done(error ? failure(id, toErrorInfo(error)) : success(id));
            });
}

} // namespace dockscope::server
