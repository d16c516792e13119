#include "CommandLine.h"

#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace dockscope::cli {

namespace {

const QString kDiscovery = QStringLiteral("discovery-file");
const QString kUrl = QStringLiteral("url");
const QString kTokenFile = QStringLiteral("token-file");

// The option's value from the command's line when given there, else from the global part.
QString either(const QCommandLineParser& command, const QCommandLineParser* global, const QString& name)
{
    if (command.isSet(name) || !global)
        return command.value(name);
    return global->value(name);
}

} // namespace

void printError(const QString& text)
{
    printError(text.toStdString());
}

void printError(const std::string& text)
{
    writeErr("dockscope-cli: " + text + '\n');
}

void writeOut(const std::string& text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void writeErr(const std::string& text)
{
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

bool colorOutput()
{
    return ::isatty(STDOUT_FILENO) == 1 && qEnvironmentVariable("NO_COLOR").isEmpty();
}

QString generalHelp()
{
    return QStringLiteral(R"(Usage: dockscope-cli [CONNECTION OPTIONS] COMMAND [ARGS...]

A terminal client of the Dockscope daemon (dockscoped or the Dockscope app): the live state of a Docker
engine, its changes and events, logs, stats and actions. It never talks to Docker itself.

Connection options (before or after the command):
  --discovery-file PATH  the daemon's discovery file (default: $XDG_RUNTIME_DIR/dockscope/daemon.json)
  --url URL              connect to this ws:// URL instead; the token then comes from
  --token-file PATH      a file holding it, or the DOCKSCOPE_TOKEN environment variable
                         (never from the command line, where other users could read it)
  --log-level LEVEL      (before the command) diagnostics on stderr: trace, debug, info, warn,
                         error (the default) or off

State:
  state [--json] [--kind KIND]...     the current state as tables, or the snapshot as JSON
  watch [--json] [--kind KIND]... [--name GLOB] [--label K[=V]]... [--project P]
                                      live changes, one line each, until Ctrl-C
  events [--json] [--name GLOB] [--label K[=V]]... [--project P]
                                      Docker's events feed, until Ctrl-C
  KIND is containers, images, volumes, networks or engine.

Containers (by name, full id or unique id prefix):
  logs CONTAINER [-f] [--tail N|all] [-t]    its output (stdout and stderr kept apart)
  stats CONTAINER [--no-stream]              CPU, memory, network, block I/O and PIDs
  inspect CONTAINER...                       Docker's inspect document (JSON)
  start|pause|unpause CONTAINER...
  stop|restart [-t SECONDS] CONTAINER...
  kill [-s SIGNAL] CONTAINER...
  rm [-f] [-v] CONTAINER...
  rename CONTAINER NEW_NAME
  run [--name N] [-e K=V]... [-p [IP:]HOST:CONTAINER[/PROTO]]... [-v SRC:DST[:ro]]...
      [--network N] [--restart POLICY] [-l K=V]... IMAGE [COMMAND...]
                                             create and start a container (detached); prints its id

Images, volumes, networks:
  image rm [-f] [--no-prune] IMAGE...  |  image tag SOURCE TARGET  |  image pull NAME[:TAG]
  image prune [-a] [-f]
  volume create [-d DRIVER] [-l K=V]... [NAME]  |  volume rm [-f] VOLUME...  |  volume prune [-f]
  network create [-d DRIVER] [--internal] [--attachable] [--subnet CIDR] [-l K=V]... NAME
  network rm NETWORK...  |  network connect NETWORK CONTAINER
  network disconnect [-f] NETWORK CONTAINER  |  network prune [-f]

'dockscope-cli COMMAND --help' describes one command.

Exit codes:
  0  success (watch, events, logs -f and stats also end with 0 on Ctrl-C or SIGTERM)
  1  Docker refused an action (its message is printed), or another runtime error
  2  usage error
  3  the daemon is not running or cannot be reached (start dockscoped or the Dockscope app)
  4  authentication failed: the daemon refused the token
  5  not found: no such container, image, volume or network
)");
}

void addConnectionOptions(QCommandLineParser& parser)
{
    parser.addOption({kDiscovery, QStringLiteral("The daemon's discovery file."), QStringLiteral("path")});
    parser.addOption({kUrl,
                      QStringLiteral("The daemon's ws:// URL (token from --token-file or DOCKSCOPE_TOKEN)."),
                      QStringLiteral("url")});
    parser.addOption(
        {kTokenFile, QStringLiteral("A file holding the token (with --url)."), QStringLiteral("path")});
}

CommandParser::CommandParser(const Invocation& invocation, const QString& synopsis,
                             const QString& description)
    : m_invocation(invocation)
    , m_synopsis(synopsis)
{
    m_parser.setApplicationDescription(description);
    // Not addHelpOption(): its --help-all lists Qt's own options, which mean nothing here.
    m_parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help.")});
    addConnectionOptions(m_parser);
}

void CommandParser::stopAtFirstPositional()
{
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
}

std::optional<int> CommandParser::parse(qsizetype minPositional, qsizetype maxPositional)
{
    const QString program = QStringLiteral("dockscope-cli ") + m_invocation.words.join(QLatin1Char(' '));
    if (!m_parser.parse(QStringList{program} + m_invocation.arguments))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        QString help = m_parser.helpText();
        help = help.mid(help.indexOf(QLatin1Char('\n')) + 1); // Qt's own usage line knows no synopsis
        const QString text =
            QStringLiteral("Usage: dockscope-cli ") + m_synopsis + QLatin1Char('\n') + help +
            QStringLiteral("\nExit codes: 0 ok, 1 refused or failed, 2 usage, 3 no daemon, 4 token "
                           "refused, 5 not found.\n");
        writeOut(text.toStdString());
        return ExitOk;
    }
    const qsizetype count = m_parser.positionalArguments().size();
    if (count < minPositional)
        return usageError(
            QStringLiteral("'%1' needs more arguments").arg(m_invocation.words.join(QLatin1Char(' '))));
    if (maxPositional >= 0 && count > maxPositional)
        return usageError(QStringLiteral("'%1' takes at most %2 argument(s), got %3")
                              .arg(m_invocation.words.join(QLatin1Char(' ')))
                              .arg(maxPositional)
                              .arg(count));
    return std::nullopt;
}

std::optional<int> CommandParser::integer(const QString& name, int min, int max,
                                          std::optional<int>* code) const
{
    if (!m_parser.isSet(name))
        return std::nullopt;
    bool ok = false;
    const int value = m_parser.value(name).toInt(&ok);
    if (!ok || value < min || value > max) {
        *code = usageError(QStringLiteral("--%1: expected a number %2..%3, got '%4'")
                               .arg(name)
                               .arg(min)
                               .arg(max)
                               .arg(m_parser.value(name)));
        return std::nullopt;
    }
    return value;
}

std::optional<ConnectionOptions> CommandParser::connection(std::optional<int>* code) const
{
    ConnectionOptions options;
    const QString url = either(m_parser, m_invocation.global, kUrl);
    const QString tokenFile = either(m_parser, m_invocation.global, kTokenFile);
    options.discoveryFile = either(m_parser, m_invocation.global, kDiscovery);
    if (url.isEmpty()) {
        if (tokenFile.isEmpty())
            return options;
        *code = usageError(QStringLiteral("--token-file goes with --url (the discovery file has its token)"));
        return std::nullopt;
    }
    if (!options.discoveryFile.isEmpty()) {
        *code = usageError(QStringLiteral("--url and --discovery-file exclude each other"));
        return std::nullopt;
    }
    options.url = QUrl(url, QUrl::StrictMode);
    if (!options.url.isValid() ||
        (options.url.scheme() != QLatin1String("ws") && options.url.scheme() != QLatin1String("wss"))) {
        *code = usageError(QStringLiteral("--url: '%1' is not a ws:// or wss:// URL").arg(url));
        return std::nullopt;
    }
    if (!tokenFile.isEmpty()) {
        QFile file(tokenFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *code = usageError(
                QStringLiteral("--token-file: cannot read %1: %2").arg(tokenFile, file.errorString()));
            return std::nullopt;
        }
        options.token = QString::fromUtf8(file.readAll()).trimmed();
    } else {
        options.token = qEnvironmentVariable("DOCKSCOPE_TOKEN").trimmed();
    }
    if (options.token.isEmpty()) {
        *code = usageError(QStringLiteral("--url needs the daemon's token: --token-file PATH or the "
                                          "DOCKSCOPE_TOKEN environment variable"));
        return std::nullopt;
    }
    return options;
}

int CommandParser::usageError(const QString& message) const
{
    printError(message);
    writeErr("See 'dockscope-cli " + m_invocation.words.join(QLatin1Char(' ')).toStdString() + " --help'.\n");
    return ExitUsage;
}

} // namespace dockscope::cli
