#include "LiveStatus.h"

#include "Icons.h"

#include "dockscope/client/Replica.h"
#include "dockscope/client/models/Text.h"

#include <QHBoxLayout>
#include <QLabel>

namespace dockscope::ui {

namespace {

QString clock(const QDateTime& at)
{
    return at.toString(at.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss")
                                                         : QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

LiveStatus::LiveStatus(client::Replica& replica, QWidget* parent)
    : QWidget(parent)
    , replica_(replica)
    , dot_(new QLabel(this))
    , status_(new QLabel(this))
    , updated_(new QLabel(this))
    , latency_(new QLabel(this))
{
    status_->setObjectName(QStringLiteral("liveStatusText"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(dot_);
    layout->addWidget(status_);
    layout->addSpacing(16);
    layout->addWidget(updated_);
    layout->addSpacing(16);
    layout->addWidget(latency_);
    // A batch changes only the time of the last update (the status comes with statusChanged and
    // engineChanged): during a burst, no more than that label's text, and only when its second changes.
    const auto touched = [this] {
        lastUpdate_ = QDateTime::currentDateTime();
        showLastUpdate();
    };
    connect(&replica_, &client::Replica::applied, this, touched);
    connect(&replica_, &client::Replica::reset, this, [this] {
        lastUpdate_ = QDateTime::currentDateTime();
        refresh();
    });
    connect(&replica_, &client::Replica::statusChanged, this, &LiveStatus::refresh);
    connect(&replica_, &client::Replica::engineChanged, this, &LiveStatus::refresh);
    refresh();
}

void LiveStatus::setLatency(qint64 p50ns)
{
    latency_->setText(p50ns > 0
                          ? tr("Event latency p50 %1 ms").arg(static_cast<double>(p50ns) / 1e6, 0, 'f', 1)
                          : QString());
}

void LiveStatus::refresh()
{
    using Status = client::Replica::Status;
    QColor color(0x9e, 0x9e, 0x9e);
    QString text;
    const auto engine = replica_.engine();
    switch (replica_.status()) {
    case Status::Disconnected:
        text = tr("Not connected to the state server") +
               (replica_.lastError().isEmpty() ? QString() : QStringLiteral(": ") + replica_.lastError());
        color = QColor(0xd3, 0x2f, 0x2f);
        break;
    case Status::Connecting:
        text = tr("Connecting to the state server…");
        break;
    case Status::Reconnecting:
        text = tr("State server lost, reconnecting (showing the last known state)");
        color = QColor(0xf0, 0xa0, 0x20);
        break;
    case Status::Live:
        if (!engine) {
            text = tr("Live");
            color = QColor(0x2e, 0xa0, 0x43);
            break;
        }
        const QString since =
            engine->statusSince
                ? clock(QDateTime::fromMSecsSinceEpoch(client::models::toMsecs(engine->statusSince)))
                : QString();
        switch (engine->status) {
        case state::EngineStatus::Connected:
            text = tr("Live — engine connected since %1").arg(since);
            color = QColor(0x2e, 0xa0, 0x43);
            break;
        case state::EngineStatus::Connecting:
            text = tr("Connecting to the engine (showing the saved state)");
            color = QColor(0xf0, 0xa0, 0x20);
            break;
        case state::EngineStatus::Reconnecting:
            text = tr("Engine lost, reconnecting since %1 (showing the last known state)").arg(since);
            color = QColor(0xf0, 0xa0, 0x20);
            break;
        case state::EngineStatus::Unreachable:
            text = tr("Engine unreachable since %1").arg(since);
            if (!engine->lastError.empty())
                text += QStringLiteral(": ") + QString::fromStdString(engine->lastError);
            color = QColor(0xd3, 0x2f, 0x2f);
            break;
        }
        break;
    }
    // Only what changed: a new pixmap or text relayouts the status bar and repaints it.
    if (color != dotColor_ || dot_->pixmap().isNull()) {
        dotColor_ = color;
        dot_->setPixmap(dotIcon(color).pixmap(14, 14));
    }
    if (status_->text() != text)
        status_->setText(text);
    showLastUpdate();
}

void LiveStatus::showLastUpdate()
{
    const QString text = lastUpdate_.isValid() ? tr("Last update %1").arg(clock(lastUpdate_)) : QString();
    if (updated_->text() != text)
        updated_->setText(text);
}

} // namespace dockscope::ui
