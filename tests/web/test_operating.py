"""What an operator's tools read without signing in, over real HTTP (uvicorn on 127.0.0.1):
`/healthz` for a load balancer and `/metrics` for Prometheus."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import httpx
import pytest

from .conftest import fill, write_config


class serve_app:
    """An ASGI app under uvicorn on 127.0.0.1:<free port> in a thread (the test keeps the App
    it was built over, to act on its database)."""

    def __init__(self, asgi):
        self.asgi = asgi

    def __enter__(self) -> str:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(self.asgi, log_level="warning",
                                                    lifespan="on"))
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


# -- /healthz ----------------------------------------------------------------------------------

def test_healthz_needs_no_sign_in_and_tells_nothing_else(site):
    r = httpx.get(site.base + "/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers  # no session, no sign-in form token


def test_healthz_is_503_while_the_database_cannot_be_reached(tmp_path):
    from sanctionwatch.app import make_app
    from sanctionwatch.web import create_app

    settings = fill(write_config(tmp_path / "site"))
    app = make_app(settings)
    try:
        with serve_app(create_app(settings, app=app)) as base:
            assert httpx.get(base + "/healthz").json() == {"status": "ok"}
            # The database's folder goes away and the pooled connections with it (as when a
            # volume is unmounted): SQLite cannot open the file any more.
            shutil.move(tmp_path / "site", tmp_path / "away")
            app.store.engine.dispose()
            r = httpx.get(base + "/healthz")
            assert r.status_code == 503 and r.json() == {"status": "unavailable"}
            # Back again: the same App answers ok without a restart.
            shutil.move(tmp_path / "away", tmp_path / "site")
            r = httpx.get(base + "/healthz")
            assert r.status_code == 200 and r.json() == {"status": "ok"}
    finally:
        app.close()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_healthz_is_read_only(site, method):
    assert httpx.request(method, site.base + "/healthz").status_code == 405
