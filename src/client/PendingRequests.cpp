#include "PendingRequests.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace dockscope::client {

namespace {

// A callback that throws must not unwind through Qt's event loop (undefined behaviour there): log and go on.
template <typename F>
void guarded(const char* what, F&& call)
{
    try {
        call();
    } catch (const std::exception& e) {
        spdlog::error("replica: a {} callback threw: {}", what, e.what());
    } catch (...) {
        spdlog::error("replica: a {} callback threw", what);
    }
}

} // namespace

QString PendingRequests::addAction(QObject* context, Replica::ActionDone done, Replica::Progress progress)
{
    const QString id = QStringLiteral("a") + QString::number(m_nextAction++);
    m_actions.emplace(id, ActionEntry{contextOf(context), std::move(done), std::move(progress)});
    return id;
}

QString PendingRequests::addStream(QObject* context, Replica::StreamData data, Replica::StreamEnd end)
{
    const QString id = QStringLiteral("s") + QString::number(m_nextStream++);
    m_streams.emplace(id, StreamEntry{contextOf(context), std::move(data), std::move(end)});
    return id;
}

bool PendingRequests::finishAction(const QString& id, const protocol::Result& result)
{
    const auto it = m_actions.find(id);
    if (it == m_actions.end())
        return false;
    ActionEntry entry = std::move(it->second);
    m_actions.erase(it);
    if (entry.context.alive() && entry.done)
        guarded("action", [&] { entry.done(result); });
    return true;
}

PendingRequests::Delivery PendingRequests::deliver(const QString& id, const nlohmann::json& data)
{
    if (const auto it = m_actions.find(id); it != m_actions.end()) {
        if (!it->second.context.alive())
            return Delivery::Delivered; // nobody to tell; the result will still close the entry
        // A copy: the callback may finish or add actions, which would invalidate `it`.
        const Replica::Progress progress = it->second.progress;
        if (progress)
            guarded("progress", [&] { progress(data); });
        return Delivery::Delivered;
    }
    if (const auto it = m_streams.find(id); it != m_streams.end()) {
        if (!it->second.context.alive()) {
            m_streams.erase(it);
            return Delivery::StreamOrphaned;
        }
        const Replica::StreamData callback = it->second.data;
        if (callback)
            guarded("stream data", [&] { callback(data); });
        return Delivery::Delivered;
    }
    return Delivery::Unknown;
}

bool PendingRequests::endStream(const QString& id, const std::optional<protocol::ErrorInfo>& error)
{
    const auto it = m_streams.find(id);
    if (it == m_streams.end())
        return false;
    StreamEntry entry = std::move(it->second);
    m_streams.erase(it);
    if (entry.context.alive() && entry.end)
        guarded("stream end", [&] { entry.end(error); });
    return true;
}

void PendingRequests::failAll(const protocol::ErrorInfo& error)
{
    // Swapped out first: the callbacks may start new requests, which belong to the next connection.
    std::map<QString, ActionEntry> actions;
    std::map<QString, StreamEntry> streams;
    actions.swap(m_actions);
    streams.swap(m_streams);
    protocol::Result result;
    result.ok = false;
    result.error = error;
    for (auto& [id, entry] : actions) {
        result.id = id.toStdString();
        if (entry.context.alive() && entry.done)
            guarded("action", [&] { entry.done(result); });
    }
    for (auto& [id, entry] : streams)
        if (entry.context.alive() && entry.end)
            guarded("stream end", [&] { entry.end(error); });
}

void PendingRequests::clear()
{
    m_actions.clear();
    m_streams.clear();
}

} // namespace dockscope::client
