// The engine worker, one case per Docker operation, each against a private dockerd of its own: after the
// operation, the batches committed since a mark hold exactly the expected changes (kind, op, id and, for an
// update, the top-level fields that must have changed), touch nothing else (bystanders made in SetUp, the
// test image, the "none" network, the engine entity), and the mirror ends equal to the engine's truth.
//
// A case is data: prepare (make what the operation needs; the mirror must then equal the truth), act (one
// operation through the DockerClient; or nothing, when the change comes by itself), the expected changes,
// and optionally a condition on the mirror to wait for and a check of the changes' sequence.
#include "engine/WorkerFixture.h"

#include "dockscope/docker/HttpRequest.h"
#include "dockscope/state/StateChange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <utility>

using namespace dockscope;
using namespace dockscope::test;
using docker::Done;
using state::ChangeOp;
using state::EntityKind;

namespace {

/// A change the operation must make to one entity. Several changes to the entity after the mark count as one:
/// created (the first is `created`), removed (the last is `removed`) or updated (all are `updated`, and
/// `fields` are among the top-level fields of their diffs; others may change too).
struct ExpectedChange {
    EntityKind kind = EntityKind::Container;
    ChangeOp op = ChangeOp::Updated;
    std::string id;
    std::set<std::string> fields;
    /// May be absent (its op is still checked when present): whether it changes depends on how the engine's
    /// events fall into flushes, e.g. the engine's counts during a restart.
    bool optional = false;
    /// No other top-level field may change either.
    bool onlyThese = false;
};

class EngineOperationsTest;

struct OperationCase {
    std::string name;
    std::function<void(EngineOperationsTest&)> prepare;
    std::function<void(EngineOperationsTest&)> act;
    std::function<std::vector<ExpectedChange>(const EngineOperationsTest&)> expected;
    /// Optional: a condition on the mirror to wait for as well (the end of a restart loop).
    std::function<bool(const EngineOperationsTest&)> until = nullptr;
    /// Optional: a check of the changes after the mark, in order; a description of what is wrong, or empty.
    std::function<std::string(const EngineOperationsTest&, const std::vector<state::StateChange>&)> check =
        nullptr;
};

void PrintTo(const OperationCase& c, std::ostream* os)
{
    *os << c.name;
}

/// What happened to one entity after the mark: its ops in order and the union of its diffs' top-level keys.
struct Touched {
    std::vector<ChangeOp> ops;
    std::set<std::string> fields;

    ChangeOp net() const
    {
        if (ops.front() == ChangeOp::Created)
            return ChangeOp::Created;
        return ops.back() == ChangeOp::Removed ? ChangeOp::Removed : ChangeOp::Updated;
    }
    /// Empty when the ops agree with net(): only updates between a creation or before a removal.
    std::string anomaly() const
    {
        for (std::size_t i = 0; i < ops.size(); ++i) {
            const bool edge = (i == 0 && ops[i] == ChangeOp::Created) ||
                              (i + 1 == ops.size() && ops[i] == ChangeOp::Removed);
            if (!edge && ops[i] != ChangeOp::Updated)
                return "op " + std::string(state::toString(ops[i])) + " at position " + std::to_string(i);
        }
        if (ops.size() > 1 && ops.front() == ChangeOp::Created && ops.back() == ChangeOp::Removed)
            return "created and removed again";
        return {};
    }
};

using EntityKey = std::pair<EntityKind, std::string>;

const std::string kEngine{state::kEngineId};
const std::string kTestImage = "dockscope-test/busybox:latest";
const state::Labels kTargetLabels{{"dockscope.target", "1"}};
const docker::Filters kTargetFilter{{"label", {"dockscope.target=1"}}};

class EngineOperationsTest : public WorkerFixture, public ::testing::WithParamInterface<OperationCase> {
public:
    EngineOperationsTest()
        : WorkerFixture("op", 42)
    {}

