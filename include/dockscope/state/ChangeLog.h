#pragma once

#include "dockscope/state/Batch.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace dockscope::state {

/// The recent committed batches, for clients that resume (DESIGN.md "Wire protocol v1", Resume). Bounded both
/// by the number of changes and by bytes (each batch's JSON size, measured once on append); the oldest
/// batches go first. It covers the versions [oldest from, newest to]; one batch alone past a bound is not
/// kept either, which leaves only the newest version covered.
class ChangeLog {
public:
    /// `startVersion` is the state's version when the log starts: the first batch must apply on it.
    /// `sparse`: the log of a filtered view (EngineState::applySparse), whose batches may span more versions
    /// than they hold changes.
    ChangeLog(std::size_t maxChanges, std::size_t maxBytes, std::uint64_t startVersion = 0,
              bool sparse = false);

    /// Appends the next batch. Returns false (and asserts in debug builds) if it does not continue the log:
    /// that is a programming error. Empty batches are accepted and not stored.
    bool append(std::shared_ptr<const Batch> batch);

    /// The batches after `version`, oldest first: empty when `version` is the newest; nullopt when it fell
    /// out of the log, is in the future or lies inside a batch.
    std::optional<std::vector<std::shared_ptr<const Batch>>> since(std::uint64_t version) const;

    std::uint64_t oldestVersion() const { return oldest_; }
    std::uint64_t newestVersion() const { return newest_; }
    std::size_t batchCount() const { return entries_.size(); }
    std::size_t changeCount() const { return changes_; }
    std::size_t byteCount() const { return bytes_; }

private:
    struct Entry {
        std::shared_ptr<const Batch> batch;
        std::size_t bytes = 0;
    };

    void evict();

    std::size_t maxChanges_;
    bool sparse_;
    std::size_t maxBytes_;
    std::uint64_t oldest_;
    std::uint64_t newest_;
    std::deque<Entry> entries_;
    std::size_t changes_ = 0;
    std::size_t bytes_ = 0;
};

} // namespace dockscope::state
