#include "StreamHub.h"

#include "ActionRunner.h"
#include "StatsCalculator.h"

#include "dockscope/docker/DockerClient.h"
#include "dockscope/docker/DockerJson.h"
#include "dockscope/protocol/Actions.h"

#include <QString>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <variant>
#include <vector>

namespace dockscope::server {

namespace {

using Json = nlohmann::json;
using protocol::StreamWhat;

constexpr std::size_t kRingLines = 1000;
constexpr qsizetype kMaxLineBytes = 64 * 1024; // a longer line is delivered in pieces of this size

protocol::ErrorInfo badField(const std::string& message)
{
    return {std::string(protocol::errors::BadField), message};
}

// Container output is arbitrary bytes; JSON strings must be UTF-8, so invalid sequences become U+FFFD.
std::string utf8(const QByteArray& bytes)
{
    return QString::fromUtf8(bytes).toStdString();
}

Json logLine(docker::StdStream stream, QByteArray text, bool timestamps)
{
    Json data{{"stream", stream == docker::StdStream::Stderr ? "stderr" : "stdout"}};
    if (timestamps) {
        // Docker prefixes each line with its RFC 3339 time and a space.
        const qsizetype space = text.indexOf(' ');
        const QByteArray stamp = space < 0 ? text : text.left(space);
        try {
            data["ts"] = docker::json::parseTime(std::string_view(stamp.constData(), stamp.size()), "ts");
            text = space < 0 ? QByteArray() : text.mid(space + 1);
        } catch (const docker::JsonFieldError&) {
            // not a time: keep the line whole, without "ts"
        }
    }
    data["line"] = utf8(text);
    return data;
}

} // namespace

struct StreamHub::Private {
    struct Watcher {
        std::uint64_t feed = 0; ///< 0 for a refused request whose End is on its way
        Sink sink;
        End end;
        std::deque<Json> pending; ///< a joiner's tail, then what arrived before it was delivered
    };

    struct Feed {
        StreamWhat what = StreamWhat::Logs;
        std::string key; ///< in `shared` under this key; empty for a stream of one watcher
        docker::DockerStream* stream = nullptr;
        std::vector<Handle> watchers;
        bool timestamps = false;
        std::array<QByteArray, 3> partial; ///< logs: unfinished line per StdStream
        std::deque<Json> ring;             ///< shared logs: the last kRingLines lines
        std::optional<Json> lastSample;    ///< stats: for a joiner
    };

    Private(StreamHub* hub, docker::DockerClient& dockerClient)
        : q(hub)
        , client(dockerClient)
    {}

    Handle refuse(protocol::ErrorInfo error, End end);
    Handle join(std::uint64_t feedId, Sink sink, End end, std::deque<Json> tail);
    std::uint64_t openLogs(const std::string& container, const protocol::LogsOptions& params);
    std::uint64_t openStats(const std::string& container);
    std::uint64_t addFeed(Feed feed);
    void schedule(Handle handle);
    void flush(Handle handle);
    void deliver(std::uint64_t feedId, const Json& data);
    void onOutput(std::uint64_t feedId, docker::StdStream stream, const QByteArray& bytes);
    void onStatsLine(std::uint64_t feedId, const QByteArray& line);
    void onFinished(std::uint64_t feedId, const docker::DockerError& error);
    void closeFeed(std::uint64_t feedId);

    StreamHub* q;
    docker::DockerClient& client;
    Handle nextHandle = 1;
    std::uint64_t nextFeed = 1;
    std::map<Handle, Watcher> watchers;
    std::map<std::uint64_t, Feed> feeds;
    std::map<std::string, std::uint64_t> shared;
};

StreamHub::StreamHub(docker::DockerClient& client, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, client))
{}

StreamHub::~StreamHub()
{
    // No End for anyone: the owner is going away. Streams close their connections as they are deleted.
    for (auto& [id, feed] : d->feeds) {
        QObject::disconnect(feed.stream, nullptr, this, nullptr);
        delete feed.stream;
    }
}

