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

std::string attribute(const state::DockerEvent& e, const std::string& key)
{
    const auto it = e.attributes.find(key);
    return it == e.attributes.end() ? std::string{} : it->second;
}

EventWork markOrRelist(Kind kind, const state::DockerEvent& e)
{
    EventWork work;
    if (e.action == "prune" || e.actorId.empty())
        work.relist.push_back(kind);
    else if (e.action == "destroy")
        work.removed.push_back({kind, e.actorId});
    else
        work.dirty.push_back({kind, e.actorId});
    return work;
}

// Docker copies a container's labels into its events' attributes, then sets `image` and `name` over them.
state::Container createdContainer(const state::DockerEvent& e)
{
    state::Container c;
    c.id = e.actorId;
    c.name = attribute(e, "name");
    c.image = attribute(e, "image");
    c.createdAt = e.timeNano;
    c.state = state::ContainerState::Created;
    for (const auto& [key, value] : e.attributes)
        if (key != "name" && key != "image")
            c.labels.emplace(key, value);
    if (const auto it = c.labels.find("com.docker.compose.project"); it != c.labels.end())
        c.composeProject = it->second;
    if (const auto it = c.labels.find("com.docker.compose.service"); it != c.labels.end())
        c.composeService = it->second;
    return c;
}

EventWork containerWork(const state::DockerEvent& e)
{
    if (quiet(e.action))
        return {};
    if (std::string name = attribute(e, "name");
        e.action == "rename" && !e.actorId.empty() && !name.empty()) {
        EventWork work;
        work.renamed = EventWork::Rename{e.actorId, std::move(name)};
        return work;
    }
    EventWork work = markOrRelist(Kind::Container, e);
    if (e.action == "create" && !e.actorId.empty() && !attribute(e, "name").empty())
        work.createdContainer = createdContainer(e);
    if (e.action == "commit") // a new image appeared; the commit event is the only word of it
        work.relist.push_back(Kind::Image);
    return work;
}

EventWork imageWork(const state::DockerEvent& e)
{
    if (e.action == "push" || e.action == "save")
        return {};
    EventWork work;
    // tag, untag and delete name the image they changed (a tag also names the tag, whose previous holder lost
    // it). Pulls, loads, imports and builds may move tags without a tag event: those re-list.
    if (e.action == "delete" && !e.actorId.empty()) {
        work.removed.push_back({Kind::Image, e.actorId});
        return work;
    }
    if ((e.action == "tag" || e.action == "untag") && !e.actorId.empty()) {
        work.dirty.push_back({Kind::Image, e.actorId});
        if (e.action == "tag")
            work.tag = attribute(e, "name");
        return work;
    }
    work.relist.push_back(Kind::Image);
    return work;
}

EventWork volumeWork(const state::DockerEvent& e)
{
    // usedBy is derived from the containers' mounts, so mount/unmount change nothing here.
    if (e.action == "mount" || e.action == "unmount")
        return {};
    EventWork work = markOrRelist(Kind::Volume, e);
    if (e.action == "create" && !e.actorId.empty()) {
        state::Volume v;
        v.name = e.actorId;
        v.driver = attribute(e, "driver");
        v.createdAt = e.timeNano;
        work.createdVolume = std::move(v);
    }
    return work;
}

EventWork networkWork(const state::DockerEvent& e)
{
    if (e.action == "connect" || e.action == "disconnect") {
        // The container's `networks` changed; network.containers is derived from it.
        EventWork work;
        if (std::string container = attribute(e, "container"); !container.empty())
            work.dirty.push_back({Kind::Container, std::move(container)});
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
