// The Pull dialog's progress arithmetic (ui/PullDialog.h PullProgress): per-layer download and extraction
// summed to one bar, Docker's status lines, and a bar that never goes back. No engine.
#include "PullDialog.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using dockscope::ui::PullProgress;
using nlohmann::json;

namespace {

json piece(const char* status, const char* layer = "", std::int64_t current = 0, std::int64_t total = 0)
{
    return {{"status", status}, {"layer", layer}, {"current", current}, {"total", total}};
}

TEST(DialogPullProgressTest, SumsTheLayersIntoOneBar)
{
    PullProgress p;
    p.add(piece("Pulling from library/app", "1.0"));
    EXPECT_EQ(p.permille(), -1) << "busy until a size is known";
    EXPECT_EQ(p.layers(), 0) << "the tag on the first line is not a layer";
    EXPECT_EQ(p.text().toStdString(), "Pulling from library/app");

    p.add(piece("Pulling fs layer", "aaa"));
    p.add(piece("Pulling fs layer", "bbb"));
    p.add(piece("Waiting", "bbb"));
    EXPECT_EQ(p.layers(), 2);
    EXPECT_EQ(p.permille(), -1);

    p.add(piece("Downloading", "aaa", 250, 1000));
    // aaa: 250 of 2×1000 (download + extraction); bbb's size is not known yet.
    EXPECT_EQ(p.permille(), 125);
    EXPECT_EQ(p.bytesTotal(), 1000);
    p.add(piece("Downloading", "bbb", 0, 3000));
    EXPECT_EQ(p.permille(), 125) << "a newly known size does not move the bar back";
    p.add(piece("Downloading", "bbb", 1500, 3000));
    p.add(piece("Download complete", "aaa"));
    // (1000 + 1500) of 8000
    EXPECT_EQ(p.bytesDone(), 2500);
    EXPECT_EQ(p.permille(), 312);
    p.add(piece("Extracting", "aaa", 500, 1000));
    EXPECT_EQ(p.bytesDone(), 3000);
    EXPECT_EQ(p.text().toStdString(), "0 of 2 layers complete · 2.5 kB of 4 kB downloaded");
    p.add(piece("Pull complete", "aaa"));
    EXPECT_EQ(p.layersDone(), 1);
    p.add(piece("Verifying Checksum", "bbb"));
    p.add(piece("Download complete", "bbb"));
    p.add(piece("Extracting", "bbb", 3000, 3000));
    EXPECT_EQ(p.permille(), 1000);
    p.add(piece("Pull complete", "bbb"));
    EXPECT_EQ(p.layersDone(), 2);
    EXPECT_EQ(p.permille(), 1000);
    p.add(piece("Digest: sha256:0123"));
    p.add(piece("Status: Downloaded newer image for library/app:1.0"));
    EXPECT_EQ(p.lastStatus().toStdString(), "Status: Downloaded newer image for library/app:1.0");
    EXPECT_EQ(p.text().toStdString(), "2 of 2 layers complete · 4 kB of 4 kB downloaded");
}

TEST(DialogPullProgressTest, LayersThatExistAlreadyCountAsDone)
{
    PullProgress p;
    p.add(piece("Already exists", "aaa"));
    EXPECT_EQ(p.permille(), 1000) << "every layer is there";
    p.add(piece("Pulling fs layer", "bbb"));
    p.add(piece("Downloading", "bbb", 100, 400));
    EXPECT_EQ(p.permille(), 1000) << "never back";
    EXPECT_EQ(p.layersDone(), 1);
    EXPECT_EQ(p.text().toStdString(), "1 of 2 layers complete · 100 B of 400 B downloaded");
}

TEST(DialogPullProgressTest, IgnoresOddPieces)
{
    PullProgress p;
    p.add(json::array());
    p.add(json{{"status", "Downloading"}}); // no layer
    p.add(piece("Downloading", "aaa", -5, -1));
    EXPECT_EQ(p.layers(), 1);
    EXPECT_EQ(p.permille(), -1);
    EXPECT_EQ(p.bytesDone(), 0);
}

} // namespace
