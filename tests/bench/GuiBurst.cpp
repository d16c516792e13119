// dockscope_gui_burst: the GUI thread's cost of a burst at 1000 containers, without Docker. The real
// MainWindow (dockscope_ui) watches a real Replica connected to a real StateServer (on its own thread, as in
// `dockscope`) that starts from a realistic state (RealisticState.h) and is then fed, at a fixed pace, the
// batches and Docker events of the bench's burst: chains of container create + rename, create + remove,
// volume create and image tag (src/apps/bench/Driver.cpp runBurst), optionally mixed with container state
// changes.
//
// Reports, for the measured part (the burst plus a short tail):
//   - the GUI thread's stalls as ui::StallMeter measures them in `dockscope --stall-report` (a 4 ms precise
//     timer; each gap beyond 4 ms is a stall);
//   - the time of each batch between the replica's aboutToApply() and the end of its applied() (models,
//   proxies
//     and every slot connected to them);
//   - the time of each top-level event the GUI thread dispatches (QApplication::notify at depth 0), grouped
//   by
//     receiver class and event type: where the stalls come from (socket reads, paints, timers).
//
// Usage: QT_QPA_PLATFORM=offscreen dockscope_gui_burst [--containers 1000] [--running 200] [--ops 1000]
//        [--interval-ms 6] [--state-changes 0.0] [--page containers|images|volumes|networks|activity|engine]
//        [--grouped] [--seed 42] [--json FILE]
// Under callgrind, use a larger --interval-ms (e.g. 60) so that the GUI keeps up and each batch arrives
// alone; the counts are zeroed when the burst starts and dumped ("burst") when it ends:
//   valgrind --tool=callgrind --separate-threads=yes dockscope_gui_burst --ops 200 --interval-ms 60

#include "RealisticState.h"

#include "MainWindow.h"
#include "StallMeter.h"

#include "dockscope/client/Replica.h"
#include "dockscope/server/StateServer.h"
#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateTransaction.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QMetaEnum>
#include <QScrollBar>
#include <QThread>
#include <QTimer>
#include <QTreeView>

#include <nlohmann/json.hpp>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace dockscope;

namespace {

/// Times every top-level event the GUI thread dispatches, by receiver class and event type.
class TimingApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Entry {
        qint64 count = 0;
        qint64 totalNs = 0;
        qint64 maxNs = 0;
        qint64 maxCpuNs = 0; ///< the GUI thread's CPU time: immune to preemption on a loaded machine
    };

    static qint64 threadCpuNs()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }

    bool notify(QObject* receiver, QEvent* event) override
    {
        if (recording_ && depth_ > 0 && event->type() == QEvent::Paint) {
            // Which widget paints how long (the top-level UpdateRequest paints them all).
            QElapsedTimer timer;
            timer.start();
            const bool result = QApplication::notify(receiver, event);
            const qint64 ns = timer.nsecsElapsed();
            QObject* named =
                receiver->objectName() == QLatin1String("qt_scrollarea_viewport") && receiver->parent()
                    ? receiver->parent()
                    : receiver;
            std::string key =
                std::string(named->metaObject()->className()) + (named != receiver ? " viewport" : "");
            if (auto* bar = qobject_cast<QScrollBar*>(receiver))
                key += std::string(bar->orientation() == Qt::Vertical ? " vertical" : " horizontal") +
                       " of " +
                       (bar->parent() && bar->parent()->parent()
                            ? bar->parent()->parent()->metaObject()->className()
                            : "?");
            Entry& e = paints_[key];
            ++e.count;
            e.totalNs += ns;
            e.maxNs = std::max(e.maxNs, ns);
            return result;
        }
        if (!recording_ || depth_ > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        ++depth_;
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu0 = threadCpuNs();
        const QEvent::Type type = event->type();
        const char* cls = receiver->metaObject()->className();
        const bool result = QApplication::notify(receiver, event);
        const qint64 ns = timer.nsecsElapsed();
        const qint64 cpuNs = threadCpuNs() - cpu0;
        --depth_;
        Entry& e = entries_[{cls, int(type)}];
        ++e.count;
        e.totalNs += ns;
        e.maxNs = std::max(e.maxNs, ns);
        e.maxCpuNs = std::max(e.maxCpuNs, cpuNs);
        cpuNs_.push_back(cpuNs);
        if (slowest_.size() < 10 || ns > slowest_.back().first) {
            const char* typeName = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
            slowest_.emplace_back(ns, std::string(cls) + " " + (typeName ? typeName : "?"));
            std::sort(slowest_.begin(), slowest_.end(), std::greater<>());
            if (slowest_.size() > 10)
                slowest_.pop_back();
        }
        return result;
    }

    void setRecording(bool on) { recording_ = on; }
    const std::map<std::pair<std::string, int>, Entry>& entries() const { return entries_; }
    const std::vector<std::pair<qint64, std::string>>& slowest() const { return slowest_; }
    const std::map<std::string, Entry>& paints() const { return paints_; }
    const std::vector<qint64>& cpuNs() const { return cpuNs_; }

private:
    bool recording_ = false;
    int depth_ = 0;
    std::map<std::pair<std::string, int>, Entry> entries_;
    std::vector<std::pair<qint64, std::string>> slowest_;
    std::map<std::string, Entry> paints_;
    std::vector<qint64> cpuNs_; ///< CPU time of each top-level event
};

