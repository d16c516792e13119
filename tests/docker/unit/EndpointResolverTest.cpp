#include "dockscope/docker/Endpoint.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace dockscope::docker {
namespace {

namespace fs = std::filesystem;
using Transport = Endpoint::Transport;
using Inputs = EndpointResolver::Inputs;

// The folder names the docker CLI gives contexts: the hex sha256 of the context name.
constexpr const char* kRemoteDir = "b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a";
constexpr const char* kSecureDir = "6a934b45144e3758911efa29ed68fb2d420fa7bd568739cdcda9251fa9609b1e";
constexpr const char* kInsecureDir = "1d92dae504a70fbcae6d3721a55d7eacaf94d3133ea5f0394b7d203d64841110";
constexpr const char* kBrokenDir = "f526795c95399cea27c055c842c3d6ab018ed0fa4f66f701c28ab22dec28237b";
constexpr const char* kLocalSockDir = "3c1b4a4d271c3ed94d94011acf7296b8359def191f1e82f03bf9434012e3aacb";

::testing::AssertionResult contains(const std::string& text, const std::string& part)
{
    if (text.find(part) != std::string::npos)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

// ---- Endpoint::parse ------------------------------------------------------------------------------------

struct ValidCase {
    std::string input;
    bool tls;
    Transport transport;
    std::string path;
    std::string host;
    std::uint16_t port;
    std::string url;
};

void PrintTo(const ValidCase& c, std::ostream* os)
{
    *os << "'" << c.input << "' tls=" << c.tls;
}

class EndpointParseValid : public ::testing::TestWithParam<ValidCase> {};

TEST_P(EndpointParseValid, ParsesToCanonicalUrl)
{
    const auto& c = GetParam();
    const auto endpoint = Endpoint::parse(c.input, c.tls);
    ASSERT_TRUE(endpoint.has_value());
    EXPECT_EQ(endpoint->transport, c.transport);
    EXPECT_EQ(endpoint->path, c.path);
    EXPECT_EQ(endpoint->host, c.host);
    EXPECT_EQ(endpoint->port, c.port);
    EXPECT_EQ(endpoint->url(), c.url);
    // parse() only chooses the default port; the resolver decides about TLS.
    EXPECT_FALSE(endpoint->tls);
    EXPECT_TRUE(endpoint->source.empty());
    EXPECT_EQ(Endpoint::parse(endpoint->url()), *endpoint) << "url() must parse back to the same endpoint";
}

INSTANTIATE_TEST_SUITE_P(
    EndpointUrls, EndpointParseValid,
    ::testing::Values(
        ValidCase{"unix:///var/run/docker.sock", false, Transport::Unix, "/var/run/docker.sock", "", 0,
                  "unix:///var/run/docker.sock"},
        ValidCase{"unix:///run/user/1000/docker.sock", true, Transport::Unix, "/run/user/1000/docker.sock",
                  "", 0, "unix:///run/user/1000/docker.sock"},
        ValidCase{"unix://", false, Transport::Unix, "/var/run/docker.sock", "", 0,
                  "unix:///var/run/docker.sock"},
        ValidCase{"  unix:///tmp/d.sock\n", false, Transport::Unix, "/tmp/d.sock", "", 0,
                  "unix:///tmp/d.sock"},
        ValidCase{"tcp://example.com:2376", false, Transport::Tcp, "", "example.com", 2376,
                  "tcp://example.com:2376"},
        ValidCase{"tcp://example.com", false, Transport::Tcp, "", "example.com", 2375,
                  "tcp://example.com:2375"},
        ValidCase{"tcp://example.com", true, Transport::Tcp, "", "example.com", 2376,
                  "tcp://example.com:2376"},
        ValidCase{"tcp://example.com:2375", true, Transport::Tcp, "", "example.com", 2375,
                  "tcp://example.com:2375"},
        ValidCase{"tcp://10.0.0.5:2375/", false, Transport::Tcp, "", "10.0.0.5", 2375, "tcp://10.0.0.5:2375"},
        ValidCase{"tcp://10.0.0.5//", false, Transport::Tcp, "", "10.0.0.5", 2375, "tcp://10.0.0.5:2375"},
        ValidCase{"tcp://host:", false, Transport::Tcp, "", "host", 2375, "tcp://host:2375"},
        ValidCase{"tcp://my_host-1.local:65535", false, Transport::Tcp, "", "my_host-1.local", 65535,
                  "tcp://my_host-1.local:65535"},
        ValidCase{"tcp://[::1]:2375", false, Transport::Tcp, "", "::1", 2375, "tcp://[::1]:2375"},
        ValidCase{"tcp://[::1]", true, Transport::Tcp, "", "::1", 2376, "tcp://[::1]:2376"},
        ValidCase{"tcp://[2001:db8::7]:1234/", false, Transport::Tcp, "", "2001:db8::7", 1234,
                  "tcp://[2001:db8::7]:1234"},
        ValidCase{"tcp://[fe80::1%eth0]:2376", false, Transport::Tcp, "", "fe80::1%eth0", 2376,
                  "tcp://[fe80::1%eth0]:2376"},
        ValidCase{"tcp://:2380", false, Transport::Tcp, "", "localhost", 2380, "tcp://localhost:2380"},
        ValidCase{"tcp://", false, Transport::Tcp, "", "localhost", 2375, "tcp://localhost:2375"}));

class EndpointParseInvalid : public ::testing::TestWithParam<std::string> {};

TEST_P(EndpointParseInvalid, IsRefused)
{
    const auto endpoint = Endpoint::parse(GetParam());
    EXPECT_FALSE(endpoint.has_value()) << "parsed as " << endpoint->url();
}

INSTANTIATE_TEST_SUITE_P(EndpointUrls, EndpointParseInvalid,
                         ::testing::Values("", "   ", "garbage", "/var/run/docker.sock", "localhost:2375",
                                           "unix:/var/run/docker.sock", "unix://relative/docker.sock",
                                           "unix://unix:///x.sock", "ssh://me@build-box",
                                           "ssh://build-box:22", "npipe:////./pipe/docker_engine", "fd://",
                                           "fd://3", "http://localhost:2375", "https://localhost:2376",
                                           "TCP://localhost:2375", "tcp://tcp://host:2375", "tcp://host:0",
                                           "tcp://host:65536", "tcp://host:abc", "tcp://host:23x",
                                           "tcp://host:-1", "tcp://host:2375/v1.41", "tcp://host/api",
                                           "tcp://user@host:2375", "tcp://host:2375?timeout=1",
                                           "tcp://host name:2375", "tcp://::1:2375", "tcp://[::1",
                                           "tcp://[]:2375", "tcp://[::1]2375", "tcp://[host]:2375"));

// ---- EndpointResolver -----------------------------------------------------------------------------------

class EndpointResolverTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string pattern = (fs::temp_directory_path() / "dockscope-endpoint-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        root_ = pattern;
        home_ = root_ / "home" / "ada";
        configDir_ = home_ / ".docker";
        runtimeDir_ = (root_ / "run" / "user" / "1000").string();
        fs::create_directories(configDir_);
    }

    void TearDown() override
    {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }

    Inputs inputs() const
    {
        Inputs in;
        in.homeDir = home_.string();
        in.env["XDG_RUNTIME_DIR"] = runtimeDir_;
        in.isSocket = [sockets = sockets_](const std::string& path) { return sockets.count(path) > 0; };
        return in;
    }

    static void write(const fs::path& path, const std::string& content)
    {
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << content;
    }

    // The layout `docker context create` leaves: meta/<sha256>/meta.json and tls/<sha256>/docker/*.pem.
    void writeContext(const std::string& name, const std::string& dir, const std::string& host,
                      bool skipTlsVerify = false, bool withTls = false) const
    {
        write(configDir_ / "contexts" / "meta" / dir / "meta.json",
              R"({"Name":")" + name +
                  R"(","Metadata":{"Description":"test"},"Endpoints":{"docker":{"Host":")" + host +
                  R"(","SkipTLSVerify":)" + (skipTlsVerify ? "true" : "false") + "}}}");
        if (withTls) {
            for (const char* file : {"ca.pem", "cert.pem", "key.pem"})
                write(tlsDir(dir) / file, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        }
    }

