"""`run`, `scan` and `screen`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import (
    ConfigOpt,
    DbOpt,
    RulesOpt,
    WatchlistOpt,
    app,
    err,
    fail,
    make_settings,
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
    from sanctionwatch.app import make_app
    from sanctionwatch.scheduler import run_forever, run_once

    try:
        application = make_app(make_settings(config, watchlist, rules, db))
    except SanctionwatchError as exc:
        fail(exc)
        return
    try:
        if once:
            reports = run_once(application)
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
            try:
                run_forever(application)
            except SanctionwatchError as exc:
                fail(exc)
    finally:
        application.close()


@app.command()
def scan(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to scan")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, or text for people")] = "text",
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
) -> None:
    """Find mentions and alerts in files, without storing anything."""
    from sanctionwatch.app import build_analyzer
    from sanctionwatch.lifecycle import matching_watchlist
    from sanctionwatch.sources.files import iter_paths, read_documents
    from sanctionwatch.watchlist.csvfile import load_watchlist

    if fmt not in ("jsonl", "text"):
        err.print("--format must be jsonl or text")
        raise typer.Exit(2)
    try:
        settings = make_settings(config, watchlist, rules)
        curated = load_watchlist(settings.resolve(settings.watchlist.path))
        analyzer = build_analyzer(settings, watchlist=matching_watchlist(settings, curated))
        failed = False
        for path in iter_paths(paths):
            try:
                docs = list(read_documents(path))
            except SanctionwatchError as exc:
                err.print(f"error: {exc}", markup=False)
                failed = True
                continue
            for name, data in docs:
                result = analyzer.analyze(data.text)
                if fmt == "jsonl":
                    _scan_jsonl(name, result)
                else:
                    _scan_text(name, data.text, result)
        if failed:
            raise typer.Exit(1)
    except SanctionwatchError as exc:
        fail(exc)


def _scan_jsonl(name: str, result) -> None:
    write = sys.stdout.write
    for m in result.mentions:
        write(json.dumps({"kind": "mention", "document": name, "entity_id": m.entity_id,
                          "matched": m.matched, "start": m.start, "end": m.end,
                          "score": m.score, "match_kind": m.kind, "alias": m.alias,
                          "explanation": m.explanation}, ensure_ascii=False) + "\n")
    for i in result.intents:
        rec = {"kind": "alert", "document": name, "type": i.type,
               "entity_ids": list(i.entity_ids), "severity": i.severity,
               "evidence": i.evidence}
        if i.phase:
            rec["phase"] = i.phase
        for role in ("target", "supporter"):
            if i.role(role):
                rec[role] = i.role(role)
        rec.update({"evidence_start": i.evidence_start, "evidence_end": i.evidence_end,
                    "rule_id": i.rule_id, "rule_version": i.rule_version, "why": i.why})
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
    fmt: Annotated[str, typer.Option("--format", help="json, jsonl, or text")] = "text",
    limit: Annotated[int, typer.Option("--limit", help="candidates per name")] = 10,
    config: ConfigOpt = None, watchlist: WatchlistOpt = None,
) -> None:
    """Screen names against the watchlist, best candidates first."""
    from sanctionwatch.lifecycle import matching_watchlist
    from sanctionwatch.matching.screen import Screener
    from sanctionwatch.watchlist.csvfile import load_watchlist

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
    try:
        settings = make_settings(config, watchlist)
        curated = load_watchlist(settings.resolve(settings.watchlist.path))
        screener = Screener(matching_watchlist(settings, curated), settings.matching.threshold)
    except SanctionwatchError as exc:
        fail(exc)
        return
    for q in queries:
        cands = [{"entity_id": c.entity_id, "name": c.name, "matched_alias": c.matched_alias,
                  "score": c.score, "match": c.match, "type": c.entity_type, "why": c.why}
                 for c in screener.screen(q, limit)]
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
