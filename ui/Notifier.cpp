#include "Notifier.h"

#include "dockscope/client/Replica.h"

#include <QDateTime>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <cstdlib>

namespace dockscope::ui {

namespace {

constexpr state::Timestamp kNsPerMs = 1'000'000;

state::Timestamp toNs(qint64 ms)
{
    return state::Timestamp(ms) * kNsPerMs;
}
constexpr int kMaxNamesInBody = 6;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString names(const QStringList& list)
{
    if (list.size() <= kMaxNamesInBody)
        return list.join(QStringLiteral(", "));
    return list.mid(0, kMaxNamesInBody).join(QStringLiteral(", ")) +
           QObject::tr(" and %n more", nullptr, int(list.size() - kMaxNamesInBody));
}

} // namespace

Notifier::Notifier(QObject* parent)
    : Notifier(Options{}, parent)
{}

Notifier::Notifier(Options options, QObject* parent)
    : QObject(parent)
    , options_(options)
    , timer_(new QTimer(this))
{
    timer_->setSingleShot(true);
    timer_->setInterval(options_.graceMs);
    connect(timer_, &QTimer::timeout, this, [this] { flush(nowMs()); });
}

Notifier::~Notifier() = default;

void Notifier::bind(const client::Replica& replica)
{
    replica_ = &replica;
    handleReset(nowMs());
    connect(&replica, &client::Replica::reset, this, [this] { handleReset(nowMs()); });
    connect(&replica, &client::Replica::statusChanged, this, [this](client::Replica::Status status) {
        // A (re)connection is followed by a replay of recent events, also when it resumes without a snapshot.
        if (status == client::Replica::Status::Live)
            handleReset(nowMs());
    });
    connect(&replica, &client::Replica::eventReceived, this,
            [this](const state::DockerEvent& event) { handleEvent(event, nowMs()); });
    connect(&replica, &client::Replica::applied, this, [this](const state::Batch& batch) {
        std::map<std::string, std::string> known;
        const auto& containers = replica_->state().containers();
        for (const auto& change : batch.changes) {
            if (change.kind != state::EntityKind::Container)
                continue;
            if (const auto it = containers.find(change.id); it != containers.end())
                known.emplace(change.id, it->second.name);
        }
        handleApplied(batch, known, nowMs());
    });
}

void Notifier::handleReset(qint64 now)
{
    ignoreBefore_ = std::max(ignoreBefore_, toNs(now));
}

void Notifier::handleEvent(const state::DockerEvent& event, qint64 now)
{
    if (event.type != "container" || event.actorId.empty())
        return;
    if (event.timeNano < ignoreBefore_ || event.timeNano < toNs(now - options_.staleMs))
        return;
    const auto attribute = [&event](const char* key) {
        const auto it = event.attributes.find(key);
        return it == event.attributes.end() ? std::string() : it->second;
    };
    const state::Timestamp window = toNs(options_.askedWindowMs);
    if (event.action == "kill" || event.action == "stop" || event.action == "destroy") {
        auto& last = asked_[event.actorId];
        last = std::max(last, event.timeNano);
        // A die that arrived before its kill/stop was asked for after all.
        std::erase_if(pending_, [&](const Pending& p) {
            return p.kind == Kind::Died && p.id == event.actorId &&
                   std::llabs(event.timeNano - p.time) <= window;
        });
        return;
    }
    if (event.action == "die") {
        if (!died_)
            return;
        const int exitCode = std::atoi(attribute("exitCode").c_str());
        if (exitCode == 0)
            return;
        if (const auto it = asked_.find(event.actorId);
            it != asked_.end() && std::llabs(event.timeNano - it->second) <= window)
            return;
        add({Kind::Died, event.actorId, attribute("name"), exitCode, event.timeNano}, now);
        return;
    }
    if (event.action == "health_status" && event.actionDetail == "unhealthy" && unhealthy_)
        add({Kind::Unhealthy, event.actorId, attribute("name"), 0, event.timeNano}, now);
}

void Notifier::handleApplied(const state::Batch& batch, const std::map<std::string, std::string>& known,
                             qint64 now)
{
    if (!unhealthy_)
        return;
    for (const auto& change : batch.changes) {
        if (change.kind != state::EntityKind::Container || change.op != state::ChangeOp::Updated ||
            !change.diff.is_object())
            continue;
        const auto health = change.diff.find("health");
        if (health == change.diff.end() || !health->is_string() || health->get<std::string>() != "unhealthy")
            continue;
        const auto name = known.find(change.id);
        add({Kind::Unhealthy, change.id, name == known.end() ? std::string() : name->second, 0, 0}, now);
    }
}

void Notifier::add(Pending pending, qint64 now)
{
    if (const auto it = lastNotified_.find({pending.kind, pending.id});
        it != lastNotified_.end() && now - it->second < options_.perContainerMs)
        return;
    const bool already = std::any_of(pending_.begin(), pending_.end(), [&](const Pending& p) {
        return p.kind == pending.kind && p.id == pending.id;
    });
    if (already)
        return;
    if (pending.name.empty())
        pending.name = pending.id.substr(0, 12);
    pending_.push_back(std::move(pending));
    if (!timer_->isActive())
        timer_->start();
}

void Notifier::flush(qint64 now)
{
    timer_->stop();
    std::vector<Pending> died;
    QStringList unhealthy;
    for (auto& p : std::exchange(pending_, {})) {
        auto& last = lastNotified_[{p.kind, p.id}];
        if (last != 0 && now - last < options_.perContainerMs)
            continue;
        last = now;
        if (p.kind == Kind::Died)
            died.push_back(std::move(p));
        else
            unhealthy << QString::fromStdString(p.name);
    }
    prune(now);
    if (died.size() == 1) {
        Q_EMIT notify(tr("Container died"), tr("%1 exited with code %2 without being stopped")
                                                .arg(QString::fromStdString(died.front().name))
                                                .arg(died.front().exitCode));
    } else if (died.size() > 1) {
        QStringList list;
        for (const auto& p : died)
            list << QStringLiteral("%1 (%2)").arg(QString::fromStdString(p.name)).arg(p.exitCode);
        Q_EMIT notify(tr("%n containers died", nullptr, int(died.size())), names(list));
    }
    if (unhealthy.size() == 1)
        Q_EMIT notify(tr("Container unhealthy"), tr("%1 is unhealthy").arg(unhealthy.front()));
    else if (unhealthy.size() > 1)
        Q_EMIT notify(tr("%n containers unhealthy", nullptr, int(unhealthy.size())), names(unhealthy));
}

void Notifier::prune(qint64 now)
{
    std::erase_if(lastNotified_,
                  [&](const auto& entry) { return now - entry.second >= options_.perContainerMs; });
    const state::Timestamp old = toNs(now - options_.staleMs);
    std::erase_if(asked_, [&](const auto& entry) { return entry.second < old; });
}

} // namespace dockscope::ui
