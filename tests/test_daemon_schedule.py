"""The schedule lives in the database: a restart keeps each job's next run, a changed interval
or cron re-times it, a removed source loses its job; a batch rolls back as a whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sanctionwatch.app import make_app
from sanctionwatch.config import load_settings
from sanctionwatch.errors import StorageError
from sanctionwatch.scheduler import build_scheduler, sync_jobs
from sanctionwatch.types import ArticleData

# in the future, so that nothing is due while the (paused) scheduler is up
NOW = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)


def _app(tmp_path, repo, sources: str):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{tmp_path / 'sw.db'}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        "scheduler: {jitter_seconds: 5, retention_days: 30}\n"
        + (f"sources:\n{sources}" if sources else "sources: []\n") + "channels: []\n",
        encoding="utf-8")
    (tmp_path / "drop").mkdir(exist_ok=True)
    return make_app(load_settings(cfg), clock=lambda: NOW)


def _jobs(app):
    sched = build_scheduler(app)
    sched.start(paused=True)
    return sched


def test_restart_keeps_schedules_and_config_changes_apply(tmp_path, repo):
    two = ("  - {name: drop, kind: folder, path: drop, interval: 15m}\n"
           "  - {name: news, kind: feed, url: 'http://127.0.0.1:9/rss', cron: '0 6 * * *'}\n")
    app = _app(tmp_path, repo, two)
    sched = _jobs(app)
    done = sync_jobs(sched, app, NOW)
    assert done["source:drop"] == done["source:news"] == "added"
    assert done["retention"] == "added"
    job = sched.get_job("source:drop")
    assert job.next_run_time == NOW and job.trigger.jitter == 5
    later = NOW + timedelta(minutes=7)
    job.modify(next_run_time=later)
    sched.shutdown(wait=False)
    app.close()

    app = _app(tmp_path, repo, two)  # a restart with the same configuration
    sched = _jobs(app)
    done = sync_jobs(sched, app, NOW + timedelta(minutes=1))
    assert done["source:drop"] == "kept" and done["source:news"] == "kept"
    assert sched.get_job("source:drop").next_run_time == later
    assert sched.get_job("source:drop").coalesce and sched.get_job("source:drop").max_instances == 1
    sched.shutdown(wait=False)
    app.close()

    app = _app(tmp_path, repo, "  - {name: drop, kind: folder, path: drop, interval: 30m}\n")
    sched = _jobs(app)
    done = sync_jobs(sched, app, NOW + timedelta(minutes=2))
    assert done == {"source:news": "removed", "source:drop": "changed", "outbox": "kept",
                    "refresh": "kept", "retention": "kept",
                    **({"watchlist": "kept"} if "watchlist" in done else {})}
    assert sched.get_job("source:drop").next_run_time == NOW + timedelta(minutes=2)
    sched.shutdown(wait=False)
    app.close()


def test_a_batch_commits_together_or_not_at_all(tmp_path, repo):
    app = _app(tmp_path, repo, "")
    store = app.store
    with pytest.raises(StorageError), store.batch():
        store.ingest(ArticleData("s", "1", "first"), (), (), NOW)
        store.ingest(ArticleData("s", "2", "second"), (), (), NOW)
        with store.transaction() as conn:
            conn.exec_driver_sql("SELECT * FROM no_such_table")
    assert store.count_articles() == 0
    with store.batch():
        store.ingest(ArticleData("s", "1", "first"), (), (), NOW)
    assert store.count_articles() == 1
    app.close()
