"""`lists ...`: official sanctions lists — import, show, diff, refresh."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sanctionwatch.cli._common import (
    FORMATS,
    ConfigOpt,
    DbOpt,
    WatchlistOpt,
    app,
    emit,
    err,
    format_option,
    opened,
    out,
)
from sanctionwatch.errors import SanctionwatchError

lists_app = typer.Typer(no_args_is_help=True, help="Official sanctions lists.")
app.add_typer(lists_app, name="lists")

KindArg = Annotated[str, typer.Argument(help="ofac_sdn, ofac_consolidated, un, csl or ftm")]


@contextmanager
def _progress(label: str, quiet: bool = False):
    """A rich progress bar on stderr; yields the importers' `progress(done, total)`."""
    if quiet:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} rows"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _problems(imported) -> None:
    for p in imported.problems[:10]:
        err.print(f"warning: {p}", markup=False)
    if len(imported.problems) > 10:
        err.print(f"warning: ... and {len(imported.problems) - 10} more", markup=False)


def _print_changes(changes, fmt: str, limit: int) -> None:
    if fmt == "jsonl":
        for c in changes:
            sys.stdout.write(json.dumps(c.record(), ensure_ascii=False) + "\n")
        return
    for c in changes[:limit]:
        style = {"critical": "bold red", "high": "red", "medium": "yellow"}.get(c.severity)
        out.print(f"  [{c.severity:<8}] {c.line}", markup=False, style=style)
    if len(changes) > limit:
        out.print(f"  ... and {len(changes) - limit} more (--limit)")


@lists_app.command("import")
def lists_import(
    kind: KindArg,
    path: Annotated[Path, typer.Argument(help="the list's file (or the folder of an OFAC "
                                        "set)")],
    name: Annotated[str | None, typer.Option(help="list name (default: the kind)")] = None,
    date: Annotated[str, typer.Option(help="date of the data, ISO (default: from the path "
                                      "or the file)")] = "",
    fmt: Annotated[str, typer.Option("--format", help="text or jsonl (the changes)")] = "text",
    limit: Annotated[int, typer.Option(help="changes to print")] = 50,
    config: ConfigOpt = None, db: DbOpt = None, watchlist: WatchlistOpt = None,
) -> None:
    """Import a list as a new version; print and raise `list_change` alerts for what changed
    since the previous version of that list."""
    with opened(config, watchlist, db=db, create=True) as application:
        try:
            with _progress(f"importing {path.name}", quiet=fmt == "jsonl") as progress:
                report = application.import_list(kind, path, name=name, date=date,
                                                 progress=progress)
        except ValueError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
    imported = report.imported
    _problems(imported)
    v = report.version
    if fmt != "jsonl":
        state = "new version" if report.created else "unchanged, version"
        out.print(f"{imported.name}: {state} {v.id}: {v.summary}"
                  + (f" (date {v.list_date})" if v.list_date else ""))
        if report.diff is not None:
            out.print(f"changes since the previous version: {report.diff.summary()}; "
                      f"{len(report.alerts)} list_change alert(s) raised"
                      + (" (queued for the channels: the daemon or `sanctionwatch deliver` "
                         "sends them)" if report.alerts else ""))
        elif report.created:
            out.print("first import of this list: no changes to report")
    _print_changes(report.changes, fmt, limit)


