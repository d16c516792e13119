// Container actions: start, stop, restart, kill, pause, unpause, rm (several containers at once), rename,
// inspect and run.
#include "Arguments.h"
#include "Commands.h"
#include "Connection.h"
#include "Format.h"

namespace dockscope::cli {

namespace {

using nlohmann::json;
using protocol::ActionKind;
using protocol::Topic;

const protocol::Subscription kContainers{{Topic::Containers}, {}};

struct ActionSpec {
    const char* command;
    const char* op;
    const char* description;
};

const ActionSpec kActions[] = {
    {"start", "start", "Start one or more stopped containers."},
    {"stop", "stop", "Stop one or more running containers (SIGTERM, then SIGKILL after the grace period)."},
    {"restart", "restart", "Restart one or more containers."},
    {"kill", "kill", "Kill one or more running containers with a signal (default SIGKILL)."},
    {"pause", "pause", "Pause all processes within one or more containers."},
    {"unpause", "unpause", "Unpause all processes within one or more containers."},
    {"rm", "remove", "Remove one or more containers."},
};

const ActionSpec* specFor(const QString& command)
{
    for (const ActionSpec& spec : kActions)
        if (command == QLatin1String(spec.command))
            return &spec;
    return nullptr;
}

void addActionOptions(CommandParser& parser, std::string_view command)
{
    if (command == "stop" || command == "restart")
        parser.add({{QStringLiteral("t"), QStringLiteral("time")},
                    QStringLiteral("Seconds to wait before killing the container (0..3600)."),
                    QStringLiteral("seconds")});
    if (command == "kill")
        parser.add({{QStringLiteral("s"), QStringLiteral("signal")},
                    QStringLiteral("The signal to send (SIGKILL, KILL, 9, ...)."),
                    QStringLiteral("signal")});
    if (command == "rm") {
        parser.add({{QStringLiteral("f"), QStringLiteral("force")},
                    QStringLiteral("Remove a running container too (kills it).")});
        parser.add({{QStringLiteral("v"), QStringLiteral("volumes")},
                    QStringLiteral("Also remove the container's anonymous volumes.")});
    }
}

std::optional<json> actionParams(const CommandParser& parser, std::string_view command,
                                 std::optional<int>* code)
{
    json params = json::object();
    if (command == "stop" || command == "restart") {
        if (const auto seconds = parser.integer(QStringLiteral("time"), 0, 3600, code))
            params["timeout"] = *seconds;
    }
    if (command == "kill" && parser.isSet(QStringLiteral("signal")))
        params["signal"] = parser.value(QStringLiteral("signal")).toStdString();
    if (command == "rm")
        params = {{"force", parser.isSet(QStringLiteral("force"))},
                  {"volumes", parser.isSet(QStringLiteral("volumes"))}};
    return code->has_value() ? std::nullopt : std::optional(params);
}

/// Requests of `op` on each container argument; ambiguous arguments are refused (their codes in `refused`).
std::vector<Request> containerRequests(const client::Replica& replica, const QStringList& arguments,
                                       const std::string& op, const json& params, std::vector<int>* refused)
{
    std::vector<Request> requests;
    for (const QString& argument : arguments) {
        const auto target = containerTarget(replica, argument);
        if (!target) {
            refused->push_back(ExitFailure);
            continue;
        }
        requests.push_back({argument, protocol::Action{{}, ActionKind::Container, *target, op, params}});
    }
    return requests;
}

std::string echoArgument(const QString& argument, const protocol::Result&)
{
    return argument.toStdString() + '\n';
}

/// The run params from the command line; nullopt after a usage error (its code in `*code`).
std::optional<json> runParams(const CommandParser& parser, std::optional<int>* code)
{
    const QStringList positional = parser.positional();
    json params{{"image", positional.front().toStdString()}};
    if (positional.size() > 1) {
        params["command"] = json::array();
        for (qsizetype i = 1; i < positional.size(); ++i)
            params["command"].push_back(positional[i].toStdString());
    }
    for (const char* key : {"name", "network"})
        if (parser.isSet(QString::fromLatin1(key)))
            params[key] = parser.value(QString::fromLatin1(key)).toStdString();
    if (parser.isSet(QStringLiteral("restart")))
        params["restartPolicy"] = parser.value(QStringLiteral("restart")).toStdString();
    std::string error;
    for (const QString& entry : parser.values(QStringLiteral("env"))) {
        if (entry.contains(QLatin1Char('=')))
            params["env"].push_back(entry.toStdString());
        else if (qEnvironmentVariableIsSet(qPrintable(entry))) // docker's -e KEY: the value from here
            params["env"].push_back(entry.toStdString() + '=' +
                                    qEnvironmentVariable(qPrintable(entry)).toStdString());
    }
    const auto each = [&](const QString& option, auto parse, const char* key) {
        for (const QString& spec : parser.values(option)) {
            const auto value = parse(spec.toStdString(), &error);
            if (!value) {
                *code = parser.usageError(QString::fromStdString(error));
                return false;
            }
            params[key].push_back(*value);
        }
        return true;
    };
    if (!each(QStringLiteral("publish"), parsePublish, "ports") ||
        !each(QStringLiteral("volume"), parseMount, "volumes"))
        return std::nullopt;
    for (const QString& label : parser.values(QStringLiteral("label"))) {
        const auto pair = parseKeyValue(label.toStdString(), false, &error);
        if (!pair) {
            *code = parser.usageError(QStringLiteral("--label ") + QString::fromStdString(error));
            return std::nullopt;
        }
        params["labels"][pair->first] = *pair->second;
    }
    return params;
}

void addRunOptions(CommandParser& parser)
{
    const auto option = [&parser](QStringList names, const char* help, const char* value = nullptr) {
        parser.add(value ? QCommandLineOption(names, QString::fromLatin1(help), QString::fromLatin1(value))
                         : QCommandLineOption(names, QString::fromLatin1(help)));
    };
    option({QStringLiteral("name")}, "The container's name.", "name");
    option({QStringLiteral("e"), QStringLiteral("env")}, "An environment variable KEY=VALUE (repeatable).",
           "KEY=VALUE");
    option({QStringLiteral("p"), QStringLiteral("publish")},
           "Publish a port: [IP:][HOST:]CONTAINER[/tcp|udp] (repeatable).", "spec");
    option({QStringLiteral("v"), QStringLiteral("volume")},
           "Mount a named volume or an absolute host path: SOURCE:DESTINATION[:ro] (repeatable).", "spec");
    option({QStringLiteral("network")}, "The network: none, host, bridge or a network's name.", "network");
    option({QStringLiteral("restart")}, "Restart policy: no, always, unless-stopped or on-failure.",
           "policy");
    option({QStringLiteral("l"), QStringLiteral("label")}, "A label KEY=VALUE (repeatable).", "KEY=VALUE");
    option({QStringLiteral("d"), QStringLiteral("detach")},
           "Accepted for docker's sake: run always detaches.");
}

/// Prints the id of the container that run created and started, or why it failed; returns the exit code.
int reportRun(const protocol::Result& result)
{
    const std::string id = result.value.is_object() ? result.value.value("id", std::string()) : std::string();
    if (result.ok) {
        writeOut(id + '\n');
        return ExitOk;
    }
    const protocol::ErrorInfo error = result.error.value_or(protocol::ErrorInfo{"internal", "run failed"});
    printError(describe(error));
    if (!id.empty())
        printError("the container " + shortId(id) + " was created but did not start");
    return exitCodeFor(error);
}

} // namespace

int containerActionCommand(const Invocation& invocation)
{
    const ActionSpec* spec = specFor(invocation.words.front());
    if (!spec)
        return ExitUsage;
    const std::string command = spec->command;
    CommandParser parser(invocation,
                         QString::fromStdString(command) + QStringLiteral(" [OPTIONS] CONTAINER..."),
                         QString::fromLatin1(spec->description));
    addActionOptions(parser, command);
    if (const auto code = parser.parse(1))
        return *code;
    std::optional<int> code;
    const auto params = actionParams(parser, command, &code);
    if (!params)
        return code.value_or(ExitUsage);
    return connected(parser, kContainers, [&](Connection& connection) {
        std::vector<int> refused;
        auto requests =
            containerRequests(connection.replica(), parser.positional(), spec->op, *params, &refused);
        return runRequests(connection, std::move(requests), echoArgument, std::move(refused));
    });
}

int renameCommand(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("rename CONTAINER NEW_NAME"),
                         QStringLiteral("Rename a container."));
    if (const auto code = parser.parse(2, 2))
        return *code;
    return connected(parser, kContainers, [&](Connection& connection) {
        std::vector<int> refused;
        const json params{{"name", parser.positional().at(1).toStdString()}};
        auto requests = containerRequests(connection.replica(), {parser.positional().front()}, "rename",
                                          params, &refused);
        return runRequests(
            connection, std::move(requests),
            [](const QString&, const protocol::Result&) { return std::string(); }, std::move(refused));
    });
}

