// dockscoped: the engine worker and the state server without a GUI. Prints one line when ready:
//   dockscoped: ready url=ws://127.0.0.1:PORT/ discovery=PATH
// and shuts down cleanly (sessions closed, cache saved, discovery file removed) on SIGINT or SIGTERM.
#include "common/SignalWatcher.h"

#include "dockscope/docker/Endpoint.h"
#include "dockscope/server/ServerController.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>

using namespace dockscope;

namespace {

/// The token kept in `path`: read when the file exists (it must be private), else made and written (0600).
std::optional<QString> tokenFromFile(const QString& path, QString* error)
{
    QFile file(path);
    if (file.exists()) {
        if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                                  QFileDevice::WriteOther)) {
            *error = QStringLiteral("%1 is readable by others: make it private (chmod 600)").arg(path);
            return std::nullopt;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            *error = file.errorString();
            return std::nullopt;
        }
        const QString token = QString::fromLatin1(file.readAll()).trimmed();
        if (token.size() < 32) {
            *error = QStringLiteral("the token in %1 is shorter than 32 characters (128 bits)").arg(path);
            return std::nullopt;
        }
        return token;
    }
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 4);
    const QString token = QString::fromLatin1(bytes.toHex());
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = file.errorString();
        return std::nullopt;
    }
    file.write(token.toLatin1() + '\n');
    return token;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dockscoped"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DOCKSCOPE_VERSION));
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "Keeps an exact, live mirror of a Docker engine and serves it over WebSocket (protocol v1)."));
    cli.addHelpOption();
    cli.addVersionOption();
    const QCommandLineOption host(
        {QStringLiteral("H"), QStringLiteral("host")},
        QStringLiteral("Docker endpoint (unix:///path or tcp://host:port); default: as "
                       "the docker CLI finds it (DOCKER_HOST, context, socket)."),
        QStringLiteral("url"));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address to listen on (default 127.0.0.1; anything else "
                                                   "exposes the engine to that network)."),
                                    QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port (default: a free one)."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"),
                                       QStringLiteral("Keep the token in this file (made, mode 0600, if "
                                                      "missing) instead of a fresh one per start."),
                                       QStringLiteral("path"));
    const QCommandLineOption discovery(
        QStringLiteral("discovery-file"),
        QStringLiteral("Where to publish URL and token for local clients "
                       "(default $XDG_RUNTIME_DIR/dockscope/daemon.json; '-' for "
                       "none)."),
        QStringLiteral("path"));
    const QCommandLineOption origin(
        QStringLiteral("allow-origin"),
        QStringLiteral("Accept WebSocket handshakes with this Origin (repeatable; "
                       "none by default)."),
        QStringLiteral("origin"));
    const QCommandLineOption logLevel(
        QStringLiteral("log-level"), QStringLiteral("trace, debug, info, warn, error or off (default info)."),
        QStringLiteral("level"), QStringLiteral("info"));
    const QCommandLineOption cacheDir(QStringLiteral("cache-dir"),
                                      QStringLiteral("Folder of the offline cache (default: the user's cache "
                                                     "folder; '-' for none)."),
                                      QStringLiteral("path"));
    const QCommandLineOption heartbeat(QStringLiteral("heartbeat-ms"),
                                       QStringLiteral("Heartbeat interval (default 10000)."),
                                       QStringLiteral("ms"), QStringLiteral("10000"));
    cli.addOptions({host, listen, port, tokenFile, discovery, origin, logLevel, cacheDir, heartbeat});
    cli.process(app);

    const auto level = spdlog::level::from_str(cli.value(logLevel).toStdString());
    spdlog::set_level(level);

    const auto explicitHost = cli.isSet(host) ? std::optional(cli.value(host).toStdString()) : std::nullopt;
    const auto resolution =
        docker::EndpointResolver::resolve(docker::EndpointResolver::fromEnvironment(explicitHost));
    if (!resolution.endpoint) {
        std::fprintf(stderr, "dockscoped: no Docker endpoint: %s\n", resolution.error.c_str());
        return 2;
    }

    server::DaemonOptions options;
    options.engine.endpoint = *resolution.endpoint;
    options.server.dockerEndpoint = *resolution.endpoint;
    options.server.address = QHostAddress(cli.value(listen));
    if (options.server.address.isNull()) {
        std::fprintf(stderr, "dockscoped: --listen: '%s' is not an IP address\n",
                     qPrintable(cli.value(listen)));
        return 2;
    }
    bool ok = false;
    options.server.port = cli.value(port).toUShort(&ok);
    if (!ok) {
        std::fprintf(stderr, "dockscoped: --port: '%s' is not a port\n", qPrintable(cli.value(port)));
        return 2;
    }
    const int heartbeatMs = cli.value(heartbeat).toInt(&ok);
    if (!ok || heartbeatMs < 100) {
        std::fprintf(stderr, "dockscoped: --heartbeat-ms must be at least 100\n");
        return 2;
    }
    options.server.heartbeat = std::chrono::milliseconds(heartbeatMs);
    options.server.allowedOrigins = cli.values(origin);
    if (cli.isSet(tokenFile)) {
        QString error;
        const auto token = tokenFromFile(cli.value(tokenFile), &error);
        if (!token) {
            std::fprintf(stderr, "dockscoped: --token-file: %s\n", qPrintable(error));
            return 2;
        }
        options.server.token = *token;
    }
    options.discoveryFile = cli.value(discovery);
    const QString cache = cli.isSet(cacheDir)
                              ? cli.value(cacheDir)
                              : QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                                    QStringLiteral("/dockscope");
    options.cacheDir = cache == QLatin1String("-") ? QString() : cache;

    // Before anything is started or announced: a supervisor may send SIGTERM as soon as it reads "ready", and
    // the default action would end the process without removing the discovery file (CI caught it).
    apps::SignalWatcher watcher({SIGINT, SIGTERM});
    QObject::connect(&watcher, &apps::SignalWatcher::received, &app, [](int signal) {
        spdlog::info("dockscoped: signal {}, shutting down", signal);
        QCoreApplication::exit(0);
    });

    server::ServerController daemon(options);
    QString error;
    if (!daemon.start(&error)) {
        std::fprintf(stderr, "dockscoped: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("dockscoped: ready url=%s discovery=%s engine=%s%s\n", qPrintable(daemon.url().toString()),
                daemon.discoveryFile().isEmpty() ? "-" : qPrintable(daemon.discoveryFile()),
                resolution.endpoint->url().c_str(), daemon.startedFromCache() ? " (from saved state)" : "");
    std::fflush(stdout);

    return QCoreApplication::exec();
}
