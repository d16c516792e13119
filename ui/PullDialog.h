#pragma once

#include <QDialog>
#include <QMap>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace dockscope::ui {

class ActionSender;

/// The progress of one pull, from the action's progress pieces ({status, layer, current, total}, see
/// docs/protocol.md "Pull progress"): each layer's download and extraction, summed over the layers whose
/// size is known.
class PullProgress {
public:
    void add(const nlohmann::json& piece);

    /// 0..1000; -1 while no layer size is known (a busy bar). Never goes back.
    int permille() const { return permille_; }
    int layers() const { return static_cast<int>(layers_.size()); }
    int layersDone() const;
    std::int64_t bytesDone() const;
    std::int64_t bytesTotal() const;
    /// "2 of 3 layers complete · 1.2 MB of 3.4 MB", or Docker's last status line while no layer is known.
    QString text() const;
    /// Docker's last status that is about the whole pull ("Pulling from library/busybox", "Digest: …").
    QString lastStatus() const { return status_; }

private:
    struct Layer {
        std::int64_t size = 0;
        std::int64_t downloaded = 0;
        std::int64_t extracted = 0;
        bool done = false;
    };
    QMap<QString, Layer> layers_;
    QString status_;
    int permille_ = -1;
};

/// The images page's "Pull…": asks for `repo[:tag]` (checked as the server checks it), sends `image.pull`
/// and shows its progress (one bar over all layers and a status line). Closes itself when the pull
/// succeeds; on failure it stays open with Docker's message. Closing it early does not stop the pull (the
/// status bar still reports the result).
class PullDialog : public QDialog {
    Q_OBJECT

public:
    explicit PullDialog(ActionSender& actions, QWidget* parent = nullptr);

    void setImage(const QString& image);
    /// Starts the pull (the Pull button); ignored while the reference is invalid or a pull runs.
    void accept() override;

    bool isPulling() const { return pulling_; }
    QProgressBar* progressBar() const { return bar_; }
    const PullProgress& progress() const { return progress_; }
    /// The line under the bar: progress, then Docker's error on failure.
    QString statusText() const;

Q_SIGNALS:
    /// The pull's result arrived (`error` empty when it succeeded).
    void pullFinished(bool ok, const QString& error);

private:
    void validate();
    void onProgress(const nlohmann::json& piece);
    void onResult(bool ok, const QString& error);

    ActionSender& actions_;
    QLineEdit* image_;
    QLabel* problem_;
    QProgressBar* bar_;
    QLabel* status_;
    QDialogButtonBox* buttons_;
    PullProgress progress_;
    bool pulling_ = false;
};

} // namespace dockscope::ui
