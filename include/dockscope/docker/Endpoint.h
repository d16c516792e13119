#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace dockscope::docker {

/// Where the Docker engine listens, and why Dockscope chose it.
struct Endpoint {
    enum class Transport { Unix, Tcp };

    static constexpr std::uint16_t defaultPort = 2375;    ///< IANA port for plain-text Docker
    static constexpr std::uint16_t defaultTlsPort = 2376; ///< IANA port for Docker over TLS

    Transport transport = Transport::Unix;
    std::string path;       ///< socket path for Unix
    std::string host;       ///< host name or address for Tcp (IPv6 without brackets)
    std::uint16_t port = 0; ///< for Tcp (2375 plain, 2376 TLS by default)
    bool tls = false;       ///< use TLS (tcp only): DOCKER_TLS(_VERIFY) set, or a context's TLS material
    bool tlsVerify = false; ///< verify the server's certificate (against ca.pem in certPath if there is one)
    std::string certPath;   ///< directory holding ca.pem, cert.pem, key.pem (any of them may be missing)
    std::string source;     ///< human-readable reason, e.g. "DOCKER_HOST environment variable"

    /// "unix:///var/run/docker.sock", "tcp://host:2376" or "tcp://[::1]:2375".
    std::string url() const;
    bool operator==(const Endpoint&) const = default;

    /// Parses a docker host string: unix:///absolute/path (bare "unix://" is /var/run/docker.sock) or
    /// tcp://host[:port] (host may be [IPv6]; empty host is localhost; a trailing "/" is ignored).
    /// Without a port, `tls` picks 2376 over 2375; it sets no other field. Returns nullopt for anything else:
    /// a missing scheme, ssh://, npipe://, fd://, a relative socket path, an API path after host:port, a bad
    /// port.
    static std::optional<Endpoint> parse(const std::string& hostUrl, bool tls = false);
};

/// Finds the engine the way the docker CLI does: an explicit --host, then DOCKER_HOST, then the current
/// docker context (DOCKER_CONTEXT, else "currentContext" in <config dir>/config.json; "default" means none),
/// found by its "Name" among <config dir>/contexts/meta/*/meta.json, with TLS files in <config
/// dir>/contexts/tls/<same dir>/docker/. Then, unlike the CLI, it probes for a local engine:
/// /var/run/docker.sock, the rootless socket $XDG_RUNTIME_DIR/docker.sock, then Podman's sockets
/// ($XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock).
/// The environment and the existence of sockets are injected so tests can drive it.
class EndpointResolver {
public:
    struct Inputs {
        std::optional<std::string> explicitHost; ///< --host; empty or blank counts as not given
        std::map<std::string, std::string> env;  ///< DOCKER_HOST, DOCKER_CONTEXT, DOCKER_TLS_VERIFY, ...
        std::string homeDir;                     ///< for ~/.docker
        std::string dockerConfigDir;             ///< empty: env DOCKER_CONFIG, else homeDir/.docker
        std::function<bool(const std::string&)> isSocket; ///< does a UNIX socket exist here; empty: stat()
    };

    /// The chosen endpoint, or an error message saying what failed or what was tried. Exactly one is set.
    struct Resolution {
        std::optional<Endpoint> endpoint;
        std::string error;
    };

    /// Never throws: unreadable or malformed files become an error naming the file.
    static Resolution resolve(const Inputs& inputs);

    /// Inputs from this process's real environment and file system.
    static Inputs fromEnvironment(std::optional<std::string> explicitHost);
};

} // namespace dockscope::docker
