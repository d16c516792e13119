// dockscope-cli: the terminal client of the Dockscope daemon, built on client::Replica only (it never talks
// to Docker). `dockscope-cli --help` lists the commands and the exit codes; docs/cli.md describes them.
#include "CommandLine.h"
#include "Commands.h"

#include <QCoreApplication>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

using namespace dockscope::cli;

namespace {

using Command = int (*)(const Invocation&);

struct Entry {
    const char* name;
    Command run;
};

const Entry kCommands[] = {
    {"state", stateCommand},
    {"watch", watchCommand},
    {"events", eventsCommand},
    {"logs", logsCommand},
    {"stats", statsCommand},
    {"start", containerActionCommand},
    {"stop", containerActionCommand},
    {"restart", containerActionCommand},
    {"kill", containerActionCommand},
    {"pause", containerActionCommand},
    {"unpause", containerActionCommand},
    {"rm", containerActionCommand},
    {"rename", renameCommand},
    {"inspect", inspectCommand},
    {"run", runCommand},
    {"image", imageCommand},
    {"volume", volumeCommand},
    {"network", networkCommand},
};

int usage(const QString& message)
{
    printError(message);
    writeErr("See 'dockscope-cli --help'.\n");
    return ExitUsage;
}

// Diagnostics (the replica's own log lines) go to stderr, and only errors unless asked: stdout is the
// command's output, which scripts read.
bool setUpLogging(const QString& level)
{
    spdlog::set_default_logger(spdlog::stderr_color_mt("dockscope-cli"));
    const auto parsed = spdlog::level::from_str(level.toStdString());
    if (parsed == spdlog::level::off && level != QLatin1String("off"))
        return false;
    spdlog::set_level(parsed);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dockscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DOCKSCOPE_VERSION));
    QCommandLineParser global;
    global.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    addConnectionOptions(global);
    global.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help.")});
    global.addOption({QStringLiteral("version"), QStringLiteral("The version.")});
    global.addOption(
        {QStringLiteral("log-level"), QStringLiteral("Diagnostics on stderr."), QStringLiteral("level")});
    if (!global.parse(QCoreApplication::arguments()))
        return usage(global.errorText());
    if (global.isSet(QStringLiteral("help"))) {
        writeOut(generalHelp().toStdString());
        return ExitOk;
    }
    if (global.isSet(QStringLiteral("version"))) {
        writeOut("dockscope-cli " DOCKSCOPE_VERSION "\n");
        return ExitOk;
    }
    const QString level = global.isSet(QStringLiteral("log-level"))
                              ? global.value(QStringLiteral("log-level"))
                              : QStringLiteral("error");
    if (!setUpLogging(level))
        return usage(QStringLiteral("--log-level: '%1' is not one of trace, debug, info, warn, error, off")
                         .arg(level));
    const QStringList positional = global.positionalArguments();
    if (positional.isEmpty())
        return usage(QStringLiteral("no command given"));
    for (const Entry& entry : kCommands)
        if (positional.front() == QLatin1String(entry.name))
            return entry.run(Invocation{{positional.front()}, positional.mid(1), &global});
    return usage(QStringLiteral("'%1' is not a command").arg(positional.front()));
}
