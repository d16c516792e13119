// logs and stats: a container's output and resource figures, through the daemon's streams.
#include "Commands.h"
#include "Connection.h"
#include "Format.h"

#include <QTimer>

#include <algorithm>

namespace dockscope::cli {

namespace {

using nlohmann::json;
using protocol::Topic;

/// The container a stream is about: its id and name.
struct Target {
    std::string id;
    std::string name;
};

/// Connects, resolves the container argument (the first positional) and runs `body` with it; an argument
/// that names no single container gives ExitFailure.
int withTarget(const CommandParser& parser, const std::function<int(Connection&, const Target&)>& body)
{
    return connected(parser, {{Topic::Containers}, {}}, [&](Connection& connection) -> int {
        const QString argument = parser.positional().front();
        const auto id = containerTarget(connection.replica(), argument);
        if (!id)
            return ExitFailure;
        const auto& containers = connection.replica().state().containers();
        const auto it = containers.find(*id);
        return body(connection,
                    Target{*id, it == containers.end() ? argument.toStdString() : it->second.name});
    });
}

void printLogLine(const json& data, bool timestamps)
{
    std::string text = data.value("line", std::string()) + '\n';
    if (timestamps && data.contains("ts") && data["ts"].is_number_integer())
        text = rfc3339Nano(data["ts"].get<std::int64_t>()) + ' ' + text;
    if (data.value("stream", std::string()) == "stderr")
        writeErr(text);
    else
        writeOut(text);
}

/// Ends `run` when the stream ends: 0, or the error's exit code after printing it.
client::Replica::StreamEnd finisher(LongRun& run)
{
    return [&run](const std::optional<protocol::ErrorInfo>& error) {
        if (!error)
            return run.finish(ExitOk);
        printError(describe(*error));
        run.finish(exitCodeFor(*error));
    };
}

/// Prints a line per sample of the container's stats until Ctrl-C; with `once`, one sample with a CPU figure.
int streamStats(Connection& connection, const Target& container, bool once)
{
    const std::size_t nameWidth = std::max<std::size_t>(container.name.size(), 4);
    writeOut(statsRow(statsHeaders(), nameWidth) + '\n');
    LongRun run;
    std::optional<json> first; // --no-stream: the first sample has no CPU figure (no previous sample)
    const auto print = [&](const json& sample) {
        writeOut(statsRow(statsCells(container.id, container.name, sample), nameWidth) + '\n');
    };
    QTimer patience; // a stopped container sends one sample and no second
    patience.setSingleShot(true);
    QObject::connect(&patience, &QTimer::timeout, run.context(), [&] {
        if (first)
            print(*first);
        run.finish(ExitOk);
    });
    connection.replica().openStream(
        protocol::StreamWhat::Stats, container.id, json::object(), run.context(),
        [&](const json& sample) {
            if (!once)
                return print(sample);
            if (!first && sample.value("read", std::int64_t{0}) != 0) {
                first = sample;
                return patience.start(2500);
            }
            print(sample);
            run.finish(ExitOk);
        },
        [&, end = finisher(run)](const std::optional<protocol::ErrorInfo>& error) {
            if (once && first && !error)
                print(*first);
            end(error);
        });
    return run.exec();
}

} // namespace

int logsCommand(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("logs [-f] [--tail N|all] [-t] CONTAINER"),
        QStringLiteral("The container's output: its stdout lines on stdout, its stderr lines on "
                       "stderr. Without -f it ends with the output so far."));
    parser.add({{QStringLiteral("f"), QStringLiteral("follow")},
                QStringLiteral("Keep following the output until Ctrl-C or the container stops.")});
    parser.add({QStringLiteral("tail"), QStringLiteral("Only the last N lines (default all)."),
                QStringLiteral("N|all"), QStringLiteral("all")});
    parser.add({{QStringLiteral("t"), QStringLiteral("timestamps")},
                QStringLiteral("Prefix each line with its time (RFC 3339).")});
    if (const auto code = parser.parse(1, 1))
        return *code;
    json params{{"follow", parser.isSet(QStringLiteral("follow"))},
                {"timestamps", parser.isSet(QStringLiteral("timestamps"))}};
    const QString tail = parser.value(QStringLiteral("tail"));
    std::optional<int> code;
    if (tail == QLatin1String("all"))
        params["tail"] = "all";
    else if (const auto lines = parser.integer(QStringLiteral("tail"), 0, 1'000'000'000, &code))
        params["tail"] = *lines;
    if (code)
        return *code;
    return withTarget(parser, [&](Connection& connection, const Target& container) {
        LongRun run;
        const bool timestamps = params["timestamps"].get<bool>();
        connection.replica().openStream(
            protocol::StreamWhat::Logs, container.id, params, run.context(),
            [timestamps](const json& data) { printLogLine(data, timestamps); }, finisher(run));
        return run.exec();
    });
}

int statsCommand(const Invocation& invocation)
{
    CommandParser parser(
        invocation, QStringLiteral("stats [--no-stream] CONTAINER"),
        QStringLiteral("The container's resource use, a line per sample (about one a second) "
                       "until Ctrl-C, as docker stats shows it."));
    parser.add({QStringLiteral("no-stream"), QStringLiteral("Print one sample and exit.")});
    if (const auto code = parser.parse(1, 1))
        return *code;
    const bool once = parser.isSet(QStringLiteral("no-stream"));
    return withTarget(parser, [once](Connection& connection, const Target& container) {
        return streamStats(connection, container, once);
    });
}

} // namespace dockscope::cli
