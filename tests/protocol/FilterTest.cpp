// Subscription filters: the glob, and what each criterion means for each kind of entity and for events.
#include "dockscope/protocol/Filter.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace dockscope;
using namespace dockscope::protocol;

namespace {

struct GlobCase {
    std::string pattern;
    std::string text;
    bool matches;
};

Filter named(std::string glob)
{
    Filter f;
    f.name = std::move(glob);
    return f;
}

Filter labelled(std::map<std::string, std::optional<std::string>> labels)
{
    Filter f;
    f.labels = std::move(labels);
    return f;
}

Filter project(std::string name)
{
    Filter f;
    f.composeProject = std::move(name);
    return f;
}

state::Container container()
{
    state::Container c;
    c.id = "abc";
    c.name = "shop-web-1";
    c.labels = {{"tier", "front"}, {"com.docker.compose.project", "label-says-other"}};
    c.composeProject = "shop";
    return c;
}

} // namespace

TEST(ProtocolFilter, GlobMatchesLikeAShell)
{
    const std::vector<GlobCase> cases{
        {"", "", true},
        {"", "a", false},
        {"*", "", true},
        {"*", "anything", true},
        {"web", "web", true},
        {"web", "web1", false},
        {"web-*", "web-1", true},
        {"web-*", "api-1", false},
        {"*-1", "web-1", true},
        {"a*b*c", "aXXbYYc", true},
        {"a*b*c", "aXXbYY", false},
        {"**a", "a", true},
        {"*.*", "a.b", true},
        {"web-?", "web-1", true},
        {"web-?", "web-12", false},
        {"web-?", "web-", false},
        {"[abc]x", "bx", true},
        {"[abc]x", "dx", false},
        {"[a-c]x", "cx", true},
        {"[a-c]x", "dx", false},
        {"[!a-c]x", "dx", true},
        {"[!a-c]x", "ax", false},
        {"[^a]", "a", false},
        {"[^a]", "b", true},
        {"[]]", "]", true},
        {"[!]]", "]", false},
        {"[a-]", "-", true},
        {"[\\]]", "]", true},
        {"[0-9][0-9]", "42", true},
        {"[0-9][0-9]", "4a", false},
        {"\\*", "*", true},
        {"\\*", "a", false},
        {"\\?", "?", true},
        {"\\[x]", "[x]", true},
        {"[", "[", true},
        {"[abc", "[abc", true},
        {"a\\", "a\\", true},
        {"caf\xc3\xa9-*", "caf\xc3\xa9-1", true},
        {"[\x80-\xff]", "\xc3", true},
    };
    for (const GlobCase& c : cases)
        EXPECT_EQ(globMatch(c.pattern, c.text), c.matches) << "'" << c.pattern << "' on '" << c.text << "'";
}

TEST(ProtocolFilter, GlobFinishesFastOnHostilePatterns)
{
    // A backtracking matcher takes exponential time on these; ours is O(pattern x text).
    std::string pattern;
    for (int i = 0; i < 2000; ++i)
        pattern += "*a";
    pattern += "*b";
    const std::string text(4096, 'a');
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(globMatch(pattern, text));
    EXPECT_FALSE(globMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
    EXPECT_TRUE(globMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text + "b"));
    EXPECT_FALSE(globMatch(std::string(4000, '?') + "*[!a]", text));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(2)) << "the glob backtracks too much";
}

TEST(ProtocolFilter, EmptyFilterPassesEverything)
{
    const Filter none;
    EXPECT_TRUE(none.empty());
    EXPECT_TRUE(matches(none, state::Container{}));
    EXPECT_TRUE(matches(none, state::Image{}));
    EXPECT_TRUE(matches(none, state::Volume{}));
    EXPECT_TRUE(matches(none, state::Network{}));
    EXPECT_TRUE(matches(none, state::DockerEvent{}));
}

TEST(ProtocolFilter, ContainersMatchNameLabelsAndTheirComposeProjectField)
{
    const state::Container c = container();
    EXPECT_TRUE(matches(named("shop-*"), c));
    EXPECT_FALSE(matches(named("shop"), c)) << "the whole name must match";
    EXPECT_FALSE(matches(named("abc"), c)) << "the name, not the id";
    EXPECT_TRUE(matches(labelled({{"tier", "front"}}), c));
    EXPECT_TRUE(matches(labelled({{"tier", std::nullopt}}), c)) << "null: any value";
    EXPECT_FALSE(matches(labelled({{"tier", "back"}}), c));
    EXPECT_FALSE(matches(labelled({{"tier", "front"}, {"owner", std::nullopt}}), c))
        << "every label must hold";
    EXPECT_FALSE(matches(labelled({{"tier", "fr*"}}), c)) << "label values match exactly, not as globs";
    EXPECT_TRUE(matches(project("shop"), c)) << "containers: the composeProject field";
    EXPECT_FALSE(matches(project("label-says-other"), c));
    Filter all = named("*web*");
    all.labels = {{"tier", "front"}};
    all.composeProject = "shop";
    EXPECT_TRUE(matches(all, c));
    all.composeProject = "blog";
    EXPECT_FALSE(matches(all, c)) << "every criterion must hold";
}

