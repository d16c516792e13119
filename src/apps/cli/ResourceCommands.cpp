// Image, volume and network actions: image rm|tag|pull|prune, volume create|rm|prune,
// network create|rm|connect|disconnect|prune.
#include "Arguments.h"
#include "Commands.h"
#include "Connection.h"
#include "Format.h"

#include <iostream>
#include <set>
#include <unistd.h>

namespace dockscope::cli {

namespace {

using nlohmann::json;
using protocol::ActionKind;
using protocol::Topic;

using Subcommand = int (*)(const Invocation&);
struct Entry {
    const char* name;
    Subcommand run;
};

/// Runs the sub-command named by the first argument ("image rm ..." → imageRemove).
int dispatch(const Invocation& invocation, std::initializer_list<Entry> entries)
{
    const QString group = invocation.words.front();
    QStringList names;
    for (const Entry& entry : entries)
        names << QString::fromLatin1(entry.name);
    if (!invocation.arguments.isEmpty())
        for (const Entry& entry : entries)
            if (invocation.arguments.front() == QLatin1String(entry.name)) {
                const Invocation sub{
                    {group, invocation.arguments.front()}, invocation.arguments.mid(1), invocation.global};
                return entry.run(sub);
            }
    const QString given =
        invocation.arguments.isEmpty() ? QStringLiteral("nothing") : invocation.arguments.front();
    printError(
        QStringLiteral("'%1' takes one of: %2 (got %3)").arg(group, names.join(QStringLiteral(", ")), given));
    writeErr("See 'dockscope-cli --help'.\n");
    return ExitUsage;
}

/// A request per argument, all of `kind` and `op` with the same params.
std::vector<Request> requestsFor(const QStringList& arguments, ActionKind kind, const std::string& op,
                                 const json& params)
{
    std::vector<Request> out;
    for (const QString& argument : arguments)
        out.push_back({argument, protocol::Action{{}, kind, argument.toStdString(), op, params}});
    return out;
}

std::string echoArgument(const QString& argument, const protocol::Result&)
{
    return argument.toStdString() + '\n';
}

std::string valueField(const protocol::Result& result, const char* key)
{
    return result.value.is_object() ? result.value.value(key, std::string()) + '\n' : std::string("\n");
}

bool confirmed(const CommandParser& parser, const char* warning)
{
    if (parser.isSet(QStringLiteral("force")))
        return true;
    writeErr(std::string("WARNING! ") + warning + "\nAre you sure you want to continue? [y/N] ");
    std::string answer;
    std::getline(std::cin, answer);
    if (::isatty(STDIN_FILENO) != 1)
        writeErr("\n"); // no echo of an answer that came from a pipe
    return answer == "y" || answer == "Y" || answer == "yes";
}

/// A prune: asks first (unless -f), then prints Docker's report.
int prune(const CommandParser& parser, ActionKind kind, const char* warning, const json& params)
{
    if (!confirmed(parser, warning)) {
        printError(std::string("cancelled"));
        return ExitFailure;
    }
    return connected(parser, {{Topic::Engine}, {}}, [&](Connection& connection) {
        return runRequests(connection, {{QString(), protocol::Action{{}, kind, {}, "prune", params}}},
                           [](const QString&, const protocol::Result& r) { return pruneReport(r.value); });
    });
}

void addForce(CommandParser& parser, const char* help)
{
    parser.add({{QStringLiteral("f"), QStringLiteral("force")}, QString::fromLatin1(help)});
}

void addLabels(CommandParser& parser)
{
    parser.add({{QStringLiteral("l"), QStringLiteral("label")},
                QStringLiteral("A label KEY=VALUE (repeatable)."),
                QStringLiteral("KEY=VALUE")});
}

std::optional<json> labels(const CommandParser& parser, std::optional<int>* code)
{
    json out = json::object();
    for (const QString& label : parser.values(QStringLiteral("label"))) {
        std::string error;
        const auto pair = parseKeyValue(label.toStdString(), false, &error);
        if (!pair) {
            *code = parser.usageError(QStringLiteral("--label ") + QString::fromStdString(error));
            return std::nullopt;
        }
        out[pair->first] = *pair->second;
    }
    return out;
}

// image ---------------------------------------------------------------------------------------------------

int imageRemove(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("image rm [-f] [--no-prune] IMAGE..."),
                         QStringLiteral("Remove images (by reference, id or id prefix)."));
    addForce(parser, "Remove the image even if containers use it, and all its tags.");
    parser.add({QStringLiteral("no-prune"), QStringLiteral("Keep untagged parent images.")});
    if (const auto code = parser.parse(1))
        return *code;
    const json params{{"force", parser.isSet(QStringLiteral("force"))},
                      {"noPrune", parser.isSet(QStringLiteral("no-prune"))}};
    return connected(parser, {{Topic::Images}, {}}, [&](Connection& connection) {
        return runRequests(connection, requestsFor(parser.positional(), ActionKind::Image, "remove", params),
                           [](const QString& argument, const protocol::Result& r) {
                               const std::string report = imageRemovalReport(r.value);
                               return report.empty() ? argument.toStdString() + '\n' : report;
                           });
    });
}

int imageTag(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("image tag SOURCE TARGET[:TAG]"),
                         QStringLiteral("Give the image SOURCE the name TARGET (tag 'latest' when none)."));
    if (const auto code = parser.parse(2, 2))
        return *code;
    const auto [repo, tag] = splitReference(parser.positional().at(1).toStdString());
    if (tag.empty())
        return parser.usageError(QStringLiteral("TARGET must be REPOSITORY[:TAG], not a digest"));
    const json params{{"repo", repo}, {"tag", tag}};
    return connected(parser, {{Topic::Images}, {}}, [&](Connection& connection) {
        return runRequests(connection,
                           requestsFor({parser.positional().front()}, ActionKind::Image, "tag", params),
                           [](const QString&, const protocol::Result&) { return std::string(); });
    });
}

