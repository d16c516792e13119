#include "ItemViewTuning.h"

#include <QAbstractItemView>
#include <QFont>

namespace dockscope::ui {

void tuneForManyRows(QAbstractItemView* view)
{
    // Only the style strategy is set: the rest of the font still follows the application's.
    QFont font;
    font.setStyleStrategy(QFont::PreferNoShaping);
    view->setFont(font);
}

} // namespace dockscope::ui
