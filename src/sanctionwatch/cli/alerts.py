"""`alerts ...`: stored alerts — list, show with evidence, and triage with an audit trail.

Every triage command (`ack`, `escalate`, `dismiss`, `reopen`, `note`, `assign`) appends to the
alert's audit trail who (`--by`, default $SANCTIONWATCH_ANALYST or the login name), when, the
status change and the note. `export` and `suppressions` live in cli/alerts_admin.py.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from sanctionwatch.app import alert_detail_record
from sanctionwatch.cli._common import (
    FORMATS,
    ConfigOpt,
    DbOpt,
    WideOpt,
    app,
    emit,
    err,
    format_option,
    out,
    with_app,
)
from sanctionwatch.types import ALERT_STATUSES, SEVERITIES, AlertFilter

if TYPE_CHECKING:
    from sanctionwatch.app import App

alerts_app = typer.Typer(no_args_is_help=True, help="Stored alerts: list, show and triage.")
app.add_typer(alerts_app, name="alerts")

ANALYST_ENV = "SANCTIONWATCH_ANALYST"
IdArg = Annotated[int, typer.Argument(help="alert id (as in `alerts list` and every message)")]
NoteOpt = Annotated[str, typer.Option("--note", "-m", help="why (kept in the audit trail)")]
ByOpt = Annotated[str | None, typer.Option("--by", help=f"who (default: ${ANALYST_ENV}, "
                                           "else your login name)")]
AssignOpt = Annotated[str | None, typer.Option("--assign", help="hand the alert to NAME "
                                               "('' for nobody)")]
def _one_of(choices: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """An option callback: a value outside `choices` is a usage error (exit 2) naming them,
    not an empty result ("0 alert(s)") that looks like an answer."""
    def check(value: str | None) -> str | None:
        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value
    return check


ALERT_TYPES = ("designation", "support_network", "network_link", "mention", "list_change",
               "system")
StatusOpt = Annotated[str | None, typer.Option(help=", ".join(ALERT_STATUSES),
                                               callback=_one_of(ALERT_STATUSES))]
TypeOpt = Annotated[str | None, typer.Option("--type", help=", ".join(ALERT_TYPES),
                                             callback=_one_of(ALERT_TYPES))]
EntityOpt = Annotated[str | None, typer.Option(help="entity id")]
SeverityOpt = Annotated[str | None, typer.Option(help=", ".join(SEVERITIES),
                                                 callback=_one_of(SEVERITIES))]
SinceOpt = Annotated[str | None, typer.Option(help="ISO date or datetime (UTC)")]


def actor(by: str | None) -> str:
    if by:
        return by
    if os.environ.get(ANALYST_ENV):
        return os.environ[ANALYST_ENV]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def parse_since(since: str | None) -> datetime | None:
    if not since:
        return None
    try:
        dt = datetime.fromisoformat(since)
    except ValueError:
        err.print(f"--since: not an ISO date: {since!r}", markup=False)
        raise typer.Exit(2) from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@alerts_app.command("list")
def alerts_list(
    fmt: Annotated[str, format_option(*FORMATS, what="the alerts' records")] = "table",
    wide: WideOpt = False,
    status: StatusOpt = None, type_: TypeOpt = None, entity: EntityOpt = None,
    severity: SeverityOpt = None, since: SinceOpt = None,
    assignee: Annotated[str | None, typer.Option(help="assigned to NAME")] = None,
    limit: Annotated[int | None, typer.Option(help="at most N alerts")] = None,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """List stored alerts, oldest first."""
    f = AlertFilter(status, type_, entity, severity, parse_since(since))

    def load(application: App):
        alerts = application.alerts.list(f, assignee)
        alerts = alerts[:limit] if limit else alerts
        return alerts, application.alerts.source_counts([a.id for a in alerts])

    alerts, counts = with_app(config, db, load)

    def table() -> None:
        # 80 columns: who, what, when; --wide (or a wide terminal) adds sources, assignee
        # and the evidence
        wide_ = wide or out.width >= 140
        t = Table(title=f"{len(alerts)} alert(s)")
        cols = ["id", "created (UTC)", "severity", "type", "entities", "status"]
        for col in [*cols, "src", "assignee", "evidence"] if wide_ else cols:
            t.add_column(col, overflow="fold", no_wrap=col in ("id", "severity"))
        for a in alerts:
            i = a.intent
            row = [str(a.id), a.created.strftime("%m-%d %H:%M") if not wide_ else
                   a.created.strftime("%Y-%m-%d %H:%M"), i.severity,
                   i.type + (f"/{i.phase}" if i.phase else ""),
                   ", ".join(v for _, v in i.roles) or ", ".join(i.entity_ids), a.status]
            if wide_:
                row += [str(counts.get(a.id, 0)), str(a.extra.get("assignee") or ""),
                        i.evidence[:120] + ("…" if len(i.evidence) > 120 else "")]
            t.add_row(*row)
        out.print(t)
        if alerts:
            out.print("see one: sanctionwatch alerts show ID", style="dim")

    emit([a.record() for a in alerts], fmt, table)


@alerts_app.command("show")
def alerts_show(
    alert_id: IdArg,
    fmt: Annotated[str, format_option("table", "json")] = "table",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """One alert: the evidence with the matched spans highlighted, why it fired, every source
    article, the audit trail and the deliveries."""
    detail = with_app(config, db, lambda application: application.alerts.get(alert_id))
    if fmt == "json":
        sys.stdout.write(json.dumps(detail_record(detail), ensure_ascii=False, indent=2) + "\n")
        return
    _print_detail(detail)


detail_record = alert_detail_record  # the JSON form, shared with the API (app.py)


def _print_detail(detail) -> None:
    a, i = detail.alert, detail.alert.intent
    head = Text()
    head.append(f"Alert #{a.id}  ", style="bold")
    head.append(i.type + (f" ({i.phase})" if i.phase else ""), style="bold")
    head.append(f"  [{i.severity.upper()}]", style="bold red" if i.severity in
                ("high", "critical") else "yellow")
    head.append(f"  status: {a.status}  assignee: {detail.assignee or '-'}")
    out.print(head)
    out.print(f"raised {a.created:%Y-%m-%d %H:%M} UTC, updated {a.updated:%Y-%m-%d %H:%M} UTC; "
              f"rule {i.rule_id} v{i.rule_version}", markup=False, style="dim")
    out.print("roles: " + (", ".join(f"{r}={v}" for r, v in i.roles) or "-") +
              "   entities: " + ", ".join(i.entity_ids), markup=False)
    if i.message:
        out.print(i.message, markup=False)
    evidence = Text("\nEvidence: « ")
    for piece, hit in a.segments():
        evidence.append(piece, style="bold reverse" if hit else "")
    evidence.append(" »")
    out.print(evidence)
    for m in i.mentions:  # its features once: here, unless `why` already gives them
        shown = "" if m.explanation and m.explanation in i.why else f"  {m.explanation}"
        out.print(f"  {m.matched!r} → {m.entity_id}  score {m.score:.2f}  "
                  f"[{m.start}:{m.end}]{shown}", markup=False)
    out.print(f"Why: {i.why}", markup=False)
    table = Table(title=f"Sources ({len(detail.sources)})", title_justify="left")
    for col in ("article", "source", "id", "url / title", "added"):
        table.add_column(col, overflow="fold")
    for s in detail.sources:
        table.add_row(str(s.article_id), s.source, s.external_id, s.url or s.title,
                      f"{s.added:%Y-%m-%d %H:%M}")
    out.print(table)
    table = Table(title="Audit trail", title_justify="left")
    for col in ("at (UTC)", "by", "change", "note"):
        table.add_column(col, overflow="fold")
    for e in detail.events:
        change = e.to_status if e.from_status is None else (
            f"{e.from_status} → {e.to_status}" if e.from_status != e.to_status else "note")
        table.add_row(f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, change, e.note)
    out.print(table)
    if detail.deliveries:
        table = Table(title="Deliveries", title_justify="left")
        for col in ("channel", "reason", "status", "attempts", "sent (UTC)", "last error"):
            table.add_column(col, overflow="fold")
        for d in detail.deliveries:
            table.add_row(d.channel, d.reason, d.status, str(d.attempts),
                          f"{d.sent:%Y-%m-%d %H:%M}" if d.sent else "", d.last_error)
        out.print(table)
    out.print(f"next: sanctionwatch alerts ack|escalate|dismiss {a.id} --note TEXT",
              style="dim", markup=False)


def _triage(alert_id: int, to_status: str, note: str, by: str | None, assign: str | None,
            config, db, suppress: dict | None = None) -> None:
    who = actor(by)
    alert = with_app(config, db, lambda application: application.alerts.triage(
        alert_id, to_status, actor=who, note=note, assignee=assign, suppress=suppress))
    out.print(f"alert #{alert.id}: {to_status} by {who}", markup=False)


@alerts_app.command("ack")
def alerts_ack(alert_id: IdArg, note: NoteOpt = "", by: ByOpt = None, assign: AssignOpt = None,
               config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Acknowledge: seen and being handled."""
    _triage(alert_id, "acknowledged", note, by, assign, config, db)


