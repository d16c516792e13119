// The discovery file: where the daemon listens and its token (docs/protocol.md "Discovery").
#include "dockscope/client/Replica.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dockscope::client {

namespace {

// Far above any real discovery file; a bigger one is not ours.
constexpr qint64 kMaxDiscoveryBytes = 64 * 1024;

std::optional<DaemonAddress> fail(QString* error, const QString& why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

// The file holds the token: refuse it when anyone but its owner (us) could read or replace it.
QString insecurity(int fd, const QString& path)
{
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return QStringLiteral("cannot stat the discovery file %1: %2")
            .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    if (!S_ISREG(info.st_mode))
        return QStringLiteral("the discovery file %1 is not a regular file").arg(path);
    if (info.st_uid != ::geteuid())
        return QStringLiteral("the discovery file %1 belongs to another user (uid %2); refused")
            .arg(path)
            .arg(info.st_uid);
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        return QStringLiteral(
                   "the discovery file %1 has mode %2: it holds the token and must not be readable "
                   "or writable by group or others (expected 0600); refused")
            .arg(path)
            .arg(info.st_mode & 07777, 4, 8, QLatin1Char('0'));
    return {};
}

std::optional<DaemonAddress> parse(const QByteArray& bytes, const QString& path, QString* error)
{
    const auto json = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    const QString bad = QStringLiteral("the discovery file %1 is malformed: ").arg(path);
    if (!json.is_object())
        return fail(error, bad + QStringLiteral("not a JSON object"));
    const auto version = json.find("version");
    if (version == json.end() || !version->is_number_unsigned())
        return fail(error, bad + QStringLiteral("\"version\" missing or not a number"));
    if (version->get<std::uint64_t>() != 1)
        return fail(error, QStringLiteral("the discovery file %1 has version %2; this client reads version 1")
                               .arg(path)
                               .arg(version->get<std::uint64_t>()));
    const auto url = json.find("url");
    const auto token = json.find("token");
    if (url == json.end() || !url->is_string())
        return fail(error, bad + QStringLiteral("\"url\" missing or not a string"));
    if (token == json.end() || !token->is_string() || token->get_ref<const std::string&>().empty())
        return fail(error, bad + QStringLiteral("\"token\" missing, empty or not a string"));
    DaemonAddress address;
    address.url = QUrl(QString::fromStdString(url->get<std::string>()), QUrl::StrictMode);
    if (!address.url.isValid() || address.url.host().isEmpty() ||
        (address.url.scheme() != QLatin1String("ws") && address.url.scheme() != QLatin1String("wss")))
        return fail(error, bad + QStringLiteral("\"url\" is not a ws:// or wss:// URL"));
    address.token = QString::fromStdString(token->get<std::string>());
    if (const auto pid = json.find("pid"); pid != json.end() && pid->is_number_integer())
        address.pid = pid->get<qint64>();
    if (const auto epoch = json.find("epoch"); epoch != json.end() && epoch->is_number_unsigned())
        address.epoch = epoch->get<std::uint64_t>();
    return address;
}

} // namespace

QString defaultDiscoveryFile()
{
    // As the daemon decides (server::defaultDiscoveryFile): a runtime dir that does not exist is not used.
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo(runtime).isDir())
        return runtime + QStringLiteral("/dockscope/daemon.json");
    return QDir::homePath() + QStringLiteral("/.local/state/dockscope/daemon.json");
}

std::optional<DaemonAddress> readDiscoveryFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.exists())
        return fail(error,
                    QStringLiteral("no discovery file at %1: is the Dockscope daemon running?").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return fail(error,
                    QStringLiteral("cannot read the discovery file %1: %2").arg(path, file.errorString()));
    // Checked on the open file, not the path: the file cannot be swapped between the check and the read.
    if (const QString why = insecurity(file.handle(), path); !why.isEmpty())
        return fail(error, why);
    const QByteArray bytes = file.read(kMaxDiscoveryBytes + 1);
    if (bytes.size() > kMaxDiscoveryBytes)
        return fail(error, QStringLiteral("the discovery file %1 is too large to be one").arg(path));
    return parse(bytes, path, error);
}

} // namespace dockscope::client
