#pragma once

#include "dockscope/client/Replica.h"

#include <QPointer>
#include <QString>

#include <map>

namespace dockscope::client {

/// The callbacks of the replica's actions and streams in flight, keyed by their ids ("a1", "s1", ...). Each
/// callback runs only while its context lives (or always, when it was given none). An entry is taken out of
/// the table before its final callback runs, so a callback may call back into the replica (even act()).
class PendingRequests {
public:
    /// What became of a piece of stream data. StreamOrphaned: the stream's context is gone and the stream was
    /// forgotten (the replica then closes it on the server).
    enum class Delivery { Delivered, StreamOrphaned, Unknown };

    QString addAction(QObject* context, Replica::ActionDone done, Replica::Progress progress);
    QString addStream(QObject* context, Replica::StreamData data, Replica::StreamEnd end);

    /// Calls the action's `done` once; false when no such action is pending.
    bool finishAction(const QString& id, const protocol::Result& result);
    /// Routes a `stream-data` to an action's progress or a stream's data callback.
    Delivery deliver(const QString& id, const nlohmann::json& data);
    /// Calls the stream's `end` once; false when no such stream is open.
    bool endStream(const QString& id, const std::optional<protocol::ErrorInfo>& error);
    /// Forgets a stream without calling it.
    void dropStream(const QString& id) { m_streams.erase(id); }
    /// Ends every action (ok=false) and every stream with `error`.
    void failAll(const protocol::ErrorInfo& error);
    /// Forgets everything without calling anything.
    void clear();

    bool hasAction(const QString& id) const { return m_actions.count(id) != 0; }
    bool hasStream(const QString& id) const { return m_streams.count(id) != 0; }

private:
    struct Context {
        QPointer<QObject> object;
        bool given = false;
        bool alive() const { return !given || !object.isNull(); }
    };
    struct ActionEntry {
        Context context;
        Replica::ActionDone done;
        Replica::Progress progress;
    };
    struct StreamEntry {
        Context context;
        Replica::StreamData data;
        Replica::StreamEnd end;
    };

    static Context contextOf(QObject* object)
    {
        return Context{QPointer<QObject>(object), object != nullptr};
    }

    std::map<QString, ActionEntry> m_actions;
    std::map<QString, StreamEntry> m_streams;
    quint64 m_nextAction = 1;
    quint64 m_nextStream = 1;
};

} // namespace dockscope::client
