"""Alerts rendered for people: subject lines, plain text and HTML with the matched spans
highlighted, and digests. Shared by the email and webhook (Slack) channels.

Every rendering ends with the way back to the evidence: `sanctionwatch alerts show ID`, and the
configured link (`link: https://triage.example.org/alerts/{id}`) when there is one.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from sanctionwatch.types import Alert

REASONS = {"new": "", "update": "UPDATED ", "escalated": "ESCALATED "}


def segments(alert: Alert) -> list[tuple[str, bool]]:
    """The evidence sentence cut into (text, is_matched_span) pieces, in order."""
    return alert.segments()


def evidence_plain(alert: Alert, mark: str = "*") -> str:
    return "".join(f"{mark}{t}{mark}" if hit else t for t, hit in segments(alert))


def evidence_html(alert: Alert) -> str:
    return "".join(f"<mark><b>{html.escape(t)}</b></mark>" if hit else html.escape(t)
                   for t, hit in segments(alert))


def title(alert: Alert) -> str:
    i = alert.intent
    roles = ", ".join(f"{r}={v}" for r, v in i.roles) or ", ".join(i.entity_ids)
    kind = i.type + (f" ({i.phase})" if i.phase else "")
    return f"{kind}: {roles}"


def subject(alert: Alert, prefix: str = "[sanctionwatch]") -> str:
    reason = REASONS.get(str(alert.extra.get("reason", "new")), "")
    return f"{prefix} {reason}{alert.intent.severity.upper()} {title(alert)} (alert #{alert.id})"


def command(alert: Alert) -> str:
    return f"sanctionwatch alerts show {alert.id}"


def link(alert: Alert, template: str | None) -> str:
    return template.format(id=alert.id) if template else ""


def _sources(alert: Alert) -> list[str]:
    out = []
    for s in alert.extra.get("sources") or []:
        label = s.get("title") or f"{s.get('source')}:{s.get('external_id')}"
        out.append(f"{label} <{s['url']}>" if s.get("url") else label)
    if not out and alert.document:
        out.append(alert.document)
    return out


def text_body(alert: Alert, link_template: str | None = None) -> str:
    i = alert.intent
    lines = [title(alert), f"Severity: {i.severity}   Status: {alert.status}   "
             f"Alert #{alert.id}   Raised: {alert.created:%Y-%m-%d %H:%M} UTC", ""]
    if alert.extra.get("note"):
        lines += [f"Change: {alert.extra['note']}", ""]
    if i.message:
        lines += [i.message, ""]
    lines += ["Evidence (matched names between *):", f"  « {evidence_plain(alert)} »", ""]
    for m in i.mentions:
        lines.append(f"  - {m.matched!r} = {m.entity_id} (score {m.score:.2f}): {m.explanation}")
    lines += ["", f"Why: {i.why}", f"Rule: {i.rule_id} v{i.rule_version}"]
    sources = _sources(alert)
    if sources:
        lines += ["", f"Sources ({len(sources)}):"] + [f"  - {s}" for s in sources]
    lines += ["", f"See the alert: {command(alert)}"]
    if link_template:
        lines.append(f"Open: {link(alert, link_template)}")
    lines.append(f"Disposition: sanctionwatch alerts ack|escalate|dismiss {alert.id} "
                 "--note TEXT")
    return "\n".join(lines) + "\n"


def html_body(alert: Alert, link_template: str | None = None) -> str:
    i, e = alert.intent, html.escape
    parts = [f"<h2>{e(title(alert))}</h2>",
             f"<p><b>Severity:</b> {e(i.severity)} &nbsp; <b>Status:</b> {e(alert.status)} "
             f"&nbsp; <b>Alert</b> #{alert.id} &nbsp; <b>Raised:</b> "
             f"{alert.created:%Y-%m-%d %H:%M} UTC</p>"]
    if alert.extra.get("note"):
        parts.append(f"<p><b>Change:</b> {e(str(alert.extra['note']))}</p>")
    if i.message:
        parts.append(f"<p>{e(i.message)}</p>")
    parts.append(f"<blockquote>{evidence_html(alert)}</blockquote><ul>")
    parts += [f"<li><mark>{e(m.matched)}</mark> = {e(m.entity_id)} (score {m.score:.2f}): "
              f"{e(m.explanation)}</li>" for m in i.mentions]
    parts.append(f"</ul><p><b>Why:</b> {e(i.why)}<br><b>Rule:</b> {e(i.rule_id)} "
                 f"v{i.rule_version}</p>")
    sources = _sources(alert)
    if sources:
        parts.append(f"<p><b>Sources ({len(sources)}):</b></p><ul>"
                     + "".join(f"<li>{e(s)}</li>" for s in sources) + "</ul>")
    parts.append(f"<p>See the alert: <code>{e(command(alert))}</code>")
    if link_template:
        url = e(link(alert, link_template))
        parts.append(f"<br>Open: <a href=\"{url}\">{url}</a>")
    parts.append("</p>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def digest_subject(alerts: Sequence[Alert], start: datetime, end: datetime,
                   prefix: str = "[sanctionwatch]") -> str:
    return (f"{prefix} digest {start:%Y-%m-%d %H:%M}–{end:%H:%M} UTC: "
            f"{len(alerts)} alert(s)")


def digest_text(alerts: Sequence[Alert], start: datetime, end: datetime,
                link_template: str | None = None) -> str:
    lines = [f"{len(alerts)} alert(s) from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC",
             ""]
    for a in alerts:
        lines.append(f"#{a.id} [{a.intent.severity.upper()}] {title(a)}")
        lines.append(f"    « {evidence_plain(a)} »")
        lines.append(f"    {command(a)}" + (f"  {link(a, link_template)}"
                                             if link_template else ""))
    return "\n".join(lines) + "\n"


def digest_html(alerts: Sequence[Alert], start: datetime, end: datetime,
                link_template: str | None = None) -> str:
    e = html.escape
    rows = []
    for a in alerts:
        ref = e(command(a))
        if link_template:
            url = e(link(a, link_template))
            ref = f"<a href=\"{url}\">#{a.id}</a> <code>{ref}</code>"
        rows.append(f"<tr><td>#{a.id}</td><td>{e(a.intent.severity)}</td><td>{e(title(a))}"
                    f"</td><td>{evidence_html(a)}</td><td>{ref}</td></tr>")
    return ("<html><body>"
            f"<h2>{len(alerts)} alert(s), {start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC</h2>"
            "<table border=\"1\" cellpadding=\"4\"><tr><th>alert</th><th>severity</th>"
            "<th>what</th><th>evidence</th><th>see</th></tr>" + "".join(rows)
            + "</table></body></html>")