    fs::path tlsDir(const std::string& dir) const { return configDir_ / "contexts" / "tls" / dir / "docker"; }

    void setCurrentContext(const std::string& name) const
    {
        write(configDir_ / "config.json", "{\n\t\"auths\": {},\n\t\"currentContext\": \"" + name + "\"\n}");
    }

    static Endpoint resolved(const Inputs& in)
    {
        const auto result = EndpointResolver::resolve(in);
        EXPECT_TRUE(result.error.empty()) << result.error;
        return result.endpoint.value_or(Endpoint{});
    }

    static std::string resolveError(const Inputs& in)
    {
        const auto result = EndpointResolver::resolve(in);
        EXPECT_FALSE(result.endpoint.has_value()) << "resolved to " << result.endpoint->url();
        EXPECT_FALSE(result.error.empty());
        return result.error;
    }

    fs::path root_;
    fs::path home_;
    fs::path configDir_;
    std::string runtimeDir_;
    std::set<std::string> sockets_;
};

// -- precedence

TEST_F(EndpointResolverTest, ExplicitHostWinsOverEverything)
{
    writeContext("remote", kRemoteDir, "tcp://remote.example.com:2376");
    setCurrentContext("remote");
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.explicitHost = "tcp://cli.example.com:2375";
    in.env["DOCKER_HOST"] = "tcp://env.example.com:2375";
    in.env["DOCKER_CONTEXT"] = "remote";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "tcp://cli.example.com:2375");
    EXPECT_EQ(endpoint.source, "--host option");
}

