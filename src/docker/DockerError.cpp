#include "dockscope/docker/DockerError.h"

#include <nlohmann/json.hpp>

namespace dockscope::docker {

std::string_view toString(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return "no error";
    case ErrorKind::BadRequest:
        return "bad request";
    case ErrorKind::NotFound:
        return "not found";
    case ErrorKind::Conflict:
        return "conflict";
    case ErrorKind::NotModified:
        return "not modified";
    case ErrorKind::ServerError:
        return "server error";
    case ErrorKind::HttpError:
        return "HTTP error";
    case ErrorKind::Transport:
        return "connection error";
    case ErrorKind::Timeout:
        return "timeout";
    case ErrorKind::Protocol:
        return "protocol error";
    case ErrorKind::Parse:
        return "parse error";
    case ErrorKind::Cancelled:
        return "cancelled";
    case ErrorKind::Unsupported:
        return "unsupported";
    }
    return "unknown error";
}

std::string DockerError::describe() const
{
    std::string text{toString(kind)};
    if (httpStatus != 0)
        text += " (" + std::to_string(httpStatus) + ')';
    if (!message.empty())
        text += ": " + message;
    return text;
}

namespace {

ErrorKind kindForStatus(int status)
{
    switch (status) {
    case 304:
        return ErrorKind::NotModified;
    case 400:
        return ErrorKind::BadRequest;
    case 404:
        return ErrorKind::NotFound;
    case 409:
        return ErrorKind::Conflict;
    default:
        return status >= 500 && status < 600 ? ErrorKind::ServerError : ErrorKind::HttpError;
    }
}

// Docker answers errors with {"message": "..."}; proxies and old engines may send plain text.
std::string messageFromBody(std::string_view body)
{
    const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object()) {
        const auto it = doc.find("message");
        if (it != doc.end() && it->is_string())
            return it->get<std::string>();
    }
    std::string text{body};
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace

DockerError DockerError::fromHttp(int status, std::string_view body)
{
    return DockerError{kindForStatus(status), status, messageFromBody(body)};
}

} // namespace dockscope::docker
