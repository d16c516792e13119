#include "dockscope/engine/EventClassifier.h"
#include "dockscope/docker/EventDecoder.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace dockscope;
using engine::classifyEvent;
using engine::EventWork;
using Kind = EventWork::Kind;

namespace {

state::DockerEvent ev(std::string type, std::string action, std::string id, state::Labels attributes = {})
{
    return {std::move(type), std::move(action), {}, std::move(id), std::move(attributes), "local", 1};
}

} // namespace

TEST(EventClassifier, ContainerLifecycleMarksTheContainer)
{
    for (const char* action : {"create", "start", "die", "stop", "kill", "pause", "unpause", "restart",
                               "health_status", "oom", "update"}) {
        const auto work = classifyEvent(ev("container", action, "c1"));
        ASSERT_EQ(work.dirty.size(), 1u) << action;
        EXPECT_EQ(work.dirty[0], (EventWork::Mark{Kind::Container, "c1"})) << action;
        EXPECT_TRUE(work.relist.empty());
    }
}

TEST(EventClassifier, DestroyRemovesAtOnceWithoutAsking)
{
    const std::pair<const char*, Kind> cases[] = {
        {"container", Kind::Container}, {"volume", Kind::Volume}, {"network", Kind::Network}};
    for (const auto& [type, kind] : cases) {
        const auto work = classifyEvent(ev(type, "destroy", "x1"));
        EXPECT_EQ(work.removed, (std::vector<EventWork::Mark>{{kind, "x1"}})) << type;
        EXPECT_TRUE(work.dirty.empty()) << type;
        EXPECT_FALSE(work.ignored()) << type;
    }
    const auto deleted = classifyEvent(ev("image", "delete", "sha256:1", {{"name", "sha256:1"}}));
    EXPECT_EQ(deleted.removed, (std::vector<EventWork::Mark>{{Kind::Image, "sha256:1"}}));
    EXPECT_TRUE(deleted.relist.empty());
}

TEST(EventClassifier, RenameCarriesTheNewNameAndFallsBackToAnInspectWithoutIt)
{
    const auto work = classifyEvent(ev("container", "rename", "c1", {{"name", "new"}, {"oldName", "/old"}}));
    ASSERT_TRUE(work.renamed);
    EXPECT_EQ(*work.renamed, (EventWork::Rename{"c1", "new"}));
    EXPECT_TRUE(work.dirty.empty());
    EXPECT_FALSE(work.ignored());
    const auto bare = classifyEvent(ev("container", "rename", "c1"));
    EXPECT_FALSE(bare.renamed);
    EXPECT_EQ(bare.dirty, (std::vector<EventWork::Mark>{{Kind::Container, "c1"}}));
}

TEST(EventClassifier, CreatesDescribeTheNewEntityAndStillAskForTheRest)
{
    const auto created = classifyEvent({"container",
                                        "create",
                                        {},
                                        "c1",
                                        {{"name", "web-1"},
                                         {"image", "nginx:1"},
                                         {"com.docker.compose.project", "shop"},
                                         {"com.docker.compose.service", "web"},
                                         {"tier", "front"}},
                                        "local",
                                        1700000000123456789});
    EXPECT_EQ(created.dirty, (std::vector<EventWork::Mark>{{Kind::Container, "c1"}})); // its inspect
    ASSERT_TRUE(created.createdContainer);
    const state::Container& c = *created.createdContainer;
    EXPECT_EQ(c.id, "c1");
    EXPECT_EQ(c.name, "web-1");
    EXPECT_EQ(c.image, "nginx:1");
    EXPECT_EQ(c.state, state::ContainerState::Created);
    EXPECT_EQ(c.createdAt, 1700000000123456789);
    EXPECT_EQ(c.labels, (state::Labels{{"com.docker.compose.project", "shop"},
                                       {"com.docker.compose.service", "web"},
                                       {"tier", "front"}}));
    EXPECT_EQ(c.composeProject, "shop");
    EXPECT_EQ(c.composeService, "web");
    EXPECT_TRUE(c.imageId.empty());
    EXPECT_TRUE(c.networks.empty());
    // Without a name the event is not Docker's: only the inspect is asked.
    EXPECT_FALSE(classifyEvent(ev("container", "create", "c1")).createdContainer);
    EXPECT_FALSE(classifyEvent(ev("container", "start", "c1", {{"name", "web-1"}})).createdContainer);

    const auto volume = classifyEvent(ev("volume", "create", "data", {{"driver", "local"}}));
    EXPECT_EQ(volume.dirty, (std::vector<EventWork::Mark>{{Kind::Volume, "data"}}));
    ASSERT_TRUE(volume.createdVolume);
    EXPECT_EQ(volume.createdVolume->name, "data");
    EXPECT_EQ(volume.createdVolume->driver, "local");
    EXPECT_EQ(volume.createdVolume->createdAt, 1);
    EXPECT_TRUE(volume.createdVolume->mountpoint.empty());
    EXPECT_FALSE(classifyEvent(ev("volume", "destroy", "data")).createdVolume);
}

