#pragma once

// Small conversions shared by the DockerClient sources. Private to the docker library.

#include "dockscope/docker/DockerClient.h"

namespace dockscope::docker::detail {

inline std::string_view view(const QByteArray& b)
{
    return {b.constData(), static_cast<std::size_t>(b.size())};
}
inline nlohmann::json parseBody(const HttpResponse& r)
{
    return nlohmann::json::parse(view(r.body));
}
inline QByteArray seg(const std::string& s)
{
    return encodePathSegment(QByteArray::fromStdString(s));
}
inline QByteArray bytes(const std::string& s)
{
    return QByteArray::fromStdString(s);
}
inline QByteArray jsonBytes(const nlohmann::json& doc)
{
    return QByteArray::fromStdString(doc.dump());
}

/// A POST to a prune endpoint with Docker's `filters` parameter.
inline HttpRequest pruneRequest(const QByteArray& path, const Filters& filters)
{
    HttpRequest request = HttpRequest::post(path);
    if (!filters.empty())
        request.arg("filters", jsonBytes(nlohmann::json(filters)));
    return request;
}

/// Docker takes times as "seconds.nanoseconds".
inline QByteArray timeArg(state::Timestamp ns)
{
    return QByteArray::number(ns / 1'000'000'000) + '.' +
           QByteArray::number(ns % 1'000'000'000).rightJustified(9, '0');
}

} // namespace dockscope::docker::detail

namespace dockscope::docker {

template <typename T, typename Parse>
void DockerClient::call(HttpRequest request, QObject* context, Callback<T> done, Parse parse)
{
    send(std::move(request), context, [done = std::move(done), parse](Result<HttpResponse> r) {
        if (!r)
            return done(r.error());
        std::optional<T> value;
        try {
            value.emplace(parse(r.value()));
        } catch (const std::exception& e) {
            // JsonFieldError names the field; nlohmann's errors say what was malformed.
            return done(DockerError{ErrorKind::Parse, r->head.status, e.what()});
        }
        done(std::move(*value)); // outside the try: the callback's own exceptions are not parse errors
    });
}

} // namespace dockscope::docker
