#include "HandshakeGate.h"

#include <QList>

namespace dockscope::server {

std::optional<qsizetype> requestHeadLength(const QByteArray& buffered)
{
    const qsizetype end = buffered.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    return end + 4;
}

bool originAllowed(const QString& origin, const QStringList& allowed)
{
    return allowed.contains(origin, Qt::CaseInsensitive);
}

namespace {

GateVerdict refuse(int status, QString reason)
{
    return GateVerdict{false, status, std::move(reason)};
}

/// Host header value → (host, port); port -1 when absent, 0 when malformed.
std::pair<QString, int> splitHost(const QString& value)
{
    QString host = value;
    int port = -1;
    if (host.startsWith(u'[')) {
        const qsizetype close = host.indexOf(u']');
        if (close < 0)
            return {QString(), 0};
        const QString rest = host.mid(close + 1);
        host = host.mid(1, close - 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return {QString(), 0};
            bool ok = false;
            port = rest.mid(1).toInt(&ok);
            if (!ok)
                port = 0;
        }
        return {host, port};
    }
    const qsizetype colon = host.lastIndexOf(u':');
    if (colon >= 0) {
        bool ok = false;
        port = host.mid(colon + 1).toInt(&ok);
        if (!ok)
            port = 0;
        host = host.left(colon);
    }
    return {host, port};
}

bool hostAllowed(const QString& host, const GatePolicy& policy)
{
    const QString h = host.toLower();
    if (h == QLatin1String("localhost") || h == QLatin1String("127.0.0.1") || h == QLatin1String("::1"))
        return true;
    // An explicitly configured non-loopback listen address may be named by its literal address.
    const QHostAddress literal(h);
    return !literal.isNull() && !policy.listenAddress.isLoopback() && literal == policy.listenAddress;
}

} // namespace

GateVerdict checkRequestHead(const QByteArray& head, const GatePolicy& policy)
{
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty() || !lines.front().startsWith("GET "))
        return refuse(400, QStringLiteral("not a GET request"));
    std::optional<QString> hostHeader;
    std::optional<QString> originHeader;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QString value = QString::fromLatin1(line.mid(colon + 1).trimmed());
        if (name == "host") {
            if (hostHeader)
                return refuse(400, QStringLiteral("several Host headers"));
            hostHeader = value;
        } else if (name == "origin" || name == "sec-websocket-origin") {
            if (originHeader && *originHeader != value)
                return refuse(403, QStringLiteral("conflicting Origin headers"));
            originHeader = value;
        }
    }
    if (!hostHeader)
        return refuse(400, QStringLiteral("no Host header"));
    const auto [host, port] = splitHost(*hostHeader);
    if (port != policy.port || !hostAllowed(host, policy))
        return refuse(403, QStringLiteral("Host '%1' is not this server (DNS rebinding?)").arg(*hostHeader));
    if (originHeader && !originAllowed(*originHeader, policy.allowedOrigins))
        return refuse(403, QStringLiteral("Origin '%1' is not allowed").arg(*originHeader));
    return GateVerdict{true, 101, QString()};
}

} // namespace dockscope::server
