"""`email`: one message per alert (or one digest per period) over SMTP.

TLS: `starttls` (default; the connection is upgraded before any credentials or alert text is
sent, and a server that does not offer STARTTLS is an error, never a silent fallback), `ssl`
(SMTPS, usually port 465) or `none` (a local relay only). Credentials come from the environment:
the variables named by `username_env` and `password_env` (default SANCTIONWATCH_SMTP_USER and
SANCTIONWATCH_SMTP_PASSWORD); with no user set, no login is made. Each message has a plain-text
and an HTML part with the evidence and its matched spans highlighted, and says how to open the
alert: `sanctionwatch alerts show ID` and the configured `link`.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sanctionwatch.channels import render
from sanctionwatch.errors import ChannelError, PartialDelivery
from sanctionwatch.types import Alert

TLS_MODES = ("starttls", "ssl", "none")


class EmailChannel:
    def __init__(self, name: str, *, host: str, sender: str, recipients: Sequence[str],
                 port: int | None = None, tls: str = "starttls",
                 username_env: str = "SANCTIONWATCH_SMTP_USER",
                 password_env: str = "SANCTIONWATCH_SMTP_PASSWORD", timeout: float = 30.0,
                 ca_file: str | None = None, link: str | None = None,
                 subject_prefix: str = "[sanctionwatch]"):
        if tls not in TLS_MODES:
            raise ChannelError(f"channel {name!r}: tls must be one of {', '.join(TLS_MODES)}, "
                               f"not {tls!r}")
        if not recipients:
            raise ChannelError(f"channel {name!r}: an email channel needs 'to' (recipients)")
        self.name, self.host, self.sender = name, host, sender
        self.recipients = list(recipients)
        self.port = port or (465 if tls == "ssl" else 587)
        self.tls, self.timeout, self.ca_file = tls, timeout, ca_file
        self.username_env, self.password_env = username_env, password_env
        self.link, self.prefix = link, subject_prefix

    # -- messages -------------------------------------------------------------------------------

    def _message(self, subject: str, text: str, html: str, headers: dict[str, str]) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = make_msgid(domain="sanctionwatch")
        for k, v in headers.items():
            msg[k] = v
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        return msg

    def message(self, alert: Alert) -> EmailMessage:
        headers = {"X-Sanctionwatch-Alert": str(alert.id)}
        if alert.extra.get("delivery_id") is not None:
            headers["X-Sanctionwatch-Delivery"] = str(alert.extra["delivery_id"])
        return self._message(render.subject(alert, self.prefix),
                             render.text_body(alert, self.link),
                             render.html_body(alert, self.link), headers)

    def digest_message(self, alerts: Sequence[Alert], start: datetime,
                       end: datetime) -> EmailMessage:
        ids = ",".join(str(a.extra.get("delivery_id", a.id)) for a in alerts)
        return self._message(render.digest_subject(alerts, start, end, self.prefix),
                             render.digest_text(alerts, start, end, self.link),
                             render.digest_html(alerts, start, end, self.link),
                             {"X-Sanctionwatch-Digest": start.isoformat(),
                              "X-Sanctionwatch-Deliveries": ids[:900]})

    # -- sending --------------------------------------------------------------------------------

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.ca_file)
        where = f"{self.host}:{self.port}"
        try:
            if self.tls == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                smtp.ehlo()
                if self.tls == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise ChannelError(f"channel {self.name!r}: {where} does not offer "
                                           "STARTTLS (set tls: ssl, or none for a local relay)")
                    smtp.starttls(context=context)
                    smtp.ehlo()
                user = os.environ.get(self.username_env)
                if user:
                    password = os.environ.get(self.password_env)
                    if password is None:
                        raise ChannelError(f"channel {self.name!r}: {self.username_env} is set "
                                           f"but {self.password_env} is not")
                    smtp.login(user, password)
            except BaseException:
                smtp.close()
                raise
            return smtp
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"channel {self.name!r}: cannot connect to SMTP {where}: "
                               f"{_reason(exc)}") from exc

    def _send_all(self, messages: Sequence[EmailMessage]) -> None:
        smtp = self._connect()
        sent = 0
        try:
            for msg in messages:
                try:
                    smtp.send_message(msg, from_addr=self.sender, to_addrs=self.recipients)
                except (smtplib.SMTPException, OSError) as exc:
                    raise PartialDelivery(f"channel {self.name!r}: SMTP {self.host}:{self.port} "
                                          f"refused a message: {_reason(exc)}", sent) from exc
                sent += 1
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def send(self, alerts: Sequence[Alert]) -> None:
        if alerts:
            self._send_all([self.message(a) for a in alerts])

    def send_digest(self, alerts: Sequence[Alert], start: datetime, end: datetime) -> None:
        if alerts:
            self._send_all([self.digest_message(alerts, start, end)])


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{exc.smtp_code} {msg}"
    return str(exc) or type(exc).__name__
