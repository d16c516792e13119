#pragma once

#include "dockscope/protocol/Messages.h"

#include <QObject>
#include <QString>

#include <functional>

namespace dockscope::client {
class Replica;
}

namespace dockscope::ui {

/// Sends actions through the replica and reports Docker's refusals: every failed action emits failed() with
/// a sentence naming what was refused and Docker's own message. Never blocks; results arrive later.
class ActionSender : public QObject {
    Q_OBJECT

public:
    using Done = std::function<void(const protocol::Result& result)>;
    /// A piece of the action's progress (image.pull: {status, layer, current, total}).
    using Progress = std::function<void(const nlohmann::json& data)>;

    explicit ActionSender(client::Replica& replica, QObject* parent = nullptr);

    /// `what` names the action for humans ("stop web-1"). `done` (optional) runs on every result, ok or not;
    /// `progress` (optional) on every progress piece before it.
    void send(protocol::ActionKind kind, const QString& target, const char* op, const QString& what,
              nlohmann::json params = nlohmann::json::object(), Done done = {}, Progress progress = {});

Q_SIGNALS:
    void failed(const QString& message);
    void succeeded(const QString& message);

private:
    client::Replica& replica_;
};

} // namespace dockscope::ui
