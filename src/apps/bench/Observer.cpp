#include "Observer.h"

#include "BenchUtil.h"
#include "Strategies.h"

#include "dockscope/client/Replica.h"
#include "dockscope/server/ServerController.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <optional>

namespace dockscope::bench {

namespace {

using Json = nlohmann::json;

/// One operation of the driver and when the view first showed its effect.
struct Op {
    int n = 0;
    std::string kind;
    Json expect;
    std::string key;
    std::int64_t issued = 0; ///< the API call's sending
    std::int64_t mono = 0;   ///< the API call's completion
    std::int64_t wall = 0;
    bool burst = false;
    std::int64_t eventNano = 0;
    std::int64_t eventSeenWall = 0; ///< when the driver's own events reader got the event
    std::int64_t shownMono = -1;
    std::int64_t shownWall = 0;
    bool clamped = false;    ///< shown before the call completed (latency counted as 0)
    bool superseded = false; ///< a later operation on the same entity was shown first: never shown
};

/// Nearest-rank percentiles of millisecond samples.
Json percentiles(std::vector<double> ms)
{
    if (ms.empty())
        return {{"n", 0}};
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double p) {
        const auto rank = std::size_t(std::ceil(p / 100.0 * double(ms.size())));
        return ms[std::clamp<std::size_t>(rank, 1, ms.size()) - 1];
    };
    return {{"n", ms.size()}, {"p50", at(50)}, {"p95", at(95)}, {"p99", at(99)}, {"max", ms.back()}};
}

double toMs(std::int64_t ns)
{
    return double(ns) / 1e6;
}

class Observer {
public:
    Observer(const docker::Endpoint& endpoint, const ObserverSpec& spec)
        : endpoint_(endpoint)
        , spec_(spec)
        , dockerdPid_(pidFromFile(spec.dockerdPidFile))
    {}

    int run()
    {
        if (spec_.strategy == QLatin1String("dockscope"))
            strategy_ = std::make_unique<DockscopeStrategy>(endpoint_);
        else if (spec_.strategy == QLatin1String("poll"))
            strategy_ = std::make_unique<PollStrategy>(endpoint_);
        else if (spec_.strategy == QLatin1String("relist"))
            strategy_ = std::make_unique<RelistStrategy>(endpoint_);
        else
            return fail("unknown strategy " + spec_.strategy.toStdString());
        QObject::connect(strategy_.get(), &Strategy::changed, [this](const auto& keys) { onChanged(keys); });
        QObject::connect(strategy_.get(), &Strategy::refreshed,
                         [this](std::int64_t validFrom) { onRefreshed(validFrom); });
        QObject::connect(strategy_.get(), &Strategy::synced, [this] {
            synced_ = true;
            wake();
        });
        QObject::connect(strategy_.get(), &Strategy::failed, [this](const QString& message) {
            error_ = message.toStdString();
            wake();
        });
        result_["strategy"] = spec_.strategy.toStdString();

        const std::int64_t t0 = monoNs();
        strategy_->start();
        waitFor([this] { return synced_ || !error_.empty(); }, 300000);
        if (!synced_)
            return fail("no initial sync: " + error_);
        result_["initialSyncMs"] = toMs(monoNs() - t0);
        result_["containers"] = strategy_->view().containers.size();
        if (auto* dockscope = dynamic_cast<DockscopeStrategy*>(strategy_.get()))
            result_["engineInitialSyncMs"] = toMs(dockscope->engineInitialSyncNs());

        spin(spec_.settleMs);
        const Sample idle0 = sample();
        spin(spec_.idleSeconds * 1000);
        const Sample idle1 = sample();
        result_["idle"] = span(idle0, idle1);
        if (!error_.empty())
            return fail(error_);

        result_["rssKbIdle"] = selfRssKb();
        if (auto* dockscope = dynamic_cast<DockscopeStrategy*>(strategy_.get()))
            measureSnapshots(*dockscope);
        if (spec_.workload) {
            if (const int rc = runWorkload(); rc != 0)
                return rc;
            result_["rssKbAfterWorkload"] = selfRssKb();
            if (auto* dockscope = dynamic_cast<DockscopeStrategy*>(strategy_.get())) {
                std::optional<Json> metrics;
                dockscope->engineMetrics([&](Json m) {
                    metrics = std::move(m);
                    wake();
                });
                if (waitFor([&] { return metrics.has_value(); }, 10000))
                    result_["engineMetrics"] = *metrics;
            }
        }
        return write();
    }

private:
    struct Sample {
        std::int64_t mono = 0;
        std::int64_t cpu = 0;
        std::int64_t dockerd = -1;
        std::uint64_t api = 0;
    };

