#pragma once

#include "Settings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace dockscope::ui {

/// Preferences…: the engine endpoint (used from the next start: the dialog says so and offers "Restart now"),
/// the theme (previewed at once, put back on Cancel) and the notifications. It only edits values: whoever
/// opened it saves them (accepted()) or restarts (restartRequested()).
class PreferencesDialog : public QDialog {
    Q_OBJECT

public:
    PreferencesDialog(const Preferences& current, QWidget* parent = nullptr);

    /// The values as edited (endpoint trimmed).
    Preferences preferences() const;
    /// Whether the endpoint is valid and the values can be accepted.
    bool isValid() const;
    /// Whether the edited endpoint differs from the one the dialog opened with (needs a restart).
    bool endpointChanged() const;

    QLineEdit* endpointEdit() const { return endpoint_; }
    QComboBox* themeBox() const { return theme_; }
    QGroupBox* notificationsBox() const { return notifications_; }
    QCheckBox* diedBox() const { return died_; }
    QCheckBox* unhealthyBox() const { return unhealthy_; }
    QPushButton* okButton() const;
    QPushButton* restartButton() const { return restart_; }
    QLabel* endpointMessage() const { return endpointMessage_; }

    void reject() override;

Q_SIGNALS:
    /// "Restart now": the values are accepted and the application should start again with them.
    void restartRequested();

private:
    void validate();

    Preferences initial_;
    QLineEdit* endpoint_;
    QLabel* endpointMessage_;
    QComboBox* theme_;
    QGroupBox* notifications_;
    QCheckBox* died_;
    QCheckBox* unhealthy_;
    QDialogButtonBox* buttons_;
    QPushButton* restart_;
};

} // namespace dockscope::ui
