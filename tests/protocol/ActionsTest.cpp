// The action allowlist: every allowed (kind, op) parses into its typed request, with defaults; anything else
// is refused naming the field; run's Docker body; stream params.
#include "dockscope/protocol/Actions.h"

#include <gtest/gtest.h>

#include <set>

using namespace dockscope::protocol;
using nlohmann::json;

namespace {

struct Good {
    Action action;
    TypedAction expected;
};

Action act(ActionKind kind, std::string op, std::string target, json params = json::object())
{
    return Action{"id-1", kind, std::move(target), std::move(op), std::move(params)};
}

constexpr auto C = ActionKind::Container;
constexpr auto I = ActionKind::Image;
constexpr auto V = ActionKind::Volume;
constexpr auto N = ActionKind::Network;

const std::string kDigest = "sha256:" + std::string(64, 'a');

ContainerRun fullRun()
{
    ContainerRun run;
    run.image = "busybox:1.36";
    run.name = "web-1";
    run.command = {"sh", "-c", "echo hi"};
    run.env = {"A=1", "EMPTY="};
    run.ports = {{8080, 18080, "tcp", "127.0.0.1"}, {53, std::nullopt, "udp", ""}, {8080, 0, "tcp", "::1"}};
    run.volumes = {{"data", "/data", false}, {"/srv/conf", "/etc/app", true}};
    run.network = "none";
    run.restartPolicy = "unless-stopped";
    run.labels = {{"tier", "front"}};
    return run;
}

std::vector<Good> goodActions()
{
    return {
        {act(C, "start", "web-1"), ContainerStart{"web-1"}},
        {act(C, "stop", "abc123"), ContainerStop{"abc123", std::nullopt}},
        {act(C, "stop", "abc123", {{"timeout", 0}}), ContainerStop{"abc123", 0}},
        {act(C, "restart", "web", {{"timeout", 3600}}), ContainerRestart{"web", 3600}},
        {act(C, "kill", "web"), ContainerKill{"web", ""}},
        {act(C, "kill", "web", {{"signal", "SIGKILL"}}), ContainerKill{"web", "SIGKILL"}},
        {act(C, "kill", "web", {{"signal", "HUP"}}), ContainerKill{"web", "HUP"}},
        {act(C, "kill", "web", {{"signal", "9"}}), ContainerKill{"web", "9"}},
        {act(C, "kill", "web", {{"signal", "SIGRTMIN+3"}}), ContainerKill{"web", "SIGRTMIN+3"}},
        {act(C, "pause", "web"), ContainerPause{"web"}},
        {act(C, "unpause", "web"), ContainerUnpause{"web"}},
        {act(C, "remove", "web"), ContainerRemove{"web", false, false}},
        {act(C, "remove", "web", {{"force", true}, {"volumes", true}}), ContainerRemove{"web", true, true}},
        {act(C, "rename", "web", {{"name", "web_2.old-1"}}), ContainerRename{"web", "web_2.old-1"}},
        {act(C, "inspect", "web"), ContainerInspect{"web"}},
        {act(C, "prune", ""), ContainerPrune{}},
        {act(C, "prune", "", {{"labels", {{"test", "x"}}}}), ContainerPrune{{{"test", "x"}}}},
        {act(C, "run", "", {{"image", "busybox"}}), ContainerRun{"busybox", "", {}, {}, {}, {}, "", "", {}}},
        {act(C, "run", "",
             {{"image", "busybox:1.36"},
              {"name", "web-1"},
              {"command", {"sh", "-c", "echo hi"}},
              {"env", {"A=1", "EMPTY="}},
              {"ports",
               {{{"containerPort", 8080}, {"hostPort", 18080}, {"hostIp", "127.0.0.1"}},
                {{"containerPort", 53}, {"protocol", "udp"}},
                {{"containerPort", 8080}, {"hostPort", 0}, {"protocol", "tcp"}, {"hostIp", "::1"}}}},
              {"volumes",
               {{{"source", "data"}, {"destination", "/data"}},
                {{"source", "/srv/conf"}, {"destination", "/etc/app"}, {"readOnly", true}}}},
              {"network", "none"},
              {"restartPolicy", "unless-stopped"},
              {"labels", {{"tier", "front"}}}}),
         fullRun()},
        {act(I, "remove", "busybox:latest"), ImageRemove{"busybox:latest", false, false}},
        {act(I, "remove", kDigest, {{"force", true}, {"noPrune", true}}), ImageRemove{kDigest, true, true}},
        {act(I, "remove", "0123abcd"), ImageRemove{"0123abcd", false, false}},
        {act(I, "tag", "busybox", {{"repo", "mine/box"}}), ImageTag{"busybox", "mine/box", "latest"}},
        {act(I, "tag", "busybox", {{"repo", "localhost:5000/box"}, {"tag", "v1.2_rc-3"}}),
         ImageTag{"busybox", "localhost:5000/box", "v1.2_rc-3"}},
        {act(I, "pull", "", {{"image", "busybox"}}), ImagePull{"busybox", "busybox", "latest"}},
        {act(I, "pull", "", {{"image", "busybox:1.36"}}), ImagePull{"busybox:1.36", "busybox", "1.36"}},
        {act(I, "pull", "", {{"image", "registry:5000/team/app:1.2"}}),
         ImagePull{"registry:5000/team/app:1.2", "registry:5000/team/app", "1.2"}},
        {act(I, "pull", "", {{"image", "localhost:5000/app"}}),
         ImagePull{"localhost:5000/app", "localhost:5000/app", "latest"}},
        {act(I, "pull", "", {{"image", "alpine@" + kDigest}}),
         ImagePull{"alpine@" + kDigest, "alpine", kDigest}},
        {act(I, "prune", ""), ImagePrune{true}},
        {act(I, "prune", "", {{"dangling", false}}), ImagePrune{false}},
        {act(V, "create", ""), VolumeCreate{"", "", {}}},
        {act(V, "create", "", {{"name", "data"}, {"driver", "local"}, {"labels", {{"a", "b"}}}}),
         VolumeCreate{"data", "local", {{"a", "b"}}}},
        {act(V, "remove", "data"), VolumeRemove{"data", false}},
        {act(V, "remove", "data", {{"force", true}}), VolumeRemove{"data", true}},
        {act(V, "prune", ""), VolumePrune{}},
        {act(N, "create", "", {{"name", "back"}}), NetworkCreate{"back", "bridge", false, false, {}, ""}},
        {act(N, "create", "",
             {{"name", "back"},
              {"driver", "macvlan"},
              {"internal", true},
              {"attachable", true},
              {"labels", {{"a", "b"}}},
              {"subnet", "10.7.0.0/16"}}),
         NetworkCreate{"back", "macvlan", true, true, {{"a", "b"}}, "10.7.0.0/16"}},
        {act(N, "create", "", {{"name", "v6"}, {"subnet", "fd00:1::/64"}}),
         NetworkCreate{"v6", "bridge", false, false, {}, "fd00:1::/64"}},
        {act(N, "remove", "back"), NetworkRemove{"back"}},
        {act(N, "connect", "back", {{"container", "web-1"}}), NetworkConnect{"back", "web-1"}},
        {act(N, "disconnect", "back", {{"container", "web-1"}}), NetworkDisconnect{"back", "web-1", false}},
        {act(N, "disconnect", "back", {{"container", "web-1"}, {"force", true}}),
         NetworkDisconnect{"back", "web-1", true}},
        {act(N, "prune", ""), NetworkPrune{}},
    };
}

struct Bad {
    Action action;
    std::string_view code;
    std::string mention;
};

std::vector<Bad> badActions()
{
    json manyLabels = json::object();
    for (int i = 0; i < 65; ++i)
        manyLabels["k" + std::to_string(i)] = "v";
    const auto bad = errors::BadField;
    return {
        {act(C, "exec", "web"), errors::NotAllowed, "action: container.exec is not allowed"},
        {act(C, "Start", "web"), errors::NotAllowed, "container.Start is not allowed"},
        {act(I, "push", "busybox"), errors::NotAllowed, "image.push is not allowed"},
        {act(V, "inspect", "data"), errors::NotAllowed, "volume.inspect is not allowed"},
        {act(N, "run", ""), errors::NotAllowed, "network.run is not allowed"},
        {act(C, "start", ""), bad, "action.target: required for container.start"},
        {act(C, "run", "web", {{"image", "busybox"}}), bad, "action.target: must be empty for container.run"},
        {act(I, "pull", "busybox", {{"image", "busybox"}}), bad,
         "action.target: must be empty for image.pull"},
        {act(C, "start", "../images/x"), bad, "action.target: '../images/x' is not a container id or name"},
        {act(C, "start", "/web"), bad, "action.target"},
        {act(C, "start", "web?x=1"), bad, "action.target"},
        {act(V, "remove", "a/b"), bad, "action.target: 'a/b' is not a volume id or name"},
        {act(I, "remove", "../../containers/x"), bad, "action.target"},
        {act(C, "start", "web", {{"colour", "red"}}), bad, "action.params.colour: unknown parameter"},
        {act(C, "stop", "web", {{"timeout", 9000}}), bad,
         "action.params.timeout: expected an integer 0..3600, got 9000"},
        {act(C, "stop", "web", {{"timeout", -1}}), bad, "action.params.timeout: expected an integer 0..3600"},
        {act(C, "stop", "web", {{"timeout", "10"}}), bad,
         "action.params.timeout: expected an integer 0..3600, got string"},
        {act(C, "stop", "web", {{"timeout", 1.5}}), bad, "action.params.timeout"},
        {act(C, "kill", "web", {{"signal", "KILL; rm -rf /"}}), bad, "action.params.signal"},
        {act(C, "kill", "web", {{"signal", "99"}}), bad, "action.params.signal"},
        {act(C, "kill", "web", {{"signal", 9}}), bad, "action.params.signal: expected a string"},
        {act(C, "remove", "web", {{"force", "yes"}}), bad,
         "action.params.force: expected a boolean, got string"},
        {act(C, "rename", "web"), bad, "action.params.name: missing"},
        {act(C, "rename", "web", {{"name", nullptr}}), bad, "action.params.name: missing"},
        {act(I, "pull", "", {{"image", nullptr}}), bad, "action.params.image: missing"},
        {act(C, "rename", "web", {{"name", "-web"}}), bad,
         "action.params.name: '-web' is not a container name"},
        {act(C, "rename", "web", {{"name", "a b"}}), bad, "action.params.name"},
        {act(C, "prune", "", {{"labels", {{"k", 1}}}}), bad, "action.params.labels['k']: expected a string"},
        {act(C, "prune", "", {{"labels", manyLabels}}), bad, "action.params.labels: more than 64 labels"},
        {act(C, "run", ""), bad, "action.params.image: missing"},
        {act(C, "run", "", {{"image", "Bad Image"}}), bad, "action.params.image"},
        {act(C, "run", "", {{"image", "busybox"}, {"command", "sh -c x"}}), bad,
         "action.params.command: expected an array, got string"},
        {act(C, "run", "", {{"image", "busybox"}, {"command", {"sh", 1}}}), bad, "action.params.command[1]"},
        {act(C, "run", "", {{"image", "busybox"}, {"env", {"A=1", "NOEQUALS"}}}), bad,
         "action.params.env[1]: expected \"KEY=value\""},
        {act(C, "run", "", {{"image", "busybox"}, {"env", {"=x"}}}), bad, "action.params.env[0]"},
        {act(C, "run", "", {{"image", "busybox"}, {"ports", {{{"containerPort", 0}}}}}), bad,
         "action.params.ports[0].containerPort: expected an integer 1..65535, got 0"},
        {act(C, "run", "", {{"image", "busybox"}, {"ports", {{{"hostPort", 80}}}}}), bad,
         "action.params.ports[0].containerPort: missing"},
        {act(C, "run", "", {{"image", "busybox"}, {"ports", {{{"containerPort", 80}, {"hostPort", 70000}}}}}),
         bad, "action.params.ports[0].hostPort"},
        {act(C, "run", "",
             {{"image", "busybox"}, {"ports", {{{"containerPort", 80}, {"protocol", "sctp"}}}}}),
         bad, "action.params.ports[0].protocol: 'sctp' is not one of tcp, udp"},
        {act(C, "run", "",
             {{"image", "busybox"}, {"ports", {{{"containerPort", 80}, {"hostIp", "999.1.1.1"}}}}}),
         bad, "action.params.ports[0].hostIp"},
        {act(C, "run", "", {{"image", "busybox"}, {"ports", {{{"containerPort", 80}, {"publish", true}}}}}),
         bad, "action.params.ports[0].publish: unknown parameter"},
        {act(C, "run", "", {{"image", "busybox"}, {"ports", {80}}}), bad,
         "action.params.ports[0]: expected an object"},
        {act(C, "run", "",
             {{"image", "busybox"}, {"volumes", {{{"source", "rel/path"}, {"destination", "/d"}}}}}),
         bad, "action.params.volumes[0].source"},
        {act(C, "run", "",
             {{"image", "busybox"}, {"volumes", {{{"source", "/a:/b"}, {"destination", "/d"}}}}}),
         bad, "action.params.volumes[0].source"},
        {act(C, "run", "",
             {{"image", "busybox"}, {"volumes", {{{"source", "data"}, {"destination", "data"}}}}}),
         bad, "action.params.volumes[0].destination: 'data' is not an absolute path"},
        {act(C, "run", "", {{"image", "busybox"}, {"volumes", {{{"source", "data"}}}}}), bad,
         "action.params.volumes[0].destination: missing"},
        {act(C, "run", "", {{"image", "busybox"}, {"network", "container:abc"}}), bad,
         "action.params.network"},
        {act(C, "run", "", {{"image", "busybox"}, {"restartPolicy", "sometimes"}}), bad,
         "action.params.restartPolicy: 'sometimes' is not one of no, always, unless-stopped, on-failure"},
        {act(C, "run", "", {{"image", "busybox"}, {"labels", manyLabels}}), bad,
         "action.params.labels: more than 64 labels"},
        {act(C, "run", "", {{"image", "busybox"}, {"privileged", true}}), bad,
         "action.params.privileged: unknown parameter"},
        {act(I, "pull", ""), bad, "action.params.image: missing"},
        {act(I, "pull", "", {{"image", "UPPER/Case"}}), bad, "action.params.image"},
        {act(I, "pull", "", {{"image", "busybox:"}}), bad, "action.params.image"},
        {act(I, "pull", "", {{"image", "busybox@sha256:short"}}), bad, "action.params.image"},
        {act(I, "pull", "", {{"image", "a//b"}}), bad, "action.params.image"},
        {act(I, "tag", "busybox"), bad, "action.params.repo: missing"},
        {act(I, "tag", "busybox", {{"repo", "mine/box:v1"}}), bad, "action.params.repo"},
        {act(I, "tag", "busybox", {{"repo", "mine"}, {"tag", ".bad"}}), bad, "action.params.tag"},
        {act(I, "prune", "", {{"dangling", "true"}}), bad, "action.params.dangling: expected a boolean"},
        {act(V, "create", "", {{"name", "a/b"}}), bad, "action.params.name"},
        {act(V, "create", "", {{"driver", "-x"}}), bad, "action.params.driver"},
        {act(V, "prune", "", {{"all", true}}), bad, "action.params.all: unknown parameter"},
        {act(N, "create", ""), bad, "action.params.name: missing"},
        {act(N, "create", "", {{"name", "n"}, {"subnet", "10.0.0.0/33"}}), bad,
         "action.params.subnet: '10.0.0.0/33' is not a CIDR network"},
        {act(N, "create", "", {{"name", "n"}, {"subnet", "10.0.0.0"}}), bad, "action.params.subnet"},
        {act(N, "create", "", {{"name", "n"}, {"internal", 1}}), bad,
         "action.params.internal: expected a boolean"},
        {act(N, "connect", "back"), bad, "action.params.container: missing"},
        {act(N, "disconnect", "back", {{"container", ""}}), bad, "action.params.container"},
        {Action{"x", C, "web", "start", json::array()}, bad, "action.params: expected an object, got array"},
    };
}

} // namespace

