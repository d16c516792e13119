#include "dockscope/client/models/EventModel.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/Text.h"

#include <QDateTime>
#include <QStringList>
#include <QVariantMap>

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace dockscope::client::models {

namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

QString actorText(const state::DockerEvent& event)
{
    if (const auto name = event.attributes.find("name");
        name != event.attributes.end() && !name->second.empty())
        return text(name->second);
    const bool longId = event.actorId.size() == 64 || event.actorId.starts_with("sha256:");
    return longId ? shortId(event.actorId) : text(event.actorId);
}

QString detailsText(const state::DockerEvent& event)
{
    // The attributes worth a glance; the rest (a container's labels, mostly) is in the tooltip.
    static constexpr std::array<const char*, 6> kKeys{"exitCode",  "signal", "image",
                                                      "container", "driver", "type"};
    QStringList parts;
    if (!event.actionDetail.empty())
        parts << text(event.actionDetail);
    for (const char* key : kKeys) {
        if (const auto it = event.attributes.find(key); it != event.attributes.end())
            parts << QLatin1String(key) + QLatin1Char('=') + text(it->second);
    }
    return parts.join(QStringLiteral(", "));
}

QVariantMap attributesMap(const state::Labels& attributes)
{
    QVariantMap map;
    for (const auto& [key, value] : attributes)
        map.insert(text(key), text(value));
    return map;
}

QString attributesText(const state::Labels& attributes)
{
    QStringList lines;
    for (const auto& [key, value] : attributes)
        lines << text(key) + QLatin1Char('=') + text(value);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

EventModel::EventModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

EventModel::Row EventModel::makeRow(const state::DockerEvent& event)
{
    return Row{event, actorText(event), detailsText(event)};
}

void EventModel::append(const state::DockerEvent& event)
{
    if (paused_) {
        buffer_.push_back(makeRow(event));
        if (buffer_.size() > static_cast<std::size_t>(capacity_))
            buffer_.pop_front();
        Q_EMIT bufferedCountChanged(bufferedCount());
        return;
    }
    std::deque<Row> rows;
    rows.push_back(makeRow(event));
    insert(std::move(rows));
}

void EventModel::bind(const Replica& replica)
{
    connect(&replica, &Replica::eventReceived, this, &EventModel::append);
}

void EventModel::setPaused(bool paused)
{
    if (paused == paused_)
        return;
    paused_ = paused;
    if (paused_ || buffer_.empty())
        return;
    insert(std::exchange(buffer_, {}));
    Q_EMIT bufferedCountChanged(0);
}

void EventModel::setCapacity(int capacity)
{
    capacity_ = std::max(capacity, 1);
    const auto cap = static_cast<std::size_t>(capacity_);
    trimFront(cap);
    if (buffer_.size() > cap) {
        buffer_.erase(buffer_.begin(), buffer_.end() - static_cast<std::ptrdiff_t>(cap));
        Q_EMIT bufferedCountChanged(bufferedCount());
    }
}

void EventModel::clear()
{
    trimFront(0);
    if (!buffer_.empty()) {
        buffer_.clear();
        Q_EMIT bufferedCountChanged(0);
    }
}

void EventModel::insert(std::deque<Row> rows)
{
    // `rows` never exceeds the capacity (the buffer is bounded by it too).
    const auto cap = static_cast<std::size_t>(capacity_);
    trimFront(cap - std::min(cap, rows.size()));
    const auto first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
    std::move(rows.begin(), rows.end(), std::back_inserter(rows_));
    endInsertRows();
}

void EventModel::trimFront(std::size_t keep)
{
    if (rows_.size() <= keep)
        return;
    const auto drop = static_cast<int>(rows_.size() - keep);
    beginRemoveRows({}, 0, drop - 1);
    rows_.erase(rows_.begin(), rows_.begin() + drop);
    endRemoveRows();
}

const state::DockerEvent& EventModel::eventAt(int row) const
{
    return rows_[static_cast<std::size_t>(row)].event;
}

int EventModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int EventModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::display(const Row& row, int column) const
{
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(toMsecs(row.event.timeNano))
            .toString(QStringLiteral("HH:mm:ss"));
    case TypeColumn:
        return text(row.event.type);
    case ActionColumn:
        return text(row.event.action);
    case ActorColumn:
        return row.actor;
    case DetailsColumn:
        return row.details;
    default:
        return {};
    }
}

QVariant EventModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_[static_cast<std::size_t>(index.row())];
    const state::DockerEvent& e = row.event;
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(toMsecs(e.timeNano)).toString(Qt::ISODateWithMs);
        return index.column() == DetailsColumn ? attributesText(e.attributes) : QVariant();
    case SortRole:
        return index.column() == TimeColumn ? QVariant(qint64(e.timeNano)) : display(row, index.column());
    case TimeRole:
        return toMsecs(e.timeNano);
    case TypeRole:
        return text(e.type);
    case ActionRole:
        return text(e.action);
    case ActionDetailRole:
        return text(e.actionDetail);
    case ActorIdRole:
        return text(e.actorId);
    case ActorNameRole:
        return row.actor;
    case AttributesRole:
        return attributesMap(e.attributes);
    default:
        return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    static const QStringList kHeaders{QStringLiteral("Time"), QStringLiteral("Type"),
                                      QStringLiteral("Action"), QStringLiteral("Actor"),
                                      QStringLiteral("Details")};
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= kHeaders.size())
        return {};
    return kHeaders[section];
}

} // namespace dockscope::client::models
