"""A slow server stalls nothing but its own fetch, and only until its deadline: the deadline
covers the whole exchange (a server that sends its headers a byte at a time is cut too), the
stop event ends a fetch within a fraction of a second without counting as a failure, and in
the daemon one hanging feed neither delays another feed nor keeps SIGTERM waiting."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sanctionwatch.errors import Interrupted, SourceError
from sanctionwatch.pipeline import run_source
from sanctionwatch.sources.feed import FeedSource
from sanctionwatch.sources.http import HttpSettings, fetch
from sanctionwatch.storage import source_state
from sanctionwatch.storage.store import Store

RUN = [sys.executable, "-c", "from sanctionwatch.cli import main; main()"]
T0 = datetime(2023, 1, 20, 19, 0, tzinfo=UTC)


def test_headers_sent_a_byte_at_a_time_are_cut_at_the_deadline(feed_server):
    # each byte comes well within the read timeout, so only a total deadline ends this
    settings = HttpSettings(timeout=1.0, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"too slow: no complete answer within 1\.5s"):
        fetch(feed_server.url("/slow-headers"), settings)
    assert time.monotonic() - started < 4


def test_the_stop_event_ends_a_fetch_at_once_and_says_why(feed_server):
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Interrupted, match="shutting down"):
        fetch(feed_server.url("/silent"), HttpSettings(timeout=30, deadline=60), cancel=stop)
    assert time.monotonic() - started < 2


def test_an_interrupted_fetch_is_not_a_failure_of_the_source(feed_server, db_url, analyzer):
    store = Store(db_url)
    try:
        stop = threading.Event()
        src = FeedSource("hanging", feed_server.url("/silent"),
                         HttpSettings(timeout=30, deadline=60), cancel=stop)
        threading.Timer(0.3, stop.set).start()
        report = run_source(src, store, analyzer, lambda: T0, stop=stop)
        assert report.interrupted and not report.failed
        state = source_state.get_state(store, "hanging")
        assert state.failures == 0 and not state.backing_off(T0)
    finally:
        store.close()


def test_a_source_fetches_while_another_holds_the_store_lock(feed_server, db_url, analyzer):
    """The lock guards storing, not fetching: a source whose fetch hangs does not hold it."""
    store = Store(db_url)
    lock = threading.RLock()
    stop = threading.Event()
    try:
        slow = FeedSource("slow", feed_server.url("/slow-headers"),
                          HttpSettings(timeout=5, deadline=30), cancel=stop)
        fast = FeedSource("fast", feed_server.url("/feeds/outlet_a.rss"),
                          HttpSettings(timeout=5, deadline=30))
        hanging = threading.Thread(target=run_source, args=(slow, store, analyzer,
                                                            lambda: T0, None, stop),
                                   kwargs={"lock": lock})
        hanging.start()
        time.sleep(0.3)
        started = time.monotonic()
        report = run_source(fast, store, analyzer, lambda: T0, lock=lock)
        assert report.articles_new >= 1 and not report.failed
        assert time.monotonic() - started < 10
        assert hanging.is_alive()  # still waiting on its server
    finally:
        stop.set()
        hanging.join(5)
        store.close()
    assert not hanging.is_alive()


def test_the_daemon_runs_other_feeds_beside_a_hanging_one_and_stops_on_sigterm(
        feed_server, tmp_path: Path, repo: Path):
    db = tmp_path / "sw.db"
    out = tmp_path / "alerts.jsonl"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{db}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        "sources:\n"
        # listed first: with one lock over whole cycles it would hold every other source
        f"  - {{name: hanging, kind: feed, url: '{feed_server.url('/slow-headers')}',\n"
        "     timeout: 300, deadline: 600}\n"
        f"  - {{name: outlet, kind: feed, url: '{feed_server.url('/feeds/outlet_a.rss')}'}}\n"
        f"channels: [{{name: file, kind: file, path: '{out}'}}]\n"
        "scheduler: {jitter_seconds: 0}\n", encoding="utf-8")
    err = tmp_path / "stderr.txt"
    with err.open("w") as fh:
        proc = subprocess.Popen([*RUN, "-v", "run", "--config", str(cfg)], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=fh)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "source=outlet" not in err.read_text():
            time.sleep(0.2)
        log = err.read_text()
        assert "source.done source=outlet" in log, log[-3000:]
        assert "source.done source=hanging" not in log  # the other one is still hanging
        assert feed_server.hits("/slow-headers")
    finally:
        stopped = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    log = err.read_text()
    assert time.monotonic() - stopped < 10, log[-3000:]
    assert code == 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    assert "source.interrupted source=hanging" in log
