// dockscope: the desktop GUI. By default it embeds the engine worker and the state server (the Docker
// endpoint found as the docker CLI finds it) and is itself a client of that server through client::Replica
// (MessagePack + zstd over a loopback WebSocket). With --attach it is a client of a running dockscoped.
#include "Icons.h"
#include "MainWindow.h"
#include "Settings.h"
#include "StallMeter.h"
#include "ThreadScheduling.h"

#include "common/SignalWatcher.h"

#include "dockscope/client/Replica.h"
#include "dockscope/docker/Endpoint.h"
#include "dockscope/server/ServerController.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <utility>

using namespace dockscope;

namespace {

struct Options {
    bool attach = false;
    QString host;
    QString discoveryFile;
    QString cacheDir;
    QString screenshotDir;
    QString stallReport;
};

Options parse(QApplication& app)
{
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("A live view of a local Docker engine that never polls."));
    cli.addHelpOption();
    cli.addVersionOption();
    const QCommandLineOption attach(QStringLiteral("attach"),
                                    QStringLiteral("Attach to a running dockscoped (its discovery file) "
                                                   "instead of embedding the engine."));
    const QCommandLineOption host(
        {QStringLiteral("H"), QStringLiteral("host")},
        QStringLiteral("Docker endpoint (unix:///path or tcp://host:port); default: "
                       "the one saved in Preferences, else as the docker CLI finds it."),
        QStringLiteral("url"));
    const QCommandLineOption discovery(QStringLiteral("discovery-file"),
                                       QStringLiteral("With --attach: the daemon's discovery file (default "
                                                      "$XDG_RUNTIME_DIR/dockscope/daemon.json). Embedded: "
                                                      "publish URL and token there for other clients."),
                                       QStringLiteral("path"));
    const QCommandLineOption cacheDir(
        QStringLiteral("cache-dir"),
        QStringLiteral("Offline cache folder of the embedded engine (default: the "
                       "user's cache folder; '-' for none)."),
        QStringLiteral("path"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("trace … off (default warn)."), QStringLiteral("level"),
                                      QStringLiteral("warn"));
    QCommandLineOption shots(QStringLiteral("screenshot-dir"),
                             QStringLiteral("Save a PNG of each page into this folder and quit."),
                             QStringLiteral("dir"));
    shots.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption stalls(
        QStringLiteral("stall-report"),
        QStringLiteral("Measure the GUI thread's stalls from when the view is live until "
                       "the app quits; write them as JSON to this file (benchmarks)."),
        QStringLiteral("file"));
    stalls.setFlags(QCommandLineOption::HiddenFromHelp);
    cli.addOptions({attach, host, discovery, cacheDir, logLevel, shots, stalls});
    cli.process(app);
    spdlog::set_level(spdlog::level::from_str(cli.value(logLevel).toStdString()));
    Options options;
    options.attach = cli.isSet(attach);
    options.host = cli.value(host);
    options.discoveryFile = cli.value(discovery);
    options.cacheDir = cli.isSet(cacheDir)
                           ? cli.value(cacheDir)
                           : QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                                 QStringLiteral("/dockscope/gui");
    if (options.cacheDir == QLatin1String("-"))
        options.cacheDir.clear();
    options.screenshotDir = cli.value(shots);
    options.stallReport = cli.value(stalls);
    return options;
}

int fail(const QString& message)
{
    std::fprintf(stderr, "dockscope: %s\n", qPrintable(message));
    if (qEnvironmentVariableIsEmpty("DOCKSCOPE_NO_DIALOGS")) {
        QMessageBox box(QMessageBox::Critical, QStringLiteral("Dockscope"), message);
        box.exec(); // before the event loop runs: nothing else is waiting on it yet
    }
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dockscope"));
    QApplication::setOrganizationName(QStringLiteral("dockscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Dockscope"));
    QApplication::setApplicationVersion(QStringLiteral(DOCKSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("dockscope"));
    QApplication::setWindowIcon(ui::appIcon());
    const Options options = parse(app);
    // First: SIGINT/SIGTERM at any later moment end the app cleanly (the embedded server removes its files).
    apps::SignalWatcher watcher({SIGINT, SIGTERM});
    QObject::connect(&watcher, &apps::SignalWatcher::received, &app, [] { QApplication::quit(); });
    // The screenshot mode never reads the user's settings (nor writes them: see MainWindow::restoreSettings).
    const bool useSettings = options.screenshotDir.isEmpty();
    const ui::Preferences preferences = useSettings ? ui::loadPreferences() : ui::Preferences{};
    if (useSettings)
        ui::applyTheme(preferences.theme);

    std::unique_ptr<server::ServerController> embedded;
    client::Replica::Options replicaOptions;
    replicaOptions.clientName = QStringLiteral("dockscope " DOCKSCOPE_VERSION);
    QString endpointText;
    if (options.attach) {
        replicaOptions.discoveryFile = options.discoveryFile;
    } else {
        // -H first, then the endpoint saved in the preferences, then as the docker CLI finds it.
        const QString host = !options.host.isEmpty()                      ? options.host
                             : ui::validateEndpoint(preferences.endpoint) ? preferences.endpoint
                                                                          : QString();
        const auto explicitHost = host.isEmpty() ? std::nullopt : std::optional(host.toStdString());
        const auto resolution =
            docker::EndpointResolver::resolve(docker::EndpointResolver::fromEnvironment(explicitHost));
        if (!resolution.endpoint)
            return fail(QStringLiteral("no Docker endpoint: ") + QString::fromStdString(resolution.error));
        endpointText = QString::fromStdString(resolution.endpoint->url());
        server::DaemonOptions daemonOptions;
        daemonOptions.engine.endpoint = *resolution.endpoint;
        daemonOptions.server.dockerEndpoint = *resolution.endpoint;
        daemonOptions.discoveryFile =
            options.discoveryFile.isEmpty() ? QStringLiteral("-") : options.discoveryFile;
        daemonOptions.cacheDir = options.cacheDir;
        embedded = std::make_unique<server::ServerController>(daemonOptions);
        QString error;
        if (!embedded->start(&error))
            return fail(QStringLiteral("cannot start the embedded server: ") + error);
        // The embedded engine's and server's threads yield the cores to the GUI thread
        // (ui/ThreadScheduling.h).
        embedded->runOnWorkerThreads([] { ui::lowerCurrentThreadPriority(ui::kEmbeddedWorkerNice); });
        replicaOptions.url = embedded->url();
        replicaOptions.token = embedded->token();
    }

    client::Replica replica(replicaOptions);
    ui::MainWindow window(replica, embedded ? &embedded->engine() : nullptr, endpointText);
    if (useSettings)
        window.restoreSettings();
    replica.start();
    window.show();

    if (!options.screenshotDir.isEmpty()) {
        window.takeScreenshots(options.screenshotDir, [](bool ok) { QApplication::exit(ok ? 0 : 1); });
    }
    // --stall-report: measuring starts 3 s after the engine is first connected (the initial sync is shown by
    // then); "<file>.started" tells the caller.
    ui::StallMeter stalls;
    if (!options.stallReport.isEmpty()) {
        QFile::remove(options.stallReport + QStringLiteral(".started"));
        auto begun = std::make_shared<bool>(false);
        const auto maybeBegin = [&stalls, &replica, &options, begun] {
            const auto engine = replica.engine();
            if (*begun || !engine || engine->status != state::EngineStatus::Connected)
                return;
            *begun = true;
            QTimer::singleShot(3000, &stalls, [&stalls, &options] {
                stalls.start();
                QFile started(options.stallReport + QStringLiteral(".started"));
                if (!started.open(QIODevice::WriteOnly))
                    std::fprintf(stderr, "dockscope: cannot write %s.started\n",
                                 qPrintable(options.stallReport));
            });
        };
        QObject::connect(&replica, &client::Replica::engineChanged, &stalls, maybeBegin);
        QObject::connect(&replica, &client::Replica::reset, &stalls, maybeBegin);
    }
    const int status = QApplication::exec();
    if (!options.stallReport.isEmpty()) {
        stalls.stop();
        if (!stalls.writeReport(options.stallReport))
            return fail(QStringLiteral("cannot write ") + options.stallReport);
        std::fprintf(stderr, "dockscope: longest GUI thread stall %.1f ms\n", stalls.longestMs());
    }
    return status;
}
