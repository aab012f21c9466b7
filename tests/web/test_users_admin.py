"""`sanctionwatch users disable|enable|remove|passwd`, run through the real console script, and
what they do to signing in on the real web page (uvicorn on 127.0.0.1, the sign-in form)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sanctionwatch.storage import alerts as tr
from sanctionwatch.storage.store import Store

from .conftest import PASSWORD, csrf_of, fill, serve, write_config

SCRIPT = str(Path(sys.executable).with_name("sanctionwatch"))


def cli(cfg: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The console script in a session of its own (no terminal: a hidden prompt reads the
    piped standard input)."""
    return subprocess.run([SCRIPT, "users", *args, "--config", str(cfg)], input=stdin,
                          capture_output=True, text=True, timeout=120, start_new_session=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("users")
    cfg = write_config(folder)
    settings = fill(cfg)
    with serve(settings) as base:
        yield cfg, settings, base


def test_a_disabled_user_cannot_sign_in_and_enable_restores(site, login):
    cfg, _, base = site
    signed_in, r = login(base)
    assert r.status_code == 303 and signed_in.get("/").status_code == 200
    done = cli(cfg, "disable", "alice")
    assert done.returncode == 0 and done.stdout.strip() == "user alice disabled", done.stderr
    # The open session ends at once, and the sign-in form refuses the right password.
    page = signed_in.get("/")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    _, r = login(base)
    assert r.status_code == 401 and "sw_session" not in r.cookies
    listed = cli(cfg, "list")
    row = next(line for line in listed.stdout.splitlines() if "alice" in line)
    assert "yes" in row
    done = cli(cfg, "enable", "alice")
    assert done.returncode == 0 and "user alice enabled (analyst)" in done.stdout
    client, r = login(base)
    assert r.status_code == 303 and client.get("/").status_code == 200


def test_passwd_from_stdin_and_from_the_prompt(site, login):
    cfg, _, base = site
    old_session, _ = login(base, name="victor")
    done = cli(cfg, "passwd", "victor", "--password-stdin", stdin="a brand new password\n")
    assert done.returncode == 0 and "password of user victor changed" in done.stdout
    assert old_session.get("/").status_code == 303  # sessions end with the old password
    assert login(base, name="victor")[1].status_code == 401
    assert login(base, name="victor", password="a brand new password")[1].status_code == 303
    # The hidden prompt asks twice; a mismatch is asked again, a short one is refused.
    done = cli(cfg, "passwd", "victor", stdin="third password\nthird pass\n"
                                              "third password\nthird password\n")
    assert done.returncode == 0, done.stderr
    assert login(base, name="victor", password="third password")[1].status_code == 303
    short = cli(cfg, "passwd", "victor", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    assert login(base, name="victor", password="third password")[1].status_code == 303


def test_remove_keeps_the_triage_history_readable(site, login):
    cfg, settings, base = site
    cli(cfg, "passwd", "victor", "--password-stdin", stdin=PASSWORD + "\n")
    store = Store(settings.database_url)
    try:
        target = next(a for a in store.list_alerts() if a.status == "new")
        done = cli(cfg, "add", "rita", "--role", "analyst", "--password-stdin",
                   stdin="rita's password\n")
        assert done.returncode == 0, done.stderr
        client, _ = login(base, name="rita", password="rita's password")
        token = csrf_of(client.get(f"/alerts/{target.id}").text)
        r = client.post(f"/alerts/{target.id}/triage",
                        data={"action": "acknowledged", "note": "rita looked", "csrf": token})
        assert r.status_code == 303
        done = cli(cfg, "remove", "rita")
        assert done.returncode == 0 and "user rita removed" in done.stdout
        assert client.get("/").status_code == 303
        assert login(base, name="rita", password="rita's password")[1].status_code == 401
        assert "rita" not in cli(cfg, "list").stdout
        # The alert's history still names who acknowledged it, in the store and on the page.
        last = tr.get_alert(store, target.id).events[-1]
        assert (last.actor, last.to_status, last.note) == ("rita", "acknowledged",
                                                            "rita looked")
        viewer, _ = login(base, name="victor")
        page = viewer.get(f"/alerts/{target.id}")
        assert page.status_code == 200 and "rita" in page.text and "rita looked" in page.text
    finally:
        store.close()


@pytest.mark.parametrize("args", [["disable", "nobody"], ["enable", "nobody"],
                                  ["remove", "nobody"], ["passwd", "nobody"]])
def test_an_unknown_user_is_one_line_and_exit_1(site, args):
    cfg, _, _ = site
    done = cli(cfg, *args, stdin="never asked for\nnever asked for\n")
    assert done.returncode == 1
    assert done.stderr.strip() == "error: user nobody: no such user"
    assert "password" not in done.stdout + done.stderr  # passwd asks nothing for nobody