    int fail(const std::string& message)
    {
        std::fprintf(stderr, "dockscope-bench (%s): %s\n", qPrintable(spec_.strategy), message.c_str());
        result_["error"] = message;
        write();
        return 1;
    }

    int write()
    {
        if (spec_.out.isEmpty()) {
            std::printf("%s\n", result_.dump(2).c_str());
            return result_.contains("error") ? 1 : 0;
        }
        QFile file(spec_.out);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "dockscope-bench: cannot write %s\n", qPrintable(spec_.out));
            return 1;
        }
        file.write(QByteArray::fromStdString(result_.dump(2) + '\n'));
        return result_.contains("error") ? 1 : 0;
    }

    // ---- waiting without busy loops: a nested event loop that the strategy's signals wake
    // -------------------

    void wake()
    {
        if (loop_ && condition_ && condition_())
            loop_->quit();
    }

    /// Waits until `condition` holds (checked on every wake()) or `timeoutMs` passes; returns the condition.
    bool waitFor(std::function<bool()> condition, int timeoutMs)
    {
        if (condition())
            return true;
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        timeout.start(timeoutMs);
        loop_ = &loop;
        condition_ = condition;
        loop.exec();
        loop_ = nullptr;
        condition_ = {};
        return condition();
    }

    static void spin(int ms)
    {
        if (ms <= 0)
            return;
        QEventLoop loop;
        QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
        loop.exec();
    }

    Sample sample()
    {
        std::optional<std::uint64_t> api;
        strategy_->apiCalls([&](std::uint64_t calls) {
            api = calls;
            wake();
        });
        waitFor([&] { return api.has_value(); }, 10000);
        return {monoNs(), selfCpuNs(), processCpuNs(dockerdPid_), api.value_or(0)};
    }

    static Json span(const Sample& a, const Sample& b)
    {
        const std::int64_t ns = b.mono - a.mono;
        Json j{{"seconds", double(ns) / 1e9},
               {"cpuMs", toMs(b.cpu - a.cpu)},
               {"cpuPercentOfCore", ns > 0 ? 100.0 * double(b.cpu - a.cpu) / double(ns) : 0.0},
               {"apiCalls", b.api - a.api},
               {"apiCallsPerMinute", ns > 0 ? double(b.api - a.api) * 60e9 / double(ns) : 0.0}};
        if (a.dockerd >= 0 && b.dockerd >= 0) {
            j["dockerdCpuMs"] = toMs(b.dockerd - a.dockerd);
            j["dockerdCpuPercentOfCore"] = ns > 0 ? 100.0 * double(b.dockerd - a.dockerd) / double(ns) : 0.0;
        }
        return j;
    }

    // ---- Where the burst's time went: each thread's time on a core and waiting for one (schedstat)
    // ----------

    struct SchedSample {
        std::map<std::string, SchedTimes> self;
        std::map<std::string, SchedTimes> dockerd;
        std::map<std::string, SchedTimes> driver;
    };

    SchedSample schedSample() const
    {
        return {threadSchedTimes(0),
                dockerdPid_ > 0 ? threadSchedTimes(dockerdPid_) : decltype(SchedSample::dockerd){},
                driverPid_ > 0 ? threadSchedTimes(driverPid_) : decltype(SchedSample::driver){}};
    }

    /// Our threads by role (the engine's and the server's by their thread names, "main" is the replica's and
    /// the view's), and dockerd's and the driver's threads summed.
    static Json schedReport(const SchedSample& a, const SchedSample& b)
    {
        static const std::map<std::string, std::string> roles{
            {"main", "main"}, {"dockscope-engin", "engine"}, {"dockscope-serve", "server"}};
        const auto times = [](const SchedTimes& t) {
            return Json{{"cpuMs", toMs(t.cpuNs)}, {"waitMs", toMs(t.waitNs)}};
        };
        const auto total = [](const std::map<std::string, SchedTimes>& span) {
            SchedTimes sum;
            for (const auto& [role, t] : span)
                sum += t;
            return sum;
        };
        std::map<std::string, SchedTimes> byRole;
        for (const auto& [name, t] : schedSpan(a.self, b.self)) {
            const auto role = roles.find(name);
            byRole[role != roles.end() ? role->second : "other"] += t;
        }
        Json out;
        for (const auto& [role, t] : byRole)
            out["threads"][role] = times(t);
        out["ours"] = times(total(byRole));
        out["dockerd"] = times(total(schedSpan(a.dockerd, b.dockerd)));
        out["driver"] = times(total(schedSpan(a.driver, b.driver)));
        return out;
    }

    // ---- Dockscope only: a new client's snapshot at each encoding
    // ------------------------------------------

    void measureSnapshots(DockscopeStrategy& dockscope)
    {
        struct Variant {
            const char* name;
            protocol::Encoding encoding;
            bool compress;
        };
        const Variant variants[] = {{"json", protocol::Encoding::Json, false},
                                    {"json+zstd", protocol::Encoding::Json, true},
                                    {"msgpack", protocol::Encoding::Msgpack, false},
                                    {"msgpack+zstd", protocol::Encoding::Msgpack, true}};
        Json out;
        for (const auto& variant : variants) {
            std::vector<double> ms;
            std::uint64_t bytes = 0;
            for (int i = 0; i < spec_.snapshotRepetitions; ++i) {
                client::Replica::Options options;
                options.url = dockscope.controller().url();
                options.token = dockscope.controller().token();
                options.encoding = variant.encoding;
                options.compress = variant.compress;
                options.reconnect = false;
                options.clientName = QStringLiteral("dockscope-bench-snapshot");
                auto replica = std::make_unique<client::Replica>(options);
                bool done = false;
                QObject::connect(replica.get(), &client::Replica::reset, [&] {
                    done = true;
                    wake();
                });
                const std::int64_t t0 = monoNs();
                replica->start();
                if (waitFor([&] { return done; }, 30000))
                    ms.push_back(toMs(monoNs() - t0));
                bytes = replica->stats().bytesReceived;
                replica->stop();
                replica.reset();
                spin(50);
            }
            std::sort(ms.begin(), ms.end());
            out[variant.name] = {{"medianMs", ms.empty() ? -1.0 : ms[ms.size() / 2]},
                                 {"minMs", ms.empty() ? -1.0 : ms.front()},
                                 {"maxMs", ms.empty() ? -1.0 : ms.back()},
                                 {"bytesReceived", bytes},
                                 {"repetitions", ms.size()}};
        }
        result_["snapshot"] = out;
    }

    // ---- the workload
    // --------------------------------------------------------------------------------------

    void onChanged(const std::vector<std::string>& keys)
    {
        const std::int64_t mono = monoNs();
        const std::int64_t wall = wallNs();
        lastChangeMono_ = mono;
        for (const auto& key : keys) {
            auto& seen = history_[key];
            seen.push_back({mono, wall, entityView(strategy_->view(), key)});
            if (seen.size() > 32)
                seen.pop_front();
            const auto pending = pendingByKey_.find(key);
            if (pending == pendingByKey_.end())
                continue;
            for (const int n : pending->second) {
                Op& op = ops_[n];
                if (op.shownMono < 0 && satisfied(strategy_->view(), op.expect))
                    markShown(op, mono, wall);
            }
            settle(pending);
        }
        wake();
    }

    /// The view is current as of `validFrom`: pending operations issued before then whose effect it shows
    /// are shown now, also when the entity did not change (an unpause after a pause the view never showed).
    void onRefreshed(std::int64_t validFrom)
    {
        const std::int64_t mono = monoNs();
        const std::int64_t wall = wallNs();
        refreshes_.push_back({validFrom, mono, wall});
        if (refreshes_.size() > 1024)
            refreshes_.pop_front();
        std::vector<std::string> keys;
        for (const auto& [key, list] : pendingByKey_) {
            bool any = false;
            for (const int n : list) {
                Op& op = ops_[n];
                if (op.shownMono < 0 && op.issued <= validFrom && satisfied(strategy_->view(), op.expect)) {
                    markShown(op, mono, wall);
                    any = true;
                }
            }
            if (any)
                keys.push_back(key);
        }
        for (const auto& key : keys)
            settle(pendingByKey_.find(key));
        wake();
    }

    /// Drops the operations of one entity shown by this change. Per aspect (a container's state, its name,
    /// one network attachment; an entity's presence), the ones before the last one shown that were not shown
    /// were overtaken (the view went past them); so were those that only look shown because a later
    /// operation restored the same value after an unshown one (start, stop, start: the first start).
    void settle(std::map<std::string, std::vector<int>>::iterator pending)
    {
        auto& list = pending->second;
        std::map<std::string, std::size_t> lastShown;
        for (std::size_t i = 0; i < list.size(); ++i)
            if (ops_[list[i]].shownMono >= 0)
                lastShown[aspect(ops_[list[i]].expect)] = i;
        if (lastShown.empty())
            return;
        std::vector<int> rest;
        for (std::size_t i = 0; i < list.size(); ++i) {
            Op& op = ops_[list[i]];
            const std::string a = aspect(op.expect);
            const auto last = lastShown.find(a);
            if (last == lastShown.end() || i > last->second) {
                if (op.shownMono < 0)
                    rest.push_back(list[i]);
                continue;
            }
            bool gap = op.shownMono < 0;
            for (std::size_t m = i + 1; m < last->second && !gap; ++m)
                gap = ops_[list[m]].shownMono < 0 && aspect(ops_[list[m]].expect) == a;
            if (gap) {
                op.shownMono = -1;
                op.clamped = false;
                op.superseded = true;
            }
        }
        if (rest.empty())
            pendingByKey_.erase(pending);
        else
            list = std::move(rest);
    }

    static std::string aspect(const Json& expect)
    {
        if (expect.contains("name"))
            return "name";
        if (expect.contains("attachedTo"))
            return "net:" + expect["attachedTo"].get<std::string>();
        return "state"; // a container's state or gone; an image tag's, volume's or network's presence
    }

    void markShown(Op& op, std::int64_t mono, std::int64_t wall)
    {
        op.shownMono = mono;
        op.shownWall = wall;
        if (mono < op.mono) {
            op.clamped = true;
            op.shownMono = op.mono;
        }
    }

    void onLine(const QByteArray& text)
    {
        Json line = Json::parse(text.toStdString(), nullptr, false);
        if (line.is_discarded() || !line.is_object())
            return;
        if (line.contains("eventNano")) {
            Op& op = ops_[line["op"].get<int>()];
            op.eventNano = line["eventNano"].get<std::int64_t>();
            op.eventSeenWall = line.value("eventSeen", std::int64_t{0});
        } else if (line.contains("expect")) {
            Op& op = ops_[line["op"].get<int>()];
            op.n = line["op"].get<int>();
            op.kind = line["kind"].get<std::string>();
            op.expect = line["expect"];
            op.key = expectationKey(op.expect);
            op.issued = line.value("issued", std::int64_t(0));
            op.mono = line["mono"].get<std::int64_t>();
            op.wall = line["wall"].get<std::int64_t>();
            op.burst = line["burst"].get<bool>();
            // The view may have shown it before the driver's line arrived: the first state of the entity
            // since the call was sent that satisfies the expectation.
            const auto seen = history_.find(op.key);
            if (seen != history_.end()) {
                for (const auto& entry : seen->second) {
                    if (entry.mono >= op.issued && satisfied(entry.entity, op.expect)) {
                        markShown(op, entry.mono, entry.wall);
                        break;
                    }
                }
            }
            if (op.shownMono < 0 && satisfied(strategy_->view(), op.expect)) {
                // Unchanged since before the call: shown by the first refresh that started after both.
                const std::int64_t since =
                    std::max(op.issued,
                             seen != history_.end() && !seen->second.empty() ? seen->second.back().mono : 0);
                for (const auto& refresh : refreshes_) {
                    if (refresh.validFrom >= since) {
                        markShown(op, refresh.mono, refresh.wall);
                        break;
                    }
                }
            }
            auto& list = pendingByKey_[op.key];
            list.push_back(op.n);
            settle(pendingByKey_.find(op.key));
        } else if (line.contains("burstStart")) {
            burstStart_ = line["burstStart"].get<std::int64_t>();
            burstSched_ = schedSample();
        } else if (line.contains("burstEnd")) {
            burstEnd_ = line["burstEnd"].get<std::int64_t>();
            if (burstSched_)
                result_["burstScheduling"] = schedReport(*burstSched_, schedSample());
        } else if (line.contains("done")) {
            driverSummary_ = line;
        }
    }

    int runWorkload()
    {
        QProcess driver;
        driver.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        bool exited = false;
        QObject::connect(&driver, &QProcess::readyReadStandardOutput, [&] {
            while (driver.canReadLine())
                onLine(driver.readLine());
        });
        QObject::connect(&driver, &QProcess::finished, [&] {
            exited = true;
            wake();
        });
        QObject::connect(&driver, &QProcess::errorOccurred, [&](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart) {
                exited = true;
                wake();
            }
        });
        const auto& d = spec_.driver;
        const QStringList args{
            QStringLiteral("--drive"), QStringLiteral("-H"),          QString::fromStdString(endpoint_.url()),
            QStringLiteral("--ops"),   QString::number(d.ops),        QStringLiteral("--burst"),
            QString::number(d.burst),  QStringLiteral("--in-flight"), QString::number(d.inFlight),
            QStringLiteral("--seed"),  QString::number(d.seed)};
        const Sample start = sample();
        driver.start(QCoreApplication::applicationFilePath(), args);
        driverPid_ = driver.processId();
        waitFor([&] { return exited; }, 4 * 3600 * 1000);
        while (driver.canReadLine())
            onLine(driver.readLine());
        if (driver.exitStatus() != QProcess::NormalExit || driver.exitCode() != 0 ||
            !driverSummary_.is_object())
            return fail("the workload driver failed (exit code " + std::to_string(driver.exitCode()) + ")");
        const Sample driverDone = sample();

        // The truth: fresh lists by a client of our own, after the driver has finished.
        docker::DockerClient truthClient(clientOptions(endpoint_));
        const auto c =
            await<std::vector<state::Container>>([&](auto cb) { truthClient.listContainers(nullptr, cb); });
        const auto i =
            await<std::vector<state::Image>>([&](auto cb) { truthClient.listImages(nullptr, cb); });
        const auto v =
            await<std::vector<state::Volume>>([&](auto cb) { truthClient.listVolumes(nullptr, cb); });
        const auto n =
            await<std::vector<state::Network>>([&](auto cb) { truthClient.listNetworks(nullptr, cb); });
        if (!c.ok() || !i.ok() || !v.ok() || !n.ok())
            return fail("cannot list the truth");
        const View truth = viewOf(*c, *i, *v, *n);
        std::int64_t convergedAt = -1;
        if (strategy_->view() == truth)
            convergedAt = std::max(lastChangeMono_, burstEnd_);
        else if (waitFor([&] { return strategy_->view() == truth; }, spec_.convergeTimeoutMs))
            convergedAt = lastChangeMono_;
        const Sample end = sample();

        Json w = span(start, end);
        w["driverSeconds"] = double(driverDone.mono - start.mono) / 1e9;
        w["driver"] = driverSummary_;
        w["apiCallsPerOp"] = ops_.empty() ? 0.0 : double(end.api - start.api) / double(ops_.size());
        w["burstSeconds"] = double(burstEnd_ - burstStart_) / 1e9;
        result_["workload"] = w;
        summarize(truth, convergedAt);
        return 0;
    }

    void summarize(const View& truth, std::int64_t convergedAt)
    {
        std::vector<double> all;
        std::vector<double> scripted;
        std::vector<double> burst;
        std::vector<double> fromEvent, delivery, deliveryBurst, afterDelivery, afterDeliveryBurst;
        int clamped = 0;
        int superseded = 0;
        int pending = 0;
        int burstOps = 0;
        std::map<std::string, int> neverShownByKind;
        std::map<std::string, std::vector<double>> byKind;
        for (const auto& [n, op] : ops_) {
            if (op.kind.empty())
                continue; // an event line without its operation (cannot happen with a well-behaved driver)
            burstOps += op.burst ? 1 : 0;
            if (op.shownMono < 0) {
                (op.superseded ? superseded : pending) += 1;
                ++neverShownByKind[op.kind];
                continue;
            }
            const double ms = toMs(op.shownMono - op.mono);
            all.push_back(ms);
            (op.burst ? burst : scripted).push_back(ms);
            byKind[op.kind].push_back(ms);
            clamped += op.clamped ? 1 : 0;
            if (op.eventNano > 0)
                fromEvent.push_back(std::max(0.0, toMs(op.shownWall - op.eventNano)));
            if (op.eventNano > 0 && op.eventSeenWall > 0) {
                (op.burst ? deliveryBurst : delivery)
                    .push_back(std::max(0.0, toMs(op.eventSeenWall - op.eventNano)));
                (op.burst ? afterDeliveryBurst : afterDelivery)
                    .push_back(std::max(0.0, toMs(op.shownWall - op.eventSeenWall)));
            }
        }
        result_["ops"] = {{"total", ops_.size()}, {"burst", burstOps}};
        if (!spec_.opsOut.isEmpty())
            writeOps();
        result_["latencyMs"] = {
            {"all", percentiles(all)}, {"scripted", percentiles(scripted)}, {"burst", percentiles(burst)}};
        result_["eventLatencyMs"] = percentiles(fromEvent);
        // The floor no client can go under: how late the events reach a reader that does nothing else.
        result_["eventDeliveryMs"] = {{"scripted", percentiles(delivery)},
                                      {"burst", percentiles(deliveryBurst)}};
        // The strategy's own part: from when that reader got the event to the view showing the effect.
        result_["afterDeliveryMs"] = {{"scripted", percentiles(afterDelivery)},
                                      {"burst", percentiles(afterDeliveryBurst)}};
        for (auto& [kind, samples] : byKind)
            result_["latencyMsByKind"][kind] = percentiles(std::move(samples));
        result_["clampedAtZero"] = clamped;
        result_["neverShown"] = {{"total", superseded + pending},
                                 {"overtaken", superseded},
                                 {"stillPending", pending},
                                 {"byKind", neverShownByKind}};
        result_["converged"] = convergedAt >= 0;
        result_["convergeMs"] = convergedAt >= 0 ? std::max(0.0, toMs(convergedAt - burstEnd_)) : -1.0;
        result_["equalToTruth"] = strategy_->view() == truth;
        if (!(strategy_->view() == truth))
            result_["difference"] = describeDifference(strategy_->view(), truth);
    }

    /// Every operation's times (ns; CLOCK_MONOTONIC and wall clock as named), for looking into the tail.
    void writeOps() const
    {
        std::ofstream file(spec_.opsOut.toStdString());
        for (const auto& [n, op] : ops_)
            file << Json{{"n", n},
                         {"kind", op.kind},
                         {"burst", op.burst},
                         {"doneMono", op.mono},
                         {"shownMono", op.shownMono},
                         {"eventNano", op.eventNano},
                         {"eventSeenWall", op.eventSeenWall},
                         {"shownWall", op.shownWall},
                         {"superseded", op.superseded},
                         {"expect", op.expect}}
                        .dump()
                 << '\n';
    }

    docker::Endpoint endpoint_;
    ObserverSpec spec_;
    qint64 dockerdPid_ = 0;
    std::unique_ptr<Strategy> strategy_;
    Json result_;
    bool synced_ = false;
    std::string error_;
    QEventLoop* loop_ = nullptr;
    std::function<bool()> condition_;

    std::map<int, Op> ops_;
    std::map<std::string, std::vector<int>> pendingByKey_;
    struct Seen {
        std::int64_t mono;
        std::int64_t wall;
        View entity; ///< the entity alone, as the view showed it then
    };
    std::map<std::string, std::deque<Seen>> history_; ///< key -> its last states in the view
    struct Refresh {
        std::int64_t validFrom;
        std::int64_t mono;
        std::int64_t wall;
    };
    std::deque<Refresh> refreshes_;
    std::int64_t lastChangeMono_ = 0;
    std::int64_t burstStart_ = 0;
    std::int64_t burstEnd_ = 0;
    Json driverSummary_;
    qint64 driverPid_ = 0;
    std::optional<SchedSample> burstSched_;
};

} // namespace

int observe(const docker::Endpoint& endpoint, const ObserverSpec& spec)
{
    Observer observer(endpoint, spec);
    return observer.run();
}

} // namespace dockscope::bench