    void SetUp() override
    {
        WorkerFixture::SetUp();
        if (HasFatalFailure())
            return;
        // Bystanders: no operation of a case may touch them.
        ids["bystander running"] = run({"sleep", "300"});
        ids["bystander created"] = run({"sleep", "300"}, false);
        makeVolume("bystander volume", {});
        makeNetwork("bystander network", {});
        const auto image =
            await<state::Image>([&](auto cb) { client->inspectImage(kTestImage, nullptr, cb); });
        ASSERT_TRUE(image.ok());
        ids["test image"] = image->id;
        const auto networks =
            await<std::vector<state::Network>>([&](auto cb) { client->listNetworks(nullptr, cb); });
        ASSERT_TRUE(networks.ok());
        for (const auto& n : *networks)
            if (n.name == "none")
                ids["none network"] = n.id;
        ASSERT_TRUE(ids.count("none network"));
        startWorker();
    }

    const std::string& id(const std::string& role) const { return ids.at(role); }

    /// Creates a container labelled as a target (and starts it); its id under `role`.
    void makeContainer(const std::string& role, nlohmann::json config, bool start)
    {
        config["Labels"]["dockscope.target"] = "1";
        const auto created = await<std::string>(
            [&](auto cb) { client->createContainer(uniqueName("t"), config, nullptr, cb); });
        ASSERT_TRUE(created.ok()) << created.error().describe();
        ids[role] = *created;
        if (start) {
            ASSERT_TRUE(ok(await<Done>([&](auto cb) { client->startContainer(*created, nullptr, cb); })));
        }
    }
    /// The usual target: a busybox container running `command`, on no network.
    void makeTarget(const std::vector<std::string>& command, bool start)
    {
        makeContainer("target", busyboxConfig(command), start);
    }

    void makeVolume(const std::string& role, const state::Labels& labels)
    {
        const std::string name = uniqueName("v");
        ASSERT_TRUE(
            ok(await<state::Volume>([&](auto cb) { client->createVolume(name, "", labels, nullptr, cb); })));
        ids[role] = name;
    }

    void makeNetwork(const std::string& role, const state::Labels& labels)
    {
        docker::NetworkSpec spec;
        spec.name = uniqueName("n");
        spec.internal = true; // no bridge to the outside (the engine runs with --bridge=none, no iptables)
        spec.labels = labels;
        const auto created = await<std::string>([&](auto cb) { client->createNetwork(spec, nullptr, cb); });
        ASSERT_TRUE(created.ok()) << created.error().describe();
        ids[role] = *created;
        names[role] = spec.name;
    }

    /// An image of its own (its own id, a child of the test image): the commit of a container made for it,
    /// which is removed again. `tags` ("repo:tag") may be empty: a dangling image.
    void makeImage(const std::string& role, const std::vector<std::string>& tags)
    {
        const auto helper = await<std::string>([&](auto cb) {
            client->createContainer(uniqueName("commit"), busyboxConfig({"true"}), nullptr, cb);
        });
        ASSERT_TRUE(helper.ok());
        auto request = docker::HttpRequest::post("/commit");
        request.arg("container", QByteArray::fromStdString(*helper)).flag("pause", false);
        if (!tags.empty()) {
            const auto colon = tags.front().rfind(':');
            request.arg("repo", QByteArray::fromStdString(tags.front().substr(0, colon)))
                .arg("tag", QByteArray::fromStdString(tags.front().substr(colon + 1)));
        }
        const auto committed =
            await<docker::HttpResponse>([&](auto cb) { client->send(request, nullptr, cb); });
        ASSERT_TRUE(committed.ok()) << committed.error().describe();
        ids[role] = nlohmann::json::parse(committed->body.toStdString()).at("Id").get<std::string>();
        for (std::size_t i = 1; i < tags.size(); ++i)
            ASSERT_TRUE(tag(ids[role], tags[i]));
        ASSERT_TRUE(
            ok(await<Done>([&](auto cb) { client->removeContainer(*helper, true, false, nullptr, cb); })));
    }