struct Step {
    std::shared_ptr<const state::Batch> batch;
    std::vector<state::DockerEvent> events;
};

state::Timestamp wallNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1'000'000;
}

/// The burst's operations as the engine would commit them, one step (a batch and its events) per operation.
class Workload {
public:
    Workload(state::EngineState& source, std::uint64_t seed)
        : source_(source)
        , rng_(seed)
    {}

    std::vector<Step> make(int ops, double stateChanges)
    {
        std::vector<Step> steps;
        std::vector<std::string> pendingSecond; // created containers whose second operation is to come
        int chain = 0;
        for (int op = 0; op < ops; ++op) {
            if (stateChanges > 0 && rng_.chance(stateChanges)) {
                steps.push_back(toggleState());
                continue;
            }
            // Chains interleave (8 in flight): the second operation of a create comes a few steps later.
            if (!pendingSecond.empty() && (pendingSecond.size() >= 4 || rng_.chance(0.5))) {
                const std::string id = pendingSecond.front();
                pendingSecond.erase(pendingSecond.begin());
                steps.push_back(secondOf(id));
                continue;
            }
            const int kind = chain++ % 4;
            if (kind == 2) {
                steps.push_back(createVolume());
            } else if (kind == 3) {
                steps.push_back(tagImage());
            } else {
                auto [step, id] = createContainer(kind == 0);
                steps.push_back(std::move(step));
                pendingSecond.push_back(id);
            }
        }
        for (const std::string& id : pendingSecond)
            steps.push_back(secondOf(id));
        return steps;
    }

private:
    Step commit(const state::StateTransaction& tx, std::vector<state::DockerEvent> events)
    {
        const state::Timestamp now = wallNs();
        for (auto& e : events)
            e.timeNano = now;
        return {std::make_shared<const state::Batch>(source_.commit(tx, now)), std::move(events)};
    }

    static state::DockerEvent event(const char* type, const char* action, const std::string& actor,
                                    state::Labels attributes)
    {
        state::DockerEvent e;
        e.type = type;
        e.action = action;
        e.actorId = actor;
        e.attributes = std::move(attributes);
        e.scope = "local";
        return e;
    }

    std::pair<Step, std::string> createContainer(bool thenRename)
    {
        state::Container c;
        c.id = rng_.hex64();
        c.name = "bench-burst-" + std::to_string(++created_);
        c.image = "dockscope-test/busybox:latest";
        c.imageId = "sha256:" + rng_.hex64();
        c.command = "sleep 3600";
        c.createdAt = wallNs();
        c.state = state::ContainerState::Created;
        c.labels = {{"dockscope.bench", "1"}};
        c.networks = {"bridge"};
        renames_[c.id] = thenRename;
        state::StateTransaction tx;
        const std::string id = c.id;
        const std::string name = c.name;
        tx.put(std::move(c));
        return {commit(tx, {event("container", "create", id,
                                  {{"image", "dockscope-test/busybox:latest"}, {"name", name}})}),
                id};
    }