TEST_F(EndpointResolverTest, BlankExplicitHostCountsAsNotGiven)
{
    auto in = inputs();
    in.explicitHost = "  ";
    in.env["DOCKER_HOST"] = "unix:///srv/docker.sock";
    EXPECT_EQ(resolved(in).source, "DOCKER_HOST environment variable");
}

TEST_F(EndpointResolverTest, DockerHostWinsOverContextsAndSockets)
{
    writeContext("remote", kRemoteDir, "tcp://remote.example.com:2376");
    setCurrentContext("remote");
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_HOST"] = "unix:///srv/docker.sock";
    in.env["DOCKER_CONTEXT"] = "remote";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.transport, Transport::Unix);
    EXPECT_EQ(endpoint.path, "/srv/docker.sock");
    EXPECT_EQ(endpoint.source, "DOCKER_HOST environment variable");
}

TEST_F(EndpointResolverTest, DockerHostMakesAMissingContextIrrelevant)
{
    // The CLI switches to the "default" context whenever DOCKER_HOST is set, so the name is never looked up.
    auto in = inputs();
    in.env["DOCKER_HOST"] = "tcp://10.1.2.3:2375";
    in.env["DOCKER_CONTEXT"] = "no-such-context";
    EXPECT_EQ(resolved(in).url(), "tcp://10.1.2.3:2375");
}

TEST_F(EndpointResolverTest, EmptyDockerHostIsIgnored)
{
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_HOST"] = "";
    EXPECT_EQ(resolved(in).source, "default socket /var/run/docker.sock");
}

TEST_F(EndpointResolverTest, UnparsableDockerHostIsAnErrorNotAFallback)
{
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_HOST"] = "ssh://me@build-box";
    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, "DOCKER_HOST"));
    EXPECT_TRUE(contains(error, "'ssh://me@build-box'"));
    EXPECT_TRUE(contains(error, "ssh://"));
}

TEST_F(EndpointResolverTest, UnparsableExplicitHostIsAnErrorNamingTheOption)
{
    auto in = inputs();
    in.explicitHost = "localhost:2375";
    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, "--host option is 'localhost:2375'"));
}

