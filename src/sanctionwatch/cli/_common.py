"""What every command module shares: the root Typer app, consoles, common options."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer
from rich.console import Console

from sanctionwatch import __version__
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.errors import DataFileError, SanctionwatchError

if TYPE_CHECKING:
    from sanctionwatch.app import App

T = TypeVar("T")

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Watch multilingual news for designation events and support networks.")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="config.yaml to use "
                      "(default: $SANCTIONWATCH_CONFIG, ./config.yaml, built-in defaults)")]
WatchlistOpt = Annotated[Path | None, typer.Option("--watchlist", help="watchlist folder")]
RulesOpt = Annotated[list[Path] | None, typer.Option("--rules", help="rule file or folder")]
DbOpt = Annotated[str | None, typer.Option("--db", help="database URL or SQLite file path")]


def make_settings(config: Path | None, watchlist: Path | None = None,
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


@contextmanager
def opened(config: Path | None, watchlist: Path | None = None, rules: list[Path] | None = None,
           db: str | None = None) -> Iterator[App]:
    """The App on the command's configuration, closed afterwards; a project error while
    opening or using it ends the command with its message (exit 1). (Imported here: a
    command's help never loads the engine.)"""
    from sanctionwatch.app import make_app

    try:
        application = make_app(make_settings(config, watchlist, rules, db))
    except SanctionwatchError as exc:
        fail(exc)
        raise  # not reached: fail exits
    try:
        yield application
    except SanctionwatchError as exc:
        fail(exc)
    finally:
        application.close()


def with_app(config: Path | None, db: str | None, action: Callable[[App], T]) -> T:
    """Open the App, run `action(app)`, close it; project errors -> exit 1."""
    with opened(config, db=db) as application:
        return action(application)
    raise AssertionError("not reached")


def fail(exc: SanctionwatchError) -> NoReturn:
    if isinstance(exc, DataFileError):
        for p in exc.problems:
            err.print(str(p), markup=False)
    else:
        err.print(f"error: {exc}", markup=False)
    raise typer.Exit(1)


def _print_version(value: bool) -> None:
    if value:
        out.print(f"sanctionwatch {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress")] = False,
    version: Annotated[bool, typer.Option(
        "--version", help="print the version and exit", callback=_print_version,
        is_eager=True)] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")