TEST(ProtocolActions, EveryAllowedActionParses)
{
    std::set<std::pair<ActionKind, std::string>> covered;
    for (const Good& g : goodActions()) {
        SCOPED_TRACE(std::string(toString(g.action.kind)) + "." + g.action.op + " " + g.action.params.dump());
        EXPECT_EQ(parseAction(g.action), g.expected);
        covered.emplace(g.action.kind, g.action.op);
    }
    EXPECT_EQ(allowedActions().size(), 23u);
    for (const auto& [kind, op] : allowedActions())
        EXPECT_TRUE(covered.count({kind, std::string(op)})) << toString(kind) << "." << op << " has no test";
}

TEST(ProtocolActions, AnythingElseIsRefusedNamingTheField)
{
    for (const Bad& b : badActions()) {
        SCOPED_TRACE(std::string(toString(b.action.kind)) + "." + b.action.op + " target '" +
                     b.action.target + "' " + b.action.params.dump());
        try {
            parseAction(b.action);
            ADD_FAILURE() << "accepted";
        } catch (const ProtocolError& e) {
            EXPECT_EQ(e.code(), b.code) << e.what();
            EXPECT_NE(std::string(e.what()).find(b.mention), std::string::npos) << e.what();
        }
    }
}

TEST(ProtocolActions, StringsAndLabelsObeyTheLimits)
{
    const Action longName = act(C, "rename", "web", {{"name", std::string(300, 'a')}});
    EXPECT_THROW(parseAction(longName), ProtocolError);
    const Action labels = act(C, "prune", "", {{"labels", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}});
    EXPECT_NO_THROW(parseAction(labels));
    EXPECT_THROW(parseAction(labels, Limits{65536, 4096, 2}), ProtocolError);
    EXPECT_THROW(
        parseAction(act(V, "create", "", {{"labels", {{"k", std::string(20, 'v')}}}}), Limits{65536, 16, 64}),
        ProtocolError);
}

