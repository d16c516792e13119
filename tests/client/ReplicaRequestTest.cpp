// Actions and streams: ids, results routed exactly once, progress, "unavailable" when the connection goes,
// callbacks dropped with their context.
#include "ReplicaFixture.h"

using namespace dockscope;
using namespace dockscope::client;
using namespace dockscope::client::testing;

namespace {

class ReplicaRequests : public ReplicaFixture {
protected:
    static protocol::Action stopAction(const std::string& target)
    {
        protocol::Action action;
        action.kind = protocol::ActionKind::Container;
        action.target = target;
        action.op = "stop";
        action.params = {{"timeout", 3}};
        return action;
    }

    std::vector<protocol::Result> results;
    std::vector<nlohmann::json> progress;
};

} // namespace

TEST_F(ReplicaRequests, AResultIsRoutedToItsActionExactlyOnce)
{
    startReplica();
    connectLive();
    const QString first = replica->act(
        stopAction("c1"), nullptr, [&](const protocol::Result& r) { results.push_back(r); },
        [&](const nlohmann::json& data) { progress.push_back(data); });
    const QString second =
        replica->act(stopAction("c2"), nullptr, [&](const protocol::Result& r) { results.push_back(r); });
    EXPECT_EQ(first, QStringLiteral("a1"));
    EXPECT_EQ(second, QStringLiteral("a2"));
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Action>() == 2; }));
    const protocol::Action sent = server.messages<protocol::Action>().front();
    EXPECT_EQ(sent.id, "a1");
    EXPECT_EQ(sent.kind, protocol::ActionKind::Container);
    EXPECT_EQ(sent.target, "c1");
    EXPECT_EQ(sent.op, "stop");
    EXPECT_EQ(sent.params, (nlohmann::json{{"timeout", 3}}));

    server.send(protocol::StreamData{"a1", {{"status", "stopping"}}});
    server.send(
        protocol::Result{"a2", false, protocol::ErrorInfo{"not-found", "no such container"}, nullptr});
    server.send(protocol::Result{"a1", true, std::nullopt, nlohmann::json("c1")});
    server.send(protocol::Result{"a1", true, std::nullopt, nullptr});  // a duplicate: ignored
    server.send(protocol::Result{"a99", true, std::nullopt, nullptr}); // unknown: ignored
    ASSERT_TRUE(waitFor([&] { return results.size() == 2; }));
    spin(100ms);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].id, "a2");
    EXPECT_FALSE(results[0].ok);
    EXPECT_EQ(results[0].error->code, "not-found");
    EXPECT_EQ(results[1].id, "a1");
    EXPECT_TRUE(results[1].ok);
    EXPECT_EQ(results[1].value, "c1");
    ASSERT_EQ(progress.size(), 1u);
    EXPECT_EQ(progress[0]["status"], "stopping");
    EXPECT_EQ(replica->status(), Replica::Status::Live);
}

TEST_F(ReplicaRequests, ALostConnectionFailsPendingActionsAsUnavailable)
{
    Replica::Options opts = options();
    opts.backoffMin = 2s; // stays away long enough to look
    opts.backoffMax = 2s;
    startReplica(opts);
    connectLive();
    replica->act(stopAction("c1"), nullptr, [&](const protocol::Result& r) { results.push_back(r); });
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Action>() == 1; }));
    server.drop();
    ASSERT_TRUE(waitFor([&] { return results.size() == 1; }));
    EXPECT_EQ(results[0].id, "a1");
    EXPECT_FALSE(results[0].ok);
    ASSERT_TRUE(results[0].error.has_value());
    EXPECT_EQ(results[0].error->code, "unavailable");
    EXPECT_EQ(replica->status(), Replica::Status::Reconnecting);

    // Made while reconnecting: held, and failed too if that attempt comes to nothing.
    replica->act(stopAction("c2"), nullptr, [&](const protocol::Result& r) { results.push_back(r); });
    replica->stop();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[1].error->code, "unavailable");
}

TEST_F(ReplicaRequests, ActionsMadeWhileConnectingAreSentAfterTheWelcome)
{
    startReplica();
    replica->act(stopAction("c1"), nullptr, [&](const protocol::Result& r) { results.push_back(r); });
    awaitHello();
    spin(50ms);
    EXPECT_EQ(server.count<protocol::Action>(), 0u) << "nothing but hello before the welcome";
    greet();
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Action>() == 1; }));
    server.send(protocol::Result{"a1", true, std::nullopt, nullptr});
    ASSERT_TRUE(waitFor([&] { return results.size() == 1; }));
    EXPECT_TRUE(results[0].ok);
}

TEST_F(ReplicaRequests, AnActionWithoutAConnectionFailsLaterNotInsideAct)
{
    replica = std::make_unique<Replica>(options()); // never started
    replica->act(stopAction("c1"), nullptr, [&](const protocol::Result& r) { results.push_back(r); });
    EXPECT_TRUE(results.empty()) << "not from inside act()";
    ASSERT_TRUE(waitFor([&] { return results.size() == 1; }));
    EXPECT_EQ(results[0].error->code, "unavailable");
}

