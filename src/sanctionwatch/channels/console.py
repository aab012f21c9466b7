"""`console`: alerts printed for people, with the evidence and the matched spans marked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sanctionwatch.types import Alert

_STYLE = {"low": "dim", "medium": "yellow", "high": "bold red", "critical": "bold white on red"}


def render_alert(alert: Alert) -> Text:
    i = alert.intent
    head = Text()
    head.append(f"[{i.severity.upper()}] ", style=_STYLE.get(i.severity, ""))
    head.append(f"#{alert.id} {i.type}" + (f" ({i.phase})" if i.phase else ""), style="bold")
    roles = ", ".join(f"{r}={v}" for r, v in i.roles)
    head.append(f"  {roles}\n")
    if i.message:
        head.append(f"  {i.message}\n")
    evidence = Text("  « ")
    body = Text(i.evidence)
    for m in i.mentions:
        s, e = m.start - i.evidence_start, m.end - i.evidence_start
        if 0 <= s < e <= len(i.evidence):
            body.stylize("bold underline", s, e)
    evidence.append_text(body)
    evidence.append(" »\n")
    head.append_text(evidence)
    head.append(f"  why: {i.why}\n", style="dim")
    if alert.document:
        head.append(f"  source: {alert.document}\n", style="dim")
    return head


class ConsoleChannel:
    def __init__(self, name: str = "console", console: Console | None = None):
        self.name = name
        self.console = console or Console(highlight=False, soft_wrap=True)

    def send(self, alerts: Sequence[Alert]) -> None:
        for alert in alerts:
            self.console.print(render_alert(alert))

    def send_digest(self, alerts: Sequence[Alert], start: datetime, end: datetime) -> None:
        """One table for the period: id, severity, what, and the command to see it."""
        table = Table(title=f"{len(alerts)} alert(s), {start:%Y-%m-%d %H:%M} – "
                            f"{end:%Y-%m-%d %H:%M} UTC")
        for col in ("id", "severity", "type", "entities", "evidence"):
            table.add_column(col, overflow="fold")
        for a in alerts:
            i = a.intent
            table.add_row(str(a.id), i.severity, i.type + (f"/{i.phase}" if i.phase else ""),
                          ", ".join(f"{r}={v}" for r, v in i.roles),
                          i.evidence[:100] + ("…" if len(i.evidence) > 100 else ""))
        self.console.print(table)
        self.console.print("see one: sanctionwatch alerts show ID", style="dim")
