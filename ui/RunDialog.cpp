#include "RunDialog.h"

#include "ActionSender.h"

#include "dockscope/protocol/Actions.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>
#include <iterator>
#include <vector>

namespace dockscope::ui {

namespace {

/// The non-blank lines of a text box that are not comments, with their 1-based line numbers.
struct Lines {
    QStringList text;
    std::vector<int> number;
};

Lines linesOf(const QString& text, bool skipComments)
{
    Lines lines;
    const QStringList all = text.split(QLatin1Char('\n'));
    for (int i = 0; i < all.size(); ++i) {
        const QString line = all[i].trimmed();
        if (line.isEmpty() || (skipComments && line.startsWith(QLatin1Char('#'))))
            continue;
        lines.text.append(line);
        lines.number.push_back(i + 1);
    }
    return lines;
}

/// A decimal port number within [min, 65535], or -1.
int portNumber(const QString& text, int min)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,5}$"));
    if (!digits.match(text).hasMatch())
        return -1;
    const int port = text.toInt();
    return port >= min && port <= 65535 ? port : -1;
}

/// One port line: "80", "8080:80", "127.0.0.1:8080:80", "[::1]:8080:80", "127.0.0.1::80", each with an
/// optional "/tcp" or "/udp". Empty `*error` on success.
nlohmann::json portOf(const QString& line, QString* error)
{
    QString rest = line;
    QString protocol = QStringLiteral("tcp");
    const qsizetype slash = rest.lastIndexOf(QLatin1Char('/'));
    if (slash >= 0) {
        protocol = rest.mid(slash + 1).toLower();
        rest = rest.left(slash);
        if (protocol != QLatin1String("tcp") && protocol != QLatin1String("udp")) {
            *error = QObject::tr("the protocol must be tcp or udp, not \"%1\"").arg(line.mid(slash + 1));
            return {};
        }
    }
    QString hostIp;
    QStringList parts;
    if (rest.startsWith(QLatin1Char('['))) {
        const qsizetype close = rest.indexOf(QLatin1Char(']'));
        if (close < 0 || rest.mid(close + 1, 1) != QLatin1String(":")) {
            *error = QObject::tr("expected [IPv6]:hostPort:containerPort");
            return {};
        }
        hostIp = rest.mid(1, close - 1);
        if (hostIp.isEmpty()) {
            *error = QObject::tr("the host address is empty");
            return {};
        }
        parts = rest.mid(close + 2).split(QLatin1Char(':'));
        if (parts.size() != 2) {
            *error = QObject::tr("expected [IPv6]:hostPort:containerPort");
            return {};
        }
    } else {
        parts = rest.split(QLatin1Char(':'));
        if (parts.size() > 3) {
            *error = QObject::tr("too many ':' (write an IPv6 address in brackets: [::1]:8080:80)");
            return {};
        }
        if (parts.size() == 3) {
            hostIp = parts.takeFirst();
            if (hostIp.isEmpty()) {
                *error = QObject::tr("the host address is empty");
                return {};
            }
        }
    }
    const QString containerText = parts.takeLast();
    const int containerPort = portNumber(containerText, 1);
    if (containerPort < 0) {
        *error = QObject::tr("\"%1\" is not a container port (1–65535)").arg(containerText);
        return {};
    }
    nlohmann::json port = {{"containerPort", containerPort}, {"protocol", protocol.toStdString()}};
    if (!parts.isEmpty() && !parts.first().isEmpty()) {
        const int hostPort = portNumber(parts.first(), 0);
        if (hostPort < 0) {
            *error = QObject::tr("\"%1\" is not a host port (0–65535)").arg(parts.first());
            return {};
        }
        port["hostPort"] = hostPort;
    }
    if (!hostIp.isEmpty())
        port["hostIp"] = hostIp.toStdString();
    return port;
}

