#pragma once

#include "dockscope/docker/DockerError.h"
#include "dockscope/docker/MultiplexedStreamDecoder.h"
#include "dockscope/state/DockerEvent.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

class QTimer;

namespace dockscope::docker {

class HttpConnection;
struct HttpResponseHead;

/// A long-lived streaming response (events, logs, stats, pull progress) on a connection of its own, so it
/// never occupies the request pool. Created by DockerClient; delivers pieces as they arrive and ends with
/// exactly one `finished` signal. Delete it (or call cancel()) to stop the stream; from a slot connected to
/// its own signals, use deleteLater().
class DockerStream : public QObject {
    Q_OBJECT

public:
    enum class Kind {
        Lines,    ///< newline-delimited JSON, delivered raw (stats)
        Events,   ///< /events: lines decoded into DockerEvents
        Logs,     ///< container output: multiplexed frames or a raw TTY stream, detected from the response
        Progress, ///< pull/push progress lines; a line with "error" ends the stream with that error
    };

    ~DockerStream() override;

    Kind kind() const { return m_kind; }
    bool isRunning() const { return !m_finished; }
    /// The engine's process id when the stream runs over a local UNIX socket, else 0 (HttpConnection).
    qint64 peerProcessId() const;
    /// Ends the stream; `finished` is emitted with ErrorKind::Cancelled.
    void cancel();

Q_SIGNALS:
    /// The engine accepted the stream (a 2xx response head arrived).
    void started();
    /// One line (Lines, Progress, and Events too, before decoding).
    void line(const QByteArray& line);
    /// One decoded event (Events).
    void event(const dockscope::state::DockerEvent& event);
    /// A piece of container output (Logs); TTY output comes as Stdout.
    void output(dockscope::docker::StdStream stream, const QByteArray& data);
    /// Something in the stream could not be decoded; the stream goes on.
    void warning(const QString& message);
    /// The stream ended: ErrorKind::None when the engine ended it cleanly (e.g. `until` reached, a container
    /// without follow), else why (Docker's message, a dropped connection, a malformed stream).
    void finished(const dockscope::docker::DockerError& error);

private:
    friend class DockerClient;
    DockerStream(Kind kind, std::unique_ptr<HttpConnection> connection, QObject* parent);
    void begin(const QByteArray& request, std::chrono::milliseconds headTimeout);
    void onHead(const HttpResponseHead& head);
    void onBody(std::string_view bytes);
    void onDone(const DockerError& error);
    void onLine(std::string_view text);
    void onLogBytes(std::string_view bytes);
    void finish(const DockerError& error);

    Kind m_kind;
    std::unique_ptr<HttpConnection> m_connection;
    QTimer* m_headTimer = nullptr;
    int m_status = 0;
    QByteArray m_errorBody; ///< body of a non-2xx answer, for Docker's message
    std::optional<bool> m_multiplexed;
    QByteArray m_sniff; ///< first bytes of a log stream, until we know its framing
    std::unique_ptr<LineSplitter> m_lines;
    std::unique_ptr<MultiplexedStreamDecoder> m_frames;
    bool m_finished = false;
    DockerError m_streamError; ///< an error found inside the body (Progress "error" lines, bad frames)
};

} // namespace dockscope::docker
