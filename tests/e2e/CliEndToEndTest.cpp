// dockscoped and dockscope-cli as processes, against the real private dockerd: the discovery file, state,
// watch, actions by name and id prefix, logs, and every exit code a script relies on.
#include "support/TestEngine.h"

#include "dockscope/docker/DockerClient.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using nlohmann::json;

namespace {

const QString kDaemon = QStringLiteral(DOCKSCOPE_DAEMON_PATH);
const QString kCli = QStringLiteral(DOCKSCOPE_CLI_PATH);

struct CliRun {
    int code = -1;
    std::string out;
    std::string err;
};

std::ostream& operator<<(std::ostream& os, const CliRun& run)
{
    return os << "exit " << run.code << "\nstdout: " << run.out << "\nstderr: " << run.err;
}

class CliEndToEnd : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_endpoint = sharedEngine();
        m_docker = std::make_unique<DockerClient>(DockerClient::Options{m_endpoint});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { m_docker->negotiate(nullptr, cb); }).ok());
        ASSERT_TRUE(m_dir.isValid());
        m_discovery = m_dir.path() + QStringLiteral("/daemon.json");
        startDaemon();
    }

    void TearDown() override
    {
        for (const std::string& id : m_containers)
            await<docker::Done>([&](auto cb) { m_docker->removeContainer(id, true, true, nullptr, cb); });
        if (m_daemon.state() == QProcess::NotRunning)
            return;
        m_daemon.terminate();
        const bool finished = m_daemon.waitForFinished(15000);
        if (!finished) {
            m_daemon.kill();
            m_daemon.waitForFinished(5000);
        }
        EXPECT_TRUE(finished && m_daemon.exitStatus() == QProcess::NormalExit && m_daemon.exitCode() == 0)
            << "dockscoped did not exit cleanly on SIGTERM: "
            << m_daemon.readAllStandardError().toStdString();
        EXPECT_FALSE(QFile::exists(m_discovery)) << "dockscoped left its discovery file behind";
    }

    void startDaemon()
    {
        m_daemon.setProcessChannelMode(QProcess::SeparateChannels);
        m_daemon.start(kDaemon,
                       {QStringLiteral("-H"), QString::fromStdString(m_endpoint.url()),
                        QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--discovery-file"),
                        m_discovery, QStringLiteral("--cache-dir"), QStringLiteral("-"),
                        QStringLiteral("--log-level"), QStringLiteral("warn")});
        ASSERT_TRUE(m_daemon.waitForStarted(10000)) << m_daemon.errorString().toStdString();
        QByteArray out;
        const bool ready = waitFor(
            [&] {
                out += m_daemon.readAllStandardOutput();
                return out.contains("dockscoped: ready url=") || m_daemon.state() == QProcess::NotRunning;
            },
            30s);
        ASSERT_TRUE(ready && out.contains("dockscoped: ready url="))
            << out.toStdString() << m_daemon.readAllStandardError().toStdString();
        ASSERT_TRUE(QFile::exists(m_discovery));
    }

    /// Runs dockscope-cli with the test's discovery file (unless `discovery` is false) and waits for its end.
    CliRun cliWith(QStringList args, const QProcessEnvironment& extra = {}, bool discovery = true)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DOCKSCOPE_TOKEN"));
        env.insert(extra);
        process.setProcessEnvironment(env);
        if (discovery)
            args = QStringList{QStringLiteral("--discovery-file"), m_discovery} + args;
        process.start(kCli, args);
        process.closeWriteChannel();
        // Test code: blocking is fine, the daemon and the CLI are other processes.
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished(5000);
            return CliRun{-1, process.readAllStandardOutput().toStdString(), "timed out"};
        }
        return CliRun{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                      process.readAllStandardOutput().toStdString(),
                      process.readAllStandardError().toStdString()};
    }

    CliRun cli(const std::vector<const char*>& args)
    {
        QStringList list;
        for (const char* arg : args)
            list << QString::fromUtf8(arg);
        return cliWith(list);
    }

    std::string container(const std::string& name, const std::vector<std::string>& command, bool start)
    {
        const std::string id = createContainer(*m_docker, name, command, start);
        if (!id.empty())
            m_containers.push_back(id);
        return id;
    }

    /// The replica's view of one container, through `state --json`, once it satisfies `condition`.
    json containerSeen(const std::string& id, const std::function<bool(const json&)>& condition)
    {
        json seen;
        waitFor(
            [&] {
                const CliRun run = cli({"state", "--json", "--kind", "containers"});
                if (run.code != 0)
                    return false;
                const json snapshot = json::parse(run.out, nullptr, false);
                const json* containers = snapshot.is_object() ? &snapshot["state"]["containers"] : nullptr;
                if (!containers || !containers->contains(id) || !condition(containers->at(id)))
                    return false;
                seen = containers->at(id);
                return true;
            },
            20s);
        return seen;
    }

    json inspect(const std::string& id)
    {
        const auto doc = await<json>([&](auto cb) { m_docker->inspectContainerJson(id, nullptr, cb); });
        return doc.ok() ? doc.value() : json();
    }

    docker::Endpoint m_endpoint;
    std::unique_ptr<DockerClient> m_docker;
    QTemporaryDir m_dir;
    QString m_discovery;
    QProcess m_daemon;
    std::vector<std::string> m_containers;
};

