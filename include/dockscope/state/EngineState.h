#pragma once

#include "dockscope/state/Batch.h"
#include "dockscope/state/Container.h"
#include "dockscope/state/EngineInfo.h"
#include "dockscope/state/Image.h"
#include "dockscope/state/Network.h"
#include "dockscope/state/StateTransaction.h"
#include "dockscope/state/Timestamp.h"
#include "dockscope/state/Volume.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace dockscope::state {

/// The versioned mirror of one Docker engine (DESIGN.md "State, versions, consistency"). The engine side
/// mutates it with commit(); a replica with apply(). Both go through the same all-or-nothing apply code, so a
/// replica that accepted every batch holds exactly the source's entities, which the digest proves.
/// Not thread-safe: one owner thread.
class EngineState {
public:
    using ContainerMap = std::unordered_map<std::string, Container>;
    using ImageMap = std::unordered_map<std::string, Image>;
    using VolumeMap = std::unordered_map<std::string, Volume>; ///< keyed by volume name
    using NetworkMap = std::unordered_map<std::string, Network>;

    /// `epoch` identifies this incarnation of the state: the engine picks a random one per process start so
    /// that a client never resumes against a version of another incarnation.
    explicit EngineState(std::uint64_t epoch = 0);

    /// Turns desired end states into the changes against the current state (derived fields recomputed in the
    /// same batch), applies them and returns the batch. A transaction that changes nothing gives an empty
    /// batch (from == to) and leaves the version alone. Throws CodecError, leaving the state unchanged, if an
    /// entity cannot be encoded (a string that is not UTF-8).
    Batch commit(const StateTransaction& transaction, Timestamp now);

    /// Applies a batch received from the engine side. All or nothing: on refusal (wrong `from`, unknown or
    /// duplicate ids, undecodable values or diffs, a digest that does not match the result) the state is left
    /// exactly as it was, `*error` (if given) says why, and false is returned.
    bool apply(const Batch& batch, std::string* error);

    /// Like apply(), for a filtered view of another state (a subscription with a filter or a subset of
    /// kinds): versions are the source's, so a batch may span more versions than it holds changes
    /// (`to - from >= changes.size()`). Everything else is checked as by apply().
    bool applySparse(const Batch& batch, std::string* error);
    /// For the owner of a filtered view that builds its batches itself (the server): applies a sparse batch
    /// without a digest to check, then writes the resulting digest into it. All or nothing like apply().
    bool applyAndStamp(Batch& batch, std::string* error);

    /// Replaces everything, as a replica does on a snapshot. Map keys must equal the entities' ids (names for
    /// volumes); checkConsistency() reports it otherwise. Strong exception guarantee.
    void resetTo(std::uint64_t epoch, std::uint64_t version, ContainerMap containers, ImageMap images,
                 VolumeMap volumes, NetworkMap networks, std::optional<EngineInfo> engine);

    /// The snapshot form {epoch, version, digest, state: {containers, images, volumes, networks, engine}}
    /// (StateCodec.h); engine is null until the engine entity exists.
    nlohmann::json toJson() const;
    /// Decodes a snapshot; throws CodecError naming the field, also when the digest does not match.
    static EngineState fromJson(const nlohmann::json& snapshot);

    /// The digest computed from scratch (the incremental one is digest()).
    std::uint64_t recomputeDigest() const;
    /// Checks every invariant (derived fields, map keys, engine counts, incremental digest and indexes);
    /// returns one line per violation, empty when consistent.
    std::vector<std::string> checkConsistency() const;

    std::uint64_t epoch() const { return epoch_; }
    std::uint64_t version() const { return version_; }
    std::uint64_t digest() const { return digest_; }
    /// The `now` of the last commit that changed something; 0 on a replica.
    Timestamp lastChange() const { return lastChange_; }
    const ContainerMap& containers() const { return containers_; }
    const ImageMap& images() const { return images_; }
    const VolumeMap& volumes() const { return volumes_; }
    const NetworkMap& networks() const { return networks_; }
    const std::optional<EngineInfo>& engine() const { return engine_; }

private:
    struct Staged;
    struct Counts {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        bool operator==(const Counts&) const = default;
    };
    using IdSets = std::unordered_map<std::string, std::set<std::string>>;
    class Planner;

    bool applyBatch(const Batch& batch, bool checkDigest, bool sparse, std::string* error);
    std::vector<Staged> stage(const Batch& batch) const;
    Staged stageChange(const StateChange& change) const;
    Staged exchange(Staged staged);
    std::optional<std::uint64_t> hashOf(EntityKind kind, const std::string& id) const;
    void index(const Container& container, int sign);
    void index(const Network& network, int sign);
    void rebuildIndexes();
    std::vector<std::string> checkDerived() const;
    std::vector<std::string> checkIndexes() const;
    std::vector<std::string> checkHashes() const;

    std::uint64_t epoch_ = 0;
    std::uint64_t version_ = 0;
    std::uint64_t digest_ = 0;
    Timestamp lastChange_ = 0;
    ContainerMap containers_;
    ImageMap images_;
    VolumeMap volumes_;
    NetworkMap networks_;
    std::optional<EngineInfo> engine_;

    // Each entity's current hash, so that a removal subtracts it without re-encoding. Indexed by EntityKind.
    std::array<std::unordered_map<std::string, std::uint64_t>, 5> hashes_;
    // Reverse indexes over the containers, for the derived fields; keys need not name an existing entity.
    std::unordered_map<std::string, int> imageUsers_; ///< imageId -> containers using it
    IdSets volumeUsers_;                              ///< volume name -> container ids
    IdSets networkUsers_;                             ///< network name -> container ids
    IdSets networksByName_;                           ///< network name -> network ids
    Counts counts_;
};

} // namespace dockscope::state
