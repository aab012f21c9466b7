"""`rescreen`: check stored articles again against the watchlist and rules in force now.

Pending jobs come first: a watchlist or list version, or a rule change, that stored articles
were never checked against (recorded whoever made it; the daemon, `run --once` and `lists
import|refresh` complete them too). Then, on demand, every stored article fetched since
`--since` (default: `watchlist.rescreen_days` days) is analysed again, and what it raises that
its story does not have yet becomes an alert marked as found by re-screening."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sanctionwatch.cli._common import (
    ConfigOpt,
    DbOpt,
    RulesOpt,
    WatchlistOpt,
    app,
    err,
    format_option,
    opened,
    out,
)
from sanctionwatch.cli.alerts import SinceOpt, parse_since


@app.command()
def rescreen(
    since: SinceOpt = None,
    pending_only: Annotated[bool, typer.Option(
        "--pending", help="only complete the pending jobs (after a watchlist, list or rule "
        "change)")] = False,
    show: Annotated[bool, typer.Option("--list", help="show the latest jobs, run nothing")]
    = False,
    fmt: Annotated[str, format_option("table", "json")] = "table",
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
    db: DbOpt = None,
) -> None:
    """Check stored articles again against the watchlist and rules in force now."""
    start = parse_since(since)
    with opened(config, watchlist, rules, db) as application:
        if show:
            _jobs(application.rescreen_jobs(), fmt)
            return
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True,
                      disable=fmt == "json") as bar:
            tasks: dict[int, object] = {}

            def progress(job, done: int, total: int) -> None:
                if job.id not in tasks:
                    tasks[job.id] = bar.add_task(job.describe(), total=total)
                bar.update(tasks[job.id], completed=done)

            if pending_only:
                report = application.complete_pending(progress)
            else:
                report = application.rescreen(start, progress)
    if fmt == "json":
        sys.stdout.write(json.dumps({
            "jobs": [{"id": j.id, "kind": j.kind, "what": j.describe()} for j in report.jobs],
            "articles": report.articles, "alerts": [a.id for a in report.alerts],
            "interrupted": report.interrupted}, ensure_ascii=False) + "\n")
        return
    for j in report.jobs:
        out.print(f"{j.describe()}", markup=False)
    out.print(f"{report.articles} article(s) checked, {len(report.alerts)} new alert(s)"
              + (f": {', '.join(f'#{a.id}' for a in report.alerts[:20])}" if report.alerts
                 else "")
              + (" — interrupted: the rest is done by the next run" if report.interrupted
                 else ""), markup=False)


def _jobs(jobs, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([{
            "id": j.id, "kind": j.kind, "status": j.status, "created": j.created.isoformat(),
            "finished": j.finished.isoformat() if j.finished else None,
            "articles": j.articles, "alerts": j.alerts, "what": j.describe()}
            for j in jobs], ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(jobs)} re-screening job(s), newest first")
    for col in ("id", "job", "status", "articles", "alerts", "finished (UTC)"):
        table.add_column(col, overflow="fold")
    for j in jobs:
        table.add_row(str(j.id), j.describe(), j.status, str(j.articles), str(j.alerts),
                      f"{j.finished:%Y-%m-%d %H:%M}" if j.finished else "")
    out.print(table)
