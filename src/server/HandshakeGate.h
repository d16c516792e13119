#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace dockscope::server {

/// What the gate accepts before a WebSocket upgrade (DESIGN.md "Security"): a Host header naming a loopback
/// name (or the explicitly configured listen address) with our port, against DNS rebinding; an Origin header
/// only when absent or explicitly allowed, against cross-site WebSocket hijacking.
struct GatePolicy {
    quint16 port = 0;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    QStringList allowedOrigins;
};

/// The verdict on one HTTP request head ("GET / HTTP/1.1\r\n...\r\n\r\n"). `refusal` is empty when the
/// request may go on to the WebSocket handshake; else the HTTP status line's reason and the log text.
struct GateVerdict {
    bool accepted = false;
    int status = 403;
    QString reason;
};

/// Bytes of the request head, or nullopt while it is incomplete. The head may not exceed `maxBytes`.
std::optional<qsizetype> requestHeadLength(const QByteArray& buffered);

GateVerdict checkRequestHead(const QByteArray& head, const GatePolicy& policy);

/// Whether an Origin header value is allowed (exact, case-insensitive match on the allow list).
bool originAllowed(const QString& origin, const QStringList& allowed);

} // namespace dockscope::server