StreamHub::Handle StreamHub::watch(protocol::StreamWhat what, const std::string& container,
                                   const nlohmann::json& params, Sink sink, End end)
{
    if (container.empty())
        return d->refuse(badField("stream.container: must not be empty"), std::move(end));
    protocol::StreamOptions options;
    try {
        options = protocol::parseStream(protocol::StreamRequest{{}, what, container, params});
    } catch (const protocol::ProtocolError& e) {
        return d->refuse(protocol::ErrorInfo{e.code(), e.what()}, std::move(end));
    }
    if (std::holds_alternative<protocol::StatsOptions>(options)) {
        const std::uint64_t feedId = d->openStats(container);
        const auto& last = d->feeds.at(feedId).lastSample;
        return d->join(feedId, std::move(sink), std::move(end),
                       last ? std::deque<Json>{*last} : std::deque<Json>{});
    }
    const auto& logs = std::get<protocol::LogsOptions>(options);
    const std::uint64_t feedId = d->openLogs(container, logs);
    const auto& ring = d->feeds.at(feedId).ring;
    std::size_t count = ring.size();
    if (logs.tail)
        count = std::min(count, static_cast<std::size_t>(std::max<std::int64_t>(0, *logs.tail)));
    return d->join(feedId, std::move(sink), std::move(end),
                   std::deque<Json>(ring.end() - static_cast<std::ptrdiff_t>(count), ring.end()));
}

void StreamHub::unwatch(Handle handle)
{
    const auto it = d->watchers.find(handle);
    if (it == d->watchers.end())
        return;
    const std::uint64_t feedId = it->second.feed;
    d->watchers.erase(it);
    const auto feed = d->feeds.find(feedId);
    if (feed == d->feeds.end())
        return;
    std::erase(feed->second.watchers, handle);
    if (feed->second.watchers.empty())
        d->closeFeed(feedId);
}

int StreamHub::openDockerStreams() const
{
    return static_cast<int>(d->feeds.size());
}

// --- Private ----------------------------------------------------------------------------------------------

StreamHub::Handle StreamHub::Private::refuse(protocol::ErrorInfo error, End end)
{
    // Queued, so that the caller has its handle before End arrives; unwatch() before then cancels it.
    const Handle handle = nextHandle++;
    watchers[handle] = Watcher{0, {}, std::move(end), {}};
    QMetaObject::invokeMethod(
        q,
        [this, handle, error = std::move(error)] {
            const auto it = watchers.find(handle);
            if (it == watchers.end())
                return;
            End done = std::move(it->second.end);
            watchers.erase(it);
            if (done)
                done(error);
        },
        Qt::QueuedConnection);
    return handle;
}

StreamHub::Handle StreamHub::Private::join(std::uint64_t feedId, Sink sink, End end, std::deque<Json> tail)
{
    const Handle handle = nextHandle++;
    const bool hasTail = !tail.empty();
    watchers[handle] = Watcher{feedId, std::move(sink), std::move(end), std::move(tail)};
    feeds.at(feedId).watchers.push_back(handle);
    if (hasTail)
        schedule(handle);
    return handle;
}

std::uint64_t StreamHub::Private::openLogs(const std::string& container, const protocol::LogsOptions& params)
{
    // Follow streams are shared per (container, timestamps); a finite one belongs to its watcher alone.
    const std::string key =
        params.follow ? "logs\n" + container + '\n' + (params.timestamps ? "ts" : "") : "";
    if (!key.empty()) {
        if (const auto it = shared.find(key); it != shared.end())
            return it->second;
    }
    docker::LogsOptions options;
    options.follow = params.follow;
    options.timestamps = params.timestamps;
    options.tail = params.tail ? std::to_string(*params.tail) : "all";
    Feed feed;
    feed.key = key;
    feed.timestamps = params.timestamps;
    feed.stream = client.logs(container, options, q);
    const std::uint64_t feedId = addFeed(std::move(feed));
    QObject::connect(feeds.at(feedId).stream, &docker::DockerStream::output, q,
                     [this, feedId](docker::StdStream stream, const QByteArray& bytes) {
                         onOutput(feedId, stream, bytes);
                     });
    return feedId;
}

std::uint64_t StreamHub::Private::openStats(const std::string& container)
{
    const std::string key = "stats\n" + container;
    if (const auto it = shared.find(key); it != shared.end())
        return it->second;
    Feed feed;
    feed.what = StreamWhat::Stats;
    feed.key = key;
    feed.stream = client.stats(container, true, q);
    const std::uint64_t feedId = addFeed(std::move(feed));
    QObject::connect(feeds.at(feedId).stream, &docker::DockerStream::line, q,
                     [this, feedId](const QByteArray& line) { onStatsLine(feedId, line); });
    return feedId;
}

std::uint64_t StreamHub::Private::addFeed(Feed feed)
{
    const std::uint64_t feedId = nextFeed++;
    if (!feed.key.empty())
        shared[feed.key] = feedId;
    docker::DockerStream* stream = feed.stream;
    feeds.emplace(feedId, std::move(feed));
    QObject::connect(stream, &docker::DockerStream::finished, q,
                     [this, feedId](const docker::DockerError& error) { onFinished(feedId, error); });
    if (!stream->isRunning()) {
        // It failed to connect inside openStream(), before we could hear `finished`: a socket that is not
        // there.
        QMetaObject::invokeMethod(
            q, [this, feedId] { onFinished(feedId, streamFailedAtOnce()); }, Qt::QueuedConnection);
    }
    return feedId;
}

