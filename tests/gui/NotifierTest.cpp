// The Notifier against the real private dockerd, through the embedded engine and state server and a replica,
// as the GUI runs them: a container that exits by itself is reported once, stop and kill through the API are
// not, a failing healthcheck is, and nothing is reported for what was there at the start.
#include "Notifier.h"
#include "gui/EmbeddedServer.h"
#include "support/TestEngine.h"

#include "dockscope/client/Replica.h"

#include <QApplication>

#include <gtest/gtest.h>

#include <iostream>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::Done;

namespace {

struct Notification {
    std::string title;
    std::string body;
};

class NotifierTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        docker = std::make_unique<DockerClient>(DockerClient::Options{sharedEngine()});
        ASSERT_TRUE(await<docker::ApiVersion>([&](auto cb) { docker->negotiate(nullptr, cb); }).ok());
    }

    void TearDown() override
    {
        notifier.reset();
        replica = nullptr;
        embedded.reset();
        for (const auto& id : ids)
            await<Done>([&](auto cb) { docker->removeContainer(id, true, true, nullptr, cb); });
    }

    /// Starts the embedded engine and server, a replica and the notifier on it, and waits until the replica
    /// shows every container made so far.
    void startWatching()
    {
        embedded = std::make_unique<EmbeddedServer>(sharedEngine());
        ASSERT_TRUE(embedded->start());
        replica = embedded->replica.get();
        notifier = std::make_unique<ui::Notifier>();
        notifier->bind(*replica);
        QObject::connect(notifier.get(), &ui::Notifier::notify,
                         [this](const QString& title, const QString& body) {
                             notifications.push_back({title.toStdString(), body.toStdString()});
                         });
        QObject::connect(replica, &client::Replica::eventReceived, [this](const state::DockerEvent& e) {
            if (std::find(ids.begin(), ids.end(), e.actorId) == ids.end() || e.action.starts_with("exec_"))
                return; // the healthcheck's probes are execs
            std::string line = e.action + (e.actionDetail.empty() ? "" : ": " + e.actionDetail);
            for (const char* key : {"signal", "exitCode"})
                if (const auto it = e.attributes.find(key); it != e.attributes.end())
                    line += std::string(" ") + key + "=" + it->second;
            events[e.actorId].push_back(line);
        });
        replica->start();
        ASSERT_TRUE(waitFor(
            [&] {
                if (replica->status() != client::Replica::Status::Live)
                    return false;
                for (const auto& id : ids)
                    if (!replica->state().containers().contains(id))
                        return false;
                return true;
            },
            30s));
    }

    std::string make(const std::string& prefix, const nlohmann::json& config, bool start)
    {
        const std::string name = uniqueName(prefix);
        const auto id =
            await<std::string>([&](auto cb) { docker->createContainer(name, config, nullptr, cb); });
        EXPECT_TRUE(id.ok());
        if (!id.ok())
            return {};
        ids.push_back(*id);
        names[*id] = name;
        if (start) {
            EXPECT_TRUE(await<Done>([&](auto cb) { docker->startContainer(*id, nullptr, cb); }).ok());
        }
        return *id;
    }

    /// How many notifications name the container.
    int mentions(const std::string& id) const
    {
        return int(std::count_if(notifications.begin(), notifications.end(), [&](const Notification& n) {
            return n.body.find(names.at(id)) != std::string::npos;
        }));
    }

    /// Waits until the replica shows the container in `wanted` state.
    bool reaches(const std::string& id, state::ContainerState wanted, std::chrono::milliseconds timeout = 30s)
    {
        return waitFor(
            [&] {
                const auto& containers = replica->state().containers();
                const auto it = containers.find(id);
                return it != containers.end() && it->second.state == wanted;
            },
            timeout);
    }

    void printEvents(const std::string& id) const
    {
        std::cout << names.at(id) << ":";
        if (const auto it = events.find(id); it != events.end())
            for (const auto& e : it->second)
                std::cout << " [" << e << "]";
        std::cout << std::endl;
    }

    std::unique_ptr<DockerClient> docker;
    std::unique_ptr<EmbeddedServer> embedded;
    client::Replica* replica = nullptr; ///< the embedded server's
    std::unique_ptr<ui::Notifier> notifier;
    std::vector<std::string> ids;
    std::map<std::string, std::string> names;
    std::map<std::string, std::vector<std::string>> events;
    std::vector<Notification> notifications;
};

} // namespace

