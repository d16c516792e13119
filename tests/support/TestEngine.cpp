#include "support/TestEngine.h"

#include <QProcess>
#include <QTcpServer>
#include <QThread>

#include <gtest/gtest.h>

#include <atomic>
#include <unistd.h>

namespace dockscope::test {

namespace {
const char* const kScript = DOCKSCOPE_SOURCE_DIR "/scripts/test-dockerd.sh";
}

docker::Endpoint sharedEngine()
{
    const QByteArray fromEnv = qgetenv("DOCKSCOPE_TEST_DOCKER_HOST");
    const std::string url =
        fromEnv.isEmpty() ? std::string(DOCKSCOPE_TEST_DOCKER_HOST) : fromEnv.toStdString();
    auto endpoint = docker::Endpoint::parse(url);
    EXPECT_TRUE(endpoint.has_value()) << "bad test engine URL " << url;
    if (!endpoint)
        return {};
    docker::DockerClient probe({*endpoint});
    const auto ping = await<docker::ApiVersion>([&](auto cb) { probe.ping(nullptr, cb); }, 10s);
    EXPECT_TRUE(ping.ok())
        << "No Docker engine answers at " << url
        << " (the CTest fixture dockerd.start should have started it; run the tests through "
           "ctest, or start one with scripts/test-dockerd.sh start DIR and set "
           "DOCKSCOPE_TEST_DOCKER_HOST): "
        << (ping.ok() ? std::string() : ping.error().describe());
    return *endpoint;
}

std::string uniqueName(const std::string& prefix)
{
    static std::atomic<int> counter{0};
    return "dstest-" + prefix + '-' + std::to_string(::getpid()) + '-' + std::to_string(++counter);
}

nlohmann::json busyboxConfig(const std::vector<std::string>& command, bool tty)
{
    return {{"Image", "dockscope-test/busybox:latest"},
            {"Cmd", command},
            {"Tty", tty},
            {"Labels", {{"dockscope.test", "1"}}},
            {"HostConfig", {{"NetworkMode", "none"}}}};
}

nlohmann::json healthyThenUnhealthyConfig()
{
    auto config = busyboxConfig({"sh", "-c", "touch /tmp/ok; sleep 3; rm /tmp/ok; sleep 300"});
    config["Healthcheck"] = {{"Test", {"CMD", "test", "-f", "/tmp/ok"}},
                             {"Interval", 200'000'000},
                             {"Timeout", 1'000'000'000},
                             {"Retries", 1}};
    return config;
}

std::string createContainer(docker::DockerClient& client, const std::string& name,
                            const std::vector<std::string>& command, bool start, bool tty)
{
    const auto id = await<std::string>(
        [&](auto cb) { client.createContainer(name, busyboxConfig(command, tty), nullptr, cb); });
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().describe());
    if (!id.ok())
        return {};
    if (start) {
        const auto started = await<docker::Done>([&](auto cb) { client.startContainer(*id, nullptr, cb); });
        EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().describe());
    }
    return *id;
}

PrivateEngine::PrivateEngine(const std::string& name)
    : m_dir("/tmp/dstest-" + name + '-' + std::to_string(::getpid()))
{}

PrivateEngine::~PrivateEngine()
{
    script("stop");
}

bool PrivateEngine::script(const char* command)
{
    QProcess process;
    if (m_tlsPort != 0) {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TLS_PORT"), QString::number(m_tlsPort));
        process.setProcessEnvironment(env);
    }
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QString::fromUtf8(kScript), {QString::fromUtf8(command), QString::fromStdString(m_dir)});
    // Test code only: blocking here is fine, there is no GUI to freeze.
    return process.waitForFinished(180000) && process.exitStatus() == QProcess::NormalExit &&
           process.exitCode() == 0;
}

bool PrivateEngine::start()
{
    return script("start");
}
bool PrivateEngine::kill()
{
    return script("kill");
}

docker::Endpoint PrivateEngine::endpoint() const
{
    return *docker::Endpoint::parse("unix://" + m_dir + "/docker.sock");
}

int freeTcpPort()
{
    QTcpServer probe;
    EXPECT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    return probe.serverPort();
}

} // namespace dockscope::test
