"""Command line: thin commands over `app`. Each command group is its own module; importing
it registers it on the root Typer app. Errors are printed as `file:line:col: message`."""

from sanctionwatch.cli import (  # noqa: F401  (registration)
    alerts,
    alerts_admin,
    core,
    deliver,
    lists,
    rescreen,
    rules,
    status,
    tokens,
    users,
    watchlist,
    web,
)
from sanctionwatch.cli._common import app


def main() -> None:
    app()


__all__ = ["app", "main"]
