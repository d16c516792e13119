#include "PullDialog.h"

#include "ActionSender.h"

#include "dockscope/client/models/Text.h"
#include "dockscope/protocol/Actions.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dockscope::ui {

namespace {

/// The statuses Docker gives about one layer (the others are about the whole pull).
bool isLayerStatus(const std::string& status)
{
    static const char* const statuses[] = {"Pulling fs layer",   "Waiting",           "Downloading",
                                           "Verifying Checksum", "Download complete", "Extracting",
                                           "Pull complete",      "Already exists"};
    return std::any_of(std::begin(statuses), std::end(statuses),
                       [&status](const char* s) { return status == s; }) ||
           status.rfind("Retrying", 0) == 0;
}

} // namespace

void PullProgress::add(const nlohmann::json& piece)
{
    if (!piece.is_object())
        return;
    const std::string status = piece.value("status", std::string());
    const QString layerId = QString::fromStdString(piece.value("layer", std::string()));
    if (!isLayerStatus(status) || layerId.isEmpty()) {
        if (!status.empty())
            status_ = QString::fromStdString(status);
        return;
    }
    Layer& layer = layers_[layerId];
    const std::int64_t current = piece.value("current", std::int64_t{0});
    const std::int64_t total = piece.value("total", std::int64_t{0});
    if (status == "Downloading") {
        layer.size = std::max(layer.size, total);
        layer.downloaded = std::max(layer.downloaded, current);
    } else if (status == "Verifying Checksum" || status == "Download complete") {
        layer.downloaded = layer.size;
    } else if (status == "Extracting") {
        layer.size = std::max(layer.size, total);
        layer.downloaded = layer.size;
        layer.extracted = std::max(layer.extracted, current);
    } else if (status == "Pull complete" || status == "Already exists") {
        layer.downloaded = layer.extracted = layer.size;
        layer.done = true;
    }
    // Download and extraction weigh the same: each layer counts twice its size.
    const std::int64_t all = bytesTotal();
    if (layersDone() == layers())
        permille_ = 1000;
    else if (all > 0)
        permille_ = std::max(permille_, static_cast<int>(bytesDone() * 1000 / (2 * all)));
}

int PullProgress::layersDone() const
{
    return static_cast<int>(
        std::count_if(layers_.cbegin(), layers_.cend(), [](const Layer& l) { return l.done; }));
}

std::int64_t PullProgress::bytesDone() const
{
    std::int64_t sum = 0;
    for (const Layer& layer : layers_)
        sum += std::min(layer.downloaded, layer.size) + std::min(layer.extracted, layer.size);
    return sum;
}

std::int64_t PullProgress::bytesTotal() const
{
    std::int64_t sum = 0;
    for (const Layer& layer : layers_)
        sum += layer.size;
    return sum;
}

QString PullProgress::text() const
{
    if (layers_.isEmpty())
        return status_;
    QString text = QObject::tr("%1 of %2 layers complete").arg(layersDone()).arg(layers());
    if (const std::int64_t total = bytesTotal(); total > 0) {
        std::int64_t downloaded = 0;
        for (const Layer& layer : layers_)
            downloaded += std::min(layer.downloaded, layer.size);
        text += QStringLiteral(" · ") +
                QObject::tr("%1 of %2 downloaded")
                    .arg(client::models::sizeText(downloaded), client::models::sizeText(total));
    }
    return text;
}

