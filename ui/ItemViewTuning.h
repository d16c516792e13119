#pragma once

class QAbstractItemView;

namespace dockscope::ui {

/// Makes a view that may show 1000 rows cheaper to repaint without changing what it shows: its Latin text
/// is drawn without OpenType shaping (QFont::PreferNoShaping; scripts that need shaping keep it). Shaping
/// was half the cost of each repaint of the containers view at 1000 rows.
void tuneForManyRows(QAbstractItemView* view);

} // namespace dockscope::ui
