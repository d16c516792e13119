#pragma once

#include <Qt>

// The role numbers shared by the item models. Each model's own `Role` enum starts at roles::First and repeats
// the common ones under its own names (ContainerModel::IdRole == roles::Id).
namespace dockscope::client::models::roles {

/// The entity's id (a volume's name), QString. Every column.
inline constexpr int Id = Qt::UserRole + 1;
/// The raw value to sort a column by: times as numbers, names lower-case.
inline constexpr int Sort = Qt::UserRole + 2;
/// When the row's shown data last changed, ms since the epoch (0: not since the last reset). Every column.
inline constexpr int ChangedAt = Qt::UserRole + 3;
/// The text of an action in flight ("stopping…"), QString, empty when none. Every column.
inline constexpr int Pending = Qt::UserRole + 4;
/// The first role number a model defines for itself.
inline constexpr int First = Qt::UserRole + 16;

} // namespace dockscope::client::models::roles
