"""`sanctionwatch users ...` and `sanctionwatch web --help`: users made from the command line
sign in with the password given on standard input or at the hidden prompt."""

from __future__ import annotations

from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.storage import users as us
from sanctionwatch.storage.store import Store

runner = CliRunner()


def test_users_add_list_role(tmp_path):
    db = str(tmp_path / "u.db")
    r = runner.invoke(app, ["users", "add", "alice", "--role", "analyst", "--password-stdin",
                            "--db", db], input="a long password\n")
    assert r.exit_code == 0, r.output
    assert "user alice added (analyst)" in r.output
    # The hidden prompt asks twice.
    r = runner.invoke(app, ["users", "add", "victor", "--db", db],
                      input="another password\nanother password\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "add", "alice", "--password-stdin", "--db", db],
                      input="a long password\n")
    assert r.exit_code == 1 and "exists already" in r.output
    r = runner.invoke(app, ["users", "add", "bob", "--password-stdin", "--db", db],
                      input="short\n")
    assert r.exit_code == 1 and "at least 8" in r.output
    r = runner.invoke(app, ["users", "add", "bob", "--role", "root", "--db", db], input="x\n")
    assert r.exit_code == 2 and "--role" in r.output
    r = runner.invoke(app, ["users", "role", "victor", "--role", "analyst", "--db", db])
    assert r.exit_code == 0 and "victor is now analyst" in r.output
    r = runner.invoke(app, ["users", "list", "--db", db])
    assert r.exit_code == 0 and "alice" in r.output and "victor" in r.output
    store = Store(f"sqlite:///{db}")
    try:
        assert us.authenticate(store, "alice", "a long password").role == "analyst"
        assert us.authenticate(store, "victor", "another password").role == "analyst"
    finally:
        store.close()


def test_web_command_is_registered():
    r = runner.invoke(app, ["web", "--help"])
    assert r.exit_code == 0 and "--host" in r.output and "--port" in r.output
