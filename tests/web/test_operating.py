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


def test_healthz_and_metrics_are_503_while_the_database_cannot_be_reached(tmp_path):
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
            m = httpx.get(base + "/metrics")
            assert m.status_code == 503 and "Traceback" not in m.text
            # Back again: the same App answers ok without a restart.
            shutil.move(tmp_path / "away", tmp_path / "site")
            r = httpx.get(base + "/healthz")
            assert r.status_code == 200 and r.json() == {"status": "ok"}
    finally:
        app.close()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_healthz_is_read_only(site, method):
    assert httpx.request(method, site.base + "/healthz").status_code == 405


# -- /metrics ----------------------------------------------------------------------------------

def _scrape(base: str) -> dict[str, list]:
    """name -> samples of a real scrape, parsed by prometheus_client's own parser."""
    from prometheus_client.parser import text_string_to_metric_families

    r = httpx.get(base + "/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return {f.name: f.samples for f in text_string_to_metric_families(r.text)}


def _value(samples, **labels) -> float:
    hits = [s.value for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(hits) == 1, (labels, samples)
    return hits[0]


def test_metrics_need_no_sign_in_and_count_what_the_database_holds(site):
    import sqlalchemy as sa

    from sanctionwatch.storage.store import Store

    families = _scrape(site.base)
    alerts = site.alerts()
    store = Store(site.settings.database_url)
    try:
        articles = store.count_articles()
        with store.transaction() as conn:
            mentions = conn.execute(sa.text("SELECT count(*) FROM mentions")).scalar_one()
    finally:
        store.close()
    assert articles >= 2 and mentions >= 1 and alerts
    assert _value(families["sanctionwatch_articles"]) == articles
    assert _value(families["sanctionwatch_mentions"]) == mentions
    by_key: dict[tuple, int] = {}
    for a in alerts:
        key = (a.intent.type, a.intent.severity, a.status)
        by_key[key] = by_key.get(key, 0) + 1
    got = {(s.labels["type"], s.labels["severity"], s.labels["status"]): s.value
           for s in families["sanctionwatch_alerts"]}
    assert got == by_key
    # The drop folder ran once and fine; the file channel got every alert it routes.
    assert _value(families["sanctionwatch_source_failures"], source="drop") == 0
    assert _value(families["sanctionwatch_source_last_success_timestamp_seconds"],
                  source="drop") > 1.7e9
    assert _value(families["sanctionwatch_deliveries_failing"], channel="file") == 0
    assert _value(families["sanctionwatch_deliveries_sent"], channel="file") >= 1


def test_metrics_carry_no_names_or_texts(site):
    body = httpx.get(site.base + "/metrics").text
    for alert in site.alerts():
        for entity_id in alert.intent.entity_ids:
            assert entity_id not in body
        assert alert.intent.evidence[:40] not in body
    for word in ("alice", "victor", "Wagner", "script", str(site.folder)):
        assert word not in body


def test_metrics_show_failing_sources_and_deliveries_and_cycle_times(tmp_path):
    """A source whose folder is gone and a file channel that cannot write: both show up as
    numbers; the last cycle's duration of a source is what the store recorded."""
    from datetime import UTC, datetime

    from sanctionwatch.app import make_app
    from sanctionwatch.config import load_settings
    from sanctionwatch.delivery import STOP_AFTER
    from sanctionwatch.storage.metrics import record_cycle
    from sanctionwatch.web import create_app

    cfg = write_config(tmp_path)
    (tmp_path / "blocked").write_text("a file where the channel wants a folder\n")
    text = cfg.read_text(encoding="utf-8")
    text = text.replace("    path: alerts.jsonl\n", "    path: blocked/alerts.jsonl\n")
    text = text.replace("sources:\n", "sources:\n  - name: gone\n    kind: folder\n"
                                      "    path: missing\n")
    cfg.write_text(text, encoding="utf-8")
    app = make_app(load_settings(cfg))
    try:
        app.run_once()
        app.run_once()  # `gone` backs off after its first failure; the channel retries later
        record_cycle(app.store, "drop", 1.25, datetime.now(UTC))
        alerts = len(app.store.list_alerts())
        with serve_app(create_app(app.settings, app=app)) as base:
            families = _scrape(base)
    finally:
        app.close()
    assert _value(families["sanctionwatch_source_failures"], source="gone") == 1
    assert _value(families["sanctionwatch_source_failures"], source="drop") == 0
    assert _value(families["sanctionwatch_source_last_error_timestamp_seconds"],
                  source="gone") > 1.7e9
    # Three failures in a row mark the channel down for the round: the rest waits untried.
    assert _value(families["sanctionwatch_deliveries_failing"], channel="file") == STOP_AFTER
    assert _value(families["sanctionwatch_delivery_failed_attempts"],
                  channel="file") == STOP_AFTER
    assert _value(families["sanctionwatch_deliveries_pending"], channel="file") == alerts > 3
    assert _value(families["sanctionwatch_deliveries_sent"], channel="file") == 0
    assert _value(families["sanctionwatch_source_last_cycle_seconds"], source="drop") == 1.25
