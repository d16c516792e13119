// state, watch and events: what the daemon's state is, how it changes, and Docker's events feed.
#include "Arguments.h"
#include "Commands.h"
#include "Connection.h"
#include "Format.h"

#include "dockscope/state/EntityJson.h"

#include <chrono>
#include <set>
#include <unistd.h>

namespace dockscope::cli {

namespace {

using nlohmann::json;
using protocol::Topic;

const std::set<Topic> kEntityTopics{Topic::Containers, Topic::Images, Topic::Volumes, Topic::Networks,
                                    Topic::Engine};

state::Timestamp now()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void addKindOption(CommandParser& parser)
{
    parser.add(
        {QStringLiteral("kind"),
         QStringLiteral("Only this kind: containers, images, volumes, networks or engine (repeatable, or "
                        "comma-separated)."),
         QStringLiteral("kind")});
}

void addFilterOptions(CommandParser& parser)
{
    parser.add({QStringLiteral("name"), QStringLiteral("Only names matching this glob (*, ?, [...])."),
                QStringLiteral("glob")});
    parser.add({QStringLiteral("label"),
                QStringLiteral("Only with this label (KEY=VALUE, or KEY for any value; "
                               "repeatable)."),
                QStringLiteral("key[=value]")});
    parser.add({QStringLiteral("project"), QStringLiteral("Only this Docker Compose project."),
                QStringLiteral("name")});
}

std::optional<std::set<Topic>> kinds(const CommandParser& parser, const std::set<Topic>& defaults,
                                     std::optional<int>* code)
{
    std::set<Topic> out;
    for (const QString& value : parser.values(QStringLiteral("kind")))
        for (const QString& word : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto topic = parseKind(word.trimmed().toStdString());
            if (!topic) {
                *code = parser.usageError(QStringLiteral("--kind: '%1' is not one of containers, images, "
                                                         "volumes, networks, engine")
                                              .arg(word));
                return std::nullopt;
            }
            out.insert(*topic);
        }
    return out.empty() ? defaults : out;
}

std::optional<protocol::Filter> filter(const CommandParser& parser, std::optional<int>* code)
{
    protocol::Filter out;
    if (parser.isSet(QStringLiteral("name")))
        out.name = parser.value(QStringLiteral("name")).toStdString();
    if (parser.isSet(QStringLiteral("project")))
        out.composeProject = parser.value(QStringLiteral("project")).toStdString();
    for (const QString& label : parser.values(QStringLiteral("label"))) {
        std::string error;
        const auto pair = parseKeyValue(label.toStdString(), true, &error);
        if (!pair) {
            *code = parser.usageError(QStringLiteral("--label ") + QString::fromStdString(error));
            return std::nullopt;
        }
        out.labels[pair->first] = pair->second;
    }
    return out;
}

std::string stateText(const client::Replica& replica, const std::set<Topic>& topics)
{
    const state::EngineState& s = replica.state();
    const state::Timestamp at = now();
    const bool titled = topics.size() > 1;
    std::string out;
    const auto section = [&](const char* title, std::size_t count, const std::string& body) {
        if (titled)
            out += (out.empty() ? "" : "\n") + std::string(title) + " (" + std::to_string(count) + ")\n";
        out += body;
    };
    if (topics.count(Topic::Engine)) {
        const auto engine = s.engine() ? s.engine() : replica.engine();
        if (titled)
            out += "ENGINE\n";
        out += engine ? engineSummary(*engine, at) : "Status:   unknown\n";
    }
    if (topics.count(Topic::Containers))
        section("CONTAINERS", s.containers().size(), containersTable(s.containers(), at));
    if (topics.count(Topic::Images))
        section("IMAGES", s.images().size(), imagesTable(s.images(), at));
    if (topics.count(Topic::Volumes))
        section("VOLUMES", s.volumes().size(), volumesTable(s.volumes(), at));
    if (topics.count(Topic::Networks))
        section("NETWORKS", s.networks().size(), networksTable(s.networks()));
    return out;
}

/// Prints the changes a watcher sees: each applied batch, and what a resync's snapshot changed.
class ChangePrinter {
public:
    ChangePrinter(const client::Replica& replica, bool asJson)
        : m_replica(replica)
        , m_json(asJson)
        , m_color(!asJson && colorOutput())
    {}

    void aboutToApply(const state::Batch& batch)
    {
        m_before.clear();
        for (const state::StateChange& change : batch.changes)
            m_before.push_back(change.op == state::ChangeOp::Created
                                   ? json()
                                   : entityJson(m_replica.state(), change.kind, change.id));
    }
    void applied(const state::Batch& batch)
    {
        for (std::size_t i = 0; i < batch.changes.size() && i < m_before.size(); ++i)
            print(batch.changes[i], batch.to, m_before[i]);
        m_before.clear();
    }
    void aboutToReset() { m_saved = m_replica.state(); }
    void reset()
    {
        if (!m_saved)
            return;
        for (const state::StateChange& change : diffStates(*m_saved, m_replica.state()))
            print(change, m_replica.state().version(), entityJson(*m_saved, change.kind, change.id));
        m_saved.reset();
    }

private:
    void print(const state::StateChange& change, std::uint64_t version, const json& before) const
    {
        if (m_json) {
            writeOut(changeJson(change, version, before).dump() + '\n');
            return;
        }
        const std::string time = clockTime(now());
        writeOut((m_color ? "\033[2m" + time + "\033[0m" : time) + ' ' + changeLine(change, before, m_color) +
                 '\n');
    }

