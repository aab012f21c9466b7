"""`watchlist ...`: the curated watchlist."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctionwatch.cli._common import (
    ConfigOpt,
    app,
    fail,
    make_settings,
    out,
)
from sanctionwatch.errors import SanctionwatchError

watchlist_app = typer.Typer(no_args_is_help=True, help="The curated watchlist.")
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("validate")
def watchlist_validate(
    folder: Annotated[Path | None, typer.Argument(help="watchlist folder")] = None,
    config: ConfigOpt = None,
) -> None:
    """Check entities.csv and relations.csv; list every problem."""
    from sanctionwatch.watchlist.csvfile import load_watchlist

    try:
        settings = make_settings(config)
        wl = load_watchlist(folder or settings.resolve(settings.watchlist.path))
    except SanctionwatchError as exc:
        fail(exc)
        return
    out.print(f"ok: {len(wl.entities)} entities, {len(wl.relations)} relations")