TEST_F(ReplicaRequests, ADestroyedContextDropsTheCallbacks)
{
    startReplica();
    connectLive();
    auto context = std::make_unique<QObject>();
    replica->act(
        stopAction("c1"), context.get(), [&](const protocol::Result& r) { results.push_back(r); },
        [&](const nlohmann::json& data) { progress.push_back(data); });
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Action>() == 1; }));
    context.reset();
    server.send(protocol::StreamData{"a1", {{"status", "x"}}});
    server.send(protocol::Result{"a1", true, std::nullopt, nullptr});
    spin(150ms);
    EXPECT_TRUE(results.empty());
    EXPECT_TRUE(progress.empty());
}

TEST_F(ReplicaRequests, AStreamDeliversDataThenEndsOnce)
{
    startReplica();
    connectLive();
    std::vector<nlohmann::json> data;
    std::vector<std::optional<protocol::ErrorInfo>> ends;
    const QString id = replica->openStream(
        protocol::StreamWhat::Logs, "c1", {{"tail", 10}}, nullptr,
        [&](const nlohmann::json& d) { data.push_back(d); },
        [&](const std::optional<protocol::ErrorInfo>& e) { ends.push_back(e); });
    EXPECT_EQ(id, QStringLiteral("s1"));
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::StreamRequest>() == 1; }));
    const protocol::StreamRequest request = server.messages<protocol::StreamRequest>().front();
    EXPECT_EQ(request.id, "s1");
    EXPECT_EQ(request.what, protocol::StreamWhat::Logs);
    EXPECT_EQ(request.container, "c1");
    EXPECT_EQ(request.params, (nlohmann::json{{"tail", 10}}));

    server.send(protocol::StreamData{"s1", {{"stream", "stdout"}, {"line", "hello"}}});
    server.send(protocol::StreamData{"s1", {{"stream", "stderr"}, {"line", "oops"}}});
    server.send(protocol::StreamEnd{"s1", std::nullopt});
    server.send(protocol::StreamData{"s1", {{"stream", "stdout"}, {"line", "late"}}});
    server.send(protocol::StreamEnd{"s1", protocol::ErrorInfo{"internal", "twice"}});
    ASSERT_TRUE(waitFor([&] { return ends.size() == 1; }));
    spin(100ms);
    ASSERT_EQ(data.size(), 2u);
    EXPECT_EQ(data[0]["line"], "hello");
    EXPECT_EQ(data[1]["stream"], "stderr");
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_FALSE(ends[0].has_value());
}

TEST_F(ReplicaRequests, AStreamEndsAsUnavailableWhenTheConnectionGoes)
{
    startReplica();
    connectLive();
    std::vector<std::optional<protocol::ErrorInfo>> ends;
    replica->openStream(protocol::StreamWhat::Stats, "c1", nlohmann::json::object(), nullptr, {},
                        [&](const std::optional<protocol::ErrorInfo>& e) { ends.push_back(e); });
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::StreamRequest>() == 1; }));
    server.close(1001);
    ASSERT_TRUE(waitFor([&] { return ends.size() == 1; }));
    ASSERT_TRUE(ends[0].has_value());
    EXPECT_EQ(ends[0]->code, "unavailable");
}

TEST_F(ReplicaRequests, CloseStreamSendsUnstreamAndSilencesTheStream)
{
    startReplica();
    connectLive();
    int calls = 0;
    const QString id = replica->openStream(
        protocol::StreamWhat::Logs, "c1", {}, nullptr, [&](const nlohmann::json&) { ++calls; },
        [&](const std::optional<protocol::ErrorInfo>&) { ++calls; });
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::StreamRequest>() == 1; }));
    EXPECT_TRUE(server.messages<protocol::StreamRequest>().front().params.is_object());
    replica->closeStream(id);
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Unstream>() == 1; }));
    EXPECT_EQ(server.messages<protocol::Unstream>().front().id, "s1");
    server.send(protocol::StreamData{"s1", {{"line", "x"}}});
    server.send(protocol::StreamEnd{"s1", std::nullopt});
    spin(100ms);
    EXPECT_EQ(calls, 0);
}

TEST_F(ReplicaRequests, AStreamWhoseContextIsGoneIsClosedOnItsNextData)
{
    startReplica();
    connectLive();
    auto context = std::make_unique<QObject>();
    int calls = 0;
    replica->openStream(
        protocol::StreamWhat::Logs, "c1", {}, context.get(), [&](const nlohmann::json&) { ++calls; },
        [&](const std::optional<protocol::ErrorInfo>&) { ++calls; });
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::StreamRequest>() == 1; }));
    context.reset();
    server.send(protocol::StreamData{"s1", {{"line", "x"}}});
    ASSERT_TRUE(waitFor([&] { return server.count<protocol::Unstream>() == 1; }));
    EXPECT_EQ(calls, 0);
}
