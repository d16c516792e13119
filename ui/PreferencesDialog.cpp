#include "PreferencesDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dockscope::ui {

PreferencesDialog::PreferencesDialog(const Preferences& current, QWidget* parent)
    : QDialog(parent)
    , initial_(current)
    , endpoint_(new QLineEdit(this))
    , endpointMessage_(new QLabel(this))
    , theme_(new QComboBox(this))
    , notifications_(new QGroupBox(tr("Show notifications"), this))
    , died_(new QCheckBox(tr("When a container dies without being stopped"), notifications_))
    , unhealthy_(new QCheckBox(tr("When a container turns unhealthy"), notifications_))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , restart_(buttons_->addButton(tr("Restart now"), QDialogButtonBox::AcceptRole))
{
    setWindowTitle(tr("Preferences"));
    setMinimumWidth(480);

    endpoint_->setPlaceholderText(tr("As the docker CLI finds it"));
    endpoint_->setClearButtonEnabled(true);
    endpoint_->setText(current.endpoint);
    endpoint_->setToolTip(
        tr("unix:///path/to/docker.sock or tcp://host:port; empty: DOCKER_HOST, the current "
           "docker context, then the usual sockets."));
    endpointMessage_->setWordWrap(true);

    theme_->addItem(tr("System"), themeName(Theme::System));
    theme_->addItem(tr("Light"), themeName(Theme::Light));
    theme_->addItem(tr("Dark"), themeName(Theme::Dark));
    theme_->setCurrentIndex(theme_->findData(themeName(current.theme)));

    notifications_->setCheckable(true);
    notifications_->setChecked(current.notifications);
    died_->setChecked(current.notifyDied);
    unhealthy_->setChecked(current.notifyUnhealthy);
    auto* notificationsLayout = new QVBoxLayout(notifications_);
    notificationsLayout->addWidget(died_);
    notificationsLayout->addWidget(unhealthy_);

    auto* form = new QFormLayout;
    form->addRow(tr("Docker &endpoint:"), endpoint_);
    form->addRow(QString(), endpointMessage_);
    form->addRow(tr("&Theme:"), theme_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(notifications_);
    layout->addStretch(1);
    layout->addWidget(buttons_);

    connect(endpoint_, &QLineEdit::textChanged, this, &PreferencesDialog::validate);
    // The theme is shown at once on the whole application; Cancel puts the old one back.
    connect(theme_, &QComboBox::currentIndexChanged, this,
            [this] { applyTheme(themeFromName(theme_->currentData().toString())); });
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(restart_, &QPushButton::clicked, this, &PreferencesDialog::restartRequested);
    validate();
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p;
    p.endpoint = endpoint_->text().trimmed();
    p.theme = themeFromName(theme_->currentData().toString());
    p.notifications = notifications_->isChecked();
    p.notifyDied = died_->isChecked();
    p.notifyUnhealthy = unhealthy_->isChecked();
    return p;
}

bool PreferencesDialog::isValid() const
{
    return validateEndpoint(endpoint_->text());
}

bool PreferencesDialog::endpointChanged() const
{
    return endpoint_->text().trimmed() != initial_.endpoint.trimmed();
}

QPushButton* PreferencesDialog::okButton() const
{
    return buttons_->button(QDialogButtonBox::Ok);
}

void PreferencesDialog::reject()
{
    applyTheme(initial_.theme);
    QDialog::reject();
}

void PreferencesDialog::validate()
{
    QString error;
    const bool valid = validateEndpoint(endpoint_->text(), &error);
    const bool changed = endpointChanged();
    okButton()->setEnabled(valid);
    restart_->setVisible(valid && changed);
    if (!valid) {
        endpointMessage_->setStyleSheet(QStringLiteral("color: #c62828;"));
        endpointMessage_->setText(error);
    } else {
        endpointMessage_->setStyleSheet(QString());
        endpointMessage_->setText(changed ? tr("A new endpoint takes effect when Dockscope starts again.")
                                          : QString());
    }
    endpointMessage_->setVisible(!endpointMessage_->text().isEmpty());
}

} // namespace dockscope::ui
