#pragma once

#include "dockscope/protocol/Messages.h"
#include "dockscope/state/Container.h"
#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/StateChange.h"
#include "dockscope/state/Volume.h"

#include <string_view>

// What a subscription sees (Messages.h `Filter`, docs/protocol.md "Filters"): the server applies these to
// every entity and event; a client may apply them to show the same selection locally.
namespace dockscope::protocol {

/// Shell-style glob on bytes: `*` any run (also empty), `?` one byte, `[abc]`, `[a-z]`, `[!x]` or `[^x]` one
/// byte of (not of) the set, `\c` the byte c itself. A `[` without its `]` and a trailing `\` stand for
/// themselves. The whole text must match. Runs in O(|pattern| × |text|) at worst, whatever the pattern.
bool globMatch(std::string_view pattern, std::string_view text);

/// Whether the entity or event passes `filter`; an empty filter passes everything.
/// - containers: name on the name, labels on the labels, composeProject on the composeProject field;
/// - images: name on any of the repoTags (no tag: no match), labels, composeProject on the label
///   com.docker.compose.project;
/// - volumes, networks: name, labels, composeProject on that label;
/// - events: name on the actor attribute "name", labels on the actor attributes, composeProject on the
///   attribute com.docker.compose.project.
bool matches(const Filter& filter, const state::Container& container);
bool matches(const Filter& filter, const state::Image& image);
bool matches(const Filter& filter, const state::Volume& volume);
bool matches(const Filter& filter, const state::Network& network);
bool matches(const Filter& filter, const state::DockerEvent& event);

/// Whether the subscription covers entities of `kind`: containers → Container, images → Image, volumes →
/// Volume, networks → Network, engine → Engine. (The events topic covers no entity kind.)
bool subscribes(const Subscription& subscription, state::EntityKind kind);

/// The label Docker Compose puts on what it creates, naming the project.
inline constexpr std::string_view kComposeProjectLabel = "com.docker.compose.project";

} // namespace dockscope::protocol
