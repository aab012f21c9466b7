"""`alerts ...`: stored alerts, listing and triage."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import (
    ConfigOpt,
    DbOpt,
    app,
    err,
    fail,
    make_settings,
    out,
)
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.storage.store import AlertFilter

alerts_app = typer.Typer(no_args_is_help=True, help="Stored alerts: list and triage.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("list")
def alerts_list(
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl")] = "table",
    status: Annotated[str | None, typer.Option(help="new, acknowledged, ...")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="alert type")] = None,
    entity: Annotated[str | None, typer.Option(help="entity id")] = None,
    severity: Annotated[str | None, typer.Option(help="low, medium, high, critical")] = None,
    since: Annotated[str | None, typer.Option(help="ISO date or datetime (UTC)")] = None,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """List stored alerts."""
    from sanctionwatch.channels.base import alert_record
    from sanctionwatch.storage.store import Store

    try:
        since_dt = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
    except ValueError:
        err.print(f"--since: not an ISO date: {since!r}")
        raise typer.Exit(2) from None
    try:
        settings = make_settings(config, db=db)
        store = Store(settings.database_url)
        alerts = store.list_alerts(AlertFilter(status, type_, entity, severity, since_dt))
        store.close()
    except SanctionwatchError as exc:
        fail(exc)
        return
    if fmt == "jsonl":
        for a in alerts:
            sys.stdout.write(json.dumps(alert_record(a), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(alerts)} alert(s)")
    for col in ("id", "created", "status", "severity", "type", "entities", "evidence"):
        table.add_column(col, overflow="fold")
    for a in alerts:
        i = a.intent
        table.add_row(str(a.id), a.created.strftime("%Y-%m-%d %H:%M"), a.status, i.severity,
                      i.type + (f"/{i.phase}" if i.phase else ""),
                      ", ".join(f"{r}={v}" for r, v in i.roles),
                      i.evidence[:120] + ("…" if len(i.evidence) > 120 else ""))
    out.print(table)
