#include "dockscope/state/ChangeLog.h"

#include "dockscope/state/StateCodec.h"

#include <algorithm>
#include <cassert>

namespace dockscope::state {

ChangeLog::ChangeLog(std::size_t maxChanges, std::size_t maxBytes, std::uint64_t startVersion, bool sparse)
    : maxChanges_(maxChanges)
    , sparse_(sparse)
    , maxBytes_(maxBytes)
    , oldest_(startVersion)
    , newest_(startVersion)
{}

bool ChangeLog::append(std::shared_ptr<const Batch> batch)
{
    const bool contiguous = batch && batch->from == newest_ && batch->to >= batch->from &&
                            (sparse_ ? batch->to - batch->from >= batch->changes.size()
                                     : batch->to - batch->from == batch->changes.size());
    assert(contiguous && "ChangeLog::append: the batch does not continue the log");
    if (!contiguous)
        return false;
    if (batch->changes.empty())
        return true;
    const std::size_t bytes = toJson(*batch).dump().size();
    changes_ += batch->changes.size();
    bytes_ += bytes;
    newest_ = batch->to;
    entries_.push_back({std::move(batch), bytes});
    evict();
    return true;
}

void ChangeLog::evict()
{
    while (!entries_.empty() && (changes_ > maxChanges_ || bytes_ > maxBytes_)) {
        changes_ -= entries_.front().batch->changes.size();
        bytes_ -= entries_.front().bytes;
        entries_.pop_front();
    }
    oldest_ = entries_.empty() ? newest_ : entries_.front().batch->from;
}

std::optional<std::vector<std::shared_ptr<const Batch>>> ChangeLog::since(std::uint64_t version) const
{
    if (version < oldest_ || version > newest_)
        return std::nullopt;
    // Batches are contiguous, so their `from`s are sorted and `version` must be one of them (or the newest).
    const auto first = std::lower_bound(entries_.begin(), entries_.end(), version,
                                        [](const Entry& e, std::uint64_t v) { return e.batch->from < v; });
    if (first != entries_.end() && first->batch->from != version)
        return std::nullopt;
    if (first == entries_.end() && version != newest_)
        return std::nullopt;
    std::vector<std::shared_ptr<const Batch>> out;
    out.reserve(static_cast<std::size_t>(entries_.end() - first));
    for (auto it = first; it != entries_.end(); ++it)
        out.push_back(it->batch);
    return out;
}

} // namespace dockscope::state
