// The Inspect tab's tree (ui/JsonTreeModel.h): the model under QAbstractItemModelTester (Fatal) through
// documents of every shape, its cells and paths, and the search proxy that keeps the parents of matches.
#include "JsonTreeModel.h"

#include <QAbstractItemModelTester>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using dockscope::ui::JsonFilterProxy;
using dockscope::ui::JsonTreeModel;
using nlohmann::json;

namespace {

const json kDocument = json::parse(R"({
  "Id": "4f2a9c",
  "Name": "/web-1",
  "RestartCount": 2,
  "State": {"Status": "running", "Running": true, "Pid": 4242, "Health": {"Status": "healthy", "Log": []}},
  "Config": {"Env": ["PATH=/usr/bin", "GREETING=hello"], "Cmd": ["sleep", "300"], "Labels": {}, "User": null},
  "Mounts": [{"Source": "/srv/www", "Destination": "/www", "RW": false}],
  "Ratio": 0.5
})");

/// Every index of a model, depth first, column 0.
std::vector<QModelIndex> allRows(const QAbstractItemModel& model, const QModelIndex& parent = {})
{
    std::vector<QModelIndex> rows;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        rows.push_back(index);
        const auto below = allRows(model, index);
        rows.insert(rows.end(), below.begin(), below.end());
    }
    return rows;
}

QStringList paths(const QAbstractItemModel& model)
{
    QStringList out;
    for (const QModelIndex& index : allRows(model))
        out.append(index.data(JsonTreeModel::PathRole).toString());
    return out;
}

QString cell(const QModelIndex& index, int column)
{
    return index.siblingAtColumn(column).data().toString();
}

TEST(JsonTreeModelTest, ShowsEveryMemberWithItsValueAndType)
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(model.rowCount(), 0);
    model.setJson(kDocument);
    EXPECT_EQ(model.columnCount(), 3);
    EXPECT_EQ(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Key"));
    EXPECT_EQ(model.rowCount(), 7);
    // Members in key order, elements by index.
    EXPECT_EQ(
        paths(model).join(QLatin1Char(' ')).toStdString(),
        "Config Config.Cmd Config.Cmd[0] Config.Cmd[1] Config.Env Config.Env[0] Config.Env[1] Config.Labels "
        "Config.User Id Mounts Mounts[0] Mounts[0].Destination Mounts[0].RW Mounts[0].Source Name Ratio "
        "RestartCount State State.Health State.Health.Log State.Health.Status State.Pid State.Running "
        "State.Status");

    const auto row = [&model](const char* path) {
        const QModelIndex index = model.indexOfPath(QString::fromUtf8(path));
        EXPECT_TRUE(index.isValid()) << path;
        return index;
    };
    const auto expectRow = [&](const char* path, const char* key, const char* value, const char* type) {
        const QModelIndex index = row(path);
        EXPECT_EQ(cell(index, JsonTreeModel::KeyColumn).toStdString(), key) << path;
        EXPECT_EQ(cell(index, JsonTreeModel::ValueColumn).toStdString(), value) << path;
        EXPECT_EQ(cell(index, JsonTreeModel::TypeColumn).toStdString(), type) << path;
    };
    expectRow("Id", "Id", "4f2a9c", "string");
    expectRow("RestartCount", "RestartCount", "2", "number");
    expectRow("Ratio", "Ratio", "0.5", "number");
    expectRow("State", "State", "{4}", "object");
    expectRow("State.Running", "Running", "true", "boolean");
    expectRow("State.Health.Log", "Log", "[0]", "array");
    expectRow("Config.User", "User", "null", "null");
    expectRow("Config.Labels", "Labels", "{0}", "object");
    expectRow("Config.Env[1]", "[1]", "GREETING=hello", "string");
    expectRow("Mounts[0].RW", "RW", "false", "boolean");

    // Copying: a string's text without quotes, a container as indented JSON.
    EXPECT_EQ(row("Name").data(JsonTreeModel::CopyRole).toString(), QStringLiteral("/web-1"));
    EXPECT_EQ(row("Config.Cmd").data(JsonTreeModel::CopyRole).toString().toStdString(),
              "[\n  \"sleep\",\n  \"300\"\n]");
    EXPECT_EQ(row("State.Health.Status").parent(), row("State.Health"));
    EXPECT_FALSE(model.indexOfPath(QStringLiteral("State.Nope")).isValid());

    // Replacing and clearing the document (the tester checks the resets).
    model.setJson(json{{"only", json::array({1, json::object({{"deep", json::array({json::array()})}})})}});
    EXPECT_EQ(paths(model).join(QLatin1Char(' ')).toStdString(),
              "only only[0] only[1] only[1].deep only[1].deep[0]");
    model.setJson(json::array({"a", "b"}));
    EXPECT_EQ(paths(model).join(QLatin1Char(' ')).toStdString(), "[0] [1]");
    model.setJson(json(42));
    EXPECT_EQ(model.rowCount(), 0) << "a scalar document has no rows";
    model.setJson(kDocument);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(JsonTreeModelTest, TheSearchKeepsMatchesWithTheirParents)
{
    JsonTreeModel model;
    JsonFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setJson(kDocument);
    const QStringList all = paths(model);
    EXPECT_EQ(paths(proxy), all);

    // A value deep down: its ancestors stay, its siblings go.
    proxy.setSearch(QStringLiteral("HEALTHY"));
    EXPECT_EQ(paths(proxy).join(QLatin1Char(' ')).toStdString(), "State State.Health State.Health.Status");
    EXPECT_FALSE(proxy.matches(model.indexOfPath(QStringLiteral("State"))));
    EXPECT_TRUE(proxy.matches(model.indexOfPath(QStringLiteral("State.Health.Status"))));

    // A key: the rows under it come along (a matching object can be opened).
    proxy.setSearch(QStringLiteral("env"));
    EXPECT_EQ(paths(proxy).join(QLatin1Char(' ')).toStdString(),
              "Config Config.Env Config.Env[0] Config.Env[1]");

    // Keys and values both; the type column is not searched.
    proxy.setSearch(QStringLiteral("status"));
    EXPECT_EQ(paths(proxy).join(QLatin1Char(' ')).toStdString(),
              "State State.Health State.Health.Status State.Status");
    proxy.setSearch(QStringLiteral("boolean"));
    EXPECT_TRUE(paths(proxy).isEmpty());
    proxy.setSearch(QStringLiteral("/www"));
    EXPECT_EQ(paths(proxy).join(QLatin1Char(' ')).toStdString(),
              "Mounts Mounts[0] Mounts[0].Destination Mounts[0].Source");

    // The document changes under an active search (a refresh): the filter applies to the new one.
    json next = kDocument;
    next["State"]["Health"]["Status"] = "unhealthy";
    proxy.setSearch(QStringLiteral("healthy"));
    model.setJson(next);
    EXPECT_EQ(paths(proxy).join(QLatin1Char(' ')).toStdString(), "State State.Health State.Health.Status");
    EXPECT_EQ(cell(proxy.index(0, 0, proxy.index(0, 0, proxy.index(0, 0))), JsonTreeModel::ValueColumn),
              QStringLiteral("unhealthy"));

    proxy.setSearch(QStringLiteral("  "));
    EXPECT_EQ(paths(proxy), all) << "a blank search shows everything";
}

} // namespace