TEST(EventClassifier, EventsThatChangeNothingMirroredCostNothing)
{
    for (const char* action :
         {"exec_create", "exec_start", "exec_die", "attach", "resize", "top", "archive-path", "export"})
        EXPECT_TRUE(classifyEvent(ev("container", action, "c1")).ignored()) << action;
    EXPECT_TRUE(classifyEvent(ev("volume", "mount", "v1", {{"container", "c1"}})).ignored());
    EXPECT_TRUE(classifyEvent(ev("volume", "unmount", "v1", {{"container", "c1"}})).ignored());
    EXPECT_TRUE(classifyEvent(ev("image", "push", "sha256:1")).ignored());
    EXPECT_TRUE(classifyEvent(ev("plugin", "enable", "p1")).ignored());
}

TEST(EventClassifier, NetworkConnectMarksTheContainerNotTheNetwork)
{
    const auto work =
        classifyEvent(ev("network", "connect", "n1", {{"container", "c9"}, {"name", "backend"}}));
    ASSERT_EQ(work.dirty.size(), 1u);
    EXPECT_EQ(work.dirty[0], (EventWork::Mark{Kind::Container, "c9"}));
    EXPECT_EQ(classifyEvent(ev("network", "create", "n1")).dirty,
              (std::vector<EventWork::Mark>{{Kind::Network, "n1"}}));
}

TEST(EventClassifier, TagAndUntagMarkTheImageTheyName)
{
    const auto tag = classifyEvent(ev("image", "tag", "sha256:1", {{"name", "app:2"}}));
    EXPECT_EQ(tag.dirty, (std::vector<EventWork::Mark>{{Kind::Image, "sha256:1"}}));
    EXPECT_EQ(tag.tag, "app:2"); // whoever held app:2 before lost it
    EXPECT_TRUE(tag.relist.empty());
    const auto untag = classifyEvent(ev("image", "untag", "sha256:1", {{"name", "sha256:1"}}));
    EXPECT_EQ(untag.dirty, (std::vector<EventWork::Mark>{{Kind::Image, "sha256:1"}}));
    EXPECT_TRUE(untag.tag.empty());
    EXPECT_TRUE(untag.relist.empty());
}

TEST(EventClassifier, ImageEventsThatMayMoveTagsSilentlyRelistImages)
{
    for (const char* action : {"import", "pull", "load", "prune", "build"}) {
        const auto work = classifyEvent(ev("image", action, "sha256:1", {{"name", "a:1"}}));
        EXPECT_EQ(work.relist, std::vector<Kind>{Kind::Image}) << action;
        EXPECT_TRUE(work.dirty.empty()) << action;
    }
    EXPECT_EQ(classifyEvent(ev("image", "tag", "")).relist, std::vector<Kind>{Kind::Image});
}

TEST(EventClassifier, PrunesAndIdlessEventsRelistTheirKind)
{
    EXPECT_EQ(classifyEvent(ev("image", "prune", "")).relist, std::vector<Kind>{Kind::Image});
    EXPECT_EQ(classifyEvent(ev("volume", "prune", "")).relist, std::vector<Kind>{Kind::Volume});
    EXPECT_EQ(classifyEvent(ev("network", "prune", "")).relist, std::vector<Kind>{Kind::Network});
    EXPECT_EQ(classifyEvent(ev("container", "prune", "")).relist, std::vector<Kind>{Kind::Container});
    const auto commit = classifyEvent(ev("container", "commit", "c1"));
    EXPECT_EQ(commit.relist, std::vector<Kind>{Kind::Image});
    EXPECT_TRUE(classifyEvent(ev("daemon", "reload", "d1")).rereadInfo);
}

TEST(EventClassifier, EveryRecordedEventIsClassified)
{
    std::ifstream in(DOCKSCOPE_FIXTURES_DIR "/engine/events.ndjson");
    ASSERT_TRUE(in) << "missing fixture";
    std::string line;
    int total = 0, ignored = 0;
    while (std::getline(in, line)) {
        const auto event = docker::decodeEvent(line);
        ASSERT_TRUE(event.ok()) << line;
        const auto work = classifyEvent(*event);
        ++total;
        ignored += work.ignored() ? 1 : 0;
        for (const auto& mark : work.dirty)
            EXPECT_FALSE(mark.id.empty()) << line;
    }
    EXPECT_GT(total, 50);
    EXPECT_GT(ignored, 0);     // exec, top, mount... are in the recording
    EXPECT_LT(ignored, total); // and so is real work
}
