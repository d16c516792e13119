// The discovery file: read when good, refused with a clear error when missing, malformed or readable by
// others; and the replica finds the daemon through it.
#include "ReplicaFixture.h"

#include <QFile>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace dockscope;
using namespace dockscope::client;
using namespace dockscope::client::testing;
using nlohmann::json;

namespace {

class Discovery : public ReplicaFixture {
protected:
    QString write(const json& content, mode_t mode = 0600) { return writeBytes(content.dump(), mode); }

    QString writeBytes(const std::string& bytes, mode_t mode = 0600)
    {
        const QString path = dir.filePath(QStringLiteral("daemon.json"));
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes.data(), static_cast<qint64>(bytes.size()));
        file.close();
        EXPECT_EQ(::chmod(QFile::encodeName(path).constData(), mode), 0);
        return path;
    }

    json good() const
    {
        return json{{"url", server.url().toString().toStdString()},
                    {"token", kToken.toStdString()},
                    {"pid", 4242},
                    {"epoch", kEpoch},
                    {"version", 1}};
    }

    std::string refusal(const QString& path)
    {
        QString error;
        EXPECT_FALSE(readDiscoveryFile(path, &error).has_value());
        EXPECT_FALSE(error.isEmpty());
        return error.toStdString();
    }

    QTemporaryDir dir;
};

} // namespace

TEST_F(Discovery, ReadsAGoodFile)
{
    QString error;
    const auto address = readDiscoveryFile(write(good()), &error);
    ASSERT_TRUE(address.has_value()) << error.toStdString();
    EXPECT_EQ(address->url, server.url());
    EXPECT_EQ(address->token, kToken);
    EXPECT_EQ(address->pid, 4242);
    EXPECT_EQ(address->epoch, kEpoch);
    EXPECT_TRUE(readDiscoveryFile(write(good(), 0400)).has_value()) << "stricter than 0600 is fine";
}

TEST_F(Discovery, AMissingFileSaysSo)
{
    const std::string error = refusal(dir.filePath(QStringLiteral("nothing.json")));
    EXPECT_NE(error.find("no discovery file"), std::string::npos) << error;
    EXPECT_NE(error.find("nothing.json"), std::string::npos) << error;
}

TEST_F(Discovery, AMalformedFileIsRefused)
{
    EXPECT_NE(refusal(writeBytes("{\"url\": ")).find("malformed"), std::string::npos);
    EXPECT_NE(refusal(writeBytes("[1, 2]")).find("malformed"), std::string::npos);
    json noToken = good();
    noToken.erase("token");
    EXPECT_NE(refusal(write(noToken)).find("token"), std::string::npos);
    json badUrl = good();
    badUrl["url"] = "http://127.0.0.1:1/";
    EXPECT_NE(refusal(write(badUrl)).find("ws://"), std::string::npos);
    json future = good();
    future["version"] = 2;
    EXPECT_NE(refusal(write(future)).find("version 2"), std::string::npos);
    EXPECT_NE(refusal(writeBytes(std::string(100000, ' '))).find("too large"), std::string::npos);
}

TEST_F(Discovery, AFileReadableByOthersIsRefused)
{
    for (const mode_t mode : {mode_t{0644}, mode_t{0640}, mode_t{0604}, mode_t{0620}}) {
        const std::string error = refusal(write(good(), mode));
        EXPECT_NE(error.find("0600"), std::string::npos) << error;
        EXPECT_NE(error.find("refused"), std::string::npos) << error;
        EXPECT_EQ(error.find(kToken.toStdString()), std::string::npos) << "the token is never echoed";
    }
    const std::string error = refusal(write(good(), 0644));
    EXPECT_NE(error.find("0644"), std::string::npos) << error;
}

TEST_F(Discovery, TheDefaultPathFollowsXdgRuntimeDir)
{
    const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
    const bool had = qEnvironmentVariableIsSet("XDG_RUNTIME_DIR");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(dir.path()));
    EXPECT_EQ(defaultDiscoveryFile(), dir.path() + QStringLiteral("/dockscope/daemon.json"));
    const QString home = QDir::homePath() + QStringLiteral("/.local/state/dockscope/daemon.json");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(dir.filePath(QStringLiteral("gone"))));
    EXPECT_EQ(defaultDiscoveryFile(), home)
        << "a runtime dir that does not exist is not used (as the daemon)";
    qunsetenv("XDG_RUNTIME_DIR");
    EXPECT_EQ(defaultDiscoveryFile(),
              QDir::homePath() + QStringLiteral("/.local/state/dockscope/daemon.json"));
    if (had)
        qputenv("XDG_RUNTIME_DIR", saved);
}

TEST_F(Discovery, TheReplicaConnectsThroughTheFile)
{
    Replica::Options opts = options();
    opts.url = QUrl();
    opts.token.clear();
    opts.discoveryFile = write(good());
    startReplica(opts);
    const protocol::Hello hello = awaitHello();
    EXPECT_EQ(hello.token, kToken.toStdString());
    connectLive();
}

TEST_F(Discovery, TheReplicaReportsAnInsecureFile)
{
    Replica::Options opts = options();
    opts.url = QUrl();
    opts.discoveryFile = write(good(), 0644);
    opts.reconnect = false;
    startReplica(opts);
    EXPECT_EQ(replica->status(), Replica::Status::Disconnected);
    EXPECT_TRUE(replica->lastError().contains(QStringLiteral("0644"))) << replica->lastError().toStdString();
    EXPECT_EQ(server.connections(), 0);
}

TEST_F(Discovery, TheReplicaWaitsForTheFileToAppear)
{
    Replica::Options opts = options();
    opts.url = QUrl();
    opts.discoveryFile = dir.filePath(QStringLiteral("daemon.json"));
    startReplica(opts);
    ASSERT_TRUE(waitFor([&] { return replica->stats().reconnects >= 1; }));
    EXPECT_EQ(replica->status(), Replica::Status::Connecting);
    write(good());
    connectLive();
}
