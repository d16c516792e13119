#pragma once

#include <QString>
#include <QWidget>

#include <nlohmann/json_fwd.hpp>

#include <deque>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace dockscope::client {
class Replica;
}
namespace dockscope::protocol {
struct ErrorInfo;
}

namespace dockscope::ui {

/// A container's logs, live: a follow stream opened only while the view is active, stdout and stderr told
/// apart (stderr in red), a choice of how many past lines, timestamps on or off (re-rendered from the kept
/// lines, no new request), a search that highlights every match and steps through them, and auto-scroll that
/// pauses when the user scrolls up (or unticks Follow) and resumes at the bottom. When the container stops
/// the stream ends; when it starts again the stream reopens by itself and continues without repeating lines.
class LogsView : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxLines = 5000;

    explicit LogsView(client::Replica& replica, QWidget* parent = nullptr);
    ~LogsView() override;

    /// Empty: nothing shown. Clears the lines; reopens the stream if active.
    void setContainer(const QString& id);
    /// Opens the stream (if a container is set) or closes it.
    void setActive(bool active);

    bool isStreaming() const { return !stream_.isEmpty(); }
    QPlainTextEdit* text() const { return text_; }
    QLineEdit* searchBox() const { return search_; }
    int matchCount() const { return matches_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Line {
        enum Kind { Stdout, Stderr, Note };
        Kind kind = Stdout;
        qint64 ts = 0; ///< Docker's time of the line, ns; 0 for notes
        QString text;
    };

    void open(bool resumed);
    void close();
    void received(const nlohmann::json& piece);
    void ended(const std::optional<protocol::ErrorInfo>& error);
    void addLine(Line line);
    void render(const Line& line);
    void rerender();
    void scrollIfFollowing();
    void updateSearch();
    void findNext(bool backward);
    void containerChanged();

    client::Replica& replica_;
    QString id_;
    bool active_ = false;
    QString stream_;
    bool endedCleanly_ = false; ///< the stream ended because the container stopped: reopen when it runs
    qint64 lastTs_ = 0;         ///< the newest line's time
    qint64 skipUpTo_ = 0;       ///< a reopened stream skips its replay of lines up to this time
    std::deque<Line> lines_;
    int matches_ = 0;
    int rendered_ = 0; ///< lines in the text: the first goes into the document's first block

    QPlainTextEdit* text_;
    QComboBox* tail_;
    QCheckBox* timestamps_;
    QToolButton* follow_;
    QLineEdit* search_;
    QLabel* found_;
    QTimer* searchDebounce_;
};

} // namespace dockscope::ui
