#pragma once
// The table: the strategies' JSON results side by side, in Markdown, with ratios against Dockscope.
#include <QStringList>

namespace dockscope::bench {

/// Reads the observers' result files, prints the Markdown table on stdout (and to `markdownPath` if given)
/// and writes them together to `out` ({"config": ..., "strategies": [...]}). Returns 0, or 1 if a file is
/// unreadable or a strategy reported an error.
int report(const QStringList& files, const QString& out, const QString& markdownPath, const QString& config);

} // namespace dockscope::bench
