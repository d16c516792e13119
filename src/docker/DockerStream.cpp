#include "dockscope/docker/DockerStream.h"

#include "dockscope/docker/EventDecoder.h"
#include "dockscope/docker/HttpConnection.h"

#include <QTimer>

#include <nlohmann/json.hpp>

namespace dockscope::docker {

namespace {
QByteArray toBytes(std::string_view s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}
constexpr qsizetype kMaxErrorBody = 64 * 1024;
} // namespace

DockerStream::DockerStream(Kind kind, std::unique_ptr<HttpConnection> connection, QObject* parent)
    : QObject(parent)
    , m_kind(kind)
    , m_connection(std::move(connection))
{
    m_connection->setParent(nullptr);
}

DockerStream::~DockerStream()
{
    // Closing the connection is how a stream is stopped; the engine then drops its side.
    m_finished = true;
    if (m_connection)
        m_connection->abort(DockerError{ErrorKind::Cancelled, 0, "stream deleted"});
}

void DockerStream::begin(const QByteArray& request, std::chrono::milliseconds headTimeout)
{
    m_headTimer = new QTimer(this);
    m_headTimer->setSingleShot(true);
    connect(m_headTimer, &QTimer::timeout, this, [this, headTimeout] {
        m_connection->abort(
            DockerError{ErrorKind::Timeout, 0,
                        "no response from the engine within " + std::to_string(headTimeout.count()) + " ms"});
    });
    m_headTimer->start(headTimeout);
    HttpConnection::Exchange exchange;
    exchange.request = request;
    exchange.onHead = [this](const HttpResponseHead& head) { onHead(head); };
    exchange.onBody = [this](std::string_view bytes) { onBody(bytes); };
    exchange.onDone = [this](const DockerError& error) { onDone(error); };
    m_connection->start(std::move(exchange));
}

qint64 DockerStream::peerProcessId() const
{
    return m_connection ? m_connection->peerProcessId() : 0;
}

void DockerStream::cancel()
{
    if (m_finished)
        return;
    finish(DockerError{ErrorKind::Cancelled, 0, "stream cancelled"});
    m_connection->abort(DockerError{ErrorKind::Cancelled, 0, "stream cancelled"});
}

void DockerStream::onHead(const HttpResponseHead& head)
{
    m_headTimer->stop();
    m_status = head.status;
    if (m_status < 200 || m_status >= 300)
        return;
    if (m_kind == Kind::Logs) {
        const auto type = head.header("Content-Type").value_or("");
        if (type.find("multiplexed-stream") != std::string_view::npos)
            m_multiplexed = true;
        else if (type.find("raw-stream") != std::string_view::npos)
            m_multiplexed = false;
    } else {
        m_lines = std::make_unique<LineSplitter>([this](std::string_view text) { onLine(text); });
    }
    Q_EMIT started();
}

void DockerStream::onBody(std::string_view bytes)
{
    if (m_finished)
        return;
    if (m_status < 200 || m_status >= 300) {
        if (m_errorBody.size() < kMaxErrorBody)
            m_errorBody +=
                toBytes(bytes.substr(0, static_cast<std::size_t>(kMaxErrorBody - m_errorBody.size())));
        return;
    }
    if (m_kind == Kind::Logs) {
        onLogBytes(bytes);
    } else if (!m_lines->feed(bytes)) {
        m_streamError = DockerError{ErrorKind::Protocol, 0, m_lines->errorMessage()};
        m_connection->abort(m_streamError);
    }
}

void DockerStream::onLogBytes(std::string_view bytes)
{
    if (!m_multiplexed) {
        // API 1.41 sends no Content-Type for logs: a multiplexed stream starts with an 8-byte header whose
        // first byte is 0, 1 or 2 and whose next three are 0; TTY output practically never does.
        m_sniff += toBytes(bytes);
        if (m_sniff.size() < 8)
            return;
        const auto* h = reinterpret_cast<const unsigned char*>(m_sniff.constData());
        m_multiplexed = h[0] <= 2 && h[1] == 0 && h[2] == 0 && h[3] == 0;
        bytes = std::string_view(m_sniff.constData(), static_cast<std::size_t>(m_sniff.size()));
    }
    if (!*m_multiplexed) {
        Q_EMIT output(StdStream::Stdout, toBytes(bytes));
    } else {
        if (!m_frames)
            m_frames = std::make_unique<MultiplexedStreamDecoder>(
                [this](StdStream s, std::string_view payload) { Q_EMIT output(s, toBytes(payload)); });
        if (!m_frames->feed(bytes)) {
            m_streamError = DockerError{ErrorKind::Protocol, 0, m_frames->errorMessage()};
            m_connection->abort(m_streamError);
        }
    }
    m_sniff.clear();
}

void DockerStream::onLine(std::string_view text)
{
    const QByteArray bytes = toBytes(text);
    Q_EMIT line(bytes);
    if (m_kind == Kind::Events) {
        auto decoded = decodeEvent(text);
        if (decoded)
            Q_EMIT event(decoded.value());
        else
            Q_EMIT warning(QString::fromStdString("undecodable event skipped: " + decoded.error().message));
    } else if (m_kind == Kind::Progress) {
        const auto doc = nlohmann::json::parse(text, nullptr, false);
        if (doc.is_object() && doc.contains("error")) {
            const auto& e = doc["error"];
            m_streamError =
                DockerError{ErrorKind::ServerError, 0, e.is_string() ? e.get<std::string>() : e.dump()};
        }
    }
}

void DockerStream::onDone(const DockerError& error)
{
    if (m_finished)
        return;
    if (m_lines && !error)
        m_lines->flush();
    if (!m_sniff.isEmpty() && !error) // a log shorter than one frame header: it was raw output
        Q_EMIT output(StdStream::Stdout, std::exchange(m_sniff, {}));
    if (m_status != 0 && (m_status < 200 || m_status >= 300)) {
        finish(
            DockerError::fromHttp(m_status, std::string_view(m_errorBody.constData(),
                                                             static_cast<std::size_t>(m_errorBody.size()))));
    } else if (m_streamError) {
        finish(m_streamError);
    } else if (!error && m_frames && !m_frames->atFrameBoundary()) {
        finish(DockerError{ErrorKind::Protocol, 0, "log stream ended in the middle of a frame"});
    } else {
        finish(error);
    }
}

void DockerStream::finish(const DockerError& error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_headTimer)
        m_headTimer->stop();
    Q_EMIT finished(error);
}

} // namespace dockscope::docker
