#include "ModelTestSupport.h"

#include "dockscope/client/models/ContainerModel.h"

namespace dockscope::client::models::testing {

QString rowKey(const QModelIndex& index)
{
    const QModelIndex first = index.siblingAtColumn(0);
    const QVariant id = first.data(roles::Id);
    if (id.isValid())
        return id.toString();
    return QStringLiteral("group:") + first.data(ContainerModel::ProjectRole).toString();
}

std::unique_ptr<QObject> record(QAbstractItemModel& model, SignalLog& log)
{
    auto context = std::make_unique<QObject>();
    const auto rowsOf = [&model](const QModelIndex& parent, int first, int last) {
        std::vector<QString> keys;
        for (int r = first; r <= last; ++r)
            keys.push_back(rowKey(model.index(r, 0, parent)));
        return keys;
    };
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, context.get(),
                     [&log, rowsOf](const QModelIndex& parent, int first, int last) {
                         for (QString& key : rowsOf(parent, first, last))
                             log.inserted.push_back(std::move(key));
                     });
    QObject::connect(&model, &QAbstractItemModel::rowsAboutToBeRemoved, context.get(),
                     [&log, rowsOf](const QModelIndex& parent, int first, int last) {
                         for (QString& key : rowsOf(parent, first, last))
                             log.removed.push_back(std::move(key));
                     });
    QObject::connect(
        &model, &QAbstractItemModel::dataChanged, context.get(),
        [&log, &model](const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles) {
            EXPECT_EQ(topLeft.parent(), bottomRight.parent());
            for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
                const QString key = rowKey(model.index(r, 0, topLeft.parent()));
                for (int c = topLeft.column(); c <= bottomRight.column(); ++c)
                    log.cells.emplace(key, c);
            }
            log.roles.push_back(roles);
            log.ranges.emplace_back(topLeft, bottomRight);
        });
    QObject::connect(&model, &QAbstractItemModel::modelReset, context.get(), [&log] { ++log.resets; });
    QObject::connect(&model, &QAbstractItemModel::layoutChanged, context.get(), [&log] { ++log.layouts; });
    QObject::connect(&model, &QAbstractItemModel::rowsMoved, context.get(), [&log] { ++log.moves; });
    return context;
}

std::set<std::pair<QString, int>> cellsOf(const QString& key, const std::set<int>& columns)
{
    std::set<std::pair<QString, int>> cells;
    for (int c : columns)
        cells.emplace(key, c);
    return cells;
}

} // namespace dockscope::client::models::testing
