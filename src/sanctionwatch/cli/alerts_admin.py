"""`alerts export` (pandas; with the audit trail) and `alerts suppressions ...`.

Export formats:
- `jsonl`: one alert per line — the record of `alerts list --format jsonl` plus `assignee`,
  `sources` (every article) and `events` (the whole audit trail, oldest first).
- `csv`: the audit trail as a flat table, one row per event, each row carrying the alert's
  columns (id, type, phase, severity, status, entities, evidence, matched, rule, sources ...),
  so that every disposition can be read with the alert it concerns.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import ConfigOpt, DbOpt, err, format_option, out, with_app
from sanctionwatch.cli.alerts import (
    ByOpt,
    EntityOpt,
    SeverityOpt,
    SinceOpt,
    StatusOpt,
    TypeOpt,
    actor,
    alerts_app,
    detail_record,
    parse_since,
)
from sanctionwatch.text.cells import safe_row
from sanctionwatch.types import AlertFilter

sup_app = typer.Typer(no_args_is_help=True, help="Suppressions made when dismissing noise.")
alerts_app.add_typer(sup_app, name="suppressions")


def _csv_rows(records: list[dict]) -> list[dict]:
    rows = []
    for r in records:
        base = {
            "alert_id": r["id"], "type": r["type"], "phase": r.get("phase", ""),
            "severity": r["severity"], "status": r["status"], "assignee": r["assignee"] or "",
            "entity_ids": "|".join(r["entity_ids"]), "target": r.get("target", ""),
            "supporter": r.get("supporter", ""), "created": r["created"],
            "updated": r["updated"], "evidence": r["evidence"],
            "matched": "|".join(m["matched"] for m in r["mentions"]), "why": r["why"],
            "rule_id": r["rule_id"], "rule_version": r["rule_version"],
            "sources": "|".join(s["url"] or f"{s['source']}:{s['external_id']}"
                                for s in r["sources"]),
        }
        for e in r["events"]:
            rows.append(safe_row({**base, "event_at": e["at"], "event_actor": e["actor"],
                                  "event_from": e["from_status"] or "",
                                  "event_to": e["to_status"], "event_note": e["note"]}))
    return rows


@alerts_app.command("export")
def alerts_export(
    fmt: Annotated[str, format_option("csv", "jsonl", what="csv: one row per audit event; "
                                      "jsonl: one alert per line")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default: "
                                                "standard output)")] = None,
    status: StatusOpt = None, type_: TypeOpt = None, entity: EntityOpt = None,
    severity: SeverityOpt = None, since: SinceOpt = None,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Export alerts with their sources and their whole audit trail."""
    import pandas as pd

    f = AlertFilter(status, type_, entity, severity, parse_since(since))
    records = [detail_record(d) for d in with_app(config, db, lambda a: a.alerts.details(f))]
    if fmt == "csv":
        frame = pd.DataFrame(_csv_rows(records), columns=_CSV_COLUMNS)
        text = frame.to_csv(index=False)
    else:
        frame = pd.DataFrame(records)
        text = frame.to_json(orient="records", lines=True, force_ascii=False) if records else ""
        text = text if not text or text.endswith("\n") else text + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(f"error: cannot write {output}: {exc.strerror}", markup=False)
        raise typer.Exit(1) from None
    err.print(f"{len(records)} alert(s) exported to {output}", markup=False)


_CSV_COLUMNS = ["alert_id", "type", "phase", "severity", "status", "assignee", "entity_ids",
                "target", "supporter", "created", "updated", "evidence", "matched", "why",
                "rule_id", "rule_version", "sources", "event_at", "event_actor", "event_from",
                "event_to", "event_note"]


@sup_app.command("list")
def suppressions_list(
    all_: Annotated[bool, typer.Option("--all", help="also expired and removed ones")] = False,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Suppressions in force (or all of them)."""
    now = datetime.now(UTC)
    rows = with_app(config, db, lambda a: a.alerts.suppressions(all_))
    table = Table(title=f"{len(rows)} suppression(s)")
    for col in ("id", "entity", "pattern / source", "expires", "by", "alert", "reason", "state"):
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "entity", "expires", "by"))
    for s in rows:
        state = "active" if s.active(now) else (
            f"removed by {s.removed_by}" if s.removed else "expired")
        table.add_row(str(s.id), s.entity_id, f"/{s.pattern}/" if s.pattern else s.source or "",
                      f"{s.expires:%Y-%m-%d}" if s.expires else "never", s.created_by,
                      f"#{s.alert_id}" if s.alert_id else "", s.reason, state)
    out.print(table)


@sup_app.command("add")
def suppressions_add(
    entity: Annotated[str, typer.Option(help="entity id")],
    pattern: Annotated[str | None, typer.Option(help="regular expression on the evidence")]
    = None,
    source: Annotated[str | None, typer.Option(help="source name or web host")] = None,
    days: Annotated[int, typer.Option(min=1, help="expires after N days")] = 90,
    note: Annotated[str, typer.Option("--note", "-m", help="why")] = "",
    by: ByOpt = None, config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Suppress future alerts of an entity matching a pattern or coming from a source."""
    now = datetime.now(UTC)
    s = with_app(config, db, lambda a: a.alerts.suppress(
        entity_id=entity, pattern=pattern, source=source, actor=actor(by),
        expires=now + timedelta(days=days), reason=note))
    out.print(f"added {s.describe()}", markup=False)


@sup_app.command("remove")
def suppressions_remove(
    suppression_id: Annotated[int, typer.Argument(help="suppression id")],
    by: ByOpt = None, config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Lift a suppression (its row is kept, marked removed, for the audit)."""
    s = with_app(config, db, lambda a: a.alerts.unsuppress(suppression_id, actor(by)))
    out.print(f"removed {s.describe()}", markup=False)
