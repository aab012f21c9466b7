"""The email channel against a real SMTP server (aiosmtpd) on 127.0.0.1, with STARTTLS and
AUTH required: messages, highlighted evidence, the way back to the alert, failures."""

from __future__ import annotations

import email
import socket
import ssl
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sanctionwatch.channels.email import EmailChannel
from sanctionwatch.errors import ChannelError

TLS = Path(__file__).resolve().parents[1] / "data" / "tls"
USER, PASSWORD = "alerts@example.org", "s3cret"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content or
                                                      envelope.content, policy=policy.default))
        return "250 OK"


def _auth(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS / "localhost.crt", TLS / "localhost.key")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), tls_context=context,
                            require_starttls=True, auth_required=True, authenticator=_auth)
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def smtp_env(monkeypatch):
    monkeypatch.setenv("SANCTIONWATCH_SMTP_USER", USER)
    monkeypatch.setenv("SANCTIONWATCH_SMTP_PASSWORD", PASSWORD)


def _channel(port: int, **kw) -> EmailChannel:
    return EmailChannel("mail", host="127.0.0.1", port=port, sender="sanctionwatch@example.org",
                        recipients=["analyst@example.org", "desk@example.org"],
                        ca_file=str(TLS / "localhost.crt"), timeout=10,
                        link="https://triage.example.org/alerts/{id}", **kw)


def test_starttls_auth_and_a_readable_message_per_alert(smtp_server, smtp_env, make_alert):
    inbox, port = smtp_server
    alerts = [make_alert(7, delivery_id=41, reason="new"),
              make_alert(8, "critical", delivery_id=42, reason="update",
                         note="severity high → critical")]
    _channel(port).send(alerts)
    assert len(inbox.messages) == 2
    assert inbox.envelopes[0].rcpt_tos == ["analyst@example.org", "desk@example.org"]
    msg = inbox.messages[0]
    assert msg["Subject"] == ("[sanctionwatch] HIGH support_network: supporter=north-korea, "
                              "target=wagner-group (alert #7)")
    assert msg["X-Sanctionwatch-Alert"] == "7" and msg["X-Sanctionwatch-Delivery"] == "41"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    # The way back from the email to the evidence.
    assert "sanctionwatch alerts show 7" in text and "sanctionwatch alerts show 7" in html
    assert "https://triage.example.org/alerts/7" in text
    assert '<a href="https://triage.example.org/alerts/7">' in html
    # The evidence with the matched spans highlighted (and HTML-escaped).
    assert "*Corée du Nord*" in text and "*groupe Wagner*" in text
    assert "<mark><b>Corée du Nord</b></mark>" in html
    assert "<mark><b>groupe Wagner</b></mark>" in html
    assert "organisation word &lt;next&gt; to the name" in html
    update = inbox.messages[1]
    assert update["Subject"].startswith("[sanctionwatch] UPDATED CRITICAL")
    assert "Change: severity high → critical" in update.get_body(("plain",)).get_content()


def test_digest_is_one_message_listing_every_alert(smtp_server, smtp_env, make_alert):
    inbox, port = smtp_server
    start, end = datetime(2022, 12, 22, 12, tzinfo=UTC), datetime(2022, 12, 22, 13, tzinfo=UTC)
    _channel(port).send_digest([make_alert(i) for i in (1, 2, 3)], start, end)
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert "digest 2022-12-22 12:00–13:00 UTC: 3 alert(s)" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    assert [f"sanctionwatch alerts show {i}" in text for i in (1, 2, 3)] == [True] * 3


def test_wrong_password_is_a_channel_error_naming_the_server(smtp_server, monkeypatch,
                                                             make_alert):
    inbox, port = smtp_server
    monkeypatch.setenv("SANCTIONWATCH_SMTP_USER", USER)
    monkeypatch.setenv("SANCTIONWATCH_SMTP_PASSWORD", "wrong")
    channel = _channel(port)
    channel.timeout = 3
    with pytest.raises(ChannelError, match=rf"cannot connect to SMTP 127\.0\.0\.1:{port}"):
        channel.send([make_alert()])
    assert inbox.messages == []


