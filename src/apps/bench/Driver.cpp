#include "Driver.h"

#include "BenchUtil.h"
#include "Population.h"

#include "dockscope/docker/DockerClient.h"

#include <QEventLoop>
#include <QTimer>

#include <cstdio>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <tuple>

namespace dockscope::bench {

namespace {

using Json = nlohmann::json;
using EventKey = std::tuple<std::string, std::string, std::string>; ///< type, action, actor ("" for images)

/// What a finished operation reports: its kind, the effect a client must show, the event it causes.
struct Outcome {
    std::string kind;
    Json expect;
    EventKey event;
    std::int64_t issued = 0;     ///< CLOCK_MONOTONIC when the call was sent
    std::int64_t issuedWall = 0; ///< the same on CLOCK_REALTIME (events older than this are not its own)
};
using OutcomeCallback = std::function<void(std::optional<Outcome>)>;

struct WorkContainer {
    std::string id;
    std::string name;
    std::string state; ///< created, running, paused, exited
    std::set<std::string> extraNetworks;
};

struct WorkNetwork {
    std::string id;
    std::string name;
    int attached = 0;
};

void writeLine(const Json& line)
{
    const std::string text = line.dump() + '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

class Driver {
public:
    Driver(const docker::Endpoint& endpoint, const DriverSpec& spec)
        : spec_(spec)
        , client_(clientOptions(endpoint, std::max(4, spec.inFlight)))
        , random_(spec.seed)
    {}

    int run()
    {
        if (!await<docker::ApiVersion>([&](auto cb) { client_.negotiate(nullptr, cb); }).ok()) {
            std::fprintf(stderr, "dockscope-bench driver: cannot reach Docker\n");
            return 1;
        }
        const auto image =
            await<state::Image>([&](auto cb) { client_.inspectImage(kTestImage, nullptr, cb); });
        if (!image.ok())
            return 1;
        imageId_ = image->id;
        if (!openEvents())
            return 1;

        // The work network the scripted containers live on (connect and disconnect need a bridge network).
        runOne([this](OutcomeCallback done) { createNetwork(done); });
        if (networks_.empty())
            return 1;
        for (int i = 0; i < spec_.ops; ++i) {
            runOne([this](OutcomeCallback done) { scriptedOp(done); });
            std::uniform_int_distribution<int> gap(spec_.gapMinMs, std::max(spec_.gapMinMs, spec_.gapMaxMs));
            sleepMs(gap(random_));
        }
        runBurst();
        sleepMs(500); // the last events
        std::size_t unmatched = 0;
        for (const auto& [key, ops] : waiting_)
            unmatched += ops.size();
        writeLine({{"done", true}, {"ops", opCount_}, {"failed", failed_}, {"unmatched", unmatched}});
        return 0;
    }

private:
    bool openEvents()
    {
        stream_ = client_.events({});
        QEventLoop loop;
        bool ok = false;
        QObject::connect(stream_, &docker::DockerStream::started, &loop, [&] {
            ok = true;
            loop.quit();
        });
        QObject::connect(stream_, &docker::DockerStream::finished, &loop, [&] { loop.quit(); });
        QObject::connect(stream_, &docker::DockerStream::event, stream_,
                         [this](const state::DockerEvent& event) { onEvent(event); });
        loop.exec();
        return ok;
    }

    void onEvent(const state::DockerEvent& event)
    {
        std::string actor = event.type == "image" ? std::string() : event.actorId;
        if (event.type == "network" && (event.action == "connect" || event.action == "disconnect")) {
            const auto container = event.attributes.find("container");
            actor += "/" + (container != event.attributes.end() ? container->second : std::string());
        }
        const EventKey key{event.type, event.action, actor};
        auto waiting = waiting_.find(key);
        if (waiting != waiting_.end() && !waiting->second.empty()) {
            writeLine(
                {{"op", waiting->second.front()}, {"eventNano", event.timeNano}, {"eventSeen", wallNs()}});
            waiting->second.pop_front();
            if (waiting->second.empty())
                waiting_.erase(waiting);
            return;
        }
        unclaimed_[key].push_back({event.timeNano, wallNs()});
    }

    void report(const Outcome& outcome, bool burst)
    {
        const int op = ++opCount_;
        lastMono_ = monoNs();
        writeLine({{"op", op},
                   {"kind", outcome.kind},
                   {"expect", outcome.expect},
                   {"issued", outcome.issued},
                   {"mono", lastMono_},
                   {"wall", wallNs()},
                   {"burst", burst}});
        // Events of the same kind before the call was sent are someone else's (a stop's disconnect, ...).
        auto seen = unclaimed_.find(outcome.event);
        while (seen != unclaimed_.end() && !seen->second.empty() &&
               seen->second.front().first < outcome.issuedWall)
            seen->second.pop_front();
        if (seen != unclaimed_.end() && !seen->second.empty()) {
            const auto [timeNano, seenWall] = seen->second.front();
            writeLine({{"op", op}, {"eventNano", timeNano}, {"eventSeen", seenWall}});
            seen->second.pop_front();
        } else {
            waiting_[outcome.event].push_back(op);
        }
    }

    /// Runs one operation and waits for it (the events stream keeps flowing meanwhile).
    void runOne(const std::function<void(OutcomeCallback)>& op)
    {
        QEventLoop loop;
        bool finished = false;
        op([&](std::optional<Outcome> outcome) {
            if (outcome)
                report(*outcome, false);
            finished = true;
            loop.quit();
        });
        if (!finished)
            loop.exec();
    }

    static void sleepMs(int ms)
    {
        QEventLoop loop;
        QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
        loop.exec();
    }

    template <typename T>
    bool check(const docker::Result<T>& result, const std::string& what)
    {
        if (result.ok())
            return true;
        ++failed_;
        std::fprintf(stderr, "dockscope-bench driver: %s: %s\n", what.c_str(),
                     result.error().describe().c_str());
        return false;
    }

    template <typename Pred>
    WorkContainer* pick(Pred pred)
    {
        std::vector<WorkContainer*> candidates;
        for (auto& c : containers_)
            if (pred(c))
                candidates.push_back(&c);
        if (candidates.empty())
            return nullptr;
        return candidates[std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(random_)];
    }

    /// Stamps the outcome with the time the operation's call is sent (now).
    static OutcomeCallback stamped(OutcomeCallback done)
    {
        const std::int64_t issued = monoNs();
        const std::int64_t issuedWall = wallNs();
        return [issued, issuedWall, done = std::move(done)](std::optional<Outcome> outcome) {
            if (outcome) {
                outcome->issued = issued;
                outcome->issuedWall = issuedWall;
            }
            done(std::move(outcome));
        };
    }

    // ---- operations
    // ----------------------------------------------------------------------------------------

    void createContainer(bool onNetwork, OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const std::string name = "bench-work-c" + std::to_string(++seq_);
        const std::string mode = onNetwork ? networks_.front().name : std::string("none");
        client_.createContainer(
            name, containerConfig("benchwork", "svc" + std::to_string(seq_ % 3), "work", mode), nullptr,
            [this, name, done](docker::Result<std::string> id) {
                if (!check(id, "create " + name))
                    return done(std::nullopt);
                containers_.push_back({*id, name, "created", {}});
                done(Outcome{
                    "create", {{"container", *id}, {"state", "created"}}, {"container", "create", *id}});
            });
    }

    void setState(WorkContainer* c, const std::string& kind, OutcomeCallback done)
    {
        done = stamped(std::move(done));
        static const std::map<std::string, std::pair<std::string, std::string>> effects{
            {"start", {"running", "start"}},
            {"stop", {"exited", "die"}},
            {"pause", {"paused", "pause"}},
            {"unpause", {"running", "unpause"}}};
        const auto& [state, action] = effects.at(kind);
        const std::string id = c->id;
        auto finish = [this, id, kind, state = state, action = action, done](docker::Result<docker::Done> r) {
            if (!check(r, kind + " " + id))
                return done(std::nullopt);
            for (auto& w : containers_)
                if (w.id == id)
                    w.state = state;
            done(Outcome{kind, {{"container", id}, {"state", state}}, {"container", action, id}});
        };
        if (kind == "start")
            client_.startContainer(id, nullptr, finish);
        else if (kind == "stop")
            client_.stopContainer(id, 0, nullptr, finish);
        else if (kind == "pause")
            client_.pauseContainer(id, nullptr, finish);
        else
            client_.unpauseContainer(id, nullptr, finish);
    }

    void rename(const std::string& id, OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const std::string name = "bench-work-r" + std::to_string(++seq_);
        client_.renameContainer(id, name, nullptr, [this, id, name, done](docker::Result<docker::Done> r) {
            if (!check(r, "rename " + id))
                return done(std::nullopt);
            for (auto& w : containers_)
                if (w.id == id)
                    w.name = name;
            done(Outcome{"rename", {{"container", id}, {"name", name}}, {"container", "rename", id}});
        });
    }

    void remove(const std::string& id, OutcomeCallback done)
    {
        done = stamped(std::move(done));
        client_.removeContainer(id, true, false, nullptr, [this, id, done](docker::Result<docker::Done> r) {
            if (!check(r, "remove " + id))
                return done(std::nullopt);
            for (auto it = containers_.begin(); it != containers_.end(); ++it) {
                if (it->id != id)
                    continue;
                for (auto& n : networks_)
                    n.attached -= int(it->extraNetworks.count(n.name));
                containers_.erase(it);
                break;
            }
            done(Outcome{"remove", {{"container", id}, {"gone", true}}, {"container", "destroy", id}});
        });
    }

    void tag(OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const std::string tagName = std::to_string(++seq_);
        const std::string ref = "bench-work/t:" + tagName;
        client_.tagImage(
            kTestImage, "bench-work/t", tagName, nullptr, [this, ref, done](docker::Result<docker::Done> r) {
                if (!check(r, "tag " + ref))
                    return done(std::nullopt);
                tags_.push_back(ref);
                done(Outcome{
                    "tag", {{"tag", ref}, {"image", imageId_}, {"present", true}}, {"image", "tag", ""}});
            });
    }

    void untag(OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const auto index = std::uniform_int_distribution<std::size_t>(0, tags_.size() - 1)(random_);
        const std::string ref = tags_[index];
        tags_.erase(tags_.begin() + std::ptrdiff_t(index));
        client_.removeImage(ref, false, true, nullptr, [this, ref, done](docker::Result<Json> r) {
            if (!check(r, "untag " + ref))
                return done(std::nullopt);
            done(Outcome{"untag", {{"tag", ref}, {"present", false}}, {"image", "untag", ""}});
        });
    }

    void createVolume(OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const std::string name = "bench-work-v" + std::to_string(++seq_);
        client_.createVolume(name, "local", {{"dockscope.bench", "work"}}, nullptr,
                             [this, name, done](docker::Result<state::Volume> r) {
                                 if (!check(r, "volume create " + name))
                                     return done(std::nullopt);
                                 volumes_.push_back(name);
                                 done(Outcome{"volume create",
                                              {{"volume", name}, {"present", true}},
                                              {"volume", "create", name}});
                             });
    }

    void removeVolume(OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const auto index = std::uniform_int_distribution<std::size_t>(0, volumes_.size() - 1)(random_);
        const std::string name = volumes_[index];
        volumes_.erase(volumes_.begin() + std::ptrdiff_t(index));
        client_.removeVolume(name, false, nullptr, [this, name, done](docker::Result<docker::Done> r) {
            if (!check(r, "volume remove " + name))
                return done(std::nullopt);
            done(Outcome{
                "volume remove", {{"volume", name}, {"present", false}}, {"volume", "destroy", name}});
        });
    }

    void createNetwork(OutcomeCallback done)
    {
        done = stamped(std::move(done));
        docker::NetworkSpec spec;
        spec.name = "bench-work-n" + std::to_string(++seq_);
        spec.labels = {{"dockscope.bench", "work"}};
        spec.subnet = "10.250." + std::to_string(++networkSeq_ % 250) + ".0/24";
        client_.createNetwork(spec, nullptr, [this, name = spec.name, done](docker::Result<std::string> id) {
            if (!check(id, "network create " + name))
                return done(std::nullopt);
            networks_.push_back({*id, name, 0});
            done(
                Outcome{"network create", {{"network", *id}, {"present", true}}, {"network", "create", *id}});
        });
    }

    void removeNetwork(const WorkNetwork& network, OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const std::string id = network.id;
        networks_.erase(
            std::find_if(networks_.begin(), networks_.end(), [&](auto& n) { return n.id == id; }));
        client_.removeNetwork(id, nullptr, [this, id, done](docker::Result<docker::Done> r) {
            if (!check(r, "network remove " + id))
                return done(std::nullopt);
            done(
                Outcome{"network remove", {{"network", id}, {"present", false}}, {"network", "destroy", id}});
        });
    }

    void connectNetwork(WorkContainer* c, WorkNetwork* n, bool attach, OutcomeCallback done)
    {
        done = stamped(std::move(done));
        const std::string id = c->id;
        const std::string net = n->name;
        const std::string netId = n->id;
        auto finish = [this, id, net, netId, attach, done](docker::Result<docker::Done> r) {
            if (!check(r, (attach ? "connect " : "disconnect ") + id))
                return done(std::nullopt);
            for (auto& w : containers_)
                if (w.id == id)
                    attach ? (void)w.extraNetworks.insert(net) : (void)w.extraNetworks.erase(net);
            for (auto& w : networks_)
                if (w.id == netId)
                    w.attached += attach ? 1 : -1;
            done(Outcome{attach ? "connect" : "disconnect",
                         {{"container", id}, {"attachedTo", net}, {"attached", attach}},
                         {"network", attach ? "connect" : "disconnect", netId + "/" + id}});
        };
        if (attach)
            client_.connectNetwork(netId, id, nullptr, finish);
        else
            client_.disconnectNetwork(netId, id, false, nullptr, finish);
    }

    /// One operation of the scripted part, drawn (seeded) among those possible in the current state.
    void scriptedOp(OutcomeCallback done)
    {
        std::vector<std::pair<double, std::function<void()>>> choices;
        const auto add = [&](double weight, bool possible, std::function<void()> op) {
            if (possible)
                choices.emplace_back(weight, std::move(op));
        };
        const auto state = [](const char* s) { return [s](const WorkContainer& c) { return c.state == s; }; };
        auto* created =
            pick([](const WorkContainer& c) { return c.state == "created" || c.state == "exited"; });
        auto* running = pick(state("running"));
        auto* paused = pick(state("paused"));
        auto* any = pick([](const WorkContainer&) { return true; });
        auto* connected =
            pick([](const WorkContainer& c) { return c.state == "running" && !c.extraNetworks.empty(); });
        std::vector<WorkNetwork*> extra;
        for (std::size_t i = 1; i < networks_.size(); ++i)
            extra.push_back(&networks_[i]);
        WorkNetwork* freeNet = nullptr;
        for (auto* n : extra)
            if (n->attached == 0)
                freeNet = n;
        WorkNetwork* connectable = nullptr;
        if (running)
            for (auto* n : extra)
                if (running->extraNetworks.count(n->name) == 0)
                    connectable = n;

        add(3, containers_.size() < 30, [=, this] { createContainer(true, done); });
        add(3, created, [=, this] { setState(created, "start", done); });
        add(2, running, [=, this] { setState(running, "stop", done); });
        add(1.5, running, [=, this] { setState(running, "pause", done); });
        add(2, paused, [=, this] { setState(paused, "unpause", done); });
        add(2, any, [=, this] { rename(any->id, done); });
        add(1.5, any && containers_.size() > 5, [=, this] { remove(any->id, done); });
        add(2, true, [=, this] { tag(done); });
        add(1.5, !tags_.empty(), [=, this] { untag(done); });
        add(1.5, true, [=, this] { createVolume(done); });
        add(1, !volumes_.empty(), [=, this] { removeVolume(done); });
        add(1, extra.size() < 6, [=, this] { createNetwork(done); });
        add(0.7, freeNet && extra.size() > 2, [=, this] { removeNetwork(*freeNet, done); });
        add(1.2, running && connectable, [=, this] { connectNetwork(running, connectable, true, done); });
        add(1.2, connected, [=, this] {
            WorkNetwork* net = nullptr;
            for (auto& n : networks_)
                if (connected->extraNetworks.count(n.name))
                    net = &n;
            connectNetwork(connected, net, false, done);
        });
        double total = 0;
        for (const auto& [w, op] : choices)
            total += w;
        double r = std::uniform_real_distribution<double>(0, total)(random_);
        for (const auto& [w, op] : choices) {
            if ((r -= w) <= 0 || &op == &choices.back().second)
                return op();
        }
    }

    /// The burst: chains (create + rename, create + remove, volume create, tag), several in flight, as fast
    /// as Docker answers; each chain's operations run one after the other.
    void runBurst()
    {
        writeLine({{"burstStart", monoNs()}});
        std::vector<Task> chains;
        int planned = 0;
        for (int i = 0; planned < spec_.burst; ++i) {
            const int kind = i % 4;
            planned += kind < 2 ? 2 : 1;
            chains.push_back([this, kind](std::function<void()> finished) {
                const auto reportBurst = [this](const std::optional<Outcome>& outcome) {
                    if (outcome)
                        report(*outcome, true);
                };
                if (kind == 2)
                    return createVolume([=](auto o) { reportBurst(o), finished(); });
                if (kind == 3)
                    return tag([=](auto o) { reportBurst(o), finished(); });
                createContainer(false, [=, this](std::optional<Outcome> created) {
                    reportBurst(created);
                    if (!created)
                        return finished();
                    const std::string id = created->expect["container"];
                    const auto second = [=](auto o) { reportBurst(o), finished(); };
                    if (kind == 0)
                        rename(id, second);
                    else
                        remove(id, second);
                });
            });
        }
        runConcurrently(std::move(chains), spec_.inFlight);
        writeLine({{"burstEnd", lastMono_}, {"ops", opCount_}});
    }

    DriverSpec spec_;
    docker::DockerClient client_;
    std::mt19937 random_;
    docker::DockerStream* stream_ = nullptr;
    std::string imageId_;
    std::vector<WorkContainer> containers_;
    std::vector<WorkNetwork> networks_;
    std::vector<std::string> tags_;
    std::vector<std::string> volumes_;
    int seq_ = 0;
    int networkSeq_ = 0;
    int opCount_ = 0;
    int failed_ = 0;
    std::int64_t lastMono_ = 0;
    /// Events no operation has claimed yet: (timeNano, when this process read it, wall ns).
    std::map<EventKey, std::deque<std::pair<std::int64_t, std::int64_t>>> unclaimed_;
    std::map<EventKey, std::deque<int>> waiting_;
};

} // namespace

int drive(const docker::Endpoint& endpoint, const DriverSpec& spec)
{
    Driver driver(endpoint, spec);
    return driver.run();
}

} // namespace dockscope::bench
