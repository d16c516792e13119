#pragma once

#include <string>
#include <string_view>

namespace dockscope::docker {

/// What went wrong with a Docker API call.
enum class ErrorKind {
    None,
    BadRequest,  ///< HTTP 400: Docker refused the parameters
    NotFound,    ///< HTTP 404: no such container / image / volume / network
    Conflict,    ///< HTTP 409: e.g. removing a running container without force, name in use
    NotModified, ///< HTTP 304: e.g. starting a running container
    ServerError, ///< HTTP 500 and other 5xx
    HttpError,   ///< any other unexpected HTTP status
    Transport,   ///< connecting failed, or the connection closed early
    Timeout,     ///< the request took longer than its timeout
    Protocol,    ///< the peer did not speak valid HTTP/1.1
    Parse,       ///< the body was not the JSON we expected; the message names the field
    Cancelled,   ///< the caller cancelled the request or stream
    Unsupported, ///< the engine's API is older than Dockscope supports
};

std::string_view toString(ErrorKind kind);

/// A typed error carrying Docker's own message where there is one.
struct DockerError {
    ErrorKind kind = ErrorKind::None;
    int httpStatus = 0;  ///< 0 when the error is not an HTTP status
    std::string message; ///< Docker's "message" or our own description

    explicit operator bool() const { return kind != ErrorKind::None; }
    bool operator==(const DockerError&) const = default;

    /// "not found (404): No such container: abc" — for logs and user-facing text.
    std::string describe() const;

    /// Maps an HTTP error status and Docker's error body ({"message": "..."} or plain text) to a typed error.
    static DockerError fromHttp(int status, std::string_view body);
};

} // namespace dockscope::docker