    Step secondOf(const std::string& id)
    {
        state::Container c = source_.containers().at(id);
        state::StateTransaction tx;
        if (renames_[id]) {
            const std::string old = c.name;
            c.name += "-renamed";
            tx.put(c);
            return commit(tx, {event("container", "rename", id, {{"name", c.name}, {"oldName", "/" + old}})});
        }
        tx.remove(state::EntityKind::Container, id);
        return commit(tx, {event("container", "destroy", id, {{"name", c.name}, {"image", c.image}})});
    }

    Step createVolume()
    {
        state::Volume v;
        v.name = "bench-volume-" + std::to_string(++volumes_);
        v.driver = "local";
        v.scope = "local";
        v.mountpoint = "/var/lib/docker/volumes/" + v.name + "/_data";
        v.createdAt = wallNs() / 1'000'000'000 * 1'000'000'000;
        v.labels = {{"dockscope.bench", "1"}};
        state::StateTransaction tx;
        const std::string name = v.name;
        tx.put(std::move(v));
        return commit(tx, {event("volume", "create", name, {{"driver", "local"}})});
    }

    Step tagImage()
    {
        // Round robin over the images, by id order (deterministic).
        std::vector<const state::Image*> images;
        for (const auto& [id, image] : source_.images())
            images.push_back(&image);
        std::sort(images.begin(), images.end(),
                  [](const state::Image* a, const state::Image* b) { return a->id < b->id; });
        state::Image image = *images[static_cast<std::size_t>(tags_) % images.size()];
        const std::string tag = "bench/tag-" + std::to_string(++tags_) + ":latest";
        image.repoTags.push_back(tag);
        std::sort(image.repoTags.begin(), image.repoTags.end());
        state::StateTransaction tx;
        const std::string id = image.id;
        tx.put(std::move(image));
        return commit(tx, {event("image", "tag", id, {{"name", tag}})});
    }

    Step toggleState()
    {
        std::vector<const state::Container*> all;
        for (const auto& [id, c] : source_.containers())
            all.push_back(&c);
        std::sort(all.begin(), all.end(),
                  [](const state::Container* a, const state::Container* b) { return a->id < b->id; });
        state::Container c = *all[static_cast<std::size_t>(rng_.uniform(0, int(all.size()) - 1))];
        const bool start = c.state != state::ContainerState::Running;
        c.state = start ? state::ContainerState::Running : state::ContainerState::Exited;
        if (start)
            c.startedAt = wallNs();
        else
            c.finishedAt = wallNs();
        state::StateTransaction tx;
        const std::string id = c.id;
        const std::string name = c.name;
        tx.put(std::move(c));
        return commit(tx, {event("container", start ? "start" : "die", id, {{"name", name}})});
    }

    state::EngineState& source_;
    bench::RealisticState rng_;
    std::map<std::string, bool> renames_;
    int created_ = 0;
    int volumes_ = 0;
    int tags_ = 0;
};

/// Lives on the server's thread: publishes one step per tick.
class Publisher : public QObject {
public:
    Publisher(server::StateServer* server, std::vector<Step> steps, int intervalMs)
        : server_(server)
        , steps_(std::move(steps))
        , timer_(new QTimer(this))
    {
        timer_->setTimerType(Qt::PreciseTimer);
        timer_->setInterval(intervalMs);
        connect(timer_, &QTimer::timeout, this, [this] {
            if (next_ >= steps_.size()) {
                timer_->stop();
                return;
            }
            const Step& step = steps_[next_++];
            server_->publish(step.batch);
            for (const auto& e : step.events)
                server_->publishEvent(e);
        });
    }