@alerts_app.command("escalate")
def alerts_escalate(alert_id: IdArg, note: NoteOpt = "", by: ByOpt = None,
                    assign: AssignOpt = None, config: ConfigOpt = None,
                    db: DbOpt = None) -> None:
    """Escalate: needs a decision above the analyst (the channels whose `events` list
    includes escalated are notified)."""
    _triage(alert_id, "escalated", note, by, assign, config, db)


@alerts_app.command("reopen")
def alerts_reopen(alert_id: IdArg, note: NoteOpt = "", by: ByOpt = None,
                  config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Back to `new` (for example after a dismissal in error)."""
    _triage(alert_id, "new", note, by, None, config, db)


@alerts_app.command("dismiss")
def alerts_dismiss(
    alert_id: IdArg, note: NoteOpt = "", by: ByOpt = None, assign: AssignOpt = None,
    suppress_pattern: Annotated[str | None, typer.Option(
        "--suppress-pattern", help="also suppress future alerts of the entity whose evidence "
        "matches this regular expression")] = None,
    suppress_source: Annotated[str | None, typer.Option(
        "--suppress-source", help="also suppress future alerts of the entity from this source "
        "name or web host")] = None,
    suppress_entity: Annotated[str | None, typer.Option(
        "--suppress-entity", help="entity of the suppression (default: the alert's target, "
        "else its first entity)")] = None,
    suppress_days: Annotated[int, typer.Option(
        "--suppress-days", min=1, help="the suppression expires after N days")] = 90,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Dismiss (e.g. a false positive); --note says why. With --suppress-pattern or
    --suppress-source the same noise is suppressed until the expiry."""
    suppress = None
    if suppress_pattern or suppress_source or suppress_entity:
        if not (suppress_pattern or suppress_source):
            err.print("--suppress-entity needs --suppress-pattern or --suppress-source")
            raise typer.Exit(2)
        entity = suppress_entity
        if entity is None:
            i = with_app(config, db,
                         lambda application: application.alerts.get(alert_id)).alert.intent
            entity = i.role("target") if i.role("target") in i.entity_ids else i.entity_ids[0]
        suppress = {"entity_id": entity, "pattern": suppress_pattern, "source": suppress_source,
                    "expires": datetime.now(UTC) + timedelta(days=suppress_days), "reason": note}
    _triage(alert_id, "dismissed", note, by, assign, config, db, suppress)
    if suppress:
        out.print(f"suppressed: {suppress['entity_id']} "
                  f"{'/' + suppress_pattern + '/' if suppress_pattern else suppress_source} "
                  f"for {suppress_days} day(s) (see: sanctionwatch alerts suppressions list)",
                  markup=False)


@alerts_app.command("note")
def alerts_note(alert_id: IdArg, text: Annotated[str, typer.Argument(help="the note")],
                by: ByOpt = None, config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Add a note to the audit trail without changing the status."""
    who = actor(by)
    with_app(config, db, lambda application: application.alerts.note(alert_id, actor=who,
                                                                       note=text))
    out.print(f"alert #{alert_id}: note added by {who}", markup=False)


@alerts_app.command("assign")
def alerts_assign(alert_id: IdArg, name: Annotated[str, typer.Argument(help="assignee ('' for "
                                                                       "nobody)")],
                  note: NoteOpt = "", by: ByOpt = None, config: ConfigOpt = None,
                  db: DbOpt = None) -> None:
    """Hand the alert to someone (kept in the audit trail)."""
    who = actor(by)
    with_app(config, db, lambda application: application.alerts.note(
        alert_id, actor=who, note=note, assignee=name))
    out.print(f"alert #{alert_id}: assigned to {name or 'nobody'} by {who}", markup=False)