// -- TLS from the environment

TEST_F(EndpointResolverTest, TlsVerifyFromEnvironmentAppliesToDockerHost)
{
    auto in = inputs();
    in.env["DOCKER_HOST"] = "tcp://secure.example.com";
    in.env["DOCKER_TLS_VERIFY"] = "1";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "tcp://secure.example.com:2376");
    EXPECT_TRUE(endpoint.tls);
    EXPECT_TRUE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, configDir_.string());
}

TEST_F(EndpointResolverTest, TlsVerifyCountsWhenSetToAnyNonEmptyValue)
{
    // As with the CLI, DOCKER_TLS_VERIFY=0 still turns verification on: only being empty turns it off.
    auto in = inputs();
    in.env["DOCKER_HOST"] = "tcp://secure.example.com:2376";
    in.env["DOCKER_TLS_VERIFY"] = "0";
    EXPECT_TRUE(resolved(in).tlsVerify);
}

TEST_F(EndpointResolverTest, DockerTlsEnablesTlsWithoutVerification)
{
    auto in = inputs();
    in.env["DOCKER_HOST"] = "tcp://secure.example.com:3000";
    in.env["DOCKER_TLS"] = "1";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.port, 3000);
    EXPECT_TRUE(endpoint.tls);
    EXPECT_FALSE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, configDir_.string());
}

TEST_F(EndpointResolverTest, DockerCertPathOverridesTheConfigDirectory)
{
    auto in = inputs();
    in.explicitHost = "tcp://secure.example.com";
    in.env["DOCKER_TLS_VERIFY"] = "1";
    in.env["DOCKER_CERT_PATH"] = "/etc/docker-certs";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.source, "--host option");
    EXPECT_TRUE(endpoint.tls);
    EXPECT_EQ(endpoint.certPath, "/etc/docker-certs");
}

TEST_F(EndpointResolverTest, WithoutTlsVariablesTcpIsPlain)
{
    auto in = inputs();
    in.env["DOCKER_HOST"] = "tcp://plain.example.com";
    in.env["DOCKER_CERT_PATH"] = "/etc/docker-certs";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "tcp://plain.example.com:2375");
    EXPECT_FALSE(endpoint.tls);
    EXPECT_FALSE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, "");
}

TEST_F(EndpointResolverTest, TlsNeverAppliesToUnixSockets)
{
    auto in = inputs();
    in.env["DOCKER_HOST"] = "unix:///srv/docker.sock";
    in.env["DOCKER_TLS_VERIFY"] = "1";
    in.env["DOCKER_TLS"] = "1";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.transport, Transport::Unix);
    EXPECT_FALSE(endpoint.tls);
    EXPECT_FALSE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, "");
}

TEST_F(EndpointResolverTest, TlsEnvironmentDoesNotApplyToSocketsFound)
{
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_TLS_VERIFY"] = "1";
    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "unix:///var/run/docker.sock");
    EXPECT_FALSE(endpoint.tls);
}

// -- docker contexts

TEST_F(EndpointResolverTest, ContextFromDockerContextWithTlsMaterial)
{
    writeContext("secure", kSecureDir, "tcp://secure.example.com:2376", false, true);
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "secure";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "tcp://secure.example.com:2376");
    EXPECT_TRUE(endpoint.tls);
    EXPECT_TRUE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, tlsDir(kSecureDir).string());
    EXPECT_EQ(endpoint.source, "docker context 'secure' (from DOCKER_CONTEXT)");
}

TEST_F(EndpointResolverTest, ContextTlsMaterialPicksTheTlsDefaultPort)
{
    writeContext("secure", kSecureDir, "tcp://secure.example.com", false, true);
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "secure";
    EXPECT_EQ(resolved(in).port, 2376);
}