/// One volume line: "name:/path", "/host:/path", optionally ":ro" or ":rw".
nlohmann::json volumeOf(const QString& line, QString* error)
{
    QStringList parts = line.split(QLatin1Char(':'));
    bool readOnly = false;
    if (parts.size() == 3) {
        const QString mode = parts.takeLast();
        if (mode != QLatin1String("ro") && mode != QLatin1String("rw")) {
            *error = QObject::tr("the mode must be ro or rw, not \"%1\"").arg(mode);
            return {};
        }
        readOnly = mode == QLatin1String("ro");
    }
    if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        *error = QObject::tr("expected source:/destination[:ro], where the source is a volume name or an "
                             "absolute host path");
        return {};
    }
    if (!parts[1].startsWith(QLatin1Char('/'))) {
        *error = QObject::tr("the destination \"%1\" is not an absolute path").arg(parts[1]);
        return {};
    }
    return {
        {"source", parts[0].toStdString()}, {"destination", parts[1].toStdString()}, {"readOnly", readOnly}};
}

QString lineError(const QString& field, int line, const QString& reason)
{
    return QObject::tr("%1, line %2: %3").arg(field).arg(line).arg(reason);
}

/// The protocol parser's "action.params.ports[1].hostIp: …" as "Ports, line 3: …".
QString friendlyError(const std::string& message, const std::vector<int>& envLines,
                      const std::vector<int>& portLines, const std::vector<int>& volumeLines)
{
    static const QRegularExpression path(
        QStringLiteral(R"(^action\.params\.(\w+)(?:\[(\d+)\])?(?:\.\w+)?: (.*)$)"),
        QRegularExpression::DotMatchesEverythingOption);
    const QString text = QString::fromStdString(message);
    const QRegularExpressionMatch match = path.match(text);
    if (!match.hasMatch())
        return text;
    const QString param = match.captured(1);
    const QString reason = match.captured(3);
    struct Field {
        const char* param;
        QString title;
        const std::vector<int>* lines;
    };
    const Field fields[] = {
        {"image", QObject::tr("Image"), nullptr},
        {"name", QObject::tr("Name"), nullptr},
        {"command", QObject::tr("Command"), nullptr},
        {"env", QObject::tr("Environment"), &envLines},
        {"ports", QObject::tr("Ports"), &portLines},
        {"volumes", QObject::tr("Volumes"), &volumeLines},
        {"network", QObject::tr("Network"), nullptr},
        {"restartPolicy", QObject::tr("Restart policy"), nullptr},
    };
    const auto found = std::find_if(std::begin(fields), std::end(fields),
                                    [&param](const Field& f) { return param == QLatin1String(f.param); });
    if (found == std::end(fields))
        return text;
    const QString& field = found->title;
    const std::vector<int>* lines = found->lines;
    bool indexed = false;
    const int index = match.captured(2).toInt(&indexed);
    if (lines && indexed && index >= 0 && static_cast<std::size_t>(index) < lines->size())
        return lineError(field, (*lines)[static_cast<std::size_t>(index)], reason);
    return field + QStringLiteral(": ") + reason;
}

QPlainTextEdit* textBox(QWidget* parent, const QString& objectName, const QString& placeholder, int lines)
{
    auto* box = new QPlainTextEdit(parent);
    box->setObjectName(objectName);
    box->setPlaceholderText(placeholder);
    box->setTabChangesFocus(true);
    box->setLineWrapMode(QPlainTextEdit::NoWrap);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // `lines` whole lines without a scroll bar (half a line more covers the block layout's own spacing).
    const int lineSpacing = box->fontMetrics().lineSpacing();
    const int height = lineSpacing * lines + lineSpacing / 2 + 2 * box->frameWidth() +
                       static_cast<int>(box->document()->documentMargin() * 2);
    box->setFixedHeight(height);
    return box;
}

} // namespace

std::optional<QStringList> splitCommand(const QString& text, QString* error)
{
    QStringList words;
    QString word;
    bool inWord = false;
    enum { Plain, Single, Double } mode = Plain;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        switch (mode) {
        case Plain:
            if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n')) {
                if (inWord)
                    words.append(word);
                word.clear();
                inWord = false;
            } else if (c == QLatin1Char('\'')) {
                mode = Single;
                inWord = true;
            } else if (c == QLatin1Char('"')) {
                mode = Double;
                inWord = true;
            } else if (c == QLatin1Char('\\')) {
                if (i + 1 >= text.size()) {
                    if (error)
                        *error = QObject::tr("a backslash ends the command");
                    return std::nullopt;
                }
                word += text[++i];
                inWord = true;
            } else {
                word += c;
                inWord = true;
            }
            break;
        case Single:
            if (c == QLatin1Char('\''))
                mode = Plain;
            else
                word += c;
            break;
        case Double:
            if (c == QLatin1Char('"')) {
                mode = Plain;
            } else if (c == QLatin1Char('\\') && i + 1 < text.size() &&
                       QStringLiteral("\"\\$`").contains(text[i + 1])) {
                word += text[++i];
            } else {
                word += c;
            }
            break;
        }
    }
    if (mode != Plain) {
        if (error)
            *error = mode == Single ? QObject::tr("a ' quote is not closed")
                                    : QObject::tr("a \" quote is not closed");
        return std::nullopt;
    }
    if (inWord)
        words.append(word);
    return words;
}