    bool tag(const std::string& ref, const std::string& repoTag)
    {
        const auto colon = repoTag.rfind(':');
        return ok(await<Done>([&](auto cb) {
            client->tagImage(ref, repoTag.substr(0, colon), repoTag.substr(colon + 1), nullptr, cb);
        }));
    }

    /// Waits until the mirror equals the truth: what prepare made is mirrored, nothing of it still pending.
    void waitMirrored()
    {
        std::string diff;
        ASSERT_TRUE(waitFor(
            [&] {
                const auto truth = engineTruth(*client);
                diff = truth ? differences(worker->state(), *truth) : "engine did not answer";
                return diff.empty();
            },
            15s))
            << "prepare was not mirrored: " << diff;
    }

    /// Every change committed after version `since`, in order.
    std::vector<state::StateChange> changesSince(std::uint64_t since) const
    {
        std::vector<state::StateChange> out;
        for (const auto& b : batches)
            if (b->from >= since)
                out.insert(out.end(), b->changes.begin(), b->changes.end());
        return out;
    }

    /// What is wrong with `changes` against `expected`, or empty. Changes to entities not expected count only
    /// when `exact`.
    std::string mismatch(const std::vector<ExpectedChange>& expected,
                         const std::vector<state::StateChange>& changes, bool exact) const
    {
        std::map<EntityKey, Touched> touched;
        for (const auto& c : changes) {
            auto& t = touched[{c.kind, c.id}];
            t.ops.push_back(c.op);
            if (c.op == ChangeOp::Updated && c.diff.is_object())
                for (const auto& [key, value] : c.diff.items())
                    t.fields.insert(key);
        }
        std::string out;
        std::set<EntityKey> allowed;
        for (const auto& e : expected) {
            allowed.insert({e.kind, e.id});
            const auto it = touched.find({e.kind, e.id});
            if (it == touched.end()) {
                if (!e.optional)
                    out += "missing: " + describe(e.kind, e.id) + ' ' + std::string(state::toString(e.op)) +
                           '\n';
                continue;
            }
            const Touched& t = it->second;
            if (const auto anomaly = t.anomaly(); !anomaly.empty())
                out += describe(e.kind, e.id) + ": " + anomaly + '\n';
            if (t.net() != e.op)
                out += describe(e.kind, e.id) + ": " + std::string(state::toString(t.net())) +
                       " instead of " + std::string(state::toString(e.op)) + '\n';
            else if (e.op == ChangeOp::Updated) {
                for (const auto& field : e.fields)
                    if (!e.optional && !t.fields.count(field))
                        out += describe(e.kind, e.id) + ": field " + field +
                               " did not change (changed:" + join(t.fields) + ")\n";
                for (const auto& field : t.fields)
                    if (e.onlyThese && !e.fields.count(field))
                        out += describe(e.kind, e.id) + ": field " + field + " changed too\n";
            }
        }
        if (exact)
            for (const auto& [key, t] : touched)
                if (!allowed.count(key))
                    out += "unexpected change: " + describe(key.first, key.second) + ' ' +
                           std::string(state::toString(t.net())) + join(t.fields) + '\n';
        return out;
    }

    /// "container 1f2e… (target)": the role makes a failure readable.
    std::string describe(EntityKind kind, const std::string& entity) const
    {
        std::string out = std::string(state::toString(kind)) + ' ' + entity.substr(0, 19);
        for (const auto& [role, value] : ids)
            if (value == entity)
                out += " (" + role + ')';
        return out;
    }

    static std::string join(const std::set<std::string>& fields)
    {
        std::string out;
        for (const auto& f : fields)
            out += ' ' + f;
        return out;
    }

    template <typename T>
    static bool ok(const docker::Result<T>& result)
    {
        EXPECT_TRUE(result.ok()) << (result.ok() ? std::string() : result.error().describe());
        return result.ok();
    }