TEST_F(EndpointResolverTest, ContextIgnoresTlsEnvironmentVariables)
{
    writeContext("remote", kRemoteDir, "tcp://remote.example.com:2375");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "remote";
    in.env["DOCKER_TLS_VERIFY"] = "1";

    const auto endpoint = resolved(in);
    EXPECT_FALSE(endpoint.tls);
    EXPECT_EQ(endpoint.certPath, "");
}

TEST_F(EndpointResolverTest, CurrentContextFromConfigJson)
{
    writeContext("remote", kRemoteDir, "tcp://remote.example.com");
    setCurrentContext("remote");
    sockets_.insert("/var/run/docker.sock");

    const auto endpoint = resolved(inputs());
    EXPECT_EQ(endpoint.url(), "tcp://remote.example.com:2375");
    EXPECT_FALSE(endpoint.tls);
    EXPECT_EQ(endpoint.source,
              "docker context 'remote' (currentContext in " + (configDir_ / "config.json").string() + ")");
}

TEST_F(EndpointResolverTest, DockerContextWinsOverCurrentContext)
{
    writeContext("remote", kRemoteDir, "tcp://remote.example.com:2375");
    writeContext("secure", kSecureDir, "tcp://secure.example.com:2376", false, true);
    setCurrentContext("remote");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "secure";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.host, "secure.example.com");
    EXPECT_EQ(endpoint.source, "docker context 'secure' (from DOCKER_CONTEXT)");
}

TEST_F(EndpointResolverTest, ContextSkipTlsVerifyKeepsTlsButDropsVerification)
{
    writeContext("insecure", kInsecureDir, "tcp://insecure.example.com:2376", true, true);
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "insecure";

    const auto endpoint = resolved(in);
    EXPECT_TRUE(endpoint.tls);
    EXPECT_FALSE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, tlsDir(kInsecureDir).string());
}

TEST_F(EndpointResolverTest, ContextSkipTlsVerifyAloneSwitchesTlsOn)
{
    // The CLI's context tlsConfig() builds a TLS config when SkipTLSVerify is set even without TLS files.
    writeContext("insecure", kInsecureDir, "tcp://insecure.example.com", true, false);
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "insecure";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.port, 2376);
    EXPECT_TRUE(endpoint.tls);
    EXPECT_FALSE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, "");
}

TEST_F(EndpointResolverTest, ContextWithUnixHostNeverUsesTls)
{
    writeContext("local-sock", kLocalSockDir, "unix:///run/user/1000/docker.sock", false, true);
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "local-sock";

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "unix:///run/user/1000/docker.sock");
    EXPECT_FALSE(endpoint.tls);
    EXPECT_EQ(endpoint.certPath, "");
    EXPECT_EQ(endpoint.source, "docker context 'local-sock' (from DOCKER_CONTEXT)");
}

TEST_F(EndpointResolverTest, ContextKeysAreMatchedCaseInsensitivelyLikeGo)
{
    write(configDir_ / "contexts" / "meta" / kRemoteDir / "meta.json",
          R"({"name":"remote","endpoints":{"docker":{"host":"tcp://remote.example.com:2375"}}})");
    write(configDir_ / "config.json", R"({"CURRENTCONTEXT":"remote"})");
    EXPECT_EQ(resolved(inputs()).url(), "tcp://remote.example.com:2375");
}

TEST_F(EndpointResolverTest, DefaultContextMeansNoContext)
{
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "default";
    EXPECT_EQ(resolved(in).source, "default socket /var/run/docker.sock");

    setCurrentContext("default");
    EXPECT_EQ(resolved(inputs()).source, "default socket /var/run/docker.sock");
}

TEST_F(EndpointResolverTest, MissingContextIsAnErrorNotAFallback)
{
    writeContext("remote", kRemoteDir, "tcp://remote.example.com:2375");
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "staging";

    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, "docker context 'staging' (from DOCKER_CONTEXT) does not exist"));
    EXPECT_TRUE(contains(error, (configDir_ / "contexts" / "meta").string()));
}