int imagePull(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("image pull NAME[:TAG|@DIGEST]"),
                         QStringLiteral("Pull an image from its registry, showing the progress."));
    if (const auto code = parser.parse(1, 1))
        return *code;
    const std::string image = parser.positional().front().toStdString();
    return connected(parser, {{Topic::Images}, {}}, [&](Connection& connection) {
        std::string last;
        const auto progress = [&last](const json& data) {
            if (data.value("total", 0.0) > 0) // byte counts: too many to print
                return;
            const std::string layer = data.value("layer", std::string());
            const std::string line =
                (layer.empty() ? "" : layer + ": ") + data.value("status", std::string());
            if (line != last)
                writeOut(line + '\n');
            last = line;
        };
        const protocol::Result result =
            connection.act(protocol::Action{{}, ActionKind::Image, {}, "pull", {{"image", image}}}, progress);
        if (result.ok) {
            writeOut(image + '\n');
            return int(ExitOk);
        }
        const auto error = result.error.value_or(protocol::ErrorInfo{"internal", "pull failed"});
        printError(describe(error));
        return exitCodeFor(error);
    });
}

int imagePrune(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("image prune [-a] [-f]"),
                         QStringLiteral("Remove dangling images (with -a: every image no container uses)."));
    parser.add(
        {{QStringLiteral("a"), QStringLiteral("all")}, QStringLiteral("Every image no container uses.")});
    addForce(parser, "Do not ask for confirmation.");
    if (const auto code = parser.parse(0, 0))
        return *code;
    const bool all = parser.isSet(QStringLiteral("all"));
    return prune(parser, ActionKind::Image,
                 all ? "This will remove all images without at least one container associated to them."
                     : "This will remove all dangling images.",
                 {{"dangling", !all}});
}

// volume --------------------------------------------------------------------------------------------------

int volumeCreate(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("volume create [-d DRIVER] [-l K=V]... [NAME]"),
        QStringLiteral("Create a volume (Docker names it when NAME is not given); prints its "
                       "name."));
    parser.add({{QStringLiteral("d"), QStringLiteral("driver")},
                QStringLiteral("The volume driver (default local)."),
                QStringLiteral("driver")});
    addLabels(parser);
    if (const auto code = parser.parse(0, 1))
        return *code;
    std::optional<int> code;
    auto params = labels(parser, &code);
    if (!params)
        return code.value_or(ExitUsage);
    *params = json{{"labels", *params}};
    if (!parser.positional().isEmpty())
        (*params)["name"] = parser.positional().front().toStdString();
    if (parser.isSet(QStringLiteral("driver")))
        (*params)["driver"] = parser.value(QStringLiteral("driver")).toStdString();
    return connected(parser, {{Topic::Volumes}, {}}, [&](Connection& connection) {
        return runRequests(connection,
                           {{QString(), protocol::Action{{}, ActionKind::Volume, {}, "create", *params}}},
                           [](const QString&, const protocol::Result& r) { return valueField(r, "name"); });
    });
}

int volumeRemove(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("volume rm [-f] VOLUME..."),
                         QStringLiteral("Remove volumes."));
    addForce(parser, "Remove the volume even when Docker would refuse.");
    if (const auto code = parser.parse(1))
        return *code;
    const json params{{"force", parser.isSet(QStringLiteral("force"))}};
    return connected(parser, {{Topic::Volumes}, {}}, [&](Connection& connection) {
        return runRequests(connection, requestsFor(parser.positional(), ActionKind::Volume, "remove", params),
                           echoArgument);
    });
}

int volumePrune(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("volume prune [-f]"),
        QStringLiteral("Remove the local volumes no container uses (Docker 23 and later: only "
                       "anonymous ones)."));
    addForce(parser, "Do not ask for confirmation.");
    if (const auto code = parser.parse(0, 0))
        return *code;
    return prune(parser, ActionKind::Volume,
                 "This will remove local volumes not used by at least one container.", json::object());
}

