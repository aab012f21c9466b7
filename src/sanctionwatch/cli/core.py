"""`run`, `scan` and `screen`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.app import scan_records, screen_record
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
from sanctionwatch.errors import SanctionwatchError


@app.command()
def run(
    once: Annotated[bool, typer.Option("--once", help="one cycle of every source, then exit")]
    = False,
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
    db: DbOpt = None,
) -> None:
    """Run the monitor: every source on its schedule (or once with --once)."""
    with opened(config, watchlist, rules, db, create=True) as application:
        if once:
            reports = application.run(once=True)
            for r in reports:
                for p in r.problems:
                    err.print(f"problem: {p}", markup=False)
                if r.skipped:
                    err.print(f"skipped: {r.source}: {r.skipped}", markup=False)
            if application.stop.is_set():
                err.print("stopped by signal: the rest is read at the next run", markup=False)
            total = sum(len(r.alerts) for r in reports)
            new = sum(r.articles_new for r in reports)
            err.print(f"{len(reports)} source(s), {new} new article(s), {total} new alert(s)",
                      markup=False)
            if any(not r.ok for r in reports):
                raise typer.Exit(1)
        else:
            application.run()


@app.command()
def scan(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to scan")],
    fmt: Annotated[str, format_option("table", "jsonl", what="jsonl: one record per mention "
                                      "and per alert; table: for people")] = "table",
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
) -> None:
    """Find mentions and alerts in files, without storing anything."""
    with opened(config, watchlist, rules) as application:
        analyzer = application.scan_analyzer()
        failed = False
        for _path, docs in application.documents(paths):
            if isinstance(docs, SanctionwatchError):
                err.print(f"error: {docs}", markup=False)
                failed = True
                continue
            for name, data in docs:
                if isinstance(data, SanctionwatchError):  # one broken record: the rest is read
                    err.print(f"error: {data}", markup=False)
                    failed = True
                    continue
                result = analyzer.analyze(data.text)
                if fmt == "jsonl":
                    _scan_jsonl(name, result)
                else:
                    _scan_text(name, data.text, result)
    if failed:
        raise typer.Exit(1)


def _scan_jsonl(name: str, result) -> None:
    write = sys.stdout.write
    for rec in scan_records(name, result):
        write(json.dumps(rec, ensure_ascii=False) + "\n")


def _scan_text(name: str, text: str, result) -> None:
    out.print(f"[bold]{name}[/bold]: {len(result.mentions)} mention(s), "
              f"{len(result.intents)} alert(s)")
    for m in result.mentions:
        out.print(f"  mention {m.entity_id:<28} {m.matched!r} [{m.start}:{m.end}] "
                  f"score {m.score:.2f} ({m.kind})", markup=False)
    for i in result.intents:
        roles = ", ".join(f"{r}={v}" for r, v in i.roles)
        phase = f" ({i.phase})" if i.phase else ""
        out.print(f"  [bold]ALERT {i.type}{phase}[/bold] [{i.severity}] {roles}")
        out.print(f"    « {i.evidence} »", markup=False)
        out.print(f"    why: {i.why}", markup=False, style="dim")


@app.command()
def screen(
    names: Annotated[list[str] | None, typer.Argument(help="names to screen")] = None,
    input_file: Annotated[Path | None, typer.Option("--input", help="one name per line")] = None,
    fmt: Annotated[str, format_option("table", "json", "jsonl", what="json: one name's "
                                      "candidates; jsonl: one line per name")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="candidates per name")] = 10,
    config: ConfigOpt = None, watchlist: WatchlistOpt = None,
) -> None:
    """Screen names against the watchlist, best candidates first."""
    queries = list(names or [])
    if input_file:
        queries += [ln.strip() for ln in input_file.read_text(encoding="utf-8-sig").splitlines()
                    if ln.strip()]
    if not queries:
        err.print("give NAME... or --input FILE")
        raise typer.Exit(2)
    if fmt == "json" and len(queries) != 1:
        err.print("--format json takes exactly one name; use --format jsonl for several")
        raise typer.Exit(2)
    with opened(config, watchlist) as application:
        screener = application.screener()
    for q in queries:
        cands = screen_record(screener, q, limit)["candidates"]
        if fmt == "json":
            sys.stdout.write(json.dumps(cands, ensure_ascii=False) + "\n")
        elif fmt == "jsonl":
            sys.stdout.write(json.dumps({"query": q, "candidates": cands},
                                        ensure_ascii=False) + "\n")
        else:
            table = Table(title=f"screen: {q}")
            for col in ("score", "match", "entity", "name", "matched alias"):
                table.add_column(col)
            for c in cands:
                table.add_row(f"{c['score']:.2f}", "yes" if c["match"] else "",
                              c["entity_id"], c["name"], c["matched_alias"])
            out.print(table)