TEST_F(EndpointResolverTest, MissingCurrentContextNamesConfigJson)
{
    setCurrentContext("gone");
    sockets_.insert("/var/run/docker.sock");
    const auto error = resolveError(inputs());
    EXPECT_TRUE(contains(error, "docker context 'gone' (currentContext in " +
                                    (configDir_ / "config.json").string() + ") does not exist"));
}

TEST_F(EndpointResolverTest, MalformedMetaJsonOfTheWantedContextIsNamed)
{
    const auto metaFile = configDir_ / "contexts" / "meta" / kBrokenDir / "meta.json";
    write(metaFile, R"({"Name":"broken","Endpoints":{"docker":{"Host":"tcp://x:2375")");
    sockets_.insert("/var/run/docker.sock");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "broken";

    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, metaFile.string() + ": invalid JSON"));
}

TEST_F(EndpointResolverTest, MalformedMetaJsonOfAnotherContextDoesNotHide)
{
    write(configDir_ / "contexts" / "meta" / kBrokenDir / "meta.json", "not json at all");
    writeContext("remote", kRemoteDir, "tcp://remote.example.com:2375");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "remote";
    EXPECT_EQ(resolved(in).url(), "tcp://remote.example.com:2375");
}

TEST_F(EndpointResolverTest, ContextWithoutDockerEndpointIsAnError)
{
    const auto metaFile = configDir_ / "contexts" / "meta" / kRemoteDir / "meta.json";
    write(metaFile, R"({"Name":"remote","Metadata":{},"Endpoints":{"kubernetes":{}}})");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "remote";

    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, metaFile.string()));
    EXPECT_TRUE(contains(error, "no Endpoints.docker.Host"));
}

TEST_F(EndpointResolverTest, ContextWithBadSkipTlsVerifyIsAnError)
{
    write(configDir_ / "contexts" / "meta" / kRemoteDir / "meta.json",
          R"({"Name":"remote","Endpoints":{"docker":{"Host":"tcp://h:2376","SkipTLSVerify":"yes"}}})");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "remote";
    EXPECT_TRUE(contains(resolveError(in), "SkipTLSVerify"));
}

TEST_F(EndpointResolverTest, ContextWithUnsupportedHostIsAnError)
{
    writeContext("remote", kRemoteDir, "ssh://me@build-box");
    auto in = inputs();
    in.env["DOCKER_CONTEXT"] = "remote";

    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, "docker context 'remote'"));
    EXPECT_TRUE(contains(error, "'ssh://me@build-box'"));
}

TEST_F(EndpointResolverTest, MalformedConfigJsonIsAnErrorNamingIt)
{
    write(configDir_ / "config.json", R"({"currentContext": "remote",)");
    sockets_.insert("/var/run/docker.sock");
    const auto error = resolveError(inputs());
    EXPECT_TRUE(contains(error, (configDir_ / "config.json").string() + ": invalid JSON"));
}

TEST_F(EndpointResolverTest, NonStringCurrentContextIsAnError)
{
    write(configDir_ / "config.json", R"({"currentContext": 42})");
    EXPECT_TRUE(contains(resolveError(inputs()), "\"currentContext\" is not a string"));
}

TEST_F(EndpointResolverTest, MalformedConfigJsonDoesNotMatterWhenDockerHostIsSet)
{
    write(configDir_ / "config.json", "{{{");
    auto in = inputs();
    in.env["DOCKER_HOST"] = "tcp://10.1.2.3:2375";
    EXPECT_EQ(resolved(in).url(), "tcp://10.1.2.3:2375");
}

