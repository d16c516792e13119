// dockscope-probe: shows what Dockscope sees of a Docker engine, then follows its events.
#include "ProbeApp.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <spdlog/spdlog.h>

#include <csignal>

using namespace dockscope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dockscope-probe"));
    QCommandLineParser cli;
    cli.setApplicationDescription(
        QStringLiteral("Shows what Dockscope sees of a Docker engine, then follows its "
                       "events."));
    cli.addHelpOption();
    const QCommandLineOption host({QStringLiteral("H"), QStringLiteral("host")},
                                  QStringLiteral("Docker endpoint (unix:///path or tcp://host:port)."),
                                  QStringLiteral("url"));
    const QCommandLineOption once(QStringLiteral("once"), QStringLiteral("Print the state and exit."));
    cli.addOptions({host, once});
    cli.process(app);

    spdlog::set_level(spdlog::level::info);
    const auto explicitHost = cli.isSet(host) ? std::optional(cli.value(host).toStdString()) : std::nullopt;
    const auto resolution =
        docker::EndpointResolver::resolve(docker::EndpointResolver::fromEnvironment(explicitHost));
    if (!resolution.endpoint) {
        spdlog::error("no Docker engine found: {}", resolution.error);
        return 2;
    }
    spdlog::info("using {} ({})", resolution.endpoint->url(), resolution.endpoint->source);

    apps::ProbeApp probe(*resolution.endpoint, !cli.isSet(once));
    QObject::connect(&probe, &apps::ProbeApp::done, &app, &QCoreApplication::exit);
    std::signal(SIGINT, [](int) { QCoreApplication::exit(0); });
    std::signal(SIGTERM, [](int) { QCoreApplication::exit(0); });
    probe.start();
    return QCoreApplication::exec();
}
