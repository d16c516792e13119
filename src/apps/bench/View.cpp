#include "View.h"

#include <algorithm>

namespace dockscope::bench {

void View::setContainer(const state::Container& container)
{
    containers[container.id] =
        ContainerView{container.name, std::string(state::toString(container.state)), container.networks};
}

void View::setImage(const state::Image& image)
{
    removeImage(image.id);
    images[image.id] = image.repoTags;
    for (const auto& tag : image.repoTags)
        tags[tag] = image.id;
}

void View::removeImage(const std::string& id)
{
    const auto it = images.find(id);
    if (it == images.end())
        return;
    for (const auto& tag : it->second) {
        const auto t = tags.find(tag);
        if (t != tags.end() && t->second == id)
            tags.erase(t);
    }
    images.erase(it);
}

View viewOf(const std::vector<state::Container>& containers, const std::vector<state::Image>& images,
            const std::vector<state::Volume>& volumes, const std::vector<state::Network>& networks)
{
    View view;
    for (const auto& c : containers)
        view.setContainer(c);
    for (const auto& i : images)
        view.setImage(i);
    for (const auto& v : volumes)
        view.volumes.insert(v.name);
    for (const auto& n : networks)
        view.setNetwork(n);
    return view;
}

namespace {

template <typename Map, typename Same>
void diffMaps(const Map& a, const Map& b, const std::string& prefix, Same same, std::vector<std::string>& out)
{
    auto i = a.begin();
    auto j = b.begin();
    const auto keyOf = [](const auto& it) -> const std::string& {
        if constexpr (std::is_same_v<std::decay_t<decltype(*it)>, std::string>)
            return *it;
        else
            return it->first;
    };
    while (i != a.end() || j != b.end()) {
        if (j == b.end() || (i != a.end() && keyOf(i) < keyOf(j))) {
            out.push_back(prefix + keyOf(i++));
        } else if (i == a.end() || keyOf(j) < keyOf(i)) {
            out.push_back(prefix + keyOf(j++));
        } else {
            if (!same(*i, *j))
                out.push_back(prefix + keyOf(i));
            ++i;
            ++j;
        }
    }
}

} // namespace

std::vector<std::string> changedKeys(const View& before, const View& after)
{
    std::vector<std::string> out;
    const auto eq = [](const auto& x, const auto& y) { return x == y; };
    diffMaps(before.containers, after.containers, "c/", eq, out);
    diffMaps(before.images, after.images, "i/", eq, out);
    diffMaps(before.tags, after.tags, "t/", eq, out);
    diffMaps(before.volumes, after.volumes, "v/", eq, out);
    diffMaps(before.networks, after.networks, "n/", eq, out);
    return out;
}

std::string describeDifference(const View& shown, const View& truth, std::size_t limit)
{
    const auto keys = changedKeys(shown, truth);
    std::string text = std::to_string(keys.size()) + " entities differ";
    for (std::size_t i = 0; i < keys.size() && i < limit; ++i)
        text += (i == 0 ? ": " : ", ") + keys[i];
    return text;
}

View entityView(const View& view, const std::string& key)
{
    View one;
    const std::string id = key.substr(2);
    switch (key[0]) {
    case 'c':
        if (const auto it = view.containers.find(id); it != view.containers.end())
            one.containers.insert(*it);
        break;
    case 'i':
        if (const auto it = view.images.find(id); it != view.images.end())
            one.images.insert(*it);
        break;
    case 't':
        if (const auto it = view.tags.find(id); it != view.tags.end())
            one.tags.insert(*it);
        break;
    case 'v':
        if (view.volumes.count(id))
            one.volumes.insert(id);
        break;
    case 'n':
        if (const auto it = view.networks.find(id); it != view.networks.end())
            one.networks.insert(*it);
        break;
    default:
        break;
    }
    return one;
}

std::string expectationKey(const nlohmann::json& expect)
{
    if (expect.contains("container"))
        return "c/" + expect["container"].get<std::string>();
    if (expect.contains("tag"))
        return "t/" + expect["tag"].get<std::string>();
    if (expect.contains("volume"))
        return "v/" + expect["volume"].get<std::string>();
    if (expect.contains("network"))
        return "n/" + expect["network"].get<std::string>();
    return {};
}

bool satisfied(const View& view, const nlohmann::json& expect)
{
    if (expect.contains("container")) {
        const auto it = view.containers.find(expect["container"].get<std::string>());
        if (expect.contains("gone"))
            return it == view.containers.end();
        if (it == view.containers.end())
            return false;
        if (expect.contains("state") && it->second.state != expect["state"].get<std::string>())
            return false;
        if (expect.contains("name") && it->second.name != expect["name"].get<std::string>())
            return false;
        if (expect.contains("attached")) {
            const auto& nets = it->second.networks;
            const bool attached =
                std::find(nets.begin(), nets.end(), expect["attachedTo"].get<std::string>()) != nets.end();
            return attached == expect["attached"].get<bool>();
        }
        return true;
    }
    const bool present = expect.value("present", true);
    if (expect.contains("tag")) {
        const auto it = view.tags.find(expect["tag"].get<std::string>());
        return present ? it != view.tags.end() && it->second == expect.value("image", it->second)
                       : it == view.tags.end();
    }
    if (expect.contains("volume"))
        return view.volumes.count(expect["volume"].get<std::string>()) == (present ? 1u : 0u);
    if (expect.contains("network"))
        return view.networks.count(expect["network"].get<std::string>()) == (present ? 1u : 0u);
    return false;
}

} // namespace dockscope::bench
