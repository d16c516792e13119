// dockscope-bench: the end-to-end benchmark (issue 6). One binary, four roles:
//   --populate    create the population through the Docker API
//   --drive       the scripted workload (run by the observer as its child; one JSON line per operation)
//   --strategy S  the observer: run strategy S (dockscope, poll, relist) through its phases, write JSON
//   --report F... the Markdown table and the combined JSON of the observers' files
//   --cleanup     remove what the workload made (between strategies)
// scripts/bench.sh runs them in order against a private dockerd.
#include "BenchUtil.h"
#include "Driver.h"
#include "Observer.h"
#include "Population.h"
#include "Report.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <spdlog/spdlog.h>

#include <cstdio>

using namespace dockscope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dockscope-bench"));
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Dockscope's end-to-end benchmark (see scripts/bench.sh)."));
    cli.addHelpOption();
    const auto opt = [](const char* name, const char* help, const char* value = nullptr,
                        const char* def = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help));
        if (value)
            o.setValueName(QString::fromLatin1(value));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        return o;
    };
    const QCommandLineOption host({QStringLiteral("H"), QStringLiteral("host")},
                                  QStringLiteral("Docker endpoint."), QStringLiteral("url"));
    const auto populateRole = opt("populate", "Create the population and exit.");
    const auto cleanupRole = opt("cleanup", "Remove what the workload made and exit.");
    const auto driveRole = opt("drive", "Run the workload (normally started by the observer).");
    const auto reportRole = opt("report", "Print the table of the given result files and combine them.");
    const auto strategy = opt("strategy", "Observer: dockscope, poll or relist.", "name", "dockscope");
    const auto containers = opt("containers", "Population: containers.", "n", "1000");
    const auto running = opt("running", "Population: running containers.", "n", "200");
    const auto projects = opt("projects", "Population: compose projects.", "n", "8");
    const auto images = opt("images", "Population: image tags.", "n", "100");
    const auto volumes = opt("volumes", "Population: volumes.", "n", "100");
    const auto networks = opt("networks", "Population: networks.", "n", "50");
    const auto tinyImage = opt("tiny-image", "Population: containers never started use a one-file image.");
    const auto ops = opt("ops", "Workload: scripted operations before the burst.", "n", "300");
    const auto burst = opt("burst", "Workload: operations in the burst.", "n", "1000");
    const auto inFlight = opt("in-flight", "Workload: burst operations in flight.", "n", "8");
    const auto seed = opt("seed", "Workload: random seed.", "n", "42");
    const auto idle = opt("idle-seconds", "Observer: length of the idle span.", "s", "60");
    const auto reps = opt("snapshot-reps", "Observer: snapshot repetitions per encoding.", "n", "5");
    const auto noWorkload = opt("no-workload", "Observer: sync, idle, snapshots and RSS only (scale run).");
    const auto pidFile = opt("dockerd-pid-file", "Observer: dockerd's pid file (for its CPU time).", "path");
    const auto out = opt("out", "Observer / report: the JSON result file.", "path");
    const auto opsOut = opt("ops-out", "Observer: also write every operation's times here (NDJSON).", "path");
    const auto markdown = opt("markdown", "Report: also write the table to this file.", "path");
    const auto config = opt("config", "Report: a line describing the run.", "text");
    const auto verbose = opt("verbose", "Log Dockscope's info messages.");
    cli.addOptions({host,    populateRole, cleanupRole, driveRole, reportRole, strategy,   containers,
                    running, projects,     images,      volumes,   networks,   tinyImage,  ops,
                    burst,   inFlight,     seed,        idle,      reps,       noWorkload, pidFile,
                    out,     opsOut,       markdown,    config,    verbose});
    cli.addPositionalArgument(QStringLiteral("files"),
                              QStringLiteral("Report: the observers' result files."));
    cli.process(app);
    spdlog::set_level(cli.isSet(verbose) ? spdlog::level::info : spdlog::level::warn);

    if (cli.isSet(reportRole))
        return bench::report(cli.positionalArguments(), cli.value(out), cli.value(markdown),
                             cli.value(config));

    const auto endpoint = bench::resolveEndpoint(cli.value(host));
    if (!endpoint)
        return 2;
    const auto integer = [&](const QCommandLineOption& o) { return cli.value(o).toInt(); };

    if (cli.isSet(populateRole)) {
        bench::PopulationSpec spec;
        spec.containers = integer(containers);
        spec.running = integer(running);
        spec.projects = integer(projects);
        spec.imageTags = integer(images);
        spec.volumes = integer(volumes);
        spec.networks = integer(networks);
        spec.tinyImage = cli.isSet(tinyImage);
        return bench::populate(*endpoint, spec);
    }
    if (cli.isSet(cleanupRole))
        return bench::cleanupWork(*endpoint);

    bench::DriverSpec driver;
    driver.ops = integer(ops);
    driver.burst = integer(burst);
    driver.inFlight = std::max(1, integer(inFlight));
    driver.seed = cli.value(seed).toUInt();
    if (cli.isSet(driveRole))
        return bench::drive(*endpoint, driver);

    bench::ObserverSpec spec;
    spec.strategy = cli.value(strategy);
    spec.idleSeconds = integer(idle);
    spec.snapshotRepetitions = integer(reps);
    spec.workload = !cli.isSet(noWorkload);
    spec.dockerdPidFile = cli.value(pidFile);
    spec.out = cli.value(out);
    spec.opsOut = cli.value(opsOut);
    spec.driver = driver;
    return bench::observe(*endpoint, spec);
}
