"""`tokens ...`: bearer tokens of the systems that use the JSON API (`/api/v1`, served by
`sanctionwatch web`) — add (the token is printed once, on standard output alone, for
scripts), list (with the last use), revoke."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import ConfigOpt, DbOpt, app, err, out, with_app
from sanctionwatch.types import ROLES

tokens_app = typer.Typer(no_args_is_help=True, help="Bearer tokens of the JSON API's clients.")
app.add_typer(tokens_app, name="tokens")

NameArg = Annotated[str, typer.Argument(help="the client's name (in the audit trail of what "
                                        "it does)")]


@tokens_app.command("add")
def tokens_add(
    name: NameArg,
    role: Annotated[str, typer.Option("--role", help="viewer (reads, screens, scans) or "
                                      "analyst (also triages)")] = "viewer",
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Make a token for a client; it is printed once (only its hash is kept)."""
    if role not in ROLES:
        err.print(f"--role: use one of {', '.join(ROLES)}", markup=False)
        raise typer.Exit(2)
    token, secret = with_app(config, db, lambda a: a.tokens.add(name, role))
    err.print(f"token {token.name} added ({token.role}); it is shown once, keep it now:",
              markup=False)
    print(secret)


@tokens_app.command("list")
def tokens_list(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Tokens: name, role, first characters, made, last used, revoked."""
    tokens = with_app(config, db, lambda a: a.tokens.list())
    table = Table(title=f"{len(tokens)} token(s)")
    for col in ("name", "role", "token", "created (UTC)", "last used (UTC)", "revoked (UTC)"):
        table.add_column(col)
    for t in tokens:
        table.add_row(t.name, t.role, t.prefix + "…", f"{t.created:%Y-%m-%d %H:%M}",
                      f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never",
                      f"{t.revoked:%Y-%m-%d %H:%M}" if t.revoked else "")
    out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(name: NameArg, config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Refuse a client's token from now on (it stays listed, marked revoked)."""
    token = with_app(config, db, lambda a: a.tokens.revoke(name))
    out.print(f"token {token.name} revoked", markup=False)
