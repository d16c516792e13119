#pragma once

#include <QStyledItemDelegate>

namespace dockscope::ui {

/// Paints a background that fades out over fadeMs() behind the rows whose roles::ChangedAt is recent, so a
/// change catches the eye. One repaint timer, shared by every view with such a delegate, runs only while some
/// highlight is still fading (an idle window has no timer at all) and repaints only the fading rows.
class HighlightDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static constexpr int fadeMs() { return 1500; }
    /// Whether the shared repaint timer is running (for tests).
    static bool isAnimating();
    /// The strength of the highlight `ageMs` after a change: 1 at once, 0 from fadeMs() on.
    static double strength(qint64 ageMs);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace dockscope::ui
