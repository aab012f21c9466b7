"""`users ...`: people who sign in to the web page — add, list, role, disable, enable, remove,
passwd. Passwords are read
from a hidden prompt (asked twice) or, for scripts, from standard input (--password-stdin);
never from the command line, where other users and the shell history would see them."""

from __future__ import annotations

import sys
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
    format_option,
    out,
    with_app,
)
from sanctionwatch.errors import UserError
from sanctionwatch.types import ROLES

users_app = typer.Typer(no_args_is_help=True, help="Users of the web page.")
app.add_typer(users_app, name="users")

NameArg = Annotated[str, typer.Argument(help="user name")]
PasswordStdinOpt = Annotated[bool, typer.Option("--password-stdin", help="read the password "
                                                "from standard input (first line)")]
RoleOpt = Annotated[str, typer.Option("--role", help="viewer (reads) or analyst (also "
                                      "changes alerts)")]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="user name (letters, digits, . _ @ -)")],
    role: RoleOpt = "viewer",
    password_stdin: PasswordStdinOpt = False,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Create a user; the password is asked for (hidden), or read with --password-stdin."""
    if role not in ROLES:
        err.print(f"--role: use one of {', '.join(ROLES)}", markup=False)
        raise typer.Exit(2)
    password = _read_password(password_stdin)
    user = with_app(config, db, lambda a: a.users.add(name, role, password), create=True)
    out.print(f"user {user.name} added ({user.role})", markup=False)


@users_app.command("list")
def users_list(fmt: Annotated[str, format_option(*FORMATS)] = "table",
               config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Users and their roles."""
    users = with_app(config, db, lambda a: a.users.list())

    def table() -> None:
        t = Table(title=f"{len(users)} user(s)")
        for col in ("name", "role", "created (UTC)", "disabled"):
            t.add_column(col)
        for u in users:
            t.add_row(u.name, u.role, f"{u.created:%Y-%m-%d %H:%M}", "yes" if u.disabled else "")
        out.print(t)

    emit([{"name": u.name, "role": u.role, "created": u.created.isoformat(),
           "disabled": u.disabled} for u in users], fmt, table)


@users_app.command("role")
def users_role(name: Annotated[str, typer.Argument(help="user name")], role: RoleOpt,
               config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Change a user's role."""
    user = with_app(config, db, lambda a: a.users.set_role(name, role))
    out.print(f"user {user.name} is now {user.role}", markup=False)


@users_app.command("disable")
def users_disable(name: NameArg, config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Stop a user from signing in; their open sessions end now (enable undoes it)."""
    user = with_app(config, db, lambda a: a.users.set_disabled(name, True))
    out.print(f"user {user.name} disabled", markup=False)


@users_app.command("enable")
def users_enable(name: NameArg, config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Let a disabled user sign in again, with the same password and role."""
    user = with_app(config, db, lambda a: a.users.set_disabled(name, False))
    out.print(f"user {user.name} enabled ({user.role})", markup=False)


@users_app.command("remove")
def users_remove(name: NameArg, config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Delete a user; the triage history keeps their name (disable is reversible)."""
    user = with_app(config, db, lambda a: a.users.remove(name))
    out.print(f"user {user.name} removed", markup=False)


@users_app.command("passwd")
def users_passwd(name: NameArg, password_stdin: PasswordStdinOpt = False,
                 config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Set a new password (hidden prompt, or --password-stdin); open sessions end."""
    def known(a):
        if a.users.get(name) is None:
            raise UserError(f"user {name}: no such user")

    with_app(config, db, known)  # before asking for a password nobody can be given
    password = _read_password(password_stdin)
    user = with_app(config, db, lambda a: a.users.set_password(name, password))
    out.print(f"password of user {user.name} changed", markup=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)
