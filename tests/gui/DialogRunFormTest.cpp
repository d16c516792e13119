// The Run dialog's parsing (ui/RunDialog.h parseRunForm, splitCommand): the container.run params built from
// representative forms, and the invalid forms refused with a reason naming the field and line; the dialog
// itself keeps OK disabled with that reason shown. No engine.
#include "ActionSender.h"
#include "RunDialog.h"

#include "dockscope/client/Replica.h"
#include "dockscope/protocol/Actions.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

#include <gtest/gtest.h>

using namespace dockscope;
using nlohmann::json;
using ui::parseRunForm;
using ui::RunForm;
using ui::splitCommand;

namespace {

std::string refusal(const RunForm& form)
{
    const auto run = parseRunForm(form);
    EXPECT_FALSE(run.ok()) << run.params.dump();
    return run.error.toStdString();
}

RunForm withImage(const char* image = "busybox:latest")
{
    RunForm form;
    form.image = QString::fromUtf8(image);
    return form;
}

TEST(DialogRunFormTest, SplitsCommandsLikeAShell)
{
    using L = QStringList;
    EXPECT_EQ(splitCommand(QString()), L{});
    EXPECT_EQ(splitCommand(QStringLiteral("   ")), L{});
    EXPECT_EQ(splitCommand(QStringLiteral("sleep 300")), (L{QStringLiteral("sleep"), QStringLiteral("300")}));
    EXPECT_EQ(splitCommand(QStringLiteral("  a \t b  ")), (L{QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_EQ(splitCommand(QStringLiteral("sh -c 'echo \"hi there\"; exit 3'")),
              (L{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo \"hi there\"; exit 3")}));
    EXPECT_EQ(splitCommand(QStringLiteral(R"(echo "a \"b\" \\ \$HOME c\d" 'it''s')")),
              (L{QStringLiteral("echo"), QStringLiteral(R"(a "b" \ $HOME c\d)"), QStringLiteral("its")}));
    EXPECT_EQ(splitCommand(QStringLiteral(R"(a\ b c\'d)")),
              (L{QStringLiteral("a b"), QStringLiteral("c'd")}));
    EXPECT_EQ(splitCommand(QStringLiteral("x '' \"\" y")),
              (L{QStringLiteral("x"), QString(), QString(), QStringLiteral("y")}))
        << "empty quotes are empty words";
    EXPECT_EQ(splitCommand(QStringLiteral("pre'fix'\"ed\" end")),
              (L{QStringLiteral("prefixed"), QStringLiteral("end")}));

    QString error;
    EXPECT_FALSE(splitCommand(QStringLiteral("echo 'open"), &error));
    EXPECT_EQ(error.toStdString(), "a ' quote is not closed");
    EXPECT_FALSE(splitCommand(QStringLiteral("echo \"open"), &error));
    EXPECT_EQ(error.toStdString(), "a \" quote is not closed");
    EXPECT_FALSE(splitCommand(QStringLiteral("echo \\"), &error));
    EXPECT_EQ(error.toStdString(), "a backslash ends the command");
}

TEST(DialogRunFormTest, AFullFormGivesEveryParam)
{
    RunForm form;
    form.image = QStringLiteral("  nginx:1.25 ");
    form.name = QStringLiteral("web-1");
    form.command = QStringLiteral("nginx -g 'daemon off;'");
    form.env = QStringLiteral("# comment\nMODE=prod\n\n  GREETING=hello world  \nEMPTY=\nURL=a=b\n");
    form.ports =
        QStringLiteral("8080:80/tcp\n127.0.0.1:8443:443\n53/udp\n[::1]:9000:9000\n127.0.0.1::7000\n0:81");
    form.volumes = QStringLiteral("data:/var/lib/data\n/srv/www:/usr/share/nginx/html:ro\ncache:/cache:rw");
    form.network = QStringLiteral("backend");
    form.restartPolicy = QStringLiteral("unless-stopped");
    const auto run = parseRunForm(form);
    ASSERT_TRUE(run.ok()) << run.error.toStdString();
    const json expected = {
        {"image", "nginx:1.25"},
        {"name", "web-1"},
        {"command", {"nginx", "-g", "daemon off;"}},
        {"env", {"MODE=prod", "GREETING=hello world", "EMPTY=", "URL=a=b"}},
        {"ports",
         {{{"containerPort", 80}, {"hostPort", 8080}, {"protocol", "tcp"}},
          {{"containerPort", 443}, {"hostPort", 8443}, {"protocol", "tcp"}, {"hostIp", "127.0.0.1"}},
          {{"containerPort", 53}, {"protocol", "udp"}},
          {{"containerPort", 9000}, {"hostPort", 9000}, {"protocol", "tcp"}, {"hostIp", "::1"}},
          {{"containerPort", 7000}, {"protocol", "tcp"}, {"hostIp", "127.0.0.1"}},
          {{"containerPort", 81}, {"hostPort", 0}, {"protocol", "tcp"}}}},
        {"volumes",
         {{{"source", "data"}, {"destination", "/var/lib/data"}, {"readOnly", false}},
          {{"source", "/srv/www"}, {"destination", "/usr/share/nginx/html"}, {"readOnly", true}},
          {{"source", "cache"}, {"destination", "/cache"}, {"readOnly", false}}}},
        {"network", "backend"},
        {"restartPolicy", "unless-stopped"},
    };
    EXPECT_EQ(run.params, expected) << run.params.dump(2);

    // What the server makes of it: the typed request and Docker's create body.
    protocol::Action action;
    action.op = "run";
    action.params = run.params;
    const auto typed = std::get<protocol::ContainerRun>(protocol::parseAction(action));
    EXPECT_EQ(typed.ports.size(), 6u);
    EXPECT_EQ(typed.ports[2].hostPort, std::nullopt);
    EXPECT_TRUE(typed.volumes[1].isBind());
    const json body = protocol::runConfig(typed);
    EXPECT_EQ(body.at("HostConfig").at("RestartPolicy").at("Name"), "unless-stopped");
    EXPECT_EQ(body.at("HostConfig").at("NetworkMode"), "backend");
}

TEST(DialogRunFormTest, AnImageAloneGivesOnlyTheImage)
{
    auto run = parseRunForm(withImage());
    ASSERT_TRUE(run.ok()) << run.error.toStdString();
    EXPECT_EQ(run.params, (json{{"image", "busybox:latest"}}));

    RunForm form = withImage("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    form.restartPolicy = QStringLiteral("no");
    form.env = QStringLiteral("\n   \n# only comments\n");
    run = parseRunForm(form);
    ASSERT_TRUE(run.ok()) << run.error.toStdString();
    EXPECT_EQ(run.params, (json{{"image", form.image.toStdString()}, {"restartPolicy", "no"}}));
}

TEST(DialogRunFormTest, RefusesInvalidFormsWithAReason)
{
    EXPECT_EQ(refusal(withImage("  ")), "Image: required");
    EXPECT_EQ(refusal(withImage("Not An Image")), "Image: 'Not An Image' is not an image reference or id");

    RunForm form = withImage();
    form.name = QStringLiteral("my web");
    EXPECT_EQ(refusal(form), "Name: 'my web' is not a container name");

    form = withImage();
    form.command = QStringLiteral("sh -c 'echo");
    EXPECT_EQ(refusal(form), "Command: a ' quote is not closed");

    form = withImage();
    form.env = QStringLiteral("A=1\n\n# note\nNOVALUE\n");
    EXPECT_EQ(refusal(form), "Environment, line 4: expected KEY=value");
    form.env = QStringLiteral("=value");
    EXPECT_EQ(refusal(form), "Environment, line 1: expected KEY=value");
    form.env = QStringLiteral("MY KEY=1");
    EXPECT_EQ(refusal(form), "Environment, line 1: the key \"MY KEY\" contains a blank");

    const auto portRefusal = [](const char* ports) {
        RunForm f = withImage();
        f.ports = QString::fromUtf8(ports);
        return refusal(f);
    };
    EXPECT_EQ(portRefusal("80/sctp"), "Ports, line 1: the protocol must be tcp or udp, not \"sctp\"");
    EXPECT_EQ(portRefusal("8080:70000"), "Ports, line 1: \"70000\" is not a container port (1–65535)");
    EXPECT_EQ(portRefusal("8080:0"), "Ports, line 1: \"0\" is not a container port (1–65535)");
    EXPECT_EQ(portRefusal("http"), "Ports, line 1: \"http\" is not a container port (1–65535)");
    EXPECT_EQ(portRefusal("80\n\nx:80"), "Ports, line 3: \"x\" is not a host port (0–65535)");
    EXPECT_EQ(portRefusal("8000-8010:80"), "Ports, line 1: \"8000-8010\" is not a host port (0–65535)");
    EXPECT_EQ(portRefusal("::1:80:80"),
              "Ports, line 1: too many ':' (write an IPv6 address in brackets: [::1]:8080:80)");
    EXPECT_EQ(portRefusal(":8080:80"), "Ports, line 1: the host address is empty");
    EXPECT_EQ(portRefusal("[::1]8080:80"), "Ports, line 1: expected [IPv6]:hostPort:containerPort");
    // The address is checked by the protocol's own parser; the line number is still the form's.
    EXPECT_EQ(portRefusal("80\n# comment\n1.2.3:8080:80"), "Ports, line 3: '1.2.3' is not an IP address");

    const auto volumeRefusal = [](const char* volumes) {
        RunForm f = withImage();
        f.volumes = QString::fromUtf8(volumes);
        return refusal(f);
    };
    EXPECT_EQ(volumeRefusal("data"),
              "Volumes, line 1: expected source:/destination[:ro], where the source is a "
              "volume name or an absolute host path");
    EXPECT_EQ(volumeRefusal("data:relative"),
              "Volumes, line 1: the destination \"relative\" is not an absolute path");
    EXPECT_EQ(volumeRefusal("data:/d:rx"), "Volumes, line 1: the mode must be ro or rw, not \"rx\"");
    EXPECT_EQ(volumeRefusal("a:/a\nrelative/dir:/data"),
              "Volumes, line 2: 'relative/dir' is not a volume name or an absolute host path");

    form = withImage();
    form.network = QStringLiteral("bad network");
    EXPECT_EQ(refusal(form), "Network: 'bad network' is not a network name");
    form = withImage();
    form.restartPolicy = QStringLiteral("sometimes");
    EXPECT_EQ(refusal(form),
              "Restart policy: 'sometimes' is not one of no, always, unless-stopped, on-failure");
}

TEST(DialogRunFormTest, TheDialogDisablesRunAndSaysWhy)
{
    client::Replica replica(client::Replica::Options{}); // never started: nothing is sent in this test
    ui::ActionSender actions(replica);
    ui::RunDialog dialog(QStringLiteral("busybox:latest"),
                         {QStringLiteral("backend"), QStringLiteral("bridge")}, actions);
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    ASSERT_NE(buttons, nullptr);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    auto* problem = dialog.findChild<QLabel*>(QStringLiteral("problem"));
    ASSERT_NE(problem, nullptr);
    EXPECT_EQ(dialog.form().image, QStringLiteral("busybox:latest")) << "prefilled with the selected image";
    EXPECT_TRUE(ok->isEnabled());
    EXPECT_TRUE(problem->text().isEmpty());

    RunForm form = dialog.form();
    form.ports = QStringLiteral("80/sctp");
    dialog.setForm(form);
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_EQ(problem->text().toStdString(), "Ports, line 1: the protocol must be tcp or udp, not \"sctp\"");
    EXPECT_EQ(ok->toolTip(), problem->text());

    form.ports = QStringLiteral("8080:80");
    form.network = QStringLiteral("backend");
    form.restartPolicy = QStringLiteral("always");
    dialog.setForm(form);
    EXPECT_TRUE(ok->isEnabled());
    EXPECT_EQ(dialog.form().network, QStringLiteral("backend"));
    EXPECT_EQ(dialog.form().restartPolicy, QStringLiteral("always"));
    EXPECT_EQ(dialog.params().params.at("network"), "backend");
}

} // namespace