    std::map<std::string, std::string> ids;   ///< role → id (a volume's name)
    std::map<std::string, std::string> names; ///< role → name, for networks
};

// --- The cases
// ------------------------------------------------------------------------------------------------

ExpectedChange updated(EntityKind kind, std::string id, std::set<std::string> fields)
{
    return {kind, ChangeOp::Updated, std::move(id), std::move(fields), false, false};
}
ExpectedChange created(EntityKind kind, std::string id)
{
    return {kind, ChangeOp::Created, std::move(id), {}, false, false};
}
ExpectedChange removed(EntityKind kind, std::string id)
{
    return {kind, ChangeOp::Removed, std::move(id), {}, false, false};
}
/// The engine entity: only its counts (derived) move with an operation.
ExpectedChange engineCounts()
{
    auto e = updated(EntityKind::Engine, kEngine, {"counts"});
    e.onlyThese = true;
    return e;
}
ExpectedChange target(const EngineOperationsTest& t, std::set<std::string> fields)
{
    return updated(EntityKind::Container, t.id("target"), std::move(fields));
}

using T = EngineOperationsTest;

// The derived fields a container of the test image on the "none" network moves when it appears or goes.
std::vector<ExpectedChange> containerAppearsOrGoes(const T& t, ChangeOp op)
{
    return {{EntityKind::Container, op, t.id("target"), {}, false, false},
            updated(EntityKind::Image, t.id("test image"), {"containers"}),
            updated(EntityKind::Network, t.id("none network"), {"containers"}),
            engineCounts()};
}

/// The entity's first change is its creation from the event alone (`missing` still empty, `present` set); a
/// later update fills `missing` from its inspect. A description of what is wrong, or empty.
std::string shownFromTheEventFirst(const std::vector<state::StateChange>& changes, const std::string& id,
                                   const std::string& missing, const std::string& present)
{
    const auto first =
        std::find_if(changes.begin(), changes.end(), [&](const auto& c) { return c.id == id; });
    if (first == changes.end() || first->op != ChangeOp::Created)
        return "the first change is not the creation";
    if (first->value.value(missing, std::string()) != "" || first->value.value(present, std::string()) == "")
        return "not created from the event: " + first->value.dump();
    const bool completed = std::any_of(first + 1, changes.end(), [&](const auto& c) {
        return c.id == id && c.op == ChangeOp::Updated && c.diff.value(missing, std::string()) != "";
    });
    return completed ? std::string() : "the inspect never completed it";
}

nlohmann::json onNetwork(const std::string& network)
{
    auto config = busyboxConfig({"sleep", "300"});
    config["HostConfig"]["NetworkMode"] = network;
    return config;
}

std::vector<OperationCase> operationCases()
{
    const auto sleeper = std::vector<std::string>{"sleep", "300"};
    const auto startTarget = [](T& t) {
        EXPECT_TRUE(t.act([&](auto cb) { t.client->startContainer(t.id("target"), nullptr, cb); }));
    };
    const auto nothing = [](T&) {};
    return {
        {"ContainerCreate", nothing,
         [](T& t) {
             const auto id = await<std::string>([&](auto cb) {
                 t.client->createContainer(uniqueName("t"), busyboxConfig({"sleep", "300"}), nullptr, cb);
             });
             ASSERT_TRUE(T::ok(id));
             t.ids["target"] = *id;
         },
         [](const T& t) { return containerAppearsOrGoes(t, ChangeOp::Created); }, nullptr,
         // Shown first as the create event describes it (name, image, no image id yet), then completed by
         // its inspect.
         [](const T& t, const std::vector<state::StateChange>& changes) {
             return shownFromTheEventFirst(changes, t.id("target"), "imageId", "image");
         }},

        {"ContainerStart", [sleeper](T& t) { t.makeTarget(sleeper, false); }, startTarget,
         [](const T& t) {
             return std::vector{target(t, {"state", "startedAt"}), engineCounts()};
         }},

        {"ContainerStop", [sleeper](T& t) { t.makeTarget(sleeper, true); },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) { t.client->stopContainer(t.id("target"), 0, nullptr, cb); }));
         },
         [](const T& t) {
             return std::vector{target(t, {"state", "exitCode", "finishedAt"}), engineCounts()};
         }},

        {"ContainerKill", [sleeper](T& t) { t.makeTarget(sleeper, true); },
         [](T& t) {
             EXPECT_TRUE(
                 t.act([&](auto cb) { t.client->killContainer(t.id("target"), "SIGKILL", nullptr, cb); }));
         },
         [](const T& t) {
             return std::vector{target(t, {"state", "exitCode", "finishedAt"}), engineCounts()};
         }},

        // The command exits by itself two seconds after the start, after the mark: no client call at all.
        {"ContainerDiesByItself",
         [](T& t) {
             t.makeTarget({"sh", "-c", "sleep 2; exit 3"}, true);
         },
         nothing,
         [](const T& t) {
             return std::vector{target(t, {"state", "exitCode", "finishedAt"}), engineCounts()};
         },
         [](const T& t) { return t.container(t.id("target")).exitCode == 3; }},

        {"ContainerPause", [sleeper](T& t) { t.makeTarget(sleeper, true); },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) { t.client->pauseContainer(t.id("target"), nullptr, cb); }));
         },
         [](const T& t) {
             return std::vector{target(t, {"state"}), engineCounts()};
         }},

        {"ContainerUnpause",
         [sleeper](T& t) {
             t.makeTarget(sleeper, true);
             EXPECT_TRUE(t.act([&](auto cb) { t.client->pauseContainer(t.id("target"), nullptr, cb); }));
         },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) { t.client->unpauseContainer(t.id("target"), nullptr, cb); }));
         },
         [](const T& t) {
             return std::vector{target(t, {"state"}), engineCounts()};
         }},

        {"ContainerRename", [sleeper](T& t) { t.makeTarget(sleeper, true); },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) {
                 t.client->renameContainer(t.id("target"), uniqueName("renamed"), nullptr, cb);
             }));
         },
         [](const T& t) { return std::vector{target(t, {"name"})}; }},

        // Stop and start again: the counts move only if the flushes saw it stopped in between.
        {"ContainerRestart", [sleeper](T& t) { t.makeTarget(sleeper, true); },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) { t.client->restartContainer(t.id("target"), 0, nullptr, cb); }));
         },
         [](const T& t) {
             auto counts = engineCounts();
             counts.optional = true;
             return std::vector{target(t, {"startedAt", "finishedAt"}), counts};
         },
         [](const T& t) {
             const auto c = t.container(t.id("target"));
             return c.state == state::ContainerState::Running && c.finishedAt != 0;
         }},

        {"ContainerRemove", [sleeper](T& t) { t.makeTarget(sleeper, false); },
         [](T& t) {
             EXPECT_TRUE(t.act(
                 [&](auto cb) { t.client->removeContainer(t.id("target"), false, false, nullptr, cb); }));
         },
         [](const T& t) { return containerAppearsOrGoes(t, ChangeOp::Removed); }},

        // Creating a container that mounts a volume changes the volume's createdAt too (the local driver
        // reports the ctime of its folder, which the create touches after its `volume create` event, and
        // no event follows). Created a second later, so that the change shows at Docker's precision.
        {"ContainerCreateOnVolume",
         [](T& t) {
             t.makeVolume("volume", kTargetLabels);
             waitFor([] { return false; }, 1100ms);
         },
         [](T& t) {
             auto config = busyboxConfig({"sleep", "300"});
             config["HostConfig"]["Binds"] = {t.id("volume") + ":/data"};
             t.makeContainer("target", config, false);
         },
         [](const T& t) {
             auto expected = containerAppearsOrGoes(t, ChangeOp::Created);
             expected.push_back(updated(EntityKind::Volume, t.id("volume"), {"usedBy", "createdAt"}));
             return expected;
         }},

        // The volume's usedBy is derived from the container's mounts: it moves in the same batch.
        {"ContainerWithVolumeRemove",
         [](T& t) {
             t.makeVolume("volume", kTargetLabels);
             auto config = busyboxConfig({"sleep", "300"});
             config["HostConfig"]["Binds"] = {t.id("volume") + ":/data"};
             t.makeContainer("target", config, false);
         },
         [](T& t) {
             EXPECT_TRUE(t.act(
                 [&](auto cb) { t.client->removeContainer(t.id("target"), false, false, nullptr, cb); }));
         },
         [](const T& t) {
             auto expected = containerAppearsOrGoes(t, ChangeOp::Removed);
             expected.push_back(updated(EntityKind::Volume, t.id("volume"), {"usedBy"}));
             return expected;
         }},

        // Healthy while /tmp/ok exists (3 s), then unhealthy; the probes are execs, which cost nothing.
        {"ContainerHealthGoesHealthyThenUnhealthy",
         [](T& t) { t.makeContainer("target", healthyThenUnhealthyConfig(), false); }, startTarget,
         [](const T& t) {
             return std::vector{target(t, {"state", "startedAt", "health"}), engineCounts()};
         },
         [](const T& t) { return t.container(t.id("target")).health == state::Health::Unhealthy; },
         [](const T& t, const std::vector<state::StateChange>& changes) {
             std::vector<std::string> seen;
             for (const auto& c : changes)
                 if (c.id == t.id("target") && c.diff.contains("health"))
                     seen.push_back(c.diff["health"].get<std::string>());
             const auto healthy = std::find(seen.begin(), seen.end(), "healthy");
             if (healthy != seen.end() && std::find(healthy, seen.end(), "unhealthy") != seen.end())
                 return std::string();
             std::string out = "health did not go healthy then unhealthy:";
             for (const auto& h : seen)
                 out += ' ' + h;
             return out;
         }},

        // A restart policy loop that ends: on-failure:3 restarts three times, then the container stays
        // exited.
        {"RestartPolicyLoop",
         [](T& t) {
             auto config = busyboxConfig({"sh", "-c", "sleep 0.5; exit 1"});
             config["HostConfig"]["RestartPolicy"] = {{"Name", "on-failure"}, {"MaximumRetryCount", 3}};
             t.makeContainer("target", config, false);
         },
         startTarget,
         [](const T& t) {
             return std::vector{target(t, {"state", "startedAt", "finishedAt", "exitCode", "restartCount"}),
                                engineCounts()};
         },
         [](const T& t) {
             const auto c = t.container(t.id("target"));
             return c.restartCount == 3 && c.state == state::ContainerState::Exited;
         }},

        {"ImageTag", [](T& t) { t.makeImage("image", {"dockscope-test/second:v1"}); },
         [](T& t) { EXPECT_TRUE(t.tag(t.id("image"), "dockscope-test/second:v2")); },
         [](const T& t) { return std::vector{updated(EntityKind::Image, t.id("image"), {"repoTags"})}; }},

        // A tag moved to another image: the tag event names only the image that gained it; the one that lost
        // it changes too.
        {"ImageTagMoved",
         [](T& t) {
             t.makeImage("image", {"dockscope-test/second:v1"});
             t.makeImage("holder", {"dockscope-test/moving:v1", "dockscope-test/moving:stays"});
         },
         [](T& t) { EXPECT_TRUE(t.tag(t.id("image"), "dockscope-test/moving:v1")); },
         [](const T& t) {
             return std::vector{updated(EntityKind::Image, t.id("image"), {"repoTags"}),
                                updated(EntityKind::Image, t.id("holder"), {"repoTags"})};
         },
         nullptr,
         // Applied from the tag event, both images change in one batch: no client ever sees the tag on
         // both images, or on neither.
         [](const T& t, const std::vector<state::StateChange>&) {
             const std::string tag = "dockscope-test/moving:v1";
             const auto tagged = [&tag](const state::StateChange& c) {
                 const auto& tags = c.diff["repoTags"];
                 return std::find(tags.begin(), tags.end(), tag) != tags.end();
             };
             for (const auto& batch : t.batches) {
                 bool gained = false;
                 bool lost = false;
                 for (const auto& c : batch->changes) {
                     if (c.kind != EntityKind::Image || !c.diff.contains("repoTags"))
                         continue;
                     gained |= c.id == t.id("image") && tagged(c);
                     lost |= c.id == t.id("holder") && !tagged(c);
                 }
                 if (gained != lost)
                     return "the tag moved in two batches (version " + std::to_string(batch->to) + ")";
             }
             return std::string();
         }},

        {"ImageUntag",
         [](T& t) {
             t.makeImage("image", {"dockscope-test/second:v1", "dockscope-test/second:v2"});
         },
         [](T& t) {
             EXPECT_TRUE(T::ok(await<nlohmann::json>([&](auto cb) {
                 t.client->removeImage("dockscope-test/second:v2", false, false, nullptr, cb);
             })));
         },
         [](const T& t) { return std::vector{updated(EntityKind::Image, t.id("image"), {"repoTags"})}; }},

        // Removing the last tag of an image that no container uses deletes the image itself.
        {"ImageRemove", [](T& t) { t.makeImage("image", {"dockscope-test/second:v1"}); },
         [](T& t) {
             EXPECT_TRUE(T::ok(await<nlohmann::json>([&](auto cb) {
                 t.client->removeImage("dockscope-test/second:v1", false, false, nullptr, cb);
             })));
         },
         [](const T& t) {
             return std::vector{removed(EntityKind::Image, t.id("image")), engineCounts()};
         }},

        {"ImagePruneDangling", [](T& t) { t.makeImage("image", {}); },
         [](T& t) {
             EXPECT_TRUE(T::ok(awaitPrune([&](auto cb) { t.client->pruneImages(true, {}, nullptr, cb); })));
         },
         [](const T& t) {
             return std::vector{removed(EntityKind::Image, t.id("image")), engineCounts()};
         }},

        {"VolumeCreate", nothing, [](T& t) { t.makeVolume("volume", kTargetLabels); },
         [](const T& t) { return std::vector{created(EntityKind::Volume, t.id("volume"))}; }, nullptr,
         [](const T& t, const std::vector<state::StateChange>& changes) {
             return shownFromTheEventFirst(changes, t.id("volume"), "mountpoint", "driver");
         }},

        {"VolumeRemove", [](T& t) { t.makeVolume("volume", kTargetLabels); },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) { t.client->removeVolume(t.id("volume"), false, nullptr, cb); }));
         },
         [](const T& t) { return std::vector{removed(EntityKind::Volume, t.id("volume"))}; }},

        // Volume prune sends no per-volume event (Docker 20.10), only a prune with an empty actor: a re-list.
        // The label filter spares the bystander volume, which the re-list must leave alone.
        {"VolumePrune", [](T& t) { t.makeVolume("volume", kTargetLabels); },
         [](T& t) {
             auto filters = kTargetFilter;
             if (t.client->apiVersion() >= docker::ApiVersion{1, 42})
                 filters["all"] = {"true"}; // since 1.42 a prune spares named volumes unless told otherwise
             EXPECT_TRUE(T::ok(awaitPrune([&](auto cb) { t.client->pruneVolumes(filters, nullptr, cb); })));
         },
         [](const T& t) { return std::vector{removed(EntityKind::Volume, t.id("volume"))}; }},

        {"NetworkCreate", nothing, [](T& t) { t.makeNetwork("network", kTargetLabels); },
         [](const T& t) { return std::vector{created(EntityKind::Network, t.id("network"))}; }},

        {"NetworkRemove", [](T& t) { t.makeNetwork("network", kTargetLabels); },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) { t.client->removeNetwork(t.id("network"), nullptr, cb); }));
         },
         [](const T& t) { return std::vector{removed(EntityKind::Network, t.id("network"))}; }},

        // A running container: connecting a container that is not running sends no event at all (dockerd
        // 20.10 only updates its config), so nothing could see it before the next drift check.
        {"NetworkConnect",
         [](T& t) {
             t.makeNetwork("network", kTargetLabels);
             t.makeNetwork("network 2", kTargetLabels);
             t.makeContainer("target", onNetwork(t.names["network"]), true);
         },
         [](T& t) {
             EXPECT_TRUE(t.act(
                 [&](auto cb) { t.client->connectNetwork(t.id("network 2"), t.id("target"), nullptr, cb); }));
         },
         [](const T& t) {
             return std::vector{target(t, {"networks"}),
                                updated(EntityKind::Network, t.id("network 2"), {"containers"})};
         }},

        {"NetworkDisconnect",
         [](T& t) {
             t.makeNetwork("network", kTargetLabels);
             t.makeNetwork("network 2", kTargetLabels);
             t.makeContainer("target", onNetwork(t.names["network"]), true);
             EXPECT_TRUE(t.act(
                 [&](auto cb) { t.client->connectNetwork(t.id("network 2"), t.id("target"), nullptr, cb); }));
         },
         [](T& t) {
             EXPECT_TRUE(t.act([&](auto cb) {
                 t.client->disconnectNetwork(t.id("network 2"), t.id("target"), false, nullptr, cb);
             }));
         },
         [](const T& t) {
             return std::vector{target(t, {"networks"}),
                                updated(EntityKind::Network, t.id("network 2"), {"containers"})};
         }},

        // Prunes are scoped by label: the stopped bystander container survives, and the re-list that the
        // prune event causes must leave it alone.
        {"ContainerPrune", [](T& t) { t.makeTarget({"true"}, false); },
         [](T& t) {
             EXPECT_TRUE(
                 T::ok(awaitPrune([&](auto cb) { t.client->pruneContainers(kTargetFilter, nullptr, cb); })));
         },
         [](const T& t) { return containerAppearsOrGoes(t, ChangeOp::Removed); }},

        {"NetworkPrune", [](T& t) { t.makeNetwork("network", kTargetLabels); },
         [](T& t) {
             EXPECT_TRUE(
                 T::ok(awaitPrune([&](auto cb) { t.client->pruneNetworks(kTargetFilter, nullptr, cb); })));
         },
         [](const T& t) { return std::vector{removed(EntityKind::Network, t.id("network"))}; }},
    };
}

} // namespace

