#include "TrayIcon.h"

#include "Icons.h"

#include <QAction>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QWidget>

#include <algorithm>

namespace dockscope::ui {

namespace {

constexpr int kMessageMs = 8000;

} // namespace

TrayIcon::TrayIcon(QWidget* window, QObject* parent)
    : QObject(parent)
    , window_(window)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    menu_ = new QMenu(window);
    showHide_ = menu_->addAction(tr("Hide window"), this, &TrayIcon::toggleWindow);
    menu_->addSeparator();
    menu_->addAction(tr("Quit"), this, &TrayIcon::quitRequested);
    connect(menu_, &QMenu::aboutToShow, this, &TrayIcon::updateMenu);

    tray_ = new QSystemTrayIcon(this);
    tray_->setContextMenu(menu_);
    connect(tray_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            toggleWindow();
    });
    setCounts(0, 0);
    tray_->show();
}

TrayIcon::~TrayIcon()
{
    delete menu_.data();
}

void TrayIcon::setCounts(int running, int total)
{
    if (running == running_ && total == total_)
        return;
    toolTip_ = tr("%1 running of %2").arg(running).arg(total);
    if (tray_) {
        if (running != running_)
            tray_->setIcon(badgeIcon(running));
        tray_->setToolTip(toolTip_);
    }
    running_ = running;
    total_ = total;
}

bool TrayIcon::showMessage(const QString& title, const QString& body)
{
    if (!tray_)
        return false;
    tray_->showMessage(title, body, QSystemTrayIcon::Warning, kMessageMs);
    return true;
}

void TrayIcon::toggleWindow()
{
    if (!window_)
        return;
    if (window_->isVisible() && !window_->isMinimized()) {
        window_->hide();
    } else {
        window_->showNormal();
        window_->raise();
        window_->activateWindow();
    }
}

void TrayIcon::updateMenu()
{
    const bool shown = window_ && window_->isVisible() && !window_->isMinimized();
    showHide_->setText(shown ? tr("Hide window") : tr("Show window"));
}

QPixmap TrayIcon::badgePixmap(int running, int size)
{
    QPixmap pixmap = appIcon().pixmap(size, size);
    if (pixmap.size() != QSize(size, size))
        pixmap = pixmap.scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (running <= 0)
        return pixmap;
    const QString text = running > 99 ? QStringLiteral("99+") : QString::number(running);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(std::max(7, int(size * (text.size() > 2 ? 0.34 : 0.44))));
    p.setFont(font);
    const QFontMetricsF metrics(font);
    const qreal h = size * 0.56;
    const qreal w = std::max(h, metrics.horizontalAdvance(text) + size * 0.16);
    const QRectF badge(size - w, size - h, w, h);
    p.setPen(QPen(Qt::white, std::max(1.0, size / 32.0)));
    p.setBrush(QColor(0x2e, 0xa0, 0x43));
    p.drawRoundedRect(badge.adjusted(0.5, 0.5, -0.5, -0.5), h / 2, h / 2);
    p.setPen(Qt::white);
    p.drawText(badge, Qt::AlignCenter, text);
    return pixmap;
}

QIcon TrayIcon::badgeIcon(int running)
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64})
        icon.addPixmap(badgePixmap(running, size));
    return icon;
}

} // namespace dockscope::ui