PullDialog::PullDialog(ActionSender& actions, QWidget* parent)
    : QDialog(parent)
    , actions_(actions)
    , image_(new QLineEdit(this))
    , problem_(new QLabel(this))
    , bar_(new QProgressBar(this))
    , status_(new QLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Pull an image"));
    image_->setObjectName(QStringLiteral("image"));
    image_->setPlaceholderText(tr("repository[:tag], e.g. busybox:latest or registry:5000/team/app:1.2"));
    problem_->setObjectName(QStringLiteral("problem"));
    problem_->setWordWrap(true);
    status_->setObjectName(QStringLiteral("status"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar_->setRange(0, 1000);
    bar_->setValue(0);
    bar_->setTextVisible(true);
    bar_->hide();
    status_->hide();
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Pull"));

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Image:"), image_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(problem_);
    layout->addWidget(bar_);
    layout->addWidget(status_);
    layout->addStretch(1);
    layout->addWidget(buttons_);
    setMinimumWidth(480);

    connect(buttons_, &QDialogButtonBox::accepted, this, &PullDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &PullDialog::reject);
    connect(image_, &QLineEdit::textChanged, this, &PullDialog::validate);
    validate();
}

void PullDialog::setImage(const QString& image)
{
    image_->setText(image);
}

QString PullDialog::statusText() const
{
    return status_->text();
}

void PullDialog::validate()
{
    QString error;
    const QString image = image_->text().trimmed();
    if (image.isEmpty()) {
        error = tr("Name the image to pull.");
    } else {
        protocol::Action action;
        action.kind = protocol::ActionKind::Image;
        action.op = "pull";
        action.params = {{"image", image.toStdString()}};
        try {
            protocol::parseAction(action);
        } catch (const protocol::ProtocolError&) {
            error = tr("\"%1\" is not an image reference: repository[:tag] or repository@digest, the "
                       "repository in lower case.")
                        .arg(image);
        }
    }
    problem_->setText(error);
    // No red for the empty field: nothing is wrong yet.
    problem_->setVisible(!error.isEmpty() && !image.isEmpty());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty() && !pulling_);
    buttons_->button(QDialogButtonBox::Ok)->setToolTip(error);
}

void PullDialog::accept()
{
    validate();
    if (pulling_ || !buttons_->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    const QString image = image_->text().trimmed();
    pulling_ = true;
    progress_ = PullProgress();
    image_->setReadOnly(true);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
    buttons_->button(QDialogButtonBox::Cancel)->setText(tr("Hide"));
    buttons_->button(QDialogButtonBox::Cancel)
        ->setToolTip(tr("The pull goes on; the status bar reports it."));
    problem_->hide();
    bar_->setRange(0, 0); // busy until a layer's size is known
    bar_->show();
    status_->setPalette(QPalette()); // not red after a failed try
    status_->setText(tr("Asking the registry…"));
    status_->show();
    // The ActionSender outlives this dialog: the callbacks check that it still exists.
    const QPointer<PullDialog> self(this);
    actions_.send(
        protocol::ActionKind::Image, {}, "pull", tr("pull %1").arg(image), {{"image", image.toStdString()}},
        [self](const protocol::Result& result) {
            if (self)
                self->onResult(result.ok, result.ok || !result.error
                                              ? QString()
                                              : QString::fromStdString(result.error->message));
        },
        [self](const nlohmann::json& piece) {
            if (self)
                self->onProgress(piece);
        });
}

void PullDialog::onProgress(const nlohmann::json& piece)
{
    progress_.add(piece);
    if (progress_.permille() >= 0) {
        bar_->setRange(0, 1000);
        bar_->setValue(progress_.permille());
    }
    const QString text = progress_.text();
    if (!text.isEmpty())
        status_->setText(text);
}

void PullDialog::onResult(bool ok, const QString& error)
{
    pulling_ = false;
    if (ok) {
        bar_->setRange(0, 1000);
        bar_->setValue(1000);
        status_->setText(progress_.lastStatus().isEmpty() ? tr("Pulled.") : progress_.lastStatus());
        Q_EMIT pullFinished(true, {});
        QDialog::accept();
        return;
    }
    bar_->hide();
    const QString message = error.isEmpty() ? tr("refused without a reason") : error;
    status_->setText(tr("The pull failed: %1").arg(message));
    QPalette warning = status_->palette();
    warning.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    status_->setPalette(warning);
    image_->setReadOnly(false);
    buttons_->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
    buttons_->button(QDialogButtonBox::Cancel)->setToolTip({});
    validate();
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Try again"));
    Q_EMIT pullFinished(false, message);
}

} // namespace dockscope::ui
