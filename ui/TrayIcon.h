#pragma once

#include <QIcon>
#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace dockscope::ui {

/// The system tray entry: the application icon with the number of running containers drawn on it, a tooltip
/// "N running of M", a menu (Show/Hide window, Quit) and the notifications as balloon messages. Where there
/// is no system tray (Xvfb, offscreen, some desktops) it creates nothing and isAvailable() is false: the
/// window then shows the notifications in its status bar.
class TrayIcon : public QObject {
    Q_OBJECT

public:
    /// `window` (may be null) must outlive the tray icon: make the icon its child.
    explicit TrayIcon(QWidget* window, QObject* parent = nullptr);
    ~TrayIcon() override;

    bool isAvailable() const { return tray_ != nullptr; }
    void setCounts(int running, int total);
    /// Shows a balloon message; false (and nothing shown) without a tray.
    bool showMessage(const QString& title, const QString& body);
    QString toolTip() const { return toolTip_; }

    /// The application icon of `size` pixels with `running` in a badge at its lower right (none for 0).
    static QPixmap badgePixmap(int running, int size);
    static QIcon badgeIcon(int running);

Q_SIGNALS:
    void quitRequested();

private:
    void toggleWindow();
    void updateMenu();

    QWidget* window_; ///< may be null; when set, it owns (outlives) the tray icon
    QSystemTrayIcon* tray_ = nullptr;
    QPointer<QMenu> menu_; ///< a child of the window (gone with it) or, without one, ours
    QAction* showHide_ = nullptr;
    int running_ = -1;
    int total_ = -1;
    QString toolTip_;
};

} // namespace dockscope::ui