    void start() { timer_->start(); }

private:
    server::StateServer* server_;
    std::vector<Step> steps_;
    std::size_t next_ = 0;
    QTimer* timer_;
};

long threadFaults()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt + usage.ru_majflt;
}

bool waitUntil(const std::function<bool()>& condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(1);
    }
    return true;
}

void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(double(values.size() - 1) * p)];
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimingApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dockscope-gui-burst"));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("The GUI thread's cost of a burst at 1000 containers."));
    cli.addHelpOption();
    const auto opt = [&cli](const char* name, const char* help, const char* value, const char* def) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value),
                             QString::fromLatin1(def));
        cli.addOption(o);
        return o;
    };
    const auto containersOpt = opt("containers", "Containers at the start.", "n", "1000");
    const auto runningOpt = opt("running", "Of which running.", "n", "200");
    const auto opsOpt = opt("ops", "Burst operations.", "n", "1000");
    const auto intervalOpt = opt("interval-ms", "One operation every this many ms.", "ms", "6");
    const auto collectOpt =
        opt("collect-batch", "Under callgrind --collect-atstart=no: count only batch n.", "n", "0");
    const auto stateOpt =
        opt("state-changes", "Fraction of operations that start/stop a container.", "p", "0");
    const auto pageOpt = opt("page", "The page shown.", "name", "containers");
    const auto seedOpt = opt("seed", "Seed.", "n", "42");
    const auto jsonOpt = opt("json", "Write the results as JSON here.", "file", "");
    const auto shotOpt = opt("shot", "Save a picture of the window after the burst here (PNG).", "file", "");
    QCommandLineOption groupedOpt(QStringLiteral("grouped"), QStringLiteral("Group containers by project."));
    cli.addOption(groupedOpt);
    cli.process(app);

    const int containers = cli.value(containersOpt).toInt();
    const int running = cli.value(runningOpt).toInt();
    const int ops = cli.value(opsOpt).toInt();
    const int intervalMs = cli.value(intervalOpt).toInt();
    const auto seed = cli.value(seedOpt).toULongLong();

    // The engine side: a realistic state with `running` containers running, and the burst's steps.
    bench::RealisticState generator(seed);
    state::EngineState source(seed + 1);
    source.commit(generator.transaction(containers), wallNs());
    {
        std::vector<state::Container> all;
        for (const auto& [id, c] : source.containers())
            all.push_back(c);
        std::sort(all.begin(), all.end(),
                  [](const state::Container& a, const state::Container& b) { return a.id < b.id; });
        state::StateTransaction tx;
        for (std::size_t i = 0; i < all.size(); ++i) {
            state::Container c = all[i];
            c.state = int(i) < running ? state::ContainerState::Running : state::ContainerState::Exited;
            if (c.state != state::ContainerState::Running)
                c.health = state::Health::None;
            tx.put(std::move(c));
        }
        source.commit(tx, wallNs());
    }
    const state::EngineState initial = source;
    Workload workload(source, seed + 2);
    std::vector<Step> steps = workload.make(ops, cli.value(stateOpt).toDouble());
    const std::uint64_t finalVersion = source.version();
    const std::size_t stepCount = steps.size();

    // The server on its own thread, as ServerController runs it.
    server::ServerOptions serverOptions;
    serverOptions.heartbeat = std::chrono::seconds(60);
    auto* stateServer = new server::StateServer(serverOptions, initial);
    QThread serverThread;
    stateServer->moveToThread(&serverThread);
    serverThread.start();
    QUrl url;
    QString token;
    QMetaObject::invokeMethod(
        stateServer,
        [&] {
            if (stateServer->listen()) {
                url = stateServer->url();
                token = stateServer->token();
            }
        },
        Qt::BlockingQueuedConnection);
    if (url.isEmpty()) {
        std::fprintf(stderr, "cannot listen\n");
        return 1;
    }
    auto* publisher = new Publisher(stateServer, std::move(steps), intervalMs);
    publisher->moveToThread(&serverThread);

    client::Replica::Options replicaOptions;
    replicaOptions.url = url;
    replicaOptions.token = token;
    replicaOptions.clientName = QStringLiteral("dockscope gui burst");
    client::Replica replica(replicaOptions);

    // Per batch: from aboutToApply (connected before any model) to the end of applied (connected after all).
    QElapsedTimer batchTimer;
    long batchFaults = 0;
    std::vector<double> batchMs;
    std::vector<std::pair<double, std::string>> slowBatches; // the slowest, with what they changed
    bool measuring = false;
    // --collect-batch N: under callgrind --collect-atstart=no, only batch N of the burst is counted.
    const int collectBatch = cli.value(collectOpt).toInt();
    QObject::connect(&replica, &client::Replica::aboutToApply, &replica, [&] {
        if (measuring && collectBatch > 0 && int(batchMs.size()) + 1 == collectBatch)
            CALLGRIND_TOGGLE_COLLECT;
        batchTimer.start();
        batchFaults = threadFaults();
    });

    auto window = std::make_unique<ui::MainWindow>(replica, nullptr, QStringLiteral("unix:///bench.sock"));
    QObject::connect(&replica, &client::Replica::applied, &replica, [&](const state::Batch& batch) {
        if (!measuring)
            return;
        const double ms = double(batchTimer.nsecsElapsed()) / 1e6;
        batchMs.push_back(ms);
        if (collectBatch > 0 && int(batchMs.size()) == collectBatch)
            CALLGRIND_TOGGLE_COLLECT;
        std::string what;
        for (const state::StateChange& c : batch.changes)
            what += std::string(what.empty() ? "" : ", ") + std::string(state::toString(c.kind)) + " " +
                    std::string(state::toString(c.op));
        slowBatches.emplace_back(ms, "#" + std::to_string(batchMs.size()) + " " + what + " (" +
                                         std::to_string(threadFaults() - batchFaults) + " page faults)");
        std::sort(slowBatches.begin(), slowBatches.end(), std::greater<>());
        if (slowBatches.size() > 8)
            slowBatches.pop_back();
    });
    const QString page = cli.value(pageOpt);
    const QStringList pages{QStringLiteral("containers"), QStringLiteral("images"),
                            QStringLiteral("volumes"),    QStringLiteral("networks"),
                            QStringLiteral("activity"),   QStringLiteral("engine")};
    replica.start();
    window->show();
    window->showPage(std::max(0, int(pages.indexOf(page))));
    if (cli.isSet(groupedOpt))
        if (auto* check = window->findChild<QCheckBox*>())
            check->setChecked(true);

    const bool live = waitUntil(
        [&] {
            return replica.status() == client::Replica::Status::Live &&
                   replica.state().containers().size() == std::size_t(containers);
        },
        60000);
    if (!live) {
        std::fprintf(stderr, "the replica never went live\n");
        return 1;
    }
    settle(1500); // the first paint, layouts

    ui::StallMeter stalls;
    CALLGRIND_ZERO_STATS; // under callgrind: only the burst is counted
    stalls.start();
    app.setRecording(true);
    measuring = true;
    QElapsedTimer wall;
    wall.start();
    QMetaObject::invokeMethod(publisher, [publisher] { publisher->start(); });
    const bool done = waitUntil([&] { return replica.state().version() >= finalVersion; }, 600000);
    const double burstSeconds = double(wall.nsecsElapsed()) / 1e9;
    settle(500); // trailing paints
    measuring = false;
    app.setRecording(false);
    stalls.stop();
    CALLGRIND_DUMP_STATS_AT("burst");
    if (!done)
        std::fprintf(stderr, "the replica did not reach version %llu\n",
                     static_cast<unsigned long long>(finalVersion));

    const QString reportPath =
        QDir::tempPath() +
        QStringLiteral("/dockscope-gui-burst-%1.json").arg(QCoreApplication::applicationPid());
    stalls.writeReport(reportPath);
    nlohmann::json report;
    {
        QFile f(reportPath);
        if (f.open(QIODevice::ReadOnly))
            report["stalls"] = nlohmann::json::parse(f.readAll().toStdString());
        QFile::remove(reportPath);
    }
    report["steps"] = stepCount;
    report["batches"] = batchMs.size();
    report["burstSeconds"] = burstSeconds;
    report["batchMs"] = {{"p50", percentile(batchMs, 0.5)},
                         {"p99", percentile(batchMs, 0.99)},
                         {"max", batchMs.empty() ? 0 : *std::max_element(batchMs.begin(), batchMs.end())},
                         {"total", std::accumulate(batchMs.begin(), batchMs.end(), 0.0)}};

    // The top-level events, by total time.
    std::vector<std::pair<std::pair<std::string, int>, TimingApplication::Entry>> entries(
        app.entries().begin(), app.entries().end());
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.second.totalNs > b.second.totalNs; });
    const QMetaEnum types = QMetaEnum::fromType<QEvent::Type>();
    nlohmann::json events = nlohmann::json::array();
    double busyMs = 0;
    for (const auto& [key, e] : entries)
        busyMs += double(e.totalNs) / 1e6;
    for (std::size_t i = 0; i < std::min<std::size_t>(entries.size(), 12); ++i) {
        const auto& [key, e] = entries[i];
        const char* typeName = types.valueToKey(key.second);
        events.push_back({{"receiver", key.first},
                          {"event", typeName ? typeName : std::to_string(key.second).c_str()},
                          {"count", e.count},
                          {"totalMs", double(e.totalNs) / 1e6},
                          {"maxMs", double(e.maxNs) / 1e6},
                          {"maxCpuMs", double(e.maxCpuNs) / 1e6}});
    }
    // The CPU time of the top-level events (what a stall would be on an idle machine).
    std::vector<double> cpuMs;
    for (const qint64 ns : app.cpuNs())
        cpuMs.push_back(double(ns) / 1e6);
    report["eventCpuMs"] = {
        {"p99", percentile(cpuMs, 0.99)},
        {"max", cpuMs.empty() ? 0 : *std::max_element(cpuMs.begin(), cpuMs.end())},
        {"over16", std::count_if(cpuMs.begin(), cpuMs.end(), [](double ms) { return ms > 16; })},
        {"over8", std::count_if(cpuMs.begin(), cpuMs.end(), [](double ms) { return ms > 8; })},
        {"totalMs", std::accumulate(cpuMs.begin(), cpuMs.end(), 0.0)}};
    report["guiBusyMs"] = busyMs;
    nlohmann::json slow = nlohmann::json::array();
    for (const auto& [ms, what] : slowBatches)
        slow.push_back({{"ms", ms}, {"changes", what}});
    report["slowestBatches"] = slow;
    nlohmann::json slowEvents = nlohmann::json::array();
    for (const auto& [ns, what] : app.slowest())
        slowEvents.push_back({{"ms", double(ns) / 1e6}, {"event", what}});
    report["slowestEvents"] = slowEvents;
    nlohmann::json paints = nlohmann::json::object();
    for (const auto& [widget, e] : app.paints())
        if (e.totalNs > 0)
            paints[widget] = {
                {"count", e.count}, {"totalMs", double(e.totalNs) / 1e6}, {"maxMs", double(e.maxNs) / 1e6}};
    report["paints"] = paints;
    report["topEvents"] = events;

    std::printf("%s\n", report.dump(2).c_str());
    if (const QString out = cli.value(jsonOpt); !out.isEmpty()) {
        QFile f(out);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(QByteArray::fromStdString(report.dump(2) + "\n"));
    }

    if (const QString shot = cli.value(shotOpt); !shot.isEmpty())
        window->grab().save(shot);
    window.reset();
    replica.stop();
    QMetaObject::invokeMethod(
        stateServer,
        [stateServer, publisher] {
            delete publisher;
            stateServer->shutdown();
            delete stateServer;
        },
        Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return done ? 0 : 1;
}
