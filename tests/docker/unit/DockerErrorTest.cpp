#include "dockscope/docker/DockerError.h"

#include <gtest/gtest.h>

using dockscope::docker::DockerError;
using dockscope::docker::ErrorKind;

TEST(DockerError, MapsStatusesToKinds)
{
    EXPECT_EQ(DockerError::fromHttp(304, "").kind, ErrorKind::NotModified);
    EXPECT_EQ(DockerError::fromHttp(400, "{}").kind, ErrorKind::BadRequest);
    EXPECT_EQ(DockerError::fromHttp(404, "{}").kind, ErrorKind::NotFound);
    EXPECT_EQ(DockerError::fromHttp(409, "{}").kind, ErrorKind::Conflict);
    EXPECT_EQ(DockerError::fromHttp(500, "{}").kind, ErrorKind::ServerError);
    EXPECT_EQ(DockerError::fromHttp(503, "{}").kind, ErrorKind::ServerError);
    EXPECT_EQ(DockerError::fromHttp(418, "{}").kind, ErrorKind::HttpError);
}

TEST(DockerError, CarriesDockersMessage)
{
    const auto e = DockerError::fromHttp(404, R"({"message":"No such container: nope"})"
                                              "\n");
    EXPECT_EQ(e.httpStatus, 404);
    EXPECT_EQ(e.message, "No such container: nope");
    EXPECT_EQ(e.describe(), "not found (404): No such container: nope");
}

TEST(DockerError, FallsBackToPlainTextBodies)
{
    const auto e = DockerError::fromHttp(502, "Bad Gateway\r\n");
    EXPECT_EQ(e.message, "Bad Gateway");
    const auto notJsonObject = DockerError::fromHttp(500, R"(["message"])");
    EXPECT_EQ(notJsonObject.message, R"(["message"])");
}

TEST(DockerError, IsFalseOnlyWhenNone)
{
    EXPECT_FALSE(DockerError{});
    EXPECT_TRUE((DockerError{ErrorKind::Timeout, 0, "slow"}));
}
