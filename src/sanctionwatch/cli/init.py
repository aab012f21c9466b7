"""`init [DIR]`: a working folder for a new installation — the commented `config.yaml`, the
curated watchlist and the rules to edit, a drop folder, and the database."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from sanctionwatch.cli._common import app, err, opened, out
from sanctionwatch.config import builtin_path

SEEDS_SOURCE = "  - name: seeds\n    kind: folder\n    path: seeds\n"
DROP_SOURCE = ("  # Files dropped here are read (every 15 minutes, or at once with `run --once`).\n"
               "  - name: drop\n    kind: folder\n    path: drop\n")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="the folder to set up (default: this one)")]
    = Path("."),
    force: Annotated[bool, typer.Option("--force", help="replace an existing config.yaml "
                                        "(the watchlist and rules folders are kept)")] = False,
) -> None:
    """Write a commented config.yaml, the watchlist and rules folders, a drop folder, and
    create the database; then `sanctionwatch run` in that folder runs the monitor."""
    folder = folder.resolve()
    cfg = folder / "config.yaml"
    if cfg.exists() and not force:
        err.print(f"error: {cfg} exists (use --force to replace it)", markup=False)
        raise typer.Exit(1)
    template = builtin_path("config.yaml")
    if template is None:
        err.print("error: the commented config.yaml is not in this installation", markup=False)
        raise typer.Exit(1)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = template.read_text(encoding="utf-8")
        cfg.write_text(text.replace(SEEDS_SOURCE, DROP_SOURCE), encoding="utf-8")
        made = ["config.yaml"]
        for name in ("watchlist", "rules"):
            source, target = builtin_path(name), folder / name
            if source is not None and not target.exists():
                shutil.copytree(source, target)
                made.append(f"{name}/")
        (folder / "drop").mkdir(exist_ok=True)
        made.append("drop/")
    except OSError as exc:
        err.print(f"error: cannot set up {folder}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(1) from None
    with opened(cfg, create=True) as application:
        application.store  # noqa: B018  (creates the database and its schema)
        url = application.settings.database_url
    out.print(f"{folder}: wrote {', '.join(made)}; database {url}", markup=False)
    out.print("next: edit watchlist/entities.csv, drop articles into drop/, then "
              f"`sanctionwatch run --config {cfg}`", markup=False)
