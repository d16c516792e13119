#include "dockscope/protocol/Filter.h"

#include <algorithm>
#include <utility>

namespace dockscope::protocol {

namespace {

using Element = std::pair<bool, std::size_t>; // matched, length of the pattern element

bool inClass(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

// The bracket expression at pattern[at] == '[' tested on `c`; {false, 0} when it has no closing ']'.
Element matchClass(std::string_view pattern, std::size_t at, unsigned char c)
{
    std::size_t i = at + 1;
    const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
    if (negate)
        ++i;
    bool found = false;
    bool first = true;
    while (i < pattern.size() && (pattern[i] != ']' || first)) {
        first = false;
        if (pattern[i] == '\\' && i + 1 < pattern.size())
            ++i;
        const auto lo = static_cast<unsigned char>(pattern[i]);
        auto hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            i += 2;
            if (pattern[i] == '\\' && i + 1 < pattern.size())
                ++i;
            hi = static_cast<unsigned char>(pattern[i]);
        }
        found = found || inClass(c, lo, hi);
        ++i;
    }
    if (i >= pattern.size())
        return {false, 0};
    return {found != negate, i + 1 - at};
}

// The one pattern element (never a '*') at pattern[at], tested on `c`.
Element matchOne(std::string_view pattern, std::size_t at, unsigned char c)
{
    switch (pattern[at]) {
    case '?':
        return {true, 1};
    case '\\':
        if (at + 1 < pattern.size())
            return {static_cast<unsigned char>(pattern[at + 1]) == c, 2};
        return {c == '\\', 1};
    case '[': {
        const Element element = matchClass(pattern, at, c);
        if (element.second != 0)
            return element;
        return {c == '[', 1};
    }
    default:
        return {static_cast<unsigned char>(pattern[at]) == c, 1};
    }
}

bool labelsMatch(const Filter& filter, const state::Labels& labels)
{
    return std::all_of(filter.labels.begin(), filter.labels.end(), [&](const auto& wanted) {
        const auto it = labels.find(wanted.first);
        return it != labels.end() && (!wanted.second || it->second == *wanted.second);
    });
}

std::string_view labelOf(const state::Labels& labels, std::string_view key)
{
    const auto it = labels.find(std::string(key));
    return it == labels.end() ? std::string_view() : std::string_view(it->second);
}

// Name criteria on an optional name (an event without a "name" attribute has none).
bool nameMatches(const Filter& filter, const std::string* name)
{
    return !filter.name || (name && globMatch(*filter.name, *name));
}

bool othersMatch(const Filter& filter, const state::Labels& labels, std::string_view project)
{
    return labelsMatch(filter, labels) && (!filter.composeProject || *filter.composeProject == project);
}

} // namespace

// The classic iterative wildcard match: on a mismatch, only the most recent '*' is retried one byte further
// on. Earlier stars never need retrying, because every other element matches exactly one byte; so no pattern
// can make it backtrack exponentially.
bool globMatch(std::string_view pattern, std::string_view text)
{
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t starP = std::string_view::npos;
    std::size_t starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            while (p < pattern.size() && pattern[p] == '*')
                ++p;
            starP = p;
            starT = t;
            continue;
        }
        if (p < pattern.size()) {
            const auto [matched, length] = matchOne(pattern, p, static_cast<unsigned char>(text[t]));
            if (matched) {
                p += length;
                ++t;
                continue;
            }
        }
        if (starP == std::string_view::npos)
            return false;
        p = starP;
        t = ++starT;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool matches(const Filter& filter, const state::Container& container)
{
    return nameMatches(filter, &container.name) &&
           othersMatch(filter, container.labels, container.composeProject);
}

bool matches(const Filter& filter, const state::Image& image)
{
    const bool named =
        !filter.name || std::any_of(image.repoTags.begin(), image.repoTags.end(),
                                    [&](const std::string& tag) { return globMatch(*filter.name, tag); });
    return named && othersMatch(filter, image.labels, labelOf(image.labels, kComposeProjectLabel));
}

bool matches(const Filter& filter, const state::Volume& volume)
{
    return nameMatches(filter, &volume.name) &&
           othersMatch(filter, volume.labels, labelOf(volume.labels, kComposeProjectLabel));
}

bool matches(const Filter& filter, const state::Network& network)
{
    return nameMatches(filter, &network.name) &&
           othersMatch(filter, network.labels, labelOf(network.labels, kComposeProjectLabel));
}

bool matches(const Filter& filter, const state::DockerEvent& event)
{
    const auto name = event.attributes.find("name");
    return nameMatches(filter, name == event.attributes.end() ? nullptr : &name->second) &&
           othersMatch(filter, event.attributes, labelOf(event.attributes, kComposeProjectLabel));
}

bool subscribes(const Subscription& subscription, state::EntityKind kind)
{
    switch (kind) {
    case state::EntityKind::Container:
        return subscription.topics.count(Topic::Containers) != 0;
    case state::EntityKind::Image:
        return subscription.topics.count(Topic::Images) != 0;
    case state::EntityKind::Volume:
        return subscription.topics.count(Topic::Volumes) != 0;
    case state::EntityKind::Network:
        return subscription.topics.count(Topic::Networks) != 0;
    case state::EntityKind::Engine:
        return subscription.topics.count(Topic::Engine) != 0;
    }
    return false;
}

} // namespace dockscope::protocol