TEST_F(EndpointResolverTest, EmptyConfigJsonOrOneWithoutCurrentContextSelectsNoContext)
{
    sockets_.insert("/var/run/docker.sock");
    write(configDir_ / "config.json", "");
    EXPECT_EQ(resolved(inputs()).source, "default socket /var/run/docker.sock");
    write(configDir_ / "config.json", R"({"auths":{"https://index.docker.io/v1/":{}}})");
    EXPECT_EQ(resolved(inputs()).source, "default socket /var/run/docker.sock");
}

TEST_F(EndpointResolverTest, DockerConfigRelocatesConfigAndContexts)
{
    const auto otherConfig = root_ / "elsewhere";
    write(otherConfig / "config.json", R"({"currentContext":"remote"})");
    write(otherConfig / "contexts" / "meta" / kRemoteDir / "meta.json",
          R"({"Name":"remote","Endpoints":{"docker":{"Host":"tcp://elsewhere.example.com:2375"}}})");
    setCurrentContext("gone"); // the one under HOME must not be read
    auto in = inputs();
    in.env["DOCKER_CONFIG"] = otherConfig.string();

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.host, "elsewhere.example.com");
    EXPECT_EQ(endpoint.source,
              "docker context 'remote' (currentContext in " + (otherConfig / "config.json").string() + ")");
}

TEST_F(EndpointResolverTest, ExplicitConfigDirInputIsUsedForCertPath)
{
    auto in = inputs();
    in.dockerConfigDir = "/opt/docker-config";
    in.env["DOCKER_HOST"] = "tcp://secure.example.com";
    in.env["DOCKER_TLS_VERIFY"] = "1";
    EXPECT_EQ(resolved(in).certPath, "/opt/docker-config");
}

// -- local sockets

TEST_F(EndpointResolverTest, DefaultSocketComesBeforeRootlessAndPodman)
{
    sockets_ = {"/var/run/docker.sock", runtimeDir_ + "/docker.sock", runtimeDir_ + "/podman/podman.sock",
                "/run/podman/podman.sock"};
    const auto endpoint = resolved(inputs());
    EXPECT_EQ(endpoint.url(), "unix:///var/run/docker.sock");
    EXPECT_EQ(endpoint.source, "default socket /var/run/docker.sock");
}

TEST_F(EndpointResolverTest, RootlessDockerSocketComesBeforePodman)
{
    sockets_ = {runtimeDir_ + "/docker.sock", runtimeDir_ + "/podman/podman.sock", "/run/podman/podman.sock"};
    const auto endpoint = resolved(inputs());
    EXPECT_EQ(endpoint.url(), "unix://" + runtimeDir_ + "/docker.sock");
    EXPECT_EQ(endpoint.source, "rootless Docker socket " + runtimeDir_ + "/docker.sock");
}

TEST_F(EndpointResolverTest, RootlessPodmanSocketComesBeforeSystemPodman)
{
    sockets_ = {runtimeDir_ + "/podman/podman.sock", "/run/podman/podman.sock"};
    const auto endpoint = resolved(inputs());
    EXPECT_EQ(endpoint.path, runtimeDir_ + "/podman/podman.sock");
    EXPECT_EQ(endpoint.source, "rootless Podman socket " + runtimeDir_ + "/podman/podman.sock");
}

TEST_F(EndpointResolverTest, SystemPodmanSocketIsTheLastResort)
{
    sockets_ = {"/run/podman/podman.sock"};
    const auto endpoint = resolved(inputs());
    EXPECT_EQ(endpoint.url(), "unix:///run/podman/podman.sock");
    EXPECT_EQ(endpoint.source, "Podman socket /run/podman/podman.sock");
}

TEST_F(EndpointResolverTest, NothingFoundListsEveryPlaceTried)
{
    const auto error = resolveError(inputs());
    EXPECT_TRUE(contains(error, "No Docker engine found"));
    EXPECT_TRUE(contains(error, "DOCKER_HOST"));
    EXPECT_TRUE(contains(error, "docker context"));
    for (const auto& path : {std::string("/var/run/docker.sock"), runtimeDir_ + "/docker.sock",
                             runtimeDir_ + "/podman/podman.sock", std::string("/run/podman/podman.sock")})
        EXPECT_TRUE(contains(error, path));
}

TEST_F(EndpointResolverTest, NothingFoundWithoutXdgRuntimeDirSaysSo)
{
    auto in = inputs();
    in.env.erase("XDG_RUNTIME_DIR");
    const auto error = resolveError(in);
    EXPECT_TRUE(contains(error, "/var/run/docker.sock"));
    EXPECT_TRUE(contains(error, "/run/podman/podman.sock"));
    EXPECT_TRUE(contains(error, "XDG_RUNTIME_DIR is not set to an absolute path"));
}

TEST_F(EndpointResolverTest, ThrowingSocketProbeBecomesAnError)
{
    auto in = inputs();
    in.isSocket = [](const std::string&) -> bool { throw std::runtime_error("probe exploded"); };
    EXPECT_TRUE(contains(resolveError(in), "probe exploded"));
}

// -- fromEnvironment

class EndpointFromEnvironmentTest : public EndpointResolverTest {
protected:
    void SetUp() override
    {
        EndpointResolverTest::SetUp();
        for (const char* name : kVariables) {
            const char* value = std::getenv(name);
            saved_.emplace_back(name, value != nullptr ? std::optional<std::string>(value) : std::nullopt);
            ::unsetenv(name);
        }
    }

    void TearDown() override
    {
        for (const auto& [name, value] : saved_) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
        EndpointResolverTest::TearDown();
    }

    static constexpr const char* kVariables[] = {
        "DOCKER_HOST", "DOCKER_CONTEXT",   "DOCKER_CONFIG",   "DOCKER_TLS_VERIFY",
        "DOCKER_TLS",  "DOCKER_CERT_PATH", "XDG_RUNTIME_DIR", "HOME"};
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(EndpointFromEnvironmentTest, ReadsTheProcessEnvironment)
{
    ::setenv("HOME", home_.c_str(), 1);
    ::setenv("DOCKER_HOST", "tcp://env.example.com", 1);
    ::setenv("DOCKER_TLS_VERIFY", "1", 1);
    ::setenv("XDG_RUNTIME_DIR", runtimeDir_.c_str(), 1);

    const auto in = EndpointResolver::fromEnvironment(std::nullopt);
    EXPECT_FALSE(in.explicitHost.has_value());
    EXPECT_EQ(in.homeDir, home_.string());
    EXPECT_EQ(in.dockerConfigDir, configDir_.string());
    EXPECT_EQ(in.env.at("XDG_RUNTIME_DIR"), runtimeDir_);
    EXPECT_EQ(in.env.count("DOCKER_CONTEXT"), 0u);

    const auto endpoint = resolved(in);
    EXPECT_EQ(endpoint.url(), "tcp://env.example.com:2376");
    EXPECT_TRUE(endpoint.tlsVerify);
    EXPECT_EQ(endpoint.certPath, configDir_.string());
}

TEST_F(EndpointFromEnvironmentTest, DockerConfigAndExplicitHost)
{
    ::setenv("HOME", home_.c_str(), 1);
    ::setenv("DOCKER_CONFIG", "/etc/dockscope-docker", 1);
    const auto in = EndpointResolver::fromEnvironment("unix:///srv/docker.sock");
    EXPECT_EQ(in.explicitHost, "unix:///srv/docker.sock");
    EXPECT_EQ(in.dockerConfigDir, "/etc/dockscope-docker");
    EXPECT_EQ(resolved(in).source, "--host option");
}

TEST_F(EndpointFromEnvironmentTest, IsSocketTellsSocketsFromOtherFiles)
{
    const auto socketPath = root_ / "engine.sock";
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    ASSERT_LT(socketPath.string().size(), sizeof(address.sun_path));
    socketPath.string().copy(address.sun_path, sizeof(address.sun_path) - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    write(root_ / "plain-file", "x");

    const auto in = EndpointResolver::fromEnvironment(std::nullopt);
    EXPECT_TRUE(in.isSocket(socketPath.string()));
    EXPECT_FALSE(in.isSocket((root_ / "plain-file").string()));
    EXPECT_FALSE(in.isSocket(root_.string()));
    EXPECT_FALSE(in.isSocket((root_ / "missing.sock").string()));
    ::close(fd);
}

} // namespace
} // namespace dockscope::docker
