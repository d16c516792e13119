#include "dockscope/docker/DockerClient.h"

#include "ClientHelpers.h"
#include "dockscope/docker/HttpConnection.h"

#include <QTimer>

#include <spdlog/spdlog.h>

namespace dockscope::docker {

struct DockerClient::Pending {
    HttpRequest request;
    QPointer<QObject> context;
    bool hasContext = false;
    Callback<HttpResponse> done;
    HttpResponse response;
    HttpConnection* connection = nullptr;
    QTimer* timer = nullptr;
    int attempts = 0;
    bool finished = false;
};

using detail::view;

namespace {

bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

// "GET /containers/{id}/json": call counts by endpoint, not by entity, so they stay few and comparable.
std::string endpointTemplate(const HttpRequest& request)
{
    const QList<QByteArray> parts = request.path.split('/');
    static const QList<QByteArray> verbs{"json",    "create", "prune",  "_ping",
                                         "version", "info",   "events", "df"};
    std::string out = request.method.toStdString() + ' ';
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const bool isId = i == 2 && !verbs.contains(parts[i]);
        out += '/' + (isId ? std::string("{id}") : parts[i].toStdString());
    }
    return out;
}

} // namespace

DockerClient::DockerClient(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{}

DockerClient::~DockerClient()
{
    // Callbacks are not called from a destructor: their owners may be half-destroyed too.
    for (auto& pending : m_queue)
        pending->finished = true;
    for (HttpConnection* connection : std::exchange(m_connections, {})) {
        connection->disconnect(this);
        delete connection;
    }
}

QByteArray DockerClient::hostHeader() const
{
    if (m_options.endpoint.transport == Endpoint::Transport::Unix)
        return "docker";
    return QByteArray::fromStdString(m_options.endpoint.host) + ':' +
           QByteArray::number(m_options.endpoint.port);
}

void DockerClient::count(const HttpRequest& request)
{
    ++m_callCounts[endpointTemplate(request)];
}

void DockerClient::send(HttpRequest request, QObject* context, Callback<HttpResponse> done,
                        std::chrono::milliseconds timeout)
{
    count(request);
    auto pending = std::make_shared<Pending>();
    pending->request = std::move(request);
    pending->context = context;
    pending->hasContext = context != nullptr;
    pending->done = std::move(done);
    pending->timer = new QTimer(this);
    pending->timer->setSingleShot(true);
    const auto limit = timeout.count() > 0 ? timeout : m_options.requestTimeout;
    connect(pending->timer, &QTimer::timeout, this, [this, weak = std::weak_ptr<Pending>(pending), limit] {
        auto p = weak.lock();
        if (!p || p->finished)
            return;
        const DockerError error{ErrorKind::Timeout, 0,
                                p->request.describe({}).toStdString() + " took longer than " +
                                    std::to_string(limit.count()) + " ms"};
        if (p->connection)
            p->connection->abort(error); // its onDone completes the request
        else
            complete(p, error);
    });
    pending->timer->start(limit);
    m_queue.push_back(std::move(pending));
    dispatch();
}

HttpConnection* DockerClient::idleConnection()
{
    for (HttpConnection* connection : m_connections)
        if (connection->isIdle())
            return connection;
    if (static_cast<int>(m_connections.size()) >= m_options.maxConnections)
        return nullptr;
    auto* connection = new HttpConnection(m_options.endpoint, this);
    connect(connection, &HttpConnection::closed, this, [this, connection] { dropConnection(connection); });
    m_connections.push_back(connection);
    return connection;
}

void DockerClient::dropConnection(HttpConnection* connection)
{
    std::erase(m_connections, connection);
    connection->deleteLater();
    dispatch();
}

void DockerClient::dispatch()
{
    while (!m_queue.empty()) {
        if (m_queue.front()->finished || (m_queue.front()->hasContext && !m_queue.front()->context)) {
            m_queue.pop_front();
            continue;
        }
        HttpConnection* connection = idleConnection();
        if (!connection)
            return;
        auto pending = std::move(m_queue.front());
        m_queue.pop_front();
        run(connection, std::move(pending));
    }
}

void DockerClient::run(HttpConnection* connection, std::shared_ptr<Pending> pending)
{
    pending->connection = connection;
    pending->response = {};
    HttpConnection::Exchange exchange;
    exchange.request =
        pending->request.serialize(QByteArray::fromStdString(m_apiVersion.toString()), hostHeader());
    exchange.headRequest = pending->request.method == "HEAD";
    exchange.maxBodyBytes = m_options.maxBodyBytes;
    exchange.onHead = [p = pending.get()](const HttpResponseHead& head) { p->response.head = head; };
    exchange.onBody = [p = pending.get()](std::string_view bytes) {
        p->response.body.append(bytes.data(), static_cast<qsizetype>(bytes.size()));
    };
    exchange.onDone = [this, pending, connection](const DockerError& error) {
        pending->connection = nullptr;
        if (error && connection->lastFailureWasStale() && pending->request.idempotent() &&
            pending->attempts == 0) {
            // The engine had closed this kept-alive connection; the request never reached it.
            ++pending->attempts;
            m_queue.push_front(pending);
        } else if (error) {
            complete(pending, error);
        } else {
            complete(pending, std::move(pending->response));
        }
        dispatch();
    };
    connection->start(std::move(exchange));
}

void DockerClient::complete(const std::shared_ptr<Pending>& pending, Result<HttpResponse> result)
{
    if (pending->finished)
        return;
    pending->finished = true;
    pending->timer->stop();
    pending->timer->deleteLater();
    if (pending->hasContext && !pending->context)
        return;
    if (result && !isSuccess(result->head.status)) {
        const auto& r = result.value();
        pending->done(DockerError::fromHttp(r.head.status, view(r.body)));
        return;
    }
    pending->done(std::move(result));
}

void DockerClient::callDone(HttpRequest request, QObject* context, Callback<Done> done)
{
    call<Done>(std::move(request), context, std::move(done), [](const HttpResponse&) { return Done{}; });
}

void DockerClient::callJson(HttpRequest request, QObject* context, Callback<nlohmann::json> done)
{
    call<nlohmann::json>(std::move(request), context, std::move(done),
                         [](const HttpResponse& r) { return nlohmann::json::parse(view(r.body)); });
}

DockerStream* DockerClient::openStream(const HttpRequest& request, DockerStream::Kind kind, QObject* parent)
{
    count(request);
    auto* stream = new DockerStream(kind, std::make_unique<HttpConnection>(m_options.endpoint), parent);
    stream->begin(request.serialize(QByteArray::fromStdString(m_apiVersion.toString()), hostHeader()),
                  m_options.streamConnectTimeout);
    return stream;
}

} // namespace dockscope::docker
