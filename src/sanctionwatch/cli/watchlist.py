"""`watchlist ...`: the curated watchlist — validate, history of versions, diff."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import (
    FORMATS,
    ConfigOpt,
    DbOpt,
    app,
    emit,
    err,
    fail,
    format_option,
    make_settings,
    opened,
    out,
)
from sanctionwatch.errors import SanctionwatchError, WatchlistError
from sanctionwatch.types import CURATED_LIST

watchlist_app = typer.Typer(no_args_is_help=True, help="The curated watchlist.")
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("validate")
def watchlist_validate(
    folder: Annotated[Path | None, typer.Argument(help="watchlist folder")] = None,
    config: ConfigOpt = None,
) -> None:
    """Check entities.csv and relations.csv; list every problem (exit 1 if any)."""
    from sanctionwatch.app import App

    try:
        settings = make_settings(config)
        wl = App.check_watchlist(folder or settings.resolve(settings.watchlist.path))
    except WatchlistError as exc:
        for p in exc.problems:
            err.print(str(p), markup=False)
        err.print(f"{len(exc.problems)} problem(s)", markup=False)
        raise typer.Exit(1) from None
    except SanctionwatchError as exc:
        fail(exc)
        return
    aliases = sum(len(e.aliases) for e in wl.entities)
    out.print(f"ok: {len(wl.entities)} entities, {aliases} aliases, {len(wl.relations)} relations")


def _record_folder(application) -> None:
    """Store the folder's content as a version (with its re-screening job, run by the next
    `run`, `lists import` or `rescreen`) if it is valid and new; say so if it is invalid."""
    folder = application.settings.resolve(application.settings.watchlist.path)
    try:
        application.check_watchlist(folder)
    except WatchlistError as exc:
        err.print(f"note: {folder} is invalid now ({len(exc.problems)} problem(s); see "
                  "`sanctionwatch watchlist validate`); not recorded", markup=False)
        return
    application.record_curated()


@watchlist_app.command("history")
def watchlist_history(
    list_name: Annotated[str, typer.Option("--list", help="'curated' or an official list's "
                                            "name")] = "curated",
    limit: Annotated[int, typer.Option(help="versions to show, newest first")] = 20,
    fmt: Annotated[str, format_option(*FORMATS)] = "table",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Stored versions (content hash, time, summary, changes). The curated folder as it is
    now is recorded first when it is valid and differs from the latest version."""
    with opened(config, db=db, create=True) as application:  # records the folder
        if list_name == CURATED_LIST:
            _record_folder(application)
        rows = application.versions.history(list_name, limit)
    def table() -> None:
        t = Table(title=f"{list_name}: {len(rows)} version(s), newest first")
        for col in ("version", "stored (UTC)", "hash", "date", "content", "changes"):
            t.add_column(col, overflow="fold")
        for v in rows:
            t.add_row(str(v.id), v.created.strftime("%Y-%m-%d %H:%M:%S"), v.content_hash[:12],
                      v.list_date, v.summary, v.changes)
        out.print(t)

    emit([{"id": v.id, "list": v.list_name, "created": v.created.isoformat(),
           "content_hash": v.content_hash, "list_date": v.list_date, "summary": v.summary,
           "changes": v.changes, "source": v.source} for v in rows], fmt, table)


def _resolve(application, ref: str | None, folder: Path):
    """A version id, 'latest', a folder path, or None (the folder now) -> (label, watchlist)."""
    if ref is None:
        return f"{folder} (now)", application.check_watchlist(folder)
    if ref.isdigit() or ref == "latest":
        versions = application.versions
        info = versions.latest(CURATED_LIST) if ref == "latest" else versions.get(int(ref))
        if info is None:
            raise typer.BadParameter(f"no stored version {ref!r} (see `sanctionwatch watchlist "
                                     "history`)")
        return f"version {info.id} ({info.list_name}, {info.created:%Y-%m-%d %H:%M})", \
            versions.snapshot(info.id)
    path = Path(ref)
    if not path.is_dir():
        raise typer.BadParameter(f"{ref!r} is neither a version id nor a watchlist folder")
    return str(path), application.check_watchlist(path)


@watchlist_app.command("diff")
def watchlist_diff(
    old: Annotated[str | None, typer.Argument(help="version id, 'latest' or folder "
                                              "(default: the latest stored version)")] = None,
    new: Annotated[str | None, typer.Argument(help="version id, 'latest' or folder "
                                              "(default: the folder now)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or jsonl")] = "text",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Entities and aliases added, removed and changed between two versions."""
    with opened(config, db=db) as application:
        folder = application.settings.resolve(application.settings.watchlist.path)
        old_label, old_wl = _resolve(application, old or "latest", folder)
        new_label, new_wl = _resolve(application, new, folder)
        d = application.diff_watchlists(old_wl, new_wl)
    if fmt == "jsonl":
        _diff_jsonl(d)
        return
    out.print(f"[bold]{old_label}[/bold] -> [bold]{new_label}[/bold]: {d.summary()}")
    for e in d.added:
        out.print(f"  + {e.id} {e.name!r} ({e.type}); aliases: {', '.join(e.aliases) or '-'}",
                  markup=False, style="green")
    for e in d.removed:
        out.print(f"  - {e.id} {e.name!r} ({e.type})", markup=False, style="red")
    for c in d.changed:
        out.print(f"  ~ {c.id}: {c.describe()}", markup=False, style="yellow")
    for r in d.relations_added:
        out.print(f"  + relation {r.source} {r.relation} {r.target}", markup=False,
                  style="green")
    for r in d.relations_removed:
        out.print(f"  - relation {r.source} {r.relation} {r.target}", markup=False, style="red")


def _diff_jsonl(d) -> None:
    write = sys.stdout.write
    for e in d.added:
        write(json.dumps({"change": "added", "entity_id": e.id, "name": e.name,
                          "aliases": list(e.aliases)}, ensure_ascii=False) + "\n")
    for e in d.removed:
        write(json.dumps({"change": "removed", "entity_id": e.id, "name": e.name},
                         ensure_ascii=False) + "\n")
    for c in d.changed:
        write(json.dumps({"change": "changed", "entity_id": c.id,
                          "fields": list(c.changed_fields),
                          "aliases_added": list(c.added("aliases")),
                          "aliases_removed": list(c.removed("aliases")),
                          "programs_added": list(c.added("programs")),
                          "programs_removed": list(c.removed("programs"))},
                         ensure_ascii=False) + "\n")
    for kind, rels in (("relation_added", d.relations_added),
                       ("relation_removed", d.relations_removed)):
        for r in rels:
            write(json.dumps({"change": kind, "source": r.source, "relation": r.relation,
                              "target": r.target}) + "\n")
