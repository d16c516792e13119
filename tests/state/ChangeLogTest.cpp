#include "dockscope/state/ChangeLog.h"
#include "dockscope/state/StateCodec.h"

#include <gtest/gtest.h>

using namespace dockscope::state;

namespace {

using Batches = std::vector<std::shared_ptr<const Batch>>;

// A batch of `n` removals starting at `from` (the log does not look inside changes, only counts them).
std::shared_ptr<const Batch> batchOf(std::uint64_t from, std::size_t n)
{
    auto batch = std::make_shared<Batch>();
    batch->from = from;
    batch->to = from + n;
    for (std::size_t i = 0; i < n; ++i)
        batch->changes.push_back(
            {EntityKind::Container, ChangeOp::Removed, "c" + std::to_string(from + i), {}, {}});
    return batch;
}

// Appends batches of the given sizes from version 0; returns them.
Batches fill(ChangeLog& log, const std::vector<std::size_t>& sizes)
{
    Batches all;
    std::uint64_t version = 0;
    for (std::size_t n : sizes) {
        all.push_back(batchOf(version, n));
        EXPECT_TRUE(log.append(all.back()));
        version += n;
    }
    return all;
}

} // namespace

TEST(ChangeLog, ServesExactlyTheSuffixAfterAVersion)
{
    ChangeLog log(1000, 1 << 20);
    const Batches all = fill(log, {1, 3, 2, 5, 1});
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto got = log.since(all[i]->from);
        ASSERT_TRUE(got.has_value()) << "version " << all[i]->from;
        EXPECT_EQ(*got, Batches(all.begin() + static_cast<std::ptrdiff_t>(i), all.end()));
    }
    EXPECT_EQ(log.oldestVersion(), 0u);
    EXPECT_EQ(log.newestVersion(), 12u);
}

TEST(ChangeLog, CurrentVersionGivesAnEmptyListAndOthersNothing)
{
    ChangeLog log(1000, 1 << 20);
    fill(log, {2, 2});
    const auto current = log.since(4);
    ASSERT_TRUE(current.has_value());
    EXPECT_TRUE(current->empty());
    EXPECT_FALSE(log.since(5).has_value()) << "a future version";
    EXPECT_FALSE(log.since(1).has_value()) << "inside a batch: no client can be there";
    ChangeLog fresh(10, 1000, 7);
    ASSERT_TRUE(fresh.since(7).has_value());
    EXPECT_TRUE(fresh.since(7)->empty());
    EXPECT_FALSE(fresh.since(6).has_value());
}

TEST(ChangeLog, EvictsTheOldestBatchesPastTheChangeCount)
{
    ChangeLog log(10, 1 << 20);
    const Batches all = fill(log, {3, 3, 3, 3, 3});
    EXPECT_EQ(log.batchCount(), 3u);
    EXPECT_EQ(log.changeCount(), 9u);
    EXPECT_EQ(log.oldestVersion(), 6u);
    EXPECT_FALSE(log.since(3).has_value()) << "fell out";
    EXPECT_FALSE(log.since(0).has_value()) << "fell out";
    EXPECT_EQ(*log.since(6), Batches(all.begin() + 2, all.end()));
}

TEST(ChangeLog, EvictsTheOldestBatchesPastTheByteBound)
{
    const std::size_t one = toJson(*batchOf(0, 2)).dump().size();
    ChangeLog log(1000, one * 5 / 2);
    const Batches all = fill(log, {2, 2, 2, 2});
    EXPECT_EQ(log.batchCount(), 2u);
    EXPECT_LE(log.byteCount(), one * 5 / 2);
    EXPECT_EQ(log.oldestVersion(), 4u);
    EXPECT_FALSE(log.since(2).has_value());
    EXPECT_EQ(*log.since(4), Batches(all.begin() + 2, all.end()));
}

TEST(ChangeLog, ABatchAlonePastABoundIsNotKept)
{
    ChangeLog log(3, 1 << 20);
    fill(log, {2, 5});
    EXPECT_EQ(log.batchCount(), 0u);
    EXPECT_EQ(log.oldestVersion(), 7u);
    EXPECT_FALSE(log.since(2).has_value());
    EXPECT_TRUE(log.since(7)->empty());
    EXPECT_TRUE(log.append(batchOf(7, 1)));
    EXPECT_EQ(log.since(7)->size(), 1u);
}

TEST(ChangeLog, EmptyBatchesAreAcceptedButNotStored)
{
    ChangeLog log(10, 1 << 20);
    fill(log, {2});
    EXPECT_TRUE(log.append(batchOf(2, 0)));
    EXPECT_EQ(log.batchCount(), 1u);
}

TEST(ChangeLog, RefusesANonContiguousBatch)
{
    ChangeLog log(10, 1 << 20);
    fill(log, {2});
#ifdef NDEBUG
    EXPECT_FALSE(log.append(batchOf(3, 1)));
    EXPECT_FALSE(log.append(batchOf(1, 1)));
#else
    EXPECT_DEATH(log.append(batchOf(3, 1)), "does not continue");
#endif
    EXPECT_EQ(log.newestVersion(), 2u);
    EXPECT_EQ(log.batchCount(), 1u);
}