TEST_F(NotifierTest, AContainerExitingByItselfIsReportedOnceWithItsName)
{
    startWatching();
    const auto id = make("nt-exit", busyboxConfig({"sh", "-c", "sleep 1; exit 3"}), true);
    ASSERT_TRUE(waitFor([&] { return mentions(id) > 0; }, 30s))
        << "no notification for a container that died";
    const auto it = std::find_if(notifications.begin(), notifications.end(), [&](const Notification& n) {
        return n.body.find(names[id]) != std::string::npos;
    });
    EXPECT_NE(it->body.find("3"), std::string::npos) << it->body;
    // Still one once the batch and anything else about it has come in, and the coalescing window is over.
    ASSERT_TRUE(reaches(id, state::ContainerState::Exited));
    const auto control = make("nt-control", busyboxConfig({"sh", "-c", "exit 4"}), true);
    ASSERT_TRUE(waitFor([&] { return mentions(control) > 0; }, 30s));
    EXPECT_EQ(mentions(id), 1);
    printEvents(id);
}

TEST_F(NotifierTest, StopAndKillThroughTheApiAreNotReported)
{
    startWatching();
    // PID 1 ignores SIGTERM: stop ends with SIGKILL after its timeout (kill 15, kill 9, die 137, stop).
    const auto stubborn = make("nt-stop9", busyboxConfig({"sleep", "300"}), true);
    // Exits 143 on SIGTERM: kill 15, die 143, stop.
    const auto polite =
        make("nt-stop15", busyboxConfig({"sh", "-c", "trap 'exit 143' TERM; sleep 300 & wait"}), true);
    const auto killed = make("nt-kill", busyboxConfig({"sleep", "300"}), true);
    for (const auto& id : {stubborn, polite, killed})
        ASSERT_TRUE(reaches(id, state::ContainerState::Running));
    EXPECT_TRUE(await<Done>([&](auto cb) { docker->stopContainer(stubborn, 1, nullptr, cb); }).ok());
    EXPECT_TRUE(await<Done>([&](auto cb) { docker->stopContainer(polite, 10, nullptr, cb); }).ok());
    EXPECT_TRUE(await<Done>([&](auto cb) { docker->killContainer(killed, "KILL", nullptr, cb); }).ok());
    for (const auto& id : {stubborn, polite, killed})
        ASSERT_TRUE(reaches(id, state::ContainerState::Exited));
    // A container that dies by itself afterwards: once it is reported, the others would have been too.
    const auto control = make("nt-control", busyboxConfig({"sh", "-c", "exit 5"}), true);
    ASSERT_TRUE(waitFor([&] { return mentions(control) > 0; }, 30s));
    EXPECT_EQ(mentions(stubborn), 0);
    EXPECT_EQ(mentions(polite), 0);
    EXPECT_EQ(mentions(killed), 0);
    for (const auto& id : {stubborn, polite, killed})
        printEvents(id);
    EXPECT_NE(replica->state().containers().at(polite).exitCode, 0) << "the polite one must exit non-zero";
}

TEST_F(NotifierTest, AFailingHealthcheckIsReportedAsUnhealthy)
{
    startWatching();
    const auto id = make("nt-health", healthyThenUnhealthyConfig(), true);
    ASSERT_TRUE(waitFor(
        [&] {
            return std::any_of(notifications.begin(), notifications.end(), [&](const Notification& n) {
                // "X is unhealthy", or "2 containers unhealthy" naming it when another test's container
                // turned unhealthy at the same moment (the tests share one engine).
                return n.body.find(names[id]) != std::string::npos &&
                       (n.title + n.body).find("unhealthy") != std::string::npos;
            });
        },
        60s))
        << "no unhealthy notification";
    ASSERT_TRUE(waitFor(
        [&] {
            const auto& c = replica->state().containers();
            return c.contains(id) && c.at(id).health == state::Health::Unhealthy;
        },
        30s));
    const auto control = make("nt-control", busyboxConfig({"sh", "-c", "exit 6"}), true);
    ASSERT_TRUE(waitFor([&] { return mentions(control) > 0; }, 30s));
    EXPECT_EQ(mentions(id), 1) << "the event and the batch make one notification";
    printEvents(id);
}

TEST_F(NotifierTest, NothingForWhatIsThereAtTheStart)
{
    // Died before the GUI started (its die event is in the server's replay), and one unhealthy already.
    const auto dead = make("nt-old", busyboxConfig({"sh", "-c", "exit 7"}), true);
    const auto sick = make("nt-oldhealth", healthyThenUnhealthyConfig(), true);
    ASSERT_TRUE(waitFor(
        [&] {
            const auto c =
                await<state::Container>([&](auto cb) { docker->inspectContainer(sick, nullptr, cb); });
            const auto d =
                await<state::Container>([&](auto cb) { docker->inspectContainer(dead, nullptr, cb); });
            return c.ok() && c->health == state::Health::Unhealthy && d.ok() &&
                   d->state == state::ContainerState::Exited;
        },
        60s));
    startWatching();
    const auto control = make("nt-control", busyboxConfig({"sh", "-c", "exit 8"}), true);
    ASSERT_TRUE(waitFor([&] { return mentions(control) > 0; }, 30s));
    EXPECT_EQ(mentions(dead), 0);
    EXPECT_EQ(mentions(sick), 0);
}
