"""Re-screening stored articles, as a durable job (storage/rescreens.py).

A job is recorded when a version is created that stored articles were never checked
against: a curated watchlist version (an edit, whether the daemon saw it live or found it at
start-up), an official list version (`lists import`, `lists refresh`, the daemon's list jobs),
a change of the rule files, or `sanctionwatch rescreen` on demand. `App.complete_pending()`
runs what is pending — the daemon at start and after each change, `run --once`, `lists
import|refresh` and `rescreen` — so a job that a stopped or killed process left is completed
by the next one. Running a job twice raises nothing twice: mentions already stored are kept,
and an alert the story already has is not raised again.

What counts: after a watchlist or list version, only what its new names found (the rest was
found when the article came in: watchlist/rescreen.py); after a rule change or on demand,
every alert the current rules raise that the article's story does not have yet. Each alert
found this way says so in its `why`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

from sanctionwatch.analysis import Analyzer
from sanctionwatch.storage import rescreens as rj
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, Watchlist
from sanctionwatch.watchlist.diff import diff_watchlists
from sanctionwatch.watchlist.rescreen import (
    NewNames,
    marked_intents,
    new_mentions,
    rescreen_intents,
)

log = logging.getLogger("sanctionwatch.rescreen")

# progress(job, articles done, articles in all)
Progress = Callable[[rj.RescreenJob, int, int], None]


@dataclass
class RescreenReport:
    jobs: list[rj.RescreenJob] = field(default_factory=list)
    articles: int = 0
    alerts: list[Alert] = field(default_factory=list)
    interrupted: bool = False


def new_names(store: Store, job: rj.RescreenJob) -> NewNames:
    """The names a watchlist or list version added to the one before it."""
    assert job.version_id is not None
    new = wv.load_snapshot(store, job.version_id)
    old = wv.load_snapshot(store, job.previous_id) if job.previous_id else Watchlist(())
    diff = diff_watchlists(old, new)
    return NewNames(diff.new_names(), frozenset(e.id for e in diff.added), job.version_id)


def run_job(store: Store, analyzer: Analyzer, job: rj.RescreenJob, version_id: int,
            now: datetime, progress: Progress | None = None,
            stop: threading.Event | None = None,
            lock: AbstractContextManager | None = None) -> RescreenReport:
    """Check the stored articles of the job's window again; the job is marked done unless
    `stop` is set first (then it stays pending, and the next run starts it again).
    `version_id` is the curated version in force, recorded with each alert found; `lock` is
    held while each article's findings are stored (the app's store lock), never while one
    is analysed."""
    lock = lock if lock is not None else contextlib.nullcontext()
    report = RescreenReport([job])
    names = new_names(store, job) if job.kind in ("watchlist", "list") else None
    if names is not None and not names:
        rj.finish(store, job.id, 0, 0, now)
        return report
    reason = {"rules": "rule files changed", "manual": "sanctionwatch rescreen"}.get(job.kind)
    total = wv.count_articles_since(store, job.since)
    for article, story_id in wv.articles_since(store, job.since):
        if stop is not None and stop.is_set():
            report.interrupted = True
            log.info("rescreen.interrupted job=%d articles=%d", job.id, report.articles)
            return report
        report.articles += 1
        result = analyzer.analyze(article.data.text)
        if names is not None:
            mentions = new_mentions(result.mentions, names)
            if not mentions:
                continue
            intents = rescreen_intents(result.intents, names)
        else:
            mentions, intents = list(result.mentions), marked_intents(result.intents, reason)
        with lock:
            report.alerts += wv.add_rescreen_alerts(store, article.id, story_id, mentions,
                                                    intents, names.version_id if names
                                                    else version_id, now)
        if progress is not None:
            progress(job, report.articles, total)
    rj.finish(store, job.id, report.articles, len(report.alerts), now)
    log.info("rescreen.done job=%d kind=%s articles=%d alerts=%d%s", job.id, job.kind,
             report.articles, len(report.alerts),
             f" names={names.describe()}" if names else "")
    return report
