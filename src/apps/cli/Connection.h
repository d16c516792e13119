#pragma once

#include "CommandLine.h"

#include "dockscope/client/Replica.h"
#include "dockscope/protocol/Messages.h"

#include <QEventLoop>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dockscope::apps {
class SignalWatcher;
}

namespace dockscope::cli {

/// The exit code for an action's or a stream's error: not-found → 5, unavailable → 3, anything else → 1.
int exitCodeFor(const protocol::ErrorInfo& error);
/// The text for an action's or a stream's error: Docker's own message after "Error response from daemon: "
/// when Docker refused, else the daemon's message.
std::string describe(const protocol::ErrorInfo& error);

/// One exit code for several outcomes: 0 when all succeeded, the failures' code when they agree, else 1.
int combinedExitCode(const std::vector<int>& codes);

/// A command-line argument and the action it asks for.
struct Request {
    QString argument;
    protocol::Action action;
};
class Connection;
/// Sends the requests together; in argument order prints `success(argument, result)` on stdout for each
/// that succeeded and the error on stderr for each that failed. Returns the combined exit code (with
/// `earlier`, the codes of arguments refused before sending).
int runRequests(Connection& connection, std::vector<Request> requests,
                const std::function<std::string(const QString&, const protocol::Result&)>& success,
                std::vector<int> earlier = {});

/// A container argument as the action's target: the id it resolves to in the replica's containers, or the
/// argument itself when none matches (Docker then answers "No such container" in its own words). An
/// ambiguous id prefix prints the candidates and gives nullopt.
std::optional<std::string> containerTarget(const client::Replica& replica, const QString& argument);

/// The terminal client's link to the daemon: a Replica with the command's subscription, and blocking helpers
/// around it (a command-line program may run nested event loops: there is no GUI to freeze).
class Connection {
public:
    Connection(const ConnectionOptions& options, protocol::Subscription subscription, bool reconnect);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Connects and waits until the state is live (10 s at most). Returns ExitOk, or prints why not and
    /// returns ExitUnreachable or ExitAuth.
    int open();
    client::Replica& replica() { return *m_replica; }
    /// Why the replica is not live (ExitAuth for a refused token, else ExitUnreachable), after printing it.
    int reportFailure() const;

    /// Sends the actions together and waits for all their results (in the actions' order).
    std::vector<protocol::Result> actAll(std::vector<protocol::Action> actions,
                                         const client::Replica::Progress& progress = {});
    protocol::Result act(protocol::Action action, const client::Replica::Progress& progress = {});

private:
    std::optional<int> checkDiscovery() const;

    ConnectionOptions m_options;
    std::unique_ptr<client::Replica> m_replica;
    bool m_reconnect = false;
};

/// Connects with the command line's connection options and `subscription`, and runs `body` once the state is
/// live. Returns the usage error of wrong options, the connection's failure (ExitUnreachable, ExitAuth) or
/// `body`'s exit code. `reconnect` is for the long-running commands.
int connected(const CommandParser& parser, protocol::Subscription subscription,
              const std::function<int(Connection&)>& body, bool reconnect = false);

/// Runs the event loop of a long-running command (watch, events, logs -f, stats) until SIGINT or SIGTERM
/// (exit 0) or finish().
class LongRun {
public:
    LongRun();
    ~LongRun();
    int exec();
    /// Ends exec() with `code` (also when called before exec()).
    void finish(int code);
    bool finished() const { return m_code.has_value(); }
    /// For callbacks that must not outlive the run.
    QObject* context() { return &m_loop; }

private:
    QEventLoop m_loop;
    std::optional<int> m_code;
    std::unique_ptr<apps::SignalWatcher> m_signals;
};

} // namespace dockscope::cli
