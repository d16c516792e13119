#include "dockscope/protocol/Messages.h"

#include <array>

namespace dockscope::protocol {

namespace {

constexpr std::array<std::string_view, 2> kEncodings{"json", "msgpack"};
constexpr std::array<std::string_view, 6> kTopics{"containers", "images", "volumes",
                                                  "networks",   "engine", "events"};
constexpr std::array<std::string_view, 4> kActionKinds{"container", "image", "volume", "network"};
constexpr std::array<std::string_view, 2> kStreamWhats{"logs", "stats"};

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view text)
{
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == text)
            return static_cast<Enum>(i);
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view nameOf(const std::array<std::string_view, N>& names, Enum value)
{
    return names.at(static_cast<std::size_t>(value));
}

} // namespace

std::string_view toString(Encoding encoding)
{
    return nameOf(kEncodings, encoding);
}

std::optional<Encoding> encodingFromString(std::string_view text)
{
    return lookup<Encoding>(kEncodings, text);
}

std::string_view toString(Topic topic)
{
    return nameOf(kTopics, topic);
}

std::optional<Topic> topicFromString(std::string_view text)
{
    return lookup<Topic>(kTopics, text);
}

std::string_view toString(ActionKind kind)
{
    return nameOf(kActionKinds, kind);
}

std::optional<ActionKind> actionKindFromString(std::string_view text)
{
    return lookup<ActionKind>(kActionKinds, text);
}

std::string_view toString(StreamWhat what)
{
    return nameOf(kStreamWhats, what);
}

std::optional<StreamWhat> streamWhatFromString(std::string_view text)
{
    return lookup<StreamWhat>(kStreamWhats, text);
}

Subscription Subscription::everything()
{
    return Subscription{
        {Topic::Containers, Topic::Images, Topic::Volumes, Topic::Networks, Topic::Engine, Topic::Events},
        {}};
}

bool Snapshot::operator==(const Snapshot& other) const
{
    const state::EngineState& a = state;
    const state::EngineState& b = other.state;
    return a.epoch() == b.epoch() && a.version() == b.version() && a.digest() == b.digest() &&
           a.containers() == b.containers() && a.images() == b.images() && a.volumes() == b.volumes() &&
           a.networks() == b.networks() && a.engine() == b.engine();
}

} // namespace dockscope::protocol
