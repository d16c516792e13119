#include "Settings.h"

#include "dockscope/docker/Endpoint.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace dockscope::ui {

namespace {

const QString kEndpointKey = QStringLiteral("engine/endpoint");
const QString kThemeKey = QStringLiteral("appearance/theme");
const QString kNotificationsKey = QStringLiteral("notifications/enabled");
const QString kNotifyDiedKey = QStringLiteral("notifications/died");
const QString kNotifyUnhealthyKey = QStringLiteral("notifications/unhealthy");

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x7a, 0x7e, 0x85);
    const QColor highlight(0x2f, 0x6f, 0xc4);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x45));
    p.setColor(QPalette::Mid, QColor(0x35, 0x37, 0x3a));
    p.setColor(QPalette::Dark, QColor(0x19, 0x1a, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::LinkVisited, QColor(0xa7, 0x8b, 0xe0));
    for (const auto role :
         {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x48, 0x4c));
    return p;
}

QPalette lightPalette()
{
    // Fusion's own palette is a proper light one.
    QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    QPalette p = fusion ? fusion->standardPalette() : QPalette(QColor(0xef, 0xef, 0xef));
    delete fusion;
    return p;
}

/// The style and palette the application started with, remembered before the first change.
struct Original {
    QString style;
    QPalette palette;
};

const Original& original()
{
    static const Original o{QApplication::style() ? QApplication::style()->name() : QString(),
                            QApplication::palette()};
    return o;
}

} // namespace

Preferences loadPreferences()
{
    QSettings s;
    Preferences p;
    p.endpoint = s.value(kEndpointKey, p.endpoint).toString().trimmed();
    p.theme = themeFromName(s.value(kThemeKey, themeName(p.theme)).toString());
    p.notifications = s.value(kNotificationsKey, p.notifications).toBool();
    p.notifyDied = s.value(kNotifyDiedKey, p.notifyDied).toBool();
    p.notifyUnhealthy = s.value(kNotifyUnhealthyKey, p.notifyUnhealthy).toBool();
    return p;
}

void savePreferences(const Preferences& preferences)
{
    QSettings s;
    s.setValue(kEndpointKey, preferences.endpoint.trimmed());
    s.setValue(kThemeKey, themeName(preferences.theme));
    s.setValue(kNotificationsKey, preferences.notifications);
    s.setValue(kNotifyDiedKey, preferences.notifyDied);
    s.setValue(kNotifyUnhealthyKey, preferences.notifyUnhealthy);
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

bool validateEndpoint(const QString& endpoint, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    const QString text = endpoint.trimmed();
    if (text.isEmpty())
        return true;
    if (text.startsWith(QLatin1String("unix://"))) {
        if (!text.mid(7).startsWith(QLatin1Char('/')) || text.size() == 8)
            return fail(QObject::tr("A socket endpoint is unix:// followed by an absolute path, "
                                    "e.g. unix:///var/run/docker.sock."));
    } else if (text.startsWith(QLatin1String("tcp://"))) {
        const QString hostPort = text.mid(6);
        const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
        const bool bracketed = hostPort.startsWith(QLatin1Char('['));
        const bool hasPort = colon > 0 && (!bracketed || hostPort.lastIndexOf(QLatin1Char(']')) < colon);
        bool ok = false;
        const int port = hasPort ? hostPort.mid(colon + 1).toInt(&ok) : 0;
        if (!hasPort || colon == (bracketed ? 2 : 0) || !ok || port < 1 || port > 65535)
            return fail(QObject::tr("A TCP endpoint is tcp://host:port with a port from 1 to 65535, "
                                    "e.g. tcp://127.0.0.1:2375."));
    } else {
        return fail(QObject::tr("The endpoint must start with unix:// or tcp://."));
    }
    if (!docker::Endpoint::parse(text.toStdString()))
        return fail(QObject::tr("Not a Docker endpoint: %1").arg(text));
    return true;
}

void applyTheme(Theme theme)
{
    const Original& o = original();
    if (theme == Theme::System) {
        if (!o.style.isEmpty() && QApplication::style()->name() != o.style)
            QApplication::setStyle(o.style);
        QApplication::setPalette(o.palette);
        return;
    }
    if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
}

} // namespace dockscope::ui
