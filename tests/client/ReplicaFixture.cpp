#include "ReplicaFixture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

#include <algorithm>

namespace dockscope::client::testing {

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return true;
}

void spin(std::chrono::milliseconds duration)
{
    QDeadlineTimer deadline(duration);
    while (!deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

state::Container makeContainer(const std::string& id, state::ContainerState status, state::Labels labels)
{
    state::Container c;
    c.id = id;
    c.name = id;
    c.image = "busybox";
    c.imageId = "sha256:img";
    c.state = status;
    c.labels = std::move(labels);
    return c;
}

state::EngineInfo makeEngine(state::EngineStatus status)
{
    state::EngineInfo engine;
    engine.status = status;
    engine.version = "29.0.0";
    engine.apiVersion = "1.52";
    engine.name = "test";
    return engine;
}

::testing::AssertionResult sameState(const state::EngineState& expected, const state::EngineState& actual)
{
    if (expected.epoch() != actual.epoch() || expected.version() != actual.version())
        return ::testing::AssertionFailure()
               << "epoch/version " << actual.epoch() << "/" << actual.version() << ", expected "
               << expected.epoch() << "/" << expected.version();
    if (expected.digest() != actual.digest())
        return ::testing::AssertionFailure()
               << "digest " << actual.digest() << ", expected " << expected.digest();
    if (expected.containers() != actual.containers() || expected.images() != actual.images() ||
        expected.volumes() != actual.volumes() || expected.networks() != actual.networks() ||
        expected.engine() != actual.engine())
        return ::testing::AssertionFailure()
               << "entities differ (" << actual.containers().size() << " containers, expected "
               << expected.containers().size() << ")";
    return ::testing::AssertionSuccess();
}

ReplicaFixture::ReplicaFixture()
{
    // The source starts with content: two containers, their image, and the engine.
    state::StateTransaction tx;
    tx.put(makeContainer("c1"));
    tx.put(makeContainer("c2", state::ContainerState::Exited));
    state::Image image;
    image.id = "sha256:img";
    image.repoTags = {"busybox:latest"};
    tx.put(image);
    tx.setEngine(makeEngine());
    source.commit(tx, now);
}

ReplicaFixture::~ReplicaFixture()
{
    replica.reset();
}

Replica::Options ReplicaFixture::options() const
{
    Replica::Options o;
    o.url = server.url();
    o.token = kToken;
    o.encoding = protocol::Encoding::Json;
    o.clientName = QStringLiteral("replica-test");
    o.backoffMin = 20ms;
    o.backoffMax = 100ms;
    o.connectTimeout = 3s;
    return o;
}

void ReplicaFixture::startReplica(const Replica::Options& opts)
{
    replica = std::make_unique<Replica>(opts);
    Replica* r = replica.get();
    QObject::connect(r, &Replica::aboutToReset, r, [this] { log.push_back("aboutToReset"); });
    QObject::connect(r, &Replica::reset, r, [this] { log.push_back("reset"); });
    QObject::connect(r, &Replica::aboutToApply, r,
                     [this](const state::Batch&) { log.push_back("aboutToApply"); });
    QObject::connect(r, &Replica::applied, r, [this](const state::Batch&) { log.push_back("applied"); });
    QObject::connect(r, &Replica::engineChanged, r,
                     [this](const state::EngineInfo&) { log.push_back("engineChanged"); });
    QObject::connect(r, &Replica::eventReceived, r,
                     [this](const state::DockerEvent&) { log.push_back("eventReceived"); });
    QObject::connect(r, &Replica::serverError, r,
                     [this](const protocol::ErrorInfo& e) { log.push_back("serverError:" + e.code); });
    QObject::connect(r, &Replica::statusChanged, r, [this](Replica::Status s) {
        static const char* const names[] = {"Disconnected", "Connecting", "Live", "Reconnecting"};
        log.push_back(std::string("status:") + names[static_cast<int>(s)]);
    });
    replica->start();
}

protocol::Hello ReplicaFixture::awaitHello(int connection)
{
    const bool arrived = waitFor([&] { return server.count<protocol::Hello>(connection) > 0; });
    EXPECT_TRUE(arrived) << "no hello on connection " << connection;
    if (!arrived)
        return {};
    return server.messages<protocol::Hello>(connection).front();
}

void ReplicaFixture::greet(const state::EngineState& view, std::uint32_t heartbeatMs)
{
    protocol::Welcome welcome;
    welcome.session = "session-" + std::to_string(server.connections());
    welcome.epoch = view.epoch();
    welcome.version = view.version();
    welcome.heartbeatMs = heartbeatMs;
    server.send(welcome);
}

void ReplicaFixture::connectLive(std::uint32_t heartbeatMs)
{
    const int connection = server.connections() + 1;
    awaitHello(connection);
    greet(heartbeatMs);
    server.send(protocol::Snapshot{source});
    ASSERT_TRUE(waitFor([&] { return replica->status() == Replica::Status::Live; }));
    ASSERT_TRUE(sameState(source, replica->state()));
}

state::Batch ReplicaFixture::commit(const state::StateTransaction& transaction)
{
    return source.commit(transaction, ++now);
}

void ReplicaFixture::sendBatch(const state::Batch& batch, std::uint64_t epoch)
{
    server.send(protocol::Changes{epoch, batch});
}

bool ReplicaFixture::waitForVersion(std::uint64_t version)
{
    return waitFor([&] { return replica->state().version() == version; });
}

int ReplicaFixture::logged(const std::string& name) const
{
    return static_cast<int>(std::count(log.begin(), log.end(), name));
}

} // namespace dockscope::client::testing
