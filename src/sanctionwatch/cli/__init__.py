"""Command line: thin commands over `app`. Each command group is its own module; importing
it registers it on the root Typer app. Errors are printed as `file:line:col: message`."""

from sanctionwatch.cli import (  # noqa: F401  (registration)
    alerts,
    alerts_admin,
    backfill,
    core,
    deliver,
    init,
    lists,
    rescreen,
    rules,
    status,
    tokens,
    users,
    watchlist,
    web,
)
from sanctionwatch.cli._common import app, global_options_first, tidy_help


def main(argv: list[str] | None = None) -> None:
    """The console script: global options (-v, --log-format) may stand anywhere on the line;
    help shows metavars as words (FORMAT, PATH...), choices as `table|json`."""
    import sys

    import typer

    command = typer.main.get_command(app)
    tidy_help(command)
    args = global_options_first(sys.argv[1:] if argv is None else argv)
    command.main(args=args, prog_name="sanctionwatch")


__all__ = ["app", "main"]
