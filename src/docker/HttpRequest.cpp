#include "dockscope/docker/HttpRequest.h"

#include <QByteArray>

namespace dockscope::docker {

HttpRequest& HttpRequest::arg(QByteArray key, QByteArray value)
{
    query.append({std::move(key), std::move(value)});
    return *this;
}

HttpRequest& HttpRequest::json(QByteArray jsonBody)
{
    body = std::move(jsonBody);
    contentType = "application/json";
    return *this;
}

QByteArray encodePathSegment(const QByteArray& segment)
{
    return segment.toPercentEncoding();
}

QByteArray HttpRequest::describe(const QByteArray& apiVersion) const
{
    QByteArray target = versioned && !apiVersion.isEmpty() ? "/v" + apiVersion + path : path;
    for (qsizetype i = 0; i < query.size(); ++i) {
        target += (i == 0 ? '?' : '&');
        target += query[i].first.toPercentEncoding() + '=' + query[i].second.toPercentEncoding();
    }
    return method + ' ' + target;
}

QByteArray HttpRequest::serialize(const QByteArray& apiVersion, const QByteArray& host) const
{
    QByteArray out =
        describe(apiVersion) + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: Dockscope/0.1\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT") {
        if (!contentType.isEmpty())
            out += "Content-Type: " + contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    out += "\r\n";
    out += body;
    return out;
}

} // namespace dockscope::docker
