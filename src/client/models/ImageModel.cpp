#include "dockscope/client/models/ImageModel.h"

#include "dockscope/client/models/Text.h"

#include <nlohmann/json.hpp>

#include <tuple>

namespace dockscope::client::models {

namespace {

QString tagsText(const state::Image& image)
{
    return image.repoTags.empty() ? QStringLiteral("<none>")
                                  : toStringList(image.repoTags).join(QStringLiteral(", "));
}

} // namespace

ImageModel::ImageModel(QObject* parent)
    : EntityTableModel({QStringLiteral("Tags"), QStringLiteral("Id"), QStringLiteral("Size"),
                        QStringLiteral("Created"), QStringLiteral("Containers")},
                       column(CreatedColumn), parent)
{}

QVariant ImageModel::cell(const Row& row, int column, int role) const
{
    const state::Image& image = row.value;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TagsColumn:
            return tagsText(image);
        case IdColumn:
            return shortId(image.id);
        case SizeColumn:
            return sizeText(image.size);
        case CreatedColumn:
            return relativeTimeText(image.createdAt, now());
        case ContainersColumn:
            return image.containers;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return column == TagsColumn ? toStringList(image.repoDigests).join(QLatin1Char('\n')) : QVariant();
    case SortRole:
        switch (column) {
        case TagsColumn:
            return tagsText(image).toLower();
        case IdColumn:
            return row.id;
        case SizeColumn:
            return qint64(image.size);
        case CreatedColumn:
            return qint64(image.createdAt);
        case ContainersColumn:
            return image.containers;
        default:
            return {};
        }
    case TagsRole:
        return toStringList(image.repoTags);
    case DigestsRole:
        return toStringList(image.repoDigests);
    case SizeRole:
        return qint64(image.size);
    case CreatedAtRole:
        return toMsecs(image.createdAt);
    case ContainersRole:
        return image.containers;
    default:
        return {};
    }
}

ChangedCells ImageModel::changedCells(const nlohmann::json& diff) const
{
    const int D = Qt::DisplayRole;
    static const FieldEffect kEffects[] = {
        {"repoTags", column(TagsColumn), {D, TagsRole}},
        {"repoDigests", column(TagsColumn), {Qt::ToolTipRole, DigestsRole}},
        {"id", column(IdColumn), {D}},
        {"size", column(SizeColumn), {D, SizeRole}},
        {"createdAt", column(CreatedColumn), {D, CreatedAtRole}},
        {"containers", column(ContainersColumn), {D, ContainersRole}},
    };
    return ChangedCells::fromDiff(diff, kEffects);
}

bool ImageModel::resetOrder(const state::Image& a, const state::Image& b) const
{
    // Tagged images by tag, the untagged ones after them.
    return std::make_tuple(a.repoTags.empty(), std::cref(a.repoTags), std::cref(a.id)) <
           std::make_tuple(b.repoTags.empty(), std::cref(b.repoTags), std::cref(b.id));
}

} // namespace dockscope::client::models
