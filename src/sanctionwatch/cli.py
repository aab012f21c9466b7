"""Command line: thin commands over `app`. Errors are printed as `file:line:col: message`."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sanctionwatch import __version__
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.errors import DataFileError, SanctionwatchError
from sanctionwatch.storage.store import AlertFilter

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Watch multilingual news for designation events and support networks.")
alerts_app = typer.Typer(no_args_is_help=True, help="Stored alerts: list and triage.")
watchlist_app = typer.Typer(no_args_is_help=True, help="The curated watchlist.")
rules_app = typer.Typer(no_args_is_help=True, help="Alert rules.")
app.add_typer(alerts_app, name="alerts")
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(rules_app, name="rules")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="config.yaml to use "
                      "(default: $SANCTIONWATCH_CONFIG, ./config.yaml, built-in defaults)")]
WatchlistOpt = Annotated[Path | None, typer.Option("--watchlist", help="watchlist folder")]
RulesOpt = Annotated[list[Path] | None, typer.Option("--rules", help="rule file or folder")]
DbOpt = Annotated[str | None, typer.Option("--db", help="database URL or SQLite file path")]


def _settings(config: Path | None, watchlist: Path | None = None,
              rules: list[Path] | None = None, db: str | None = None) -> Settings:
    s = load_settings(config)
    update: dict = {}
    if watchlist:
        update["watchlist"] = s.watchlist.model_copy(update={"path": watchlist.resolve()})
    if rules:
        update["rules"] = s.rules.model_copy(update={"paths": tuple(p.resolve() for p in rules)})
    if db:
        url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
        update["database"] = s.database.model_copy(update={"url": url})
    return s.model_copy(update=update) if update else s


def _fail(exc: SanctionwatchError) -> None:
    if isinstance(exc, DataFileError):
        for p in exc.problems:
            err.print(str(p), markup=False)
    else:
        err.print(f"error: {exc}", markup=False)
    raise typer.Exit(1)


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress")] = False,
    version: Annotated[bool, typer.Option("--version", help="print the version")] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if version:
        out.print(__version__)
        raise typer.Exit(0)


@app.command()
def run(
    once: Annotated[bool, typer.Option("--once", help="one cycle of every source, then exit")]
    = False,
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
    db: DbOpt = None,
) -> None:
    """Run the monitor: every source on its schedule (or once with --once)."""
    from sanctionwatch.app import make_app
    from sanctionwatch.scheduler import run_forever

    try:
        application = make_app(_settings(config, watchlist, rules, db))
    except SanctionwatchError as exc:
        _fail(exc)
        return
    try:
        if once:
            reports = application.run_once()
            for r in reports:
                for p in r.problems:
                    err.print(f"problem: {p}", markup=False)
            total = sum(len(r.alerts) for r in reports)
            new = sum(r.articles_new for r in reports)
            err.print(f"{len(reports)} source(s), {new} new article(s), {total} new alert(s)",
                      markup=False)
            if any(not r.ok for r in reports):
                raise typer.Exit(1)
        else:
            run_forever(application)
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
    from sanctionwatch.sources.files import iter_paths, read_documents

    if fmt not in ("jsonl", "text"):
        err.print("--format must be jsonl or text")
        raise typer.Exit(2)
    try:
        settings = _settings(config, watchlist, rules)
        analyzer = build_analyzer(settings)
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
        _fail(exc)


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
        settings = _settings(config, watchlist)
        screener = Screener(load_watchlist(settings.resolve(settings.watchlist.path)),
                            settings.matching.threshold)
    except SanctionwatchError as exc:
        _fail(exc)
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
        settings = _settings(config, db=db)
        store = Store(settings.database_url)
        alerts = store.list_alerts(AlertFilter(status, type_, entity, severity, since_dt))
        store.close()
    except SanctionwatchError as exc:
        _fail(exc)
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


@watchlist_app.command("validate")
def watchlist_validate(
    folder: Annotated[Path | None, typer.Argument(help="watchlist folder")] = None,
    config: ConfigOpt = None,
) -> None:
    """Check entities.csv and relations.csv; list every problem."""
    from sanctionwatch.watchlist.csvfile import load_watchlist

    try:
        settings = _settings(config)
        wl = load_watchlist(folder or settings.resolve(settings.watchlist.path))
    except SanctionwatchError as exc:
        _fail(exc)
        return
    out.print(f"ok: {len(wl.entities)} entities, {len(wl.relations)} relations")


@rules_app.command("validate")
def rules_validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="rule files or folders")] = None,
    config: ConfigOpt = None,
) -> None:
    """Check rule files; list every problem."""
    from sanctionwatch.rules.loader import load_rules

    try:
        settings = _settings(config)
        rs = load_rules(paths or [settings.resolve(p) for p in settings.rules.paths])
    except SanctionwatchError as exc:
        _fail(exc)
        return
    out.print(f"ok: {len(rs.rules)} rules in {len(rs.files)} file(s)")


@rules_app.command("test")
def rules_test(
    paths: Annotated[list[Path], typer.Argument(help="files to test the rules on")],
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
    all_rules: Annotated[bool, typer.Option("--all", help="also show rules with no target")]
    = False,
) -> None:
    """Show, sentence by sentence, which rules fired and which nearly fired, and why."""
    from sanctionwatch.app import build_analyzer
    from sanctionwatch.rules.evaluate import Trace
    from sanctionwatch.sources.files import iter_paths, read_documents

    try:
        analyzer = build_analyzer(_settings(config, watchlist, rules))
        for path in iter_paths(paths):
            for name, data in read_documents(path):
                trace: list[Trace] = []
                result = analyzer.analyze(data.text, trace)
                out.print(f"[bold]{name}[/bold]")
                for s in result.sentences:
                    lines = [t for t in trace if t.sentence == s.index and
                             (all_rules or not t.reason.startswith("no mention meets"))]
                    if not lines:
                        continue
                    out.print(f"  [{s.index}] {s.text}", markup=False)
                    for t in lines:
                        mark = "FIRED " if t.fired else "no    "
                        out.print(f"      {mark}{t.rule_id}: {t.reason}", markup=False,
                                  style="green" if t.fired else "dim")
    except SanctionwatchError as exc:
        _fail(exc)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
