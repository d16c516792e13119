#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace dockscope::ui {

class ActionSender;

/// What the Run dialog's fields hold, as text.
struct RunForm {
    QString image;
    QString name; ///< empty: Docker picks one
    QString
        command; ///< shell-like: split on blanks, '…' and "…" quote, backslash escapes; empty: the image's
    QString env;           ///< one KEY=value a line; blank lines and lines starting with '#' are skipped
    QString ports;         ///< one a line: "80", "8080:80", "8080:80/udp", "127.0.0.1:8080:80", "[::1]::80"
    QString volumes;       ///< one a line: "name:/path", "/host:/path", each optionally ":ro" or ":rw"
    QString network;       ///< empty: Docker's default
    QString restartPolicy; ///< empty or "no", "always", "unless-stopped", "on-failure"
};

/// The `container.run` params built from a form, or why the form cannot be sent (`error`, a sentence that
/// names the field and line).
struct RunParams {
    nlohmann::json params = nlohmann::json::object();
    QString error;
    bool ok() const { return error.isEmpty(); }
};

/// Splits a command line as a POSIX shell would split words (no expansions): blanks separate words, '…'
/// keeps everything literally, "…" keeps all but \" \\ \$ \` escapes, a backslash outside quotes escapes the
/// next character. nullopt with `*error` for an unterminated quote or a trailing backslash.
std::optional<QStringList> splitCommand(const QString& text, QString* error = nullptr);

/// Turns the form into `container.run` params (docs/protocol.md "container.run") and checks them with the
/// protocol's own allowlist parser, so that what passes here is what the server accepts.
RunParams parseRunForm(const RunForm& form);

/// The images page's "Run…": a non-modal form prefilled with an image. OK stays disabled while the form is
/// invalid, with the reason shown under the fields; on OK it sends `container.run` and closes.
class RunDialog : public QDialog {
    Q_OBJECT

public:
    /// `networks`: the names of the existing networks (bridge, host and none are always offered).
    RunDialog(const QString& image, const QStringList& networks, ActionSender& actions,
              QWidget* parent = nullptr);

    RunForm form() const;
    /// Fills every field (tests, and the screenshot).
    void setForm(const RunForm& form);
    /// The current params, or why they are refused.
    RunParams params() const { return parseRunForm(form()); }

    void accept() override;

private:
    void validate();

    ActionSender& actions_;
    QLineEdit* image_;
    QLineEdit* name_;
    QLineEdit* command_;
    QPlainTextEdit* env_;
    QPlainTextEdit* ports_;
    QPlainTextEdit* volumes_;
    QComboBox* network_;
    QComboBox* restart_;
    QLabel* problem_;
    QDialogButtonBox* buttons_;
};

} // namespace dockscope::ui