RunParams parseRunForm(const RunForm& form)
{
    RunParams out;
    nlohmann::json& params = out.params;

    const QString image = form.image.trimmed();
    if (image.isEmpty()) {
        out.error = QObject::tr("Image: required");
        return out;
    }
    params["image"] = image.toStdString();
    const QString name = form.name.trimmed();
    if (!name.isEmpty())
        params["name"] = name.toStdString();

    QString error;
    const auto command = splitCommand(form.command, &error);
    if (!command) {
        out.error = QObject::tr("Command: ") + error;
        return out;
    }
    if (!command->isEmpty()) {
        auto& list = params["command"] = nlohmann::json::array();
        for (const QString& word : *command)
            list.push_back(word.toStdString());
    }

    const Lines env = linesOf(form.env, true);
    if (!env.text.isEmpty()) {
        auto& list = params["env"] = nlohmann::json::array();
        for (int i = 0; i < env.text.size(); ++i) {
            const QString& line = env.text[i];
            const qsizetype equals = line.indexOf(QLatin1Char('='));
            if (equals <= 0) {
                out.error = lineError(QObject::tr("Environment"), env.number[static_cast<std::size_t>(i)],
                                      QObject::tr("expected KEY=value"));
                return out;
            }
            const QString key = line.left(equals).trimmed();
            static const QRegularExpression blank(QStringLiteral("\\s"));
            if (key.contains(blank)) {
                out.error = lineError(QObject::tr("Environment"), env.number[static_cast<std::size_t>(i)],
                                      QObject::tr("the key \"%1\" contains a blank").arg(key));
                return out;
            }
            list.push_back(QString(key + line.mid(equals)).toStdString());
        }
    }

    const Lines ports = linesOf(form.ports, true);
    if (!ports.text.isEmpty()) {
        auto& list = params["ports"] = nlohmann::json::array();
        for (int i = 0; i < ports.text.size(); ++i) {
            nlohmann::json port = portOf(ports.text[i], &error);
            if (!error.isEmpty()) {
                out.error = lineError(QObject::tr("Ports"), ports.number[static_cast<std::size_t>(i)], error);
                return out;
            }
            list.push_back(std::move(port));
        }
    }

    const Lines volumes = linesOf(form.volumes, true);
    if (!volumes.text.isEmpty()) {
        auto& list = params["volumes"] = nlohmann::json::array();
        for (int i = 0; i < volumes.text.size(); ++i) {
            nlohmann::json volume = volumeOf(volumes.text[i], &error);
            if (!error.isEmpty()) {
                out.error =
                    lineError(QObject::tr("Volumes"), volumes.number[static_cast<std::size_t>(i)], error);
                return out;
            }
            list.push_back(std::move(volume));
        }
    }

    const QString network = form.network.trimmed();
    if (!network.isEmpty())
        params["network"] = network.toStdString();
    const QString restart = form.restartPolicy.trimmed();
    if (!restart.isEmpty())
        params["restartPolicy"] = restart.toStdString();

    // The server's own check: names, image references, IP addresses, paths, limits.
    protocol::Action action;
    action.kind = protocol::ActionKind::Container;
    action.op = "run";
    action.params = params;
    try {
        protocol::parseAction(action);
    } catch (const protocol::ProtocolError& refused) {
        out.error = friendlyError(refused.what(), env.number, ports.number, volumes.number);
    }
    return out;
}