// network -------------------------------------------------------------------------------------------------

int networkCreate(const Invocation& invocation)
{
    CommandParser parser(
        invocation,
        QStringLiteral("network create [-d DRIVER] [--internal] [--attachable] [--subnet CIDR] "
                       "[-l K=V]... NAME"),
        QStringLiteral("Create a network; prints its id."));
    parser.add({{QStringLiteral("d"), QStringLiteral("driver")},
                QStringLiteral("The driver (default bridge)."),
                QStringLiteral("driver")});
    parser.add({QStringLiteral("internal"), QStringLiteral("No access to the outside.")});
    parser.add({QStringLiteral("attachable"), QStringLiteral("Containers may attach by hand.")});
    parser.add(
        {QStringLiteral("subnet"), QStringLiteral("The subnet, e.g. 10.7.0.0/16."), QStringLiteral("CIDR")});
    addLabels(parser);
    if (const auto code = parser.parse(1, 1))
        return *code;
    std::optional<int> code;
    const auto labelMap = labels(parser, &code);
    if (!labelMap)
        return code.value_or(ExitUsage);
    json params{{"name", parser.positional().front().toStdString()},
                {"internal", parser.isSet(QStringLiteral("internal"))},
                {"attachable", parser.isSet(QStringLiteral("attachable"))},
                {"labels", *labelMap}};
    if (parser.isSet(QStringLiteral("driver")))
        params["driver"] = parser.value(QStringLiteral("driver")).toStdString();
    if (parser.isSet(QStringLiteral("subnet")))
        params["subnet"] = parser.value(QStringLiteral("subnet")).toStdString();
    return connected(parser, {{Topic::Networks}, {}}, [&](Connection& connection) {
        return runRequests(connection,
                           {{QString(), protocol::Action{{}, ActionKind::Network, {}, "create", params}}},
                           [](const QString&, const protocol::Result& r) { return valueField(r, "id"); });
    });
}

int networkRemove(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("network rm NETWORK..."),
                         QStringLiteral("Remove networks."));
    if (const auto code = parser.parse(1))
        return *code;
    return connected(parser, {{Topic::Networks}, {}}, [&](Connection& connection) {
        return runRequests(connection,
                           requestsFor(parser.positional(), ActionKind::Network, "remove", json::object()),
                           echoArgument);
    });
}

/// network connect / disconnect: the container argument resolves against the replica like everywhere.
int networkAttach(const Invocation& invocation, const std::string& op)
{
    const bool disconnect = op == "disconnect";
    CommandParser parser(
        invocation,
        QString::fromStdString("network " + op + (disconnect ? " [-f]" : "") + " NETWORK CONTAINER"),
        disconnect ? QStringLiteral("Disconnect a container from a network.")
                   : QStringLiteral("Connect a container to a network."));
    if (disconnect)
        addForce(parser, "Force the container to disconnect.");
    if (const auto code = parser.parse(2, 2))
        return *code;
    return connected(parser, {{Topic::Containers}, {}}, [&](Connection& connection) {
        const auto container = containerTarget(connection.replica(), parser.positional().at(1));
        if (!container)
            return int(ExitFailure);
        json params{{"container", *container}};
        if (disconnect)
            params["force"] = parser.isSet(QStringLiteral("force"));
        return runRequests(connection,
                           requestsFor({parser.positional().front()}, ActionKind::Network, op, params),
                           [](const QString&, const protocol::Result&) { return std::string(); });
    });
}

int networkConnect(const Invocation& invocation)
{
    return networkAttach(invocation, "connect");
}

int networkDisconnect(const Invocation& invocation)
{
    return networkAttach(invocation, "disconnect");
}

int networkPrune(const Invocation& invocation)
{
    CommandParser parser(invocation, QStringLiteral("network prune [-f]"),
                         QStringLiteral("Remove the custom networks no container uses."));
    addForce(parser, "Do not ask for confirmation.");
    if (const auto code = parser.parse(0, 0))
        return *code;
    return prune(parser, ActionKind::Network,
                 "This will remove all custom networks not used by at least one "
                 "container.",
                 json::object());
}

} // namespace

int imageCommand(const Invocation& invocation)
{
    return dispatch(invocation,
                    {{"rm", imageRemove}, {"tag", imageTag}, {"pull", imagePull}, {"prune", imagePrune}});
}

int volumeCommand(const Invocation& invocation)
{
    return dispatch(invocation, {{"create", volumeCreate}, {"rm", volumeRemove}, {"prune", volumePrune}});
}

int networkCommand(const Invocation& invocation)
{
    return dispatch(invocation, {{"create", networkCreate},
                                 {"rm", networkRemove},
                                 {"connect", networkConnect},
                                 {"disconnect", networkDisconnect},
                                 {"prune", networkPrune}});
}

} // namespace dockscope::cli