TEST(ProtocolFilter, ImagesMatchAnyRepoTag)
{
    state::Image image;
    image.id = "sha256:1";
    image.repoTags = {"busybox:1.36", "registry:5000/tools/busybox:latest"};
    image.labels = {{"com.docker.compose.project", "shop"}};
    EXPECT_TRUE(matches(named("busybox:*"), image));
    EXPECT_TRUE(matches(named("*/busybox:latest"), image));
    EXPECT_FALSE(matches(named("alpine*"), image));
    EXPECT_FALSE(matches(named("sha256:*"), image)) << "the tags, not the id";
    EXPECT_TRUE(matches(project("shop"), image));
    EXPECT_FALSE(matches(project("blog"), image));
    state::Image untagged;
    EXPECT_FALSE(matches(named("*"), untagged)) << "no tag, no name match";
    EXPECT_TRUE(matches(labelled({}), untagged));
}

TEST(ProtocolFilter, VolumesAndNetworksMatchNameLabelsAndTheProjectLabel)
{
    const state::Volume volume{
        "shop_data", "local", "/v", 0, "local", {{"com.docker.compose.project", "shop"}}, {}};
    EXPECT_TRUE(matches(named("shop_*"), volume));
    EXPECT_TRUE(matches(project("shop"), volume));
    EXPECT_FALSE(matches(project("blog"), volume));
    EXPECT_TRUE(matches(labelled({{"com.docker.compose.project", std::nullopt}}), volume));

    state::Network network;
    network.id = "n1";
    network.name = "shop_default";
    network.labels = {{"com.docker.compose.project", "shop"}, {"env", "dev"}};
    EXPECT_TRUE(matches(named("*_default"), network));
    EXPECT_FALSE(matches(named("n1"), network));
    EXPECT_TRUE(matches(labelled({{"env", "dev"}}), network));
    EXPECT_FALSE(matches(labelled({{"env", "prod"}}), network));
    EXPECT_TRUE(matches(project("shop"), network));
    state::Network plain;
    plain.name = "bridge";
    EXPECT_FALSE(matches(project("shop"), plain)) << "no project label";
}

TEST(ProtocolFilter, EventsMatchTheirActorAttributes)
{
    state::DockerEvent event{
        "container",
        "start",
        "",
        "abc",
        {{"name", "shop-web-1"}, {"com.docker.compose.project", "shop"}, {"tier", "front"}},
        "local",
        1};
    EXPECT_TRUE(matches(named("shop-*"), event));
    EXPECT_FALSE(matches(named("abc"), event));
    EXPECT_TRUE(matches(labelled({{"tier", "front"}}), event));
    EXPECT_FALSE(matches(labelled({{"tier", "back"}}), event));
    EXPECT_TRUE(matches(project("shop"), event));
    EXPECT_FALSE(matches(project("blog"), event));
    const state::DockerEvent prune{"container", "prune", "", "", {{"reclaimed", "0"}}, "local", 1};
    EXPECT_FALSE(matches(named("*"), prune)) << "no name attribute, no name match";
    EXPECT_TRUE(matches(labelled({{"reclaimed", "0"}}), prune));
}

TEST(ProtocolFilter, TopicsMapToEntityKinds)
{
    const Subscription containersOnly{{Topic::Containers, Topic::Events}, {}};
    EXPECT_TRUE(subscribes(containersOnly, state::EntityKind::Container));
    EXPECT_FALSE(subscribes(containersOnly, state::EntityKind::Image));
    EXPECT_FALSE(subscribes(containersOnly, state::EntityKind::Engine));
    const Subscription everything = Subscription::everything();
    for (const auto kind : {state::EntityKind::Container, state::EntityKind::Image, state::EntityKind::Volume,
                            state::EntityKind::Network, state::EntityKind::Engine})
        EXPECT_TRUE(subscribes(everything, kind));
    const Subscription rest{{Topic::Images, Topic::Volumes, Topic::Networks, Topic::Engine}, {}};
    EXPECT_TRUE(subscribes(rest, state::EntityKind::Image));
    EXPECT_TRUE(subscribes(rest, state::EntityKind::Volume));
    EXPECT_TRUE(subscribes(rest, state::EntityKind::Network));
    EXPECT_TRUE(subscribes(rest, state::EntityKind::Engine));
    EXPECT_FALSE(subscribes(rest, state::EntityKind::Container));
    EXPECT_FALSE(subscribes(Subscription{}, state::EntityKind::Container));
}