@lists_app.command("show")
def lists_show(
    name: Annotated[str | None, typer.Argument(help="a list to show the entities of")] = None,
    search: Annotated[str | None, typer.Option(help="only entities with a name containing "
                                               "this")] = None,
    limit: Annotated[int, typer.Option(help="entities to show")] = 50,
    fmt: Annotated[str, format_option(*FORMATS)] = "table",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """The lists stored (latest version of each) or, with NAME, that list's entities."""
    with opened(config, db=db) as application:
        if name is None:
            latest = {v.list_name: v for v in application.versions.lists()}
            _show_lists(application.settings, latest, fmt)
            return
        info = application.versions.latest(name)
        if info is None:
            err.print(f"no list named {name!r} is stored (import one with `sanctionwatch "
                      "lists import`)", markup=False)
            raise typer.Exit(1)
        snapshot = application.versions.snapshot(info.id)
    ents = snapshot.entities
    if search:
        needle = search.casefold()
        ents = tuple(e for e in ents if any(needle in n.casefold() for n in e.names))
    def table() -> None:
        t = Table(title=f"{name} version {info.id} ({info.list_date or 'undated'}): "
                        f"{len(ents)} of {len(snapshot.entities)} entities")
        for col in ("id", "type", "name", "programs", "countries", "aliases", "listed since"):
            t.add_column(col, overflow="fold")
        for e in ents[:limit]:
            extra = dict(e.extra)
            t.add_row(e.id, e.type, e.name, " ".join(e.programs), " ".join(e.countries),
                      str(len(e.aliases)), extra.get("list_date", ""))
        out.print(t)

    emit([{"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases),
           "programs": list(e.programs), "countries": list(e.countries), "origin": e.origin,
           "extra": dict(e.extra)} for e in ents[:limit]], fmt, table)


def _show_lists(settings, latest, fmt: str) -> None:
    configured = {c.name: c for c in settings.lists}
    names = dict.fromkeys([*configured, *(k for k in latest if k != "curated")])
    if fmt != "table":
        records = []
        for n in names:
            v, cfg = latest.get(n), configured.get(n)
            records.append({
                "list": n, "kind": v.kind if v else cfg.kind, "version": v.id if v else None,
                "list_date": v.list_date if v else "", "summary": v.summary if v else "",
                "changes": v.changes if v else "", "configured": cfg is not None,
                "matching": bool(cfg and cfg.match and cfg.enabled)})
        emit(records, fmt, lambda: None)
        return
    table = Table(title="official lists")
    for col in ("list", "kind", "version", "date", "stored (UTC)", "content", "changes",
                "matching", "configured from"):
        table.add_column(col, overflow="fold")
    for n in names:
        v, cfg = latest.get(n), configured.get(n)
        where = "" if cfg is None else str(cfg.path or cfg.url)
        table.add_row(n, v.kind if v else cfg.kind, str(v.id) if v else "not imported yet",
                      v.list_date if v else "", v.created.strftime("%Y-%m-%d %H:%M") if v else "",
                      v.summary if v else "", v.changes if v else "",
                      "yes" if cfg and cfg.match and cfg.enabled else "no", where)
    out.print(table)


def guess_kind(path: Path) -> str:
    """The importer kind from a file name (sdn.csv, cons_prim.csv, *.xml, csl*.csv, *.json)."""
    n = path.name.lower()
    if path.is_dir():
        return "ofac_consolidated" if (path / "cons_prim.csv").exists() else "ofac_sdn"
    if n.endswith("sdn.csv"):
        return "ofac_sdn"
    if n.startswith("cons_"):
        return "ofac_consolidated"
    if n.endswith(".xml"):
        return "un"
    if n.endswith(".json") or n.endswith(".jsonl"):
        return "ftm"
    if n.endswith(".csv"):
        return "csl"
    raise typer.BadParameter(f"cannot tell the kind of {path}; give --kind")


@lists_app.command("diff")
def lists_diff(
    old: Annotated[Path, typer.Argument(help="the older file (or OFAC folder)")],
    new: Annotated[Path, typer.Argument(help="the newer file (or OFAC folder)")],
    kind: Annotated[str | None, typer.Option(help="importer kind (default: from the file "
                                             "name)")] = None,
    name: Annotated[str | None, typer.Option(help="list name (default: the kind)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or jsonl")] = "text",
    limit: Annotated[int, typer.Option(help="changes to print")] = 100,
    config: ConfigOpt = None, watchlist: WatchlistOpt = None,
) -> None:
    """The list changes between two files, ranked against the curated watchlist, as the
    daemon would raise them as `list_change` alerts. Stores nothing."""
    kind = kind or guess_kind(old)
    with opened(config, watchlist) as application, ExitStack() as bars:
        def progress(label: str):
            return bars.enter_context(_progress(f"reading {label}", quiet=fmt == "jsonl"))

        try:
            a, b, d, changes = application.diff_lists(kind, old, new, name=name,
                                                      progress=progress)
        except ValueError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
    if fmt != "jsonl":
        out.print(f"[bold]{a.name}[/bold] {a.date or old} -> {b.date or new}: {d.summary()}; "
                  f"{len(changes)} change(s)")
    _print_changes(changes, fmt, limit)


@lists_app.command("refresh")
def lists_refresh(
    names: Annotated[list[str] | None, typer.Argument(help="configured lists (default: "
                                                      "all enabled)")] = None,
    config: ConfigOpt = None, db: DbOpt = None, watchlist: WatchlistOpt = None,
) -> None:
    """Fetch and import configured lists now (as the daemon does on their schedule)."""
    failed = False
    with opened(config, watchlist, db=db, create=True) as application:
        settings = application.settings
        chosen = [c for c in settings.lists if (c.name in names if names else c.enabled)]
        unknown = set(names or ()) - {c.name for c in settings.lists}
        if unknown:
            err.print(f"error: not configured: {', '.join(sorted(unknown))}", markup=False)
            raise typer.Exit(2)
        for cfg in chosen:
            try:
                with _progress(f"importing {cfg.name}") as progress:
                    report = application.refresh_list(cfg.name, progress)
            except SanctionwatchError as exc:
                err.print(f"error: {cfg.name}: {exc}", markup=False)
                failed = True
                continue
            _problems(report.imported)
            out.print(f"{cfg.name}: version {report.version.id} "
                      f"({'new' if report.created else 'unchanged'}), "
                      f"{len(report.alerts)} list_change alert(s)")
            _print_changes(report.changes, "text", 20)
    if failed:
        raise typer.Exit(1)
