#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>
#include <string>

// The terminal client's command line: exit codes, the general help, the connection options (accepted before
// the command and after it) and a parser per command that turns every mistake into a usage error (exit 2).
namespace dockscope::cli {

/// The exit codes of dockscope-cli (also in its --help and in docs/cli.md).
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,     ///< Docker refused an action, or another runtime error
    ExitUsage = 2,       ///< bad command line
    ExitUnreachable = 3, ///< no daemon running, or it cannot be reached
    ExitAuth = 4,        ///< the daemon refused the token (close code 4401)
    ExitNotFound = 5,    ///< no such container, image, volume or network
};

/// Where to find the daemon: the discovery file (default) or an explicit URL with its token.
struct ConnectionOptions {
    QUrl url;              ///< empty: read the discovery file
    QString token;         ///< with url
    QString discoveryFile; ///< empty: the default one
};

/// "dockscope-cli: <text>" on stderr.
void printError(const QString& text);
void printError(const std::string& text);
/// Writes to stdout (or stderr) at once: watchers read line by line through pipes.
void writeOut(const std::string& text);
void writeErr(const std::string& text);
/// ANSI colours only on a terminal, and never when NO_COLOR is set.
bool colorOutput();
/// The text of `dockscope-cli --help`.
QString generalHelp();

/// The global part of the command line: connection options, then the command and its arguments.
struct Invocation {
    QStringList words;     ///< the command words, e.g. {"image", "rm"}
    QStringList arguments; ///< what follows the command words
    QCommandLineParser* global = nullptr;
};

/// One command's parser: its options plus the connection options and --help. parse() prints help (exit 0)
/// or a usage error (exit 2) itself and then returns that code.
class CommandParser {
public:
    CommandParser(const Invocation& invocation, const QString& synopsis, const QString& description);

    void add(const QCommandLineOption& option) { m_parser.addOption(option); }
    /// Everything after the first positional argument is positional too (run IMAGE CMD..., where CMD has
    /// options of its own).
    void stopAtFirstPositional();
    /// nullopt: parsed, go on; otherwise the exit code to return.
    std::optional<int> parse(qsizetype minPositional, qsizetype maxPositional = -1);

    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    QString value(const QString& name) const { return m_parser.value(name); }
    QStringList values(const QString& name) const { return m_parser.values(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }
    /// An integer option in [min, max]; nullopt when absent. A bad value is a usage error in `*code`.
    std::optional<int> integer(const QString& name, int min, int max, std::optional<int>* code) const;

    /// The connection options from this command's line, else the global ones; a usage error in `*code`.
    std::optional<ConnectionOptions> connection(std::optional<int>* code) const;
    /// Prints "dockscope-cli: <message>" and the hint to --help; returns ExitUsage.
    int usageError(const QString& message) const;

private:
    const Invocation& m_invocation;
    QString m_synopsis;
    QCommandLineParser m_parser;
};

/// Adds the connection options (--discovery-file, --url, --token-file) to `parser`.
void addConnectionOptions(QCommandLineParser& parser);

} // namespace dockscope::cli