int inspectCommand(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("inspect CONTAINER..."),
                         QStringLiteral("Docker's inspect documents of the containers, as one JSON array (it "
                                        "holds their environment: it is sent only to this client)."));
    if (const auto code = parser.parse(1))
        return *code;
    return connected(parser, kContainers, [&](Connection& connection) {
        std::vector<int> refused;
        auto requests =
            containerRequests(connection.replica(), parser.positional(), "inspect", json::object(), &refused);
        json documents = json::array();
        const int result = runRequests(
            connection, std::move(requests),
            [&documents](const QString&, const protocol::Result& r) {
                documents.push_back(r.value);
                return std::string();
            },
            std::move(refused));
        writeOut(documents.dump(4) + '\n');
        return result;
    });
}

int runCommand(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("run [OPTIONS] IMAGE [COMMAND [ARG...]]"),
        QStringLiteral("Create a container from IMAGE and start it, detached; prints its id. "
                       "Options go before IMAGE: what follows it is the command."));
    addRunOptions(parser);
    parser.stopAtFirstPositional();
    if (const auto code = parser.parse(1))
        return *code;
    std::optional<int> code;
    const auto params = runParams(parser, &code);
    if (!params)
        return code.value_or(ExitUsage);
    return connected(parser, kContainers, [&](Connection& connection) {
        return reportRun(connection.act(protocol::Action{{}, ActionKind::Container, {}, "run", *params}));
    });
}

} // namespace dockscope::cli