RunDialog::RunDialog(const QString& image, const QStringList& networks, ActionSender& actions,
                     QWidget* parent)
    : QDialog(parent)
    , actions_(actions)
    , image_(new QLineEdit(image, this))
    , name_(new QLineEdit(this))
    , command_(new QLineEdit(this))
    , env_(textBox(this, QStringLiteral("env"), tr("KEY=value, one a line"), 3))
    , ports_(
          textBox(this, QStringLiteral("ports"), tr("8080:80/tcp, 127.0.0.1:8080:80 or 80 (a free port)"), 3))
    , volumes_(textBox(this, QStringLiteral("volumes"), tr("name:/path[:ro] or /host/path:/path"), 3))
    , network_(new QComboBox(this))
    , restart_(new QComboBox(this))
    , problem_(new QLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Run a container"));
    image_->setObjectName(QStringLiteral("image"));
    name_->setObjectName(QStringLiteral("name"));
    name_->setPlaceholderText(tr("Docker picks one"));
    command_->setObjectName(QStringLiteral("command"));
    command_->setPlaceholderText(tr("the image's default; quotes group words: sh -c 'echo hi'"));
    network_->setObjectName(QStringLiteral("network"));
    restart_->setObjectName(QStringLiteral("restartPolicy"));
    problem_->setObjectName(QStringLiteral("problem"));

    network_->addItem(tr("(default)"), QString());
    QStringList names{QStringLiteral("bridge"), QStringLiteral("host"), QStringLiteral("none")};
    QStringList others = networks;
    others.sort(Qt::CaseInsensitive);
    for (const QString& network : std::as_const(others))
        if (!names.contains(network))
            names.append(network);
    for (const QString& network : std::as_const(names))
        network_->addItem(network, network);
    for (const char* policy : {"no", "always", "unless-stopped", "on-failure"})
        restart_->addItem(QString::fromLatin1(policy), QString::fromLatin1(policy));

    problem_->setWordWrap(true);
    QPalette warning = problem_->palette();
    warning.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    problem_->setPalette(warning);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Run"));

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Image:"), image_);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Command:"), command_);
    form->addRow(tr("&Environment:"), env_);
    form->addRow(tr("&Ports:"), ports_);
    form->addRow(tr("&Volumes:"), volumes_);
    form->addRow(tr("Net&work:"), network_);
    form->addRow(tr("&Restart:"), restart_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(problem_);
    layout->addWidget(buttons_);
    setMinimumWidth(520);

    connect(buttons_, &QDialogButtonBox::accepted, this, &RunDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &RunDialog::reject);
    for (QLineEdit* edit : {image_, name_, command_})
        connect(edit, &QLineEdit::textChanged, this, &RunDialog::validate);
    for (QPlainTextEdit* edit : {env_, ports_, volumes_})
        connect(edit, &QPlainTextEdit::textChanged, this, &RunDialog::validate);
    connect(network_, &QComboBox::currentIndexChanged, this, &RunDialog::validate);
    connect(restart_, &QComboBox::currentIndexChanged, this, &RunDialog::validate);
    validate();
}

RunForm RunDialog::form() const
{
    RunForm form;
    form.image = image_->text();
    form.name = name_->text();
    form.command = command_->text();
    form.env = env_->toPlainText();
    form.ports = ports_->toPlainText();
    form.volumes = volumes_->toPlainText();
    form.network = network_->currentData().toString();
    form.restartPolicy = restart_->currentData().toString();
    return form;
}

void RunDialog::setForm(const RunForm& form)
{
    image_->setText(form.image);
    name_->setText(form.name);
    command_->setText(form.command);
    env_->setPlainText(form.env);
    ports_->setPlainText(form.ports);
    volumes_->setPlainText(form.volumes);
    int network = network_->findData(form.network);
    if (network < 0) {
        network_->addItem(form.network, form.network);
        network = network_->count() - 1;
    }
    network_->setCurrentIndex(network);
    restart_->setCurrentIndex(std::max(0, restart_->findData(form.restartPolicy)));
    validate();
}

void RunDialog::validate()
{
    const RunParams run = params();
    problem_->setText(run.error);
    problem_->setVisible(!run.ok());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(run.ok());
    buttons_->button(QDialogButtonBox::Ok)->setToolTip(run.error);
}

void RunDialog::accept()
{
    const RunParams run = params();
    if (!run.ok())
        return;
    const QString name = name_->text().trimmed();
    actions_.send(protocol::ActionKind::Container, {}, "run",
                  name.isEmpty() ? tr("run %1").arg(image_->text().trimmed()) : tr("run %1").arg(name),
                  run.params);
    QDialog::accept();
}

} // namespace dockscope::ui
