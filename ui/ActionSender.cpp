#include "ActionSender.h"

#include "dockscope/client/Replica.h"

namespace dockscope::ui {

ActionSender::ActionSender(client::Replica& replica, QObject* parent)
    : QObject(parent)
    , replica_(replica)
{}

void ActionSender::send(protocol::ActionKind kind, const QString& target, const char* op, const QString& what,
                        nlohmann::json params, Done done, Progress progress)
{
    protocol::Action action;
    action.kind = kind;
    action.target = target.toStdString();
    action.op = op;
    action.params = std::move(params);
    replica_.act(
        std::move(action), this,
        [this, what, done = std::move(done)](const protocol::Result& result) {
            if (result.ok) {
                Q_EMIT succeeded(what + QStringLiteral(": done"));
            } else {
                const QString message = result.error ? QString::fromStdString(result.error->message)
                                                     : QStringLiteral("refused without a reason");
                Q_EMIT failed(QStringLiteral("Could not %1: %2").arg(what, message));
            }
            if (done)
                done(result);
        },
        std::move(progress));
}

} // namespace dockscope::ui
