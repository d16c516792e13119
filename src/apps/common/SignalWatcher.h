#pragma once

#include <QObject>

#include <initializer_list>

class QSocketNotifier;

namespace dockscope::apps {

/// Turns POSIX signals (SIGINT, SIGTERM, ...) into a Qt signal on the main thread: the handler only writes to
/// a pipe (async-signal-safe); a QSocketNotifier reads it in the event loop. One instance per process.
class SignalWatcher : public QObject {
    Q_OBJECT

public:
    explicit SignalWatcher(std::initializer_list<int> signalNumbers, QObject* parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void received(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace dockscope::apps