QProcessEnvironment environment(const QString& key, const QString& value)
{
    QProcessEnvironment env;
    env.insert(key, value);
    return env;
}

} // namespace

TEST_F(CliEndToEnd, StateJsonShowsAContainerCreatedThroughTheDockerApi)
{
    const std::string name = uniqueName("cli-state");
    const std::string id = container(name, {"sleep", "1000"}, false);
    ASSERT_FALSE(id.empty());
    const json seen = containerSeen(id, [](const json&) { return true; });
    ASSERT_TRUE(seen.is_object()) << "state --json never showed " << name;
    EXPECT_EQ(seen.at("name"), name);
    EXPECT_EQ(seen.at("state"), "created");
    const CliRun table = cli({"state", "--kind", "containers"});
    EXPECT_EQ(table.code, 0) << table;
    EXPECT_NE(table.out.find("CONTAINER ID"), std::string::npos) << table;
    EXPECT_NE(table.out.find(name), std::string::npos) << table;
}

TEST_F(CliEndToEnd, WatchJsonSeesAContainerStart)
{
    const std::string name = uniqueName("cli-watch");
    const std::string id = container(name, {"sleep", "1000"}, false);
    ASSERT_TRUE(containerSeen(id, [](const json&) { return true; }).is_object());
    QProcess watch;
    watch.start(kCli, {QStringLiteral("--discovery-file"), m_discovery, QStringLiteral("watch"),
                       QStringLiteral("--json"), QStringLiteral("--kind"), QStringLiteral("containers")});
    ASSERT_TRUE(watch.waitForStarted(10000));
    QByteArray err;
    ASSERT_TRUE(waitFor(
        [&] {
            err += watch.readAllStandardError();
            return err.contains("watching from version");
        },
        15s))
        << err.toStdString();
    ASSERT_TRUE(await<docker::Done>([&](auto cb) { m_docker->startContainer(id, nullptr, cb); }).ok());
    QByteArray out;
    bool sawStart = false;
    waitFor(
        [&] {
            out += watch.readAllStandardOutput();
            for (const QByteArray& line : out.split('\n')) {
                const json change =
                    json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
                if (change.is_object() && change.value("id", "") == id &&
                    change.value("op", "") == "updated" && change.contains("diff") &&
                    change["diff"].value("state", "") == "running")
                    sawStart = true;
            }
            return sawStart;
        },
        20s);
    EXPECT_TRUE(sawStart) << out.toStdString();
    watch.terminate();
    ASSERT_TRUE(watch.waitForFinished(10000));
    EXPECT_EQ(watch.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(watch.exitCode(), 0) << watch.readAllStandardError().toStdString();
}

TEST_F(CliEndToEnd, StopByNameStopsTheContainer)
{
    const std::string name = uniqueName("cli-stop");
    const std::string id = container(name, {"sleep", "1000"}, true);
    ASSERT_FALSE(id.empty());
    const CliRun run = cli({"stop", "-t", "1", name.c_str()});
    EXPECT_EQ(run.code, 0) << run;
    EXPECT_EQ(run.out, name + "\n");
    EXPECT_EQ(inspect(id)["State"]["Running"], false);
}

TEST_F(CliEndToEnd, StartByIdPrefix)
{
    const std::string name = uniqueName("cli-start");
    const std::string id = container(name, {"sleep", "1000"}, false);
    ASSERT_TRUE(containerSeen(id, [](const json&) { return true; }).is_object());
    const std::string prefix = id.substr(0, 10);
    const CliRun run = cli({"start", prefix.c_str()});
    EXPECT_EQ(run.code, 0) << run;
    EXPECT_EQ(run.out, prefix + "\n");
    EXPECT_EQ(inspect(id)["State"]["Running"], true);
}

TEST_F(CliEndToEnd, RemovingAMissingContainerExits5WithDockersMessage)
{
    const std::string name = uniqueName("cli-missing");
    const CliRun run = cli({"rm", name.c_str()});
    EXPECT_EQ(run.code, 5) << run;
    EXPECT_NE(run.err.find("No such container"), std::string::npos) << run;
    EXPECT_NE(run.err.find(name), std::string::npos) << run;
}

TEST_F(CliEndToEnd, SeveralContainersAtOnceReportEachAndFailIfAnyFailed)
{
    const std::string a = uniqueName("cli-multi");
    const std::string b = uniqueName("cli-multi");
    container(a, {"sleep", "1000"}, false);
    container(b, {"sleep", "1000"}, false);
    const std::string missing = uniqueName("cli-missing");
    const CliRun run = cli({"start", a.c_str(), missing.c_str(), b.c_str()});
    EXPECT_EQ(run.code, 5) << run;
    EXPECT_EQ(run.out, a + "\n" + b + "\n");
    EXPECT_NE(run.err.find("No such container"), std::string::npos) << run;
}

TEST_F(CliEndToEnd, RunPrintsTheNewIdAndInspectShowsIt)
{
    const std::string name = uniqueName("cli-run");
    const CliRun run = cli({"run", "--name", name.c_str(), "--network", "none", "-l", "dockscope.test=1",
                            "-e", "GREETING=hi", "dockscope-test/busybox:latest", "sleep", "1000"});
    ASSERT_EQ(run.code, 0) << run;
    ASSERT_EQ(run.out.size(), 65u) << run; // 64 hex digits and a newline
    const std::string id = run.out.substr(0, 64);
    m_containers.push_back(id);
    EXPECT_EQ(inspect(id)["State"]["Running"], true);
    const CliRun shown = cli({"inspect", name.c_str()});
    ASSERT_EQ(shown.code, 0) << shown;
    const json docs = json::parse(shown.out, nullptr, false);
    ASSERT_TRUE(docs.is_array() && docs.size() == 1) << shown;
    EXPECT_EQ(docs[0]["Id"], id);
    EXPECT_EQ(docs[0]["Config"]["Cmd"], (json{"sleep", "1000"}));
}

TEST_F(CliEndToEnd, LogsPrintTheContainersStdoutAndStderrApart)
{
    const std::string name = uniqueName("cli-logs");
    const std::string id =
        container(name, {"sh", "-c", "echo out-line-1; echo err-line >&2; sleep 0.3; echo out-line-2"},
                  true); // stdout and
    // stderr are separate pipes: the pause makes out-line-2 the log's last line for --tail 1
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(waitFor([&] { return inspect(id)["State"]["Running"] == false; }, 20s));
    const CliRun run = cli({"logs", name.c_str()});
    EXPECT_EQ(run.code, 0) << run;
    EXPECT_EQ(run.out, "out-line-1\nout-line-2\n");
    EXPECT_EQ(run.err, "err-line\n");
    const CliRun tail = cli({"logs", "--tail", "1", "-t", name.c_str()});
    EXPECT_EQ(tail.code, 0) << tail;
    EXPECT_TRUE(tail.out.ends_with("Z out-line-2\n")) << tail;
}

TEST_F(CliEndToEnd, WrongTokenExits4)
{
    QFile file(m_discovery);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const json discovery = json::parse(file.readAll().toStdString());
    const QString url = QString::fromStdString(discovery.at("url").get<std::string>());
    const CliRun run =
        cliWith({QStringLiteral("--url"), url, QStringLiteral("state")},
                environment(QStringLiteral("DOCKSCOPE_TOKEN"), QStringLiteral("wrong")), false);
    EXPECT_EQ(run.code, 4) << run;
    EXPECT_NE(run.err.find("the daemon refused the token"), std::string::npos) << run;
}

TEST_F(CliEndToEnd, NoDaemonExits3)
{
    const CliRun missing = cliWith({QStringLiteral("--discovery-file"),
                                    m_dir.path() + QStringLiteral("/none.json"), QStringLiteral("state")},
                                   {}, false);
    EXPECT_EQ(missing.code, 3) << missing;
    EXPECT_NE(missing.err.find("start dockscoped"), std::string::npos) << missing;

    const QString dead = m_dir.path() + QStringLiteral("/dead.json");
    QFile file(dead);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    ASSERT_TRUE(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    const json address{{"url", "ws://127.0.0.1:" + std::to_string(freeTcpPort()) + "/"},
                       {"token", std::string(32, 'a')},
                       {"pid", 1},
                       {"version", 1}};
    file.write(QByteArray::fromStdString(address.dump()));
    file.close();
    const CliRun refused = cliWith(
        {QStringLiteral("--discovery-file"), dead, QStringLiteral("stop"), QStringLiteral("x")}, {}, false);
    EXPECT_EQ(refused.code, 3) << refused;
    EXPECT_NE(refused.err.find("Start dockscoped"), std::string::npos) << refused;
}

TEST_F(CliEndToEnd, UsageErrorsExit2)
{
    for (const std::vector<const char*>& args :
         std::vector<std::vector<const char*>>{{"stop"},
                                               {"bogus"},
                                               {"stop", "-t", "soon", "x"},
                                               {"state", "--kind", "pods"},
                                               {"run"},
                                               {"image"},
                                               {"rename", "only-one"},
                                               {"state", "--no-such-option"}}) {
        const CliRun run = cli(args);
        EXPECT_EQ(run.code, 2) << args.front() << ": " << run;
        EXPECT_NE(run.err.find("--help"), std::string::npos) << run;
    }
    const CliRun help = cli({"--help"});
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.out.find("Exit codes:"), std::string::npos) << help;
}

TEST_F(CliEndToEnd, DaemonExitsZeroOnSigtermAndRemovesItsDiscoveryFile)
{
    m_daemon.terminate();
    ASSERT_TRUE(m_daemon.waitForFinished(15000));
    EXPECT_EQ(m_daemon.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(m_daemon.exitCode(), 0) << m_daemon.readAllStandardError().toStdString();
    EXPECT_FALSE(QFile::exists(m_discovery));
    const CliRun run = cli({"state"});
    EXPECT_EQ(run.code, 3) << run;
}
