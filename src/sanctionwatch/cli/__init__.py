"""Command line: thin commands over `app`. Each command group is its own module; importing
it registers it on the root Typer app. Errors are printed as `file:line:col: message`."""

from sanctionwatch.cli import alerts, core, rules, watchlist  # noqa: F401  (registration)
from sanctionwatch.cli._common import app


def main() -> None:
    app()


__all__ = ["app", "main"]
