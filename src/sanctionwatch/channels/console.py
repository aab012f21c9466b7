"""`console`: alerts printed for people, with the evidence and the matched spans marked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
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
