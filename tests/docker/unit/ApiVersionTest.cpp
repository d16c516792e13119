#include "dockscope/docker/ApiVersion.h"

#include <gtest/gtest.h>

using dockscope::docker::ApiVersion;

TEST(ApiVersion, ParsesAndPrints)
{
    const auto v = ApiVersion::parse("1.41");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->major, 1);
    EXPECT_EQ(v->minor, 41);
    EXPECT_EQ(v->toString(), "1.41");
    EXPECT_EQ(ApiVersion::parse("1.52")->toString(), "1.52");
}

TEST(ApiVersion, RejectsMalformed)
{
    for (const char* bad : {"", "1", "1.", ".41", "1.4a", "v1.41", "1.41.0", "-1.41", "1.-4"})
        EXPECT_FALSE(ApiVersion::parse(bad).has_value()) << bad;
}

TEST(ApiVersion, OrdersNumericallyNotLexically)
{
    EXPECT_LT(*ApiVersion::parse("1.9"), *ApiVersion::parse("1.41"));
    EXPECT_LT(*ApiVersion::parse("1.41"), *ApiVersion::parse("2.0"));
}

TEST(ApiVersion, NegotiatesTheLowerOfEngineAndOurs)
{
    EXPECT_EQ(ApiVersion::negotiate({1, 41}), (ApiVersion{1, 41}));
    EXPECT_EQ(ApiVersion::negotiate({1, 45}), (ApiVersion{1, 45}));
    EXPECT_EQ(ApiVersion::negotiate({1, 60}), ApiVersion::maximumUsed());
    EXPECT_FALSE(ApiVersion::negotiate({1, 40}).has_value());
    EXPECT_FALSE(ApiVersion::negotiate({1, 12}).has_value());
}
