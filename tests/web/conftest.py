"""Fixtures for the web page: a real SQLite file filled by a real pipeline cycle (the seed
article and a hostile article carrying <script>), users made with the storage functions the
CLI uses, and the real server (uvicorn) on 127.0.0.1 with a free port, in a thread."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_28478a00887480cc.txt"
PASSWORD = "correct horse battery"
HOSTILE = (
    "Sanctions desk feed\n\n"
    "The United States Treasury designated the Wagner Group "
    "<script>document.title='PWNED';window.pwned=true;</script> mercenaries "
    "<img src=x onerror=\"window.pwned=true\"> as a transnational criminal organization "
    "on Thursday.\n"
)


@dataclass
class Site:
    settings: object
    base: str
    folder: Path

    def alerts(self, **filters) -> list:
        """The stored alerts, read straight from the site's database."""
        from sanctionwatch.storage.store import AlertFilter, Store

        store = Store(self.settings.database_url)
        try:
            return store.list_alerts(AlertFilter(**filters))
        finally:
            store.close()


def write_config(folder: Path, **web) -> Path:
    drop = folder / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, drop / SEED.name)
    (drop / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    web_lines = "".join(f"  {k}: {v}\n" for k, v in {"secret": "test-secret", **web}.items())
    cfg = folder / "config.yaml"
    cfg.write_text(
        f"database:\n  url: sqlite:///{folder / 'web.db'}\n"
        f"watchlist:\n  path: {REPO / 'watchlist'}\n"
        f"rules:\n  paths: [{REPO / 'rules'}]\n"
        "sources:\n  - name: drop\n    kind: folder\n    path: drop\n"
        "channels:\n  - name: file\n    kind: file\n    path: alerts.jsonl\n"
        f"web:\n{web_lines}", encoding="utf-8")
    return cfg


def fill(cfg: Path):
    """Run one real cycle over the drop folder and add the users alice (analyst) and victor
    (viewer); returns the settings."""
    from sanctionwatch.app import make_app
    from sanctionwatch.config import load_settings
    from sanctionwatch.storage import users as us

    settings = load_settings(cfg)
    app = make_app(settings)
    try:
        app.run_once()
        now = datetime.now(UTC)
        us.add_user(app.store, "alice", "analyst", PASSWORD, now)
        us.add_user(app.store, "victor", "viewer", PASSWORD, now)
    finally:
        app.close()
    return settings


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("web")
    settings = fill(write_config(folder))
    with serve(settings) as base:
        yield Site(settings, base, folder)


class serve:
    """The web app under uvicorn on 127.0.0.1:<free port> in a thread, stopped on exit."""

    def __init__(self, settings):
        self.settings = settings

    def __enter__(self) -> str:
        import uvicorn

        from sanctionwatch.web import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        port = self.sock.getsockname()[1]
        config = uvicorn.Config(create_app(self.settings), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def sign_in(base: str, name: str = "alice", password: str = PASSWORD,
            next_path: str = "/") -> tuple[httpx.Client, httpx.Response]:
    """A client that went through the sign-in form; returns it and the POST's response."""
    import re

    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = client.get("/login", params={"next": next_path})
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"name": name, "password": password,
                                           "token": token, "next": next_path})
    return client, response


def csrf_of(html: str) -> str:
    import re

    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def login():
    """`login(base, name="alice", password=PASSWORD, next_path="/")` -> (client, response);
    the clients are closed after the test."""
    clients = []

    def go(*args, **kwargs):
        client, response = sign_in(*args, **kwargs)
        clients.append(client)
        return client, response

    yield go
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def csrf():
    """`csrf(html)`: the CSRF token of a page's forms."""
    return csrf_of


@pytest.fixture(scope="session")
def hostile_text() -> str:
    return HOSTILE


@pytest.fixture(scope="session")
def password() -> str:
    """The password of the users alice (analyst) and victor (viewer)."""
    return PASSWORD