TEST(ProtocolActions, RunConfigIsDockersCreateBody)
{
    const json body = runConfig(fullRun());
    EXPECT_EQ(body, json::parse(R"({
        "Image": "busybox:1.36",
        "Cmd": ["sh", "-c", "echo hi"],
        "Env": ["A=1", "EMPTY="],
        "Labels": {"tier": "front"},
        "ExposedPorts": {"8080/tcp": {}, "53/udp": {}},
        "HostConfig": {
            "PortBindings": {
                "8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}, {"HostIp": "::1", "HostPort": ""}],
                "53/udp": [{"HostIp": "", "HostPort": ""}]
            },
            "Mounts": [{"Type": "volume", "Source": "data", "Target": "/data", "ReadOnly": false}],
            "Binds": ["/srv/conf:/etc/app:ro"],
            "NetworkMode": "none",
            "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0}
        }
    })"))
        << body.dump(2);

    const json minimal =
        runConfig(std::get<ContainerRun>(parseAction(act(C, "run", "", {{"image", "busybox"}}))));
    EXPECT_EQ(minimal, json::parse(R"({"Image": "busybox", "Labels": {},
        "HostConfig": {"RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}}})"))
        << minimal.dump(2);
}

TEST(ProtocolActions, StreamParamsAreChecked)
{
    const auto logs = [](json params) {
        return parseStream(StreamRequest{"s", StreamWhat::Logs, "web", std::move(params)});
    };
    EXPECT_EQ(logs(json::object()), StreamOptions(LogsOptions{true, 100, false}));
    EXPECT_EQ(logs({{"follow", false}, {"tail", "all"}, {"timestamps", true}}),
              StreamOptions(LogsOptions{false, std::nullopt, true}));
    EXPECT_EQ(logs({{"tail", 0}}), StreamOptions(LogsOptions{true, 0, false}));
    EXPECT_EQ(parseStream(StreamRequest{"s", StreamWhat::Stats, "web", json::object()}),
              StreamOptions(StatsOptions{}));

    const std::vector<std::pair<json, std::string>> bad{
        {{{"tail", -1}}, "stream.params.tail: expected an integer 0.."},
        {{{"tail", "some"}}, "stream.params.tail: expected an integer >= 0 or \"all\", got string"},
        {{{"tail", 1.5}}, "stream.params.tail"},
        {{{"follow", "yes"}}, "stream.params.follow: expected a boolean"},
        {{{"since", 5}}, "stream.params.since: unknown parameter"},
    };
    for (const auto& [params, mention] : bad) {
        try {
            logs(params);
            ADD_FAILURE() << params.dump() << " accepted";
        } catch (const ProtocolError& e) {
            EXPECT_EQ(e.code(), errors::BadField);
            EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(parseStream(StreamRequest{"s", StreamWhat::Stats, "web", {{"tail", 1}}}), ProtocolError);
}
