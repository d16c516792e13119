#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace dockscope::docker {

/// One request to the Engine API. `path` is unversioned ("/containers/json"); the client adds "/v1.NN"
/// unless `versioned` is false (as for the negotiation calls /_ping and /version).
struct HttpRequest {
    QByteArray method = "GET";
    QByteArray path;
    QList<QPair<QByteArray, QByteArray>> query; ///< raw values; percent-encoded when serialised
    QByteArray body;
    QByteArray contentType; ///< set when there is a body
    bool versioned = true;

    static HttpRequest get(QByteArray path) { return HttpRequest{"GET", std::move(path), {}, {}, {}, true}; }
    static HttpRequest post(QByteArray path)
    {
        return HttpRequest{"POST", std::move(path), {}, {}, {}, true};
    }
    static HttpRequest del(QByteArray path)
    {
        return HttpRequest{"DELETE", std::move(path), {}, {}, {}, true};
    }

    HttpRequest& arg(QByteArray key, QByteArray value);
    /// A boolean parameter as "1"/"0". Not an arg() overload: a string literal would convert to bool first.
    HttpRequest& flag(QByteArray key, bool value)
    {
        return arg(std::move(key), QByteArray(value ? "1" : "0"));
    }
    HttpRequest& json(QByteArray jsonBody);

    /// GET and HEAD may be retried on a fresh connection when a kept-alive one turns out to be closed.
    bool idempotent() const { return method == "GET" || method == "HEAD"; }

    /// The bytes on the wire: request line with "/v<apiVersion>" prefix, Host, User-Agent, body framing.
    QByteArray serialize(const QByteArray& apiVersion, const QByteArray& host) const;
    /// "GET /v1.41/containers/json?all=1" for logs.
    QByteArray describe(const QByteArray& apiVersion) const;
};

/// Percent-encodes a path segment (a container name or an image reference with ':' and '/').
QByteArray encodePathSegment(const QByteArray& segment);

} // namespace dockscope::docker
