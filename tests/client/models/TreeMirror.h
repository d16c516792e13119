#pragma once

// The compose tree as it must be, followed batch by batch from the states before and after: which rows a
// batch inserts and removes, which cells it changes, and the order of the project rows and of their children.

#include "ModelExpectations.h"
#include "ModelTestSupport.h"

#include "dockscope/client/models/ComposeTreeModel.h"
#include "dockscope/state/Batch.h"
#include "dockscope/state/EngineState.h"

#include <QSet>
#include <QString>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace dockscope::client::models::testing {

class TreeMirror {
public:
    void clear();
    /// Checks what `tree` emitted for `batch` (recorded in `log`, cleared afterwards) and its content after
    /// it. `ended`: the containers whose pending text the batch ends; `pending`: those still pending.
    void verify(const ComposeTreeModel& tree, SignalLog& log, const state::Batch& batch,
                const state::EngineState& before, const state::EngineState& after, const QSet<QString>& ended,
                const QSet<QString>& pending);

private:
    struct Expected {
        std::set<QString> inserted;
        std::set<QString> removed;
        Cells childCells;              ///< exactly these
        Cells groupCells;              ///< at least these
        std::set<std::string> touched; ///< project rows that may announce their counts
    };

    Expected followContainers(const state::Batch& batch, const state::EngineState& before,
                              const state::EngineState& after, const QSet<QString>& ended);
    void followGroups(Expected& expected, const state::EngineState& before, const state::EngineState& after);
    static void checkSignals(const Expected& expected, SignalLog& log);
    void checkContent(const ComposeTreeModel& tree, const state::EngineState& after,
                      const QSet<QString>& pending);

    std::map<std::string, std::vector<QString>> children_; ///< project -> container ids, in row order
    std::vector<std::string> groups_;                      ///< projects, in row order
    std::set<std::string> leaving_;                        ///< projects containers left in this batch
    std::vector<std::string> arriving_;                    ///< projects of inserted containers, batch order
};

} // namespace dockscope::client::models::testing
