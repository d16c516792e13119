// tcp:// with TLS against a real dockerd started with --tlsverify and certificates made for the run.
#include "support/TestEngine.h"

#include <QDir>

#include <gtest/gtest.h>

using namespace dockscope;
using namespace dockscope::test;
using docker::DockerClient;
using docker::Endpoint;
using docker::ErrorKind;

namespace {

class TlsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        port = freeTcpPort();
        engine = new PrivateEngine("tls");
        engine->enableTls(port);
        started = engine->start();
    }
    static void TearDownTestSuite()
    {
        delete engine;
        engine = nullptr;
    }

    Endpoint tcp(const std::string& certPath, bool verify) const
    {
        Endpoint e = *Endpoint::parse("tcp://127.0.0.1:" + std::to_string(port), true);
        e.tls = true;
        e.tlsVerify = verify;
        e.certPath = certPath;
        return e;
    }

    static inline PrivateEngine* engine = nullptr;
    static inline int port = 0;
    static inline bool started = false;
};

} // namespace

TEST_F(TlsTest, MutualTlsWithTheContextsCertificatesWorks)
{
    ASSERT_TRUE(started);
    DockerClient client({tcp(engine->certDir(), true)});
    const auto version = await<docker::ApiVersion>([&](auto cb) { client.negotiate(nullptr, cb); });
    ASSERT_TRUE(version.ok()) << version.error().describe();
    const auto list = await<std::vector<state::Image>>([&](auto cb) { client.listImages(nullptr, cb); });
    ASSERT_TRUE(list.ok()) << list.error().describe();
    EXPECT_FALSE(list->empty());
}

TEST_F(TlsTest, WithoutAClientCertificateTheEngineRefuses)
{
    ASSERT_TRUE(started);
    const std::string caOnly = "/tmp/dstest-ca-only-" + std::to_string(::getpid());
    QDir().mkpath(QString::fromStdString(caOnly));
    QFile::copy(QString::fromStdString(engine->certDir() + "/ca.pem"),
                QString::fromStdString(caOnly + "/ca.pem"));
    DockerClient client({tcp(caOnly, true)});
    const auto r = await<docker::ApiVersion>([&](auto cb) { client.ping(nullptr, cb); }, 15s);
    QDir(QString::fromStdString(caOnly)).removeRecursively();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Transport) << r.error().describe();
}

TEST_F(TlsTest, AnEngineCertificateFromAnotherCaIsRejectedWhenVerifying)
{
    ASSERT_TRUE(started);
    // No ca.pem: the system's CAs, which did not sign the engine's certificate.
    const std::string noCa = "/tmp/dstest-no-ca-" + std::to_string(::getpid());
    QDir().mkpath(QString::fromStdString(noCa));
    for (const char* f : {"/cert.pem", "/key.pem"})
        QFile::copy(QString::fromStdString(engine->certDir() + f), QString::fromStdString(noCa + f));
    DockerClient client({tcp(noCa, true)});
    const auto r = await<docker::ApiVersion>([&](auto cb) { client.ping(nullptr, cb); }, 15s);
    QDir(QString::fromStdString(noCa)).removeRecursively();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Transport);
    EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
}