TEST_P(EngineOperationsTest, ChangesAreExactlyTheOperations)
{
    const OperationCase& c = GetParam();
    ASSERT_TRUE(worker != nullptr);
    c.prepare(*this);
    ASSERT_FALSE(HasFailure()) << "prepare failed";
    waitMirrored();
    ASSERT_FALSE(HasFailure());

    const std::uint64_t mark = worker->state().version();
    c.act(*this);
    ASSERT_FALSE(HasFailure()) << "the operation failed";

    std::string wrong;
    const bool arrived = waitFor(
        [&] {
            wrong = mismatch(c.expected(*this), changesSince(mark), /*exact=*/false);
            return wrong.empty() && (!c.until || c.until(*this));
        },
        20s);
    EXPECT_TRUE(arrived) << (wrong.empty() ? "the mirror did not reach the case's end condition" : wrong);

    expectConverged();
    // Only now, with everything the operation caused mirrored: nothing else was touched.
    const auto changes = changesSince(mark);
    EXPECT_EQ(mismatch(c.expected(*this), changes, /*exact=*/true), "");
    if (c.check) {
        EXPECT_EQ(c.check(*this, changes), "");
    }
}

INSTANTIATE_TEST_SUITE_P(Operations, EngineOperationsTest, ::testing::ValuesIn(operationCases()),
                         [](const ::testing::TestParamInfo<OperationCase>& param) {
                             return param.param.name;
                         });
