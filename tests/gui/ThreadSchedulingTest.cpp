// The GUI's lower priority for the embedded workers (ui/ThreadScheduling.h): it changes only the thread that
// asks for it, and the embedded engine's and server's threads are reached to ask
// (ServerController::runOnWorkerThreads).
#include "ThreadScheduling.h"
#include "support/EventLoop.h"

#include "dockscope/server/ServerController.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <mutex>
#include <set>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

using namespace dockscope;
using namespace std::chrono_literals;

namespace {

int niceOf(pid_t tid)
{
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    EXPECT_EQ(errno, 0);
    return nice;
}

} // namespace

TEST(ThreadScheduling, LowersThePriorityOfTheCallingThreadOnly)
{
    const int mainBefore = niceOf(gettid());
    int before = 0;
    int after = 0;
    bool ok = false;
    std::thread worker([&] {
        before = niceOf(gettid());
        ok = ui::lowerCurrentThreadPriority(5);
        after = niceOf(gettid());
    });
    worker.join();
    ASSERT_TRUE(ok);
    EXPECT_EQ(after, std::min(19, before + 5));
    EXPECT_EQ(niceOf(gettid()), mainBefore);
}

TEST(ThreadScheduling, NeverGoesBeyondTheLowestPriority)
{
    int after = 0;
    std::thread worker([&] {
        EXPECT_TRUE(ui::lowerCurrentThreadPriority(40));
        after = niceOf(gettid());
    });
    worker.join();
    EXPECT_EQ(after, 19);
}

TEST(ThreadScheduling, TheEmbeddedServerRunsATaskOnItsEngineAndServerThreads)
{
    server::DaemonOptions options;
    options.engine.endpoint.path = "/nonexistent/docker.sock"; // no engine: the worker keeps retrying
    options.discoveryFile = QStringLiteral("-");
    server::ServerController daemon(options);
    QString error;
    ASSERT_TRUE(daemon.start(&error)) << error.toStdString();

    std::mutex mutex;
    std::set<pid_t> threads;
    std::set<int> nices;
    daemon.runOnWorkerThreads([&] {
        const bool lowered = ui::lowerCurrentThreadPriority(3);
        const std::lock_guard lock(mutex);
        threads.insert(gettid());
        if (lowered)
            nices.insert(niceOf(gettid()));
    });
    ASSERT_TRUE(test::waitFor(
        [&] {
            const std::lock_guard lock(mutex);
            return threads.size() == 2;
        },
        5s));
    const std::lock_guard lock(mutex);
    EXPECT_EQ(threads.count(gettid()), 0U); // never the calling (GUI) thread
    EXPECT_EQ(nices, std::set<int>{niceOf(gettid()) + 3});
}