void StreamHub::Private::schedule(Handle handle)
{
    QMetaObject::invokeMethod(
        q, [this, handle] { flush(handle); }, Qt::QueuedConnection);
}

void StreamHub::Private::flush(Handle handle)
{
    // A sink may unwatch (itself or others), so look the watcher up again after every call.
    for (auto it = watchers.find(handle); it != watchers.end() && !it->second.pending.empty();
         it = watchers.find(handle)) {
        const Json data = std::move(it->second.pending.front());
        it->second.pending.pop_front();
        if (it->second.sink)
            it->second.sink(data);
    }
}

void StreamHub::Private::deliver(std::uint64_t feedId, const Json& data)
{
    const auto feed = feeds.find(feedId);
    if (feed == feeds.end())
        return;
    if (!feed->second.key.empty() && feed->second.what == StreamWhat::Logs) {
        feed->second.ring.push_back(data);
        if (feed->second.ring.size() > kRingLines)
            feed->second.ring.pop_front();
    }
    const std::vector<Handle> handles = feed->second.watchers; // sinks may unwatch while we iterate
    for (const Handle handle : handles) {
        const auto it = watchers.find(handle);
        if (it == watchers.end())
            continue;
        if (!it->second.pending.empty())
            it->second.pending.push_back(data); // its tail has not been delivered yet: keep the order
        else if (it->second.sink)
            it->second.sink(data);
    }
}

void StreamHub::Private::onOutput(std::uint64_t feedId, docker::StdStream stream, const QByteArray& bytes)
{
    const auto feed = feeds.find(feedId);
    if (feed == feeds.end())
        return;
    const bool timestamps = feed->second.timestamps;
    QByteArray& partial = feed->second.partial.at(static_cast<std::size_t>(stream));
    partial += bytes;
    std::vector<Json> lines;
    qsizetype start = 0;
    for (qsizetype end = partial.indexOf('\n'); end >= 0; end = partial.indexOf('\n', start)) {
        const qsizetype length = end > start && partial.at(end - 1) == '\r' ? end - start - 1 : end - start;
        lines.push_back(logLine(stream, partial.mid(start, length), timestamps));
        start = end + 1;
    }
    partial.remove(0, start);
    while (partial.size() >= kMaxLineBytes) {
        lines.push_back(logLine(stream, partial.left(kMaxLineBytes), timestamps));
        partial.remove(0, kMaxLineBytes);
    }
    for (const Json& line : lines)
        deliver(feedId, line);
}

void StreamHub::Private::onStatsLine(std::uint64_t feedId, const QByteArray& line)
{
    const auto doc = Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
    Json data;
    try {
        data = toJson(calculateStats(doc));
    } catch (const docker::JsonFieldError& e) {
        spdlog::warn("streams: stats sample skipped: {}", e.what());
        return;
    }
    if (const auto feed = feeds.find(feedId); feed != feeds.end())
        feed->second.lastSample = data;
    deliver(feedId, data);
}

void StreamHub::Private::onFinished(std::uint64_t feedId, const docker::DockerError& error)
{
    // The last line of a log may lack its newline. Delivering it runs sinks, which may close the feed.
    for (const auto stream : {docker::StdStream::Stdout, docker::StdStream::Stderr}) {
        const auto feed = feeds.find(feedId);
        if (feed == feeds.end())
            return;
        if (!feed->second.partial.at(static_cast<std::size_t>(stream)).isEmpty())
            onOutput(feedId, stream, QByteArrayLiteral("\n"));
    }
    const auto feed = feeds.find(feedId);
    if (feed == feeds.end())
        return;
    const std::vector<Handle> handles = feed->second.watchers;
    closeFeed(feedId);
    std::optional<protocol::ErrorInfo> reason;
    if (error)
        reason = toErrorInfo(error);
    for (const Handle handle : handles) {
        flush(handle);
        const auto it = watchers.find(handle);
        if (it == watchers.end())
            continue;
        End done = std::move(it->second.end);
        watchers.erase(it);
        if (done)
            done(reason);
    }
}

void StreamHub::Private::closeFeed(std::uint64_t feedId)
{
    const auto it = feeds.find(feedId);
    if (it == feeds.end())
        return;
    if (!it->second.key.empty())
        shared.erase(it->second.key);
    // We may be inside one of the stream's own signals: disconnect now, delete (and so close) later.
    QObject::disconnect(it->second.stream, nullptr, q, nullptr);
    it->second.stream->deleteLater();
    feeds.erase(it);
}

} // namespace dockscope::server
