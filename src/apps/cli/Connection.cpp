#include "Connection.h"

#include "Format.h"

#include "common/SignalWatcher.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QTimer>

#include <csignal>

namespace dockscope::cli {

namespace {

using namespace std::chrono_literals;

constexpr auto kLiveTimeout = 10s;

bool fromDocker(const protocol::ErrorInfo& error)
{
    return error.code == protocol::errors::NotFound || error.code == protocol::errors::Conflict ||
           error.code == protocol::errors::DockerError;
}

} // namespace

int exitCodeFor(const protocol::ErrorInfo& error)
{
    if (error.code == protocol::errors::BadField || error.code == protocol::errors::NotAllowed)
        return ExitUsage; // the daemon found an argument invalid
    if (error.code == protocol::errors::NotFound)
        return ExitNotFound;
    if (error.code == protocol::errors::Unavailable)
        return ExitUnreachable;
    return ExitFailure;
}

std::string describe(const protocol::ErrorInfo& error)
{
    return fromDocker(error) ? "Error response from daemon: " + error.message : error.message;
}

int combinedExitCode(const std::vector<int>& codes)
{
    int out = ExitOk;
    for (const int code : codes) {
        if (code == ExitOk)
            continue;
        out = out == ExitOk || out == code ? code : ExitFailure;
    }
    return out;
}

int runRequests(Connection& connection, std::vector<Request> requests,
                const std::function<std::string(const QString&, const protocol::Result&)>& success,
                std::vector<int> earlier)
{
    std::vector<protocol::Action> actions;
    for (const Request& request : requests)
        actions.push_back(request.action);
    const std::vector<protocol::Result> results = connection.actAll(std::move(actions));
    for (std::size_t i = 0; i < results.size(); ++i) {
        const protocol::Result& result = results[i];
        if (result.ok) {
            writeOut(success(requests[i].argument, result));
            continue;
        }
        const protocol::ErrorInfo error = result.error.value_or(
            protocol::ErrorInfo{std::string(protocol::errors::Internal), "failed without a reason"});
        printError(describe(error));
        earlier.push_back(exitCodeFor(error));
    }
    return combinedExitCode(earlier);
}

int connected(const CommandParser& parser, protocol::Subscription subscription,
              const std::function<int(Connection&)>& body, bool reconnect)
{
    std::optional<int> code;
    const auto options = parser.connection(&code);
    if (!options)
        return code.value_or(ExitUsage);
    Connection connection(*options, std::move(subscription), reconnect);
    if (const int failed = connection.open())
        return failed;
    return body(connection);
}

std::optional<std::string> containerTarget(const client::Replica& replica, const QString& argument)
{
    const std::string query = argument.toStdString();
    const Resolution found = resolveContainer(replica.state().containers(), query);
    switch (found.outcome) {
    case Resolution::Outcome::Found:
        return found.id;
    case Resolution::Outcome::NotFound:
        return query;
    case Resolution::Outcome::Ambiguous:
        break;
    }
    printError(ambiguityMessage(query, found.candidates));
    return std::nullopt;
}

Connection::Connection(const ConnectionOptions& options, protocol::Subscription subscription, bool reconnect)
    : m_options(options)
    , m_reconnect(reconnect)
{
    client::Replica::Options replica;
    replica.url = options.url;
    replica.token = options.token;
    replica.discoveryFile = options.discoveryFile;
    replica.subscription = std::move(subscription);
    replica.clientName = QStringLiteral("dockscope-cli " DOCKSCOPE_VERSION);
    replica.reconnect = reconnect;
    replica.connectTimeout = kLiveTimeout;
    m_replica = std::make_unique<client::Replica>(std::move(replica));
}

Connection::~Connection()
{
    m_replica->stop();
}

std::optional<int> Connection::checkDiscovery() const
{
    if (!m_options.url.isEmpty())
        return std::nullopt;
    const QString path =
        m_options.discoveryFile.isEmpty() ? client::defaultDiscoveryFile() : m_options.discoveryFile;
    if (!QFileInfo::exists(path)) {
        printError(
            QStringLiteral("no Dockscope daemon is running (no discovery file at %1): start dockscoped "
                           "or the Dockscope app")
                .arg(path));
        return ExitUnreachable;
    }
    QString error;
    if (!client::readDiscoveryFile(path, &error)) {
        printError(error);
        return ExitUnreachable;
    }
    return std::nullopt;
}

int Connection::open()
{
    if (const auto code = checkDiscovery())
        return *code;
    m_replica->start();
    QEventLoop loop;
    QTimer tick; // the replica signals no failed attempt while it retries: look at it now and then
    tick.setInterval(50);
    QObject::connect(&tick, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(m_replica.get(), &client::Replica::statusChanged, &loop, &QEventLoop::quit);
    tick.start();
    const QDeadlineTimer deadline(kLiveTimeout);
    for (;;) {
        const auto status = m_replica->status();
        if (status == client::Replica::Status::Live)
            return ExitOk;
        if (status == client::Replica::Status::Disconnected || !m_replica->lastError().isEmpty())
            return reportFailure();
        if (deadline.hasExpired()) {
            printError(
                QStringLiteral("the Dockscope daemon did not answer within %1 s").arg(kLiveTimeout.count()));
            return ExitUnreachable;
        }
        loop.exec();
    }
}

int Connection::reportFailure() const
{
    if (m_replica->closeCode() == protocol::CloseBadToken) {
        printError(QStringLiteral("the daemon refused the token (close code 4401): check --token-file or "
                                  "DOCKSCOPE_TOKEN, or use the discovery file"));
        return ExitAuth;
    }
    const QString why =
        m_replica->lastError().isEmpty() ? QStringLiteral("not connected") : m_replica->lastError();
    printError(QStringLiteral("cannot reach the Dockscope daemon: %1\nIs it running? Start dockscoped or the "
                              "Dockscope app.")
                   .arg(why));
    return ExitUnreachable;
}

std::vector<protocol::Result> Connection::actAll(std::vector<protocol::Action> actions,
                                                 const client::Replica::Progress& progress)
{
    std::vector<protocol::Result> results(actions.size());
    std::size_t pending = actions.size();
    QEventLoop loop;
    for (std::size_t i = 0; i < actions.size(); ++i)
        m_replica->act(
            std::move(actions[i]), &loop,
            [&results, &pending, &loop, i](const protocol::Result& result) {
                results[i] = result;
                if (--pending == 0)
                    loop.quit();
            },
            progress);
    if (pending > 0)
        loop.exec();
    return results;
}

protocol::Result Connection::act(protocol::Action action, const client::Replica::Progress& progress)
{
    std::vector<protocol::Action> one;
    one.push_back(std::move(action));
    return actAll(std::move(one), progress).front();
}

LongRun::LongRun()
    : m_signals(std::make_unique<apps::SignalWatcher>(std::initializer_list<int>{SIGINT, SIGTERM}))
{
    QObject::connect(m_signals.get(), &apps::SignalWatcher::received, &m_loop,
                     [this](int) { finish(ExitOk); });
}

LongRun::~LongRun() = default;

void LongRun::finish(int code)
{
    if (m_code)
        return;
    m_code = code;
    m_loop.exit(code);
}

int LongRun::exec()
{
    return m_code ? *m_code : m_loop.exec();
}

} // namespace dockscope::cli
