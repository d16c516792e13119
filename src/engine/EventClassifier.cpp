#include "dockscope/engine/EventClassifier.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace dockscope::engine {

namespace {

using Kind = EventWork::Kind;

// Container actions that leave every mirrored field as it was.
constexpr std::array<std::string_view, 13> kQuietContainerActions{
    "exec_create", "exec_start",   "exec_die", "exec_detach",    "attach", "detach",    "resize",
    "top",         "archive-path", "copy",     "extract-to-dir", "export", "checkpoint"};

bool quiet(std::string_view action)
{
    return std::find(kQuietContainerActions.begin(), kQuietContainerActions.end(), action) !=
           kQuietContainerActions.end();
}

EventWork markOrRelist(Kind kind, const state::DockerEvent& e)
{
    EventWork work;
    if (e.action == "prune" || e.actorId.empty())
        work.relist.push_back(kind);
    else
        work.dirty.push_back({kind, e.actorId});
    return work;
}

EventWork containerWork(const state::DockerEvent& e)
{
    if (quiet(e.action))
        return {};
    EventWork work = markOrRelist(Kind::Container, e);
    if (e.action == "commit") // a new image appeared; the commit event is the only word of it
        work.relist.push_back(Kind::Image);
    return work;
}

EventWork imageWork(const state::DockerEvent& e)
{
    if (e.action == "push" || e.action == "save")
        return {};
    // Moving a tag to another image says nothing of the image that lost it, and `untag` names the image, not
    // the tag: one list of images is cheaper and surer than inspecting what the event names.
    EventWork work;
    work.relist.push_back(Kind::Image);
    return work;
}

EventWork volumeWork(const state::DockerEvent& e)
{
    // usedBy is derived from the containers' mounts, so mount/unmount change nothing here.
    if (e.action == "mount" || e.action == "unmount")
        return {};
    return markOrRelist(Kind::Volume, e);
}

EventWork networkWork(const state::DockerEvent& e)
{
    if (e.action == "connect" || e.action == "disconnect") {
        // The container's `networks` changed; network.containers is derived from it.
        const auto it = e.attributes.find("container");
        EventWork work;
        if (it != e.attributes.end() && !it->second.empty())
            work.dirty.push_back({Kind::Container, it->second});
        return work;
    }
    return markOrRelist(Kind::Network, e);
}

} // namespace

EventWork classifyEvent(const state::DockerEvent& e)
{
    if (e.type == "container")
        return containerWork(e);
    if (e.type == "image")
        return imageWork(e);
    if (e.type == "volume")
        return volumeWork(e);
    if (e.type == "network")
        return networkWork(e);
    if (e.type == "daemon") {
        EventWork work;
        work.rereadInfo = true;
        return work;
    }
    return {}; // plugin, service, node, secret, config: not mirrored
}

} // namespace dockscope::engine
