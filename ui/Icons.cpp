#include "Icons.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace dockscope::ui {

QColor stateColor(state::ContainerState state, state::Health health)
{
    using state::ContainerState;
    if (state == ContainerState::Dead || health == state::Health::Unhealthy)
        return QColor(0xd3, 0x2f, 0x2f);
    switch (state) {
    case ContainerState::Running:
        return health == state::Health::Starting ? QColor(0x8b, 0xc3, 0x4a) : QColor(0x2e, 0xa0, 0x43);
    case ContainerState::Paused:
    case ContainerState::Restarting:
        return QColor(0xf0, 0xa0, 0x20);
    case ContainerState::Removing:
        return QColor(0xb0, 0x60, 0x60);
    default:
        return QColor(0x9e, 0x9e, 0x9e);
    }
}

QIcon dotIcon(const QColor& color)
{
    static QHash<QRgb, QIcon> cache;
    const auto found = cache.constFind(color.rgb());
    if (found != cache.constEnd())
        return *found;
    QIcon icon;
    for (const int size : {12, 16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(color.darker(130), size / 12.0));
        painter.setBrush(color);
        const qreal margin = size * 0.22;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        icon.addPixmap(pixmap);
    }
    cache.insert(color.rgb(), icon);
    return icon;
}

QIcon stateIcon(state::ContainerState state, state::Health health)
{
    return dotIcon(stateColor(state, health));
}

namespace {

QPixmap paintAppIcon(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);
    // The scope: a dark round lens with a handle.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x37, 0x47, 0x4f));
    p.save();
    p.translate(47, 47);
    p.rotate(45);
    p.drawRoundedRect(QRectF(-3, -4.5, 18, 9), 3, 3);
    p.restore();
    p.setBrush(QColor(0x1e, 0x88, 0xe5));
    p.drawEllipse(QPointF(28, 28), 25, 25);
    p.setBrush(QColor(0xe3, 0xf2, 0xfd));
    p.drawEllipse(QPointF(28, 28), 20, 20);
    // The container: a box with ribs.
    p.setBrush(QColor(0x1e, 0x88, 0xe5));
    const QRectF box(14, 19, 28, 18);
    p.drawRoundedRect(box, 2, 2);
    p.setPen(QPen(QColor(0xe3, 0xf2, 0xfd), 2));
    for (qreal x = 20; x < 40; x += 5.5)
        p.drawLine(QPointF(x, 22), QPointF(x, 34));
    // A green "live" dot.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x2e, 0xa0, 0x43));
    p.drawEllipse(QPointF(41, 41), 5, 5);
    return pixmap;
}

void paintGlyph(QPainter& p, Glyph glyph)
{
    const QColor ink(0x37, 0x47, 0x4f);
    const QColor fill(0x1e, 0x88, 0xe5);
    p.setPen(QPen(ink, 1.4));
    switch (glyph) {
    case Glyph::Containers:
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(2, 5, 16, 10), 1.5, 1.5);
        p.setPen(QPen(Qt::white, 1.2));
        for (qreal x = 6; x < 16; x += 3.5)
            p.drawLine(QPointF(x, 7), QPointF(x, 13));
        break;
    case Glyph::Images:
        p.setBrush(fill.lighter(150));
        p.drawRoundedRect(QRectF(6, 2, 12, 9), 1.5, 1.5);
        p.setBrush(fill.lighter(120));
        p.drawRoundedRect(QRectF(4, 5, 12, 9), 1.5, 1.5);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(2, 8, 12, 9), 1.5, 1.5);
        break;
    case Glyph::Volumes:
        p.setBrush(fill);
        p.drawRect(QRectF(4, 5, 12, 10));
        p.drawEllipse(QRectF(4, 12, 12, 5));
        p.setPen(Qt::NoPen);
        p.drawRect(QRectF(4.7, 6, 10.6, 8));
        p.setPen(QPen(ink, 1.4));
        p.setBrush(fill.lighter(150));
        p.drawEllipse(QRectF(4, 2.5, 12, 5));
        break;
    case Glyph::Networks:
        p.drawLine(QPointF(10, 4), QPointF(4, 15));
        p.drawLine(QPointF(10, 4), QPointF(16, 15));
        p.drawLine(QPointF(4, 15), QPointF(16, 15));
        p.setBrush(fill);
        for (const QPointF& c : {QPointF(10, 4), QPointF(4, 15), QPointF(16, 15)})
            p.drawEllipse(c, 2.8, 2.8);
        break;
    case Glyph::Activity: {
        p.setPen(QPen(fill, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        const QPointF points[] = {{1, 11}, {5, 11}, {7.5, 4}, {11, 17}, {13.5, 8}, {15, 11}, {19, 11}};
        p.drawPolyline(points, 7);
        break;
    }
    }
}

} // namespace

QIcon glyphIcon(Glyph glyph)
{
    QIcon icon;
    for (const int size : {16, 20, 32, 40}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 20.0, size / 20.0);
        paintGlyph(painter, glyph);
        icon.addPixmap(pixmap);
    }
    return icon;
}

QIcon appIcon()
{
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(paintAppIcon(size));
    return icon;
}

} // namespace dockscope::ui
