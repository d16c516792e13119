#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLineEdit;
class QTableView;
class QTimer;

namespace dockscope::client::models {
class EventFilterProxy;
class EventModel;
} // namespace dockscope::client::models

namespace dockscope::ui {

/// The activity feed: Docker events as they arrive, filtered by type and text, with a Pause toggle that
/// holds new events aside (the model buffers them) and follows the newest while scrolled to the end.
class ActivityPage : public QWidget {
    Q_OBJECT

public:
    ActivityPage(client::models::EventModel& model, QWidget* parent = nullptr);

private:
    void rowsAdded();
    void updatePauseText(int buffered);

    client::models::EventModel& model_;
    client::models::EventFilterProxy* proxy_;
    QTableView* view_;
    QLineEdit* search_;
    QComboBox* type_;
    QAction* pause_;
    QTimer* debounce_;
    bool scrollPending_ = false;
};

} // namespace dockscope::ui
