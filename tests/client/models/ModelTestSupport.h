#pragma once

// Shared by the item model tests: entity builders, a source state that makes real batches through
// EngineState::commit, and a recorder that turns the model's signals into ids and cells while they are
// emitted (row numbers shift within a batch; ids do not).

#include "dockscope/client/models/Roles.h"
#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateTransaction.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QObject>
#include <QString>

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

/// Readable QStrings in GoogleTest's messages.
inline void PrintTo(const QString& text, std::ostream* os)
{
    *os << '"' << text.toStdString() << '"';
}

namespace dockscope::client::models::testing {

/// 2024-01-01T00:00:00Z in ms: the tests' fixed `now`.
inline constexpr qint64 kNowMs = 1'704'067'200'000;
/// A time `ms` before kNowMs, as a state timestamp (ns).
inline state::Timestamp agoNs(qint64 ms)
{
    return (kNowMs - ms) * 1'000'000;
}

inline state::Container container(const std::string& id, const std::string& name,
                                  const std::string& project = {},
                                  state::ContainerState st = state::ContainerState::Running)
{
    state::Container c;
    c.id = id;
    c.name = name;
    c.image = "busybox:latest";
    c.imageId = "sha256:busybox";
    c.createdAt = agoNs(3'600'000);
    c.state = st;
    c.startedAt = agoNs(300'000);
    c.composeProject = project;
    c.composeService = project.empty() ? std::string() : name;
    return c;
}

inline state::Image image(const std::string& id, std::vector<std::string> tags = {}, std::int64_t size = 1000)
{
    state::Image i;
    i.id = id;
    i.repoTags = std::move(tags);
    i.size = size;
    i.createdAt = agoNs(86'400'000);
    return i;
}

inline state::Volume volume(const std::string& name)
{
    state::Volume v;
    v.name = name;
    v.driver = "local";
    v.scope = "local";
    v.mountpoint = "/var/lib/docker/volumes/" + name + "/_data";
    v.createdAt = agoNs(7'200'000);
    return v;
}

inline state::Network network(const std::string& id, const std::string& name)
{
    state::Network n;
    n.id = id;
    n.name = name;
    n.driver = "bridge";
    n.scope = "local";
    n.subnets = {"172.18.0.0/16"};
    return n;
}

inline QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

/// The engine side: commits transactions into real batches.
struct Source {
    state::EngineState state{1};
    state::Timestamp clock = 1;

    state::Batch commit(const std::function<void(state::StateTransaction&)>& build)
    {
        state::StateTransaction tx;
        build(tx);
        return state.commit(tx, clock++);
    }
};

/// The ids of the changes of one kind and op in a batch, in batch order.
inline std::vector<std::string> idsOf(const state::Batch& batch, state::EntityKind kind, state::ChangeOp op)
{
    std::vector<std::string> ids;
    for (const state::StateChange& c : batch.changes) {
        if (c.kind == kind && c.op == op)
            ids.push_back(c.id);
    }
    return ids;
}

/// The key the recorder names a row by: its IdRole, else "group:" + its project (compose tree rows).
QString rowKey(const QModelIndex& index);

/// What a model emitted, by row key.
struct SignalLog {
    std::vector<QString> inserted;                           ///< keys of inserted rows, in signal order
    std::vector<QString> removed;                            ///< keys of removed rows, in signal order
    std::set<std::pair<QString, int>> cells;                 ///< (row key, column) named by dataChanged
    std::vector<QList<int>> roles;                           ///< the roles of each dataChanged
    std::vector<std::pair<QModelIndex, QModelIndex>> ranges; ///< each dataChanged's corners
    int resets = 0;
    int layouts = 0;
    int moves = 0;

    void clear() { *this = SignalLog{}; }
    std::set<QString> insertedSet() const { return {inserted.begin(), inserted.end()}; }
    std::set<QString> removedSet() const { return {removed.begin(), removed.end()}; }
};

/// Connects a recorder to `model` for the lifetime of the returned object.
std::unique_ptr<QObject> record(QAbstractItemModel& model, SignalLog& log);

/// A QAbstractItemModelTester in Fatal mode (the default mode reports through QtTest, which GoogleTest does
/// not see).
inline std::unique_ptr<QAbstractItemModelTester> tester(QAbstractItemModel& model)
{
    return std::make_unique<QAbstractItemModelTester>(&model,
                                                      QAbstractItemModelTester::FailureReportingMode::Fatal);
}

/// The containers most model tests start from: web (running) and db (exited) in project shop, cache in none.
inline void commitShop(Source& source)
{
    source.commit([](state::StateTransaction& tx) {
        tx.put(container("c1", "web", "shop"));
        tx.put(container("c2", "db", "shop", state::ContainerState::Exited));
        tx.put(container("c3", "cache"));
    });
}

/// A model under a Fatal tester, fed with real batches from its own source; `log` holds what it emitted since
/// the last step() (recording starts at resetAndRecord()).
template <typename Model>
struct Fed {
    /// Resets the model from the source's state, at the fixed kNowMs, and starts recording its signals.
    void resetAndRecord()
    {
        model.setNow(kNowMs);
        model.reset(source.state);
        recorder = record(model, log);
    }

    /// Commits, applies to the model and returns the batch.
    state::Batch step(const std::function<void(state::StateTransaction&)>& build)
    {
        log.clear();
        const state::Batch batch = source.commit(build);
        model.apply(batch, source.state);
        return batch;
    }

    /// Commits a change of one container, made by `change` on its current value.
    state::Batch edit(const std::string& id, const std::function<void(state::Container&)>& change)
    {
        state::Container c = source.state.containers().at(id);
        change(c);
        return step([&](auto& tx) { tx.put(c); });
    }

    /// The data of the row with `id` (table models).
    QVariant at(const std::string& id, int column, int role = Qt::DisplayRole) const
    {
        return model.index(model.rowOf(q(id)), column).data(role);
    }

    Source source;
    Model model;
    std::unique_ptr<QAbstractItemModelTester> check = tester(model);
    SignalLog log;
    std::unique_ptr<QObject> recorder;
};

/// The (key, column) cells for one row key and a set of columns.
std::set<std::pair<QString, int>> cellsOf(const QString& key, const std::set<int>& columns);

} // namespace dockscope::client::models::testing