def test_missing_password_variable_is_named(smtp_server, monkeypatch, make_alert):
    _, port = smtp_server
    monkeypatch.setenv("SANCTIONWATCH_SMTP_USER", USER)
    monkeypatch.delenv("SANCTIONWATCH_SMTP_PASSWORD", raising=False)
    with pytest.raises(ChannelError, match="USER is set but SANCTIONWATCH_SMTP_PASSWORD is not"):
        _channel(port).send([make_alert()])


def test_untrusted_certificate_is_refused(smtp_server, smtp_env, make_alert):
    _, port = smtp_server
    channel = EmailChannel("mail", host="127.0.0.1", port=port, sender="a@example.org",
                           recipients=["b@example.org"], timeout=10)
    with pytest.raises(ChannelError, match="cannot connect"):
        channel.send([make_alert()])


def test_server_down_is_a_channel_error(make_alert):
    with pytest.raises(ChannelError, match="cannot connect to SMTP"):
        _channel(_free_port()).send([make_alert()])


def test_bad_configuration_is_refused():
    with pytest.raises(ChannelError, match="tls must be one of"):
        EmailChannel("m", host="h", sender="a@b", recipients=["c@d"], tls="maybe")
    with pytest.raises(ChannelError, match="needs 'to'"):
        EmailChannel("m", host="h", sender="a@b", recipients=[])


def test_from_the_email_to_the_evidence_a_disposition_and_the_audit_export(
        smtp_server, smtp_env, repo, tmp_path, monkeypatch):
    """The analyst's path: the daemon emails an alert; the email says which command shows it;
    that command shows the evidence; the analyst dismisses it; the export has the trail."""
    import csv
    import io
    import re

    from typer.testing import CliRunner

    from sanctionwatch.cli import app

    inbox, port = smtp_server
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{tmp_path / 'sw.db'}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        f"sources: [{{name: seeds, kind: folder, path: '{repo / 'seeds'}'}}]\n"
        "channels:\n"
        f"  - {{name: desk, kind: email, host: 127.0.0.1, port: {port}, from: sw@example.org,\n"
        f"     to: [analyst@example.org], ca_file: '{TLS / 'localhost.crt'}',\n"
        "     min_severity: high, types: [designation]}\n", encoding="utf-8")
    runner = CliRunner()
    c = ["--config", str(cfg)]
    result = runner.invoke(app, ["run", "--once", *c])
    assert result.exit_code == 0, result.output
    (msg,) = inbox.messages
    text = msg.get_body(("plain",)).get_content()
    alert_id = re.search(r"sanctionwatch alerts show (\d+)", text).group(1)
    shown = runner.invoke(app, ["alerts", "show", alert_id, *c])
    assert shown.exit_code == 0, shown.output
    assert "designation (announced)" in shown.stdout
    assert "Evidence: « Des sanctions plus sévères seront également imposées" in shown.stdout
    assert "desk" in shown.stdout and "sent" in shown.stdout
    done = runner.invoke(app, ["alerts", "dismiss", alert_id, "--note", "known designation",
                               "--by", "erin", *c])
    assert done.exit_code == 0, done.output
    exported = runner.invoke(app, ["alerts", "export", "--format", "csv", *c])
    rows = [r for r in csv.DictReader(io.StringIO(exported.stdout)) if r["alert_id"] == alert_id]
    assert [(r["event_actor"], r["event_to"], r["event_note"]) for r in rows][-1] == \
        ("erin", "dismissed", "known designation")
    # A second cycle sends nothing again.
    assert runner.invoke(app, ["run", "--once", *c]).exit_code == 0
    assert len(inbox.messages) == 1
