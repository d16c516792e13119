#pragma once
// The normalized view every strategy keeps, and the expectations the driver's operations are checked against.
#include "dockscope/state/Container.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/Volume.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace dockscope::bench {

struct ContainerView {
    std::string name;
    std::string state;
    std::vector<std::string> networks; ///< names, sorted

    bool operator==(const ContainerView&) const = default;
};

/// What a client shows: containers (name, state, networks), images (id -> tags), volumes, networks (id ->
/// name). Attachments are the containers' network lists (Docker's network list does not carry them).
struct View {
    std::map<std::string, ContainerView> containers;
    std::map<std::string, std::vector<std::string>> images; ///< id -> sorted tags
    std::map<std::string, std::string> tags;                ///< "repo:tag" -> image id
    std::set<std::string> volumes;
    std::map<std::string, std::string> networks; ///< id -> name

    bool operator==(const View&) const = default;

    void setContainer(const state::Container& container);
    void setImage(const state::Image& image);
    void removeImage(const std::string& id);
    void setNetwork(const state::Network& network) { networks[network.id] = network.name; }
};

View viewOf(const std::vector<state::Container>& containers, const std::vector<state::Image>& images,
            const std::vector<state::Volume>& volumes, const std::vector<state::Network>& networks);

/// The keys of the entities that differ between two views: "c/ID", "i/ID", "t/REPO:TAG", "v/NAME", "n/ID".
std::vector<std::string> changedKeys(const View& before, const View& after);
/// A short human description of how two views differ (at most `limit` entries).
std::string describeDifference(const View& shown, const View& truth, std::size_t limit = 5);

/// A view holding only the entity named by `key` (as changedKeys() names it), as `view` shows it.
View entityView(const View& view, const std::string& key);

/// The entity key an expectation is about.
std::string expectationKey(const nlohmann::json& expect);
/// Does the view show the expected effect?
bool satisfied(const View& view, const nlohmann::json& expect);

} // namespace dockscope::bench