    const client::Replica& m_replica;
    bool m_json;
    bool m_color;
    std::vector<json> m_before;
    std::optional<state::EngineState> m_saved;
};

/// Notices on stderr while a long-running command's connection comes and goes; ends the run when the replica
/// gives up (a refused token after a daemon restart).
void connectNotices(Connection& connection, LongRun& run)
{
    client::Replica& replica = connection.replica();
    QObject::connect(&replica, &client::Replica::statusChanged, run.context(),
                     [&connection, &replica, &run](client::Replica::Status status) {
                         using S = client::Replica::Status;
                         if (status == S::Reconnecting)
                             printError("lost the daemon (" + replica.lastError().toStdString() +
                                        "); reconnecting");
                         else if (status == S::Live)
                             printError(std::string("reconnected"));
                         else if (status == S::Disconnected)
                             run.finish(connection.reportFailure());
                     });
    auto last = std::make_shared<std::optional<state::EngineStatus>>(
        replica.engine() ? std::optional(replica.engine()->status) : std::nullopt);
    QObject::connect(&replica, &client::Replica::engineChanged, run.context(),
                     [last](const state::EngineInfo& engine) {
                         if (*last == engine.status)
                             return;
                         *last = engine.status;
                         std::string text = "the Docker engine is " + std::string(toString(engine.status));
                         if (engine.status != state::EngineStatus::Connected && !engine.lastError.empty())
                             text += ": " + engine.lastError;
                         printError(text);
                     });
}

/// Prints the replica's changes, a line each, until Ctrl-C.
int printChanges(Connection& connection, bool asJson)
{
    LongRun run;
    ChangePrinter printer(connection.replica(), asJson);
    client::Replica& replica = connection.replica();
    QObject::connect(&replica, &client::Replica::aboutToApply, run.context(),
                     [&printer](const state::Batch& batch) { printer.aboutToApply(batch); });
    QObject::connect(&replica, &client::Replica::applied, run.context(),
                     [&printer](const state::Batch& batch) { printer.applied(batch); });
    QObject::connect(&replica, &client::Replica::aboutToReset, run.context(),
                     [&printer] { printer.aboutToReset(); });
    QObject::connect(&replica, &client::Replica::reset, run.context(), [&printer] { printer.reset(); });
    connectNotices(connection, run);
    printError("watching from version " + std::to_string(replica.state().version()) + " (Ctrl-C to stop)");
    return run.exec();
}

/// Prints Docker's events as they come, until Ctrl-C.
int printEvents(Connection& connection, bool asJson)
{
    LongRun run;
    const bool color = !asJson && colorOutput();
    QObject::connect(&connection.replica(), &client::Replica::eventReceived, run.context(),
                     [asJson, color](const state::DockerEvent& event) {
                         if (asJson)
                             return writeOut(json(event).dump() + '\n');
                         writeOut(clockTime(event.timeNano) + ' ' + eventLine(event, color) + '\n');
                     });
    connectNotices(connection, run);
    return run.exec();
}

} // namespace

int stateCommand(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("state [--json] [--kind KIND]..."),
        QStringLiteral("The current state of the engine as tables, or as one JSON document (the "
                       "protocol's snapshot form) with --json."));
    parser.add(
        {QStringLiteral("json"), QStringLiteral("One JSON document: {epoch, version, digest, state}.")});
    addKindOption(parser);
    if (const auto code = parser.parse(0, 0))
        return *code;
    std::optional<int> code;
    const auto topics = kinds(parser, kEntityTopics, &code);
    if (!topics)
        return code.value_or(ExitUsage);
    return connected(parser, {*topics, {}}, [&](Connection& connection) {
        if (parser.isSet(QStringLiteral("json"))) {
            const json snapshot = connection.replica().state().toJson();
            writeOut((::isatty(STDOUT_FILENO) == 1 ? snapshot.dump(2) : snapshot.dump()) + '\n');
        } else {
            writeOut(stateText(connection.replica(), *topics));
        }
        return ExitOk;
    });
}

int watchCommand(const Invocation& invocation)
{
    CommandParser parser(
        invocation,
        QStringLiteral("watch [--json] [--kind KIND]... [--name GLOB] [--label K[=V]]... "
                       "[--project P]"),
        QStringLiteral("Live changes of the state, one line each, until Ctrl-C. --json prints one "
                       "object per change: {version, kind, op, id, name, value | diff}."));
    parser.add({QStringLiteral("json"), QStringLiteral("One JSON object per change.")});
    addKindOption(parser);
    addFilterOptions(parser);
    if (const auto code = parser.parse(0, 0))
        return *code;
    std::optional<int> code;
    const std::set<Topic> defaults{Topic::Containers, Topic::Images, Topic::Volumes, Topic::Networks};
    const auto topics = kinds(parser, defaults, &code);
    const auto only = topics ? filter(parser, &code) : std::nullopt;
    if (!only)
        return code.value_or(ExitUsage);
    const bool asJson = parser.isSet(QStringLiteral("json"));
    return connected(
        parser, {*topics, *only},
        [asJson](Connection& connection) { return printChanges(connection, asJson); }, true);
}

int eventsCommand(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("events [--json] [--name GLOB] [--label K[=V]]... [--project P]"),
        QStringLiteral("Docker's events as they happen (after the daemon's recent ones), until "
                       "Ctrl-C. --json prints each event as one JSON object."));
    parser.add({QStringLiteral("json"), QStringLiteral("One JSON object per event.")});
    addFilterOptions(parser);
    if (const auto code = parser.parse(0, 0))
        return *code;
    std::optional<int> code;
    const auto only = filter(parser, &code);
    if (!only)
        return code.value_or(ExitUsage);
    const bool asJson = parser.isSet(QStringLiteral("json"));
    return connected(
        parser, {{Topic::Events}, *only},
        [asJson](Connection& connection) { return printEvents(connection, asJson); }, true);
}

} // namespace dockscope::cli
