"""APScheduler 3 around pipeline cycles: one job per source (interval or cron), the outbox
delivery worker, the rules refresh, the watchlist watcher and official-list imports (each an
`App` method) and a retention job.

Jobs live in the same database as everything else (SQLAlchemyJobStore, table
`apscheduler_jobs`), so a restart keeps each source's schedule: a job whose trigger is
unchanged keeps its next run time; a new or re-timed source runs at once. Every job coalesces
missed runs into one, runs one instance at a time, tolerates `misfire_grace_seconds` of delay,
and source jobs get `jitter_seconds` of random delay. Persisted jobs name module-level
functions with plain arguments (a source's name); they find the running app in `_RUNTIME`.

Source jobs run side by side, each in its own thread, and fetch at the same time; they store
one item at a time under `App.lock` (SQLite has one writer, and a story lookup must see the
articles another source just stored), so a slow server stalls only its own source. SIGINT /
SIGTERM set `App.stop`: a fetch in progress is cut within a fraction of a second, a source
that is storing finishes its current article and stops, the scheduler shuts down, the process
exits 0. A second signal exits at once (the database rolls back the article in progress).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from sanctionwatch.config import SourceSettings, interval_seconds
from sanctionwatch.errors import ConfigError, SanctionwatchError
from sanctionwatch.pipeline import CycleReport
from sanctionwatch.storage.retention import prune_articles
from sanctionwatch.storage.source_state import JOBS_TABLE

if TYPE_CHECKING:
    from sanctionwatch.app import App

log = logging.getLogger("sanctionwatch.scheduler")

@dataclass
class Runtime:
    """What persisted jobs run against in this process."""

    app: App
    # set by a source job that raised alerts; the daemon's main loop then runs the outbox now
    # (a job thread must not touch the scheduler: it may be shutting down)
    wake_outbox: threading.Event = field(default_factory=threading.Event)


_RUNTIME: Runtime | None = None


# -- jobs (module-level functions with plain arguments: they are pickled into the database) --

def run_source_job(name: str) -> CycleReport | None:
    rt = _RUNTIME
    if rt is None:
        log.warning("scheduler.no_app job=source:%s", name)
        return None
    if rt.app.stop.is_set():
        return None
    report = rt.app.run_source(name)
    if report is not None and report.alerts:
        rt.wake_outbox.set()  # new alerts go out now, not at the outbox's next tick
    return report


def deliver_job() -> None:
    rt = _RUNTIME
    if rt is not None and not rt.app.stop.is_set():
        rt.app.deliver()


def refresh_job() -> bool:
    """Load the rule files again when they changed (App.reload_rules)."""
    rt = _RUNTIME
    if rt is None or rt.app.stop.is_set():
        return False
    reloaded = rt.app.reload_rules()
    if reloaded:
        rt.app.record_watchlist_label()
    return reloaded


def watchlist_job() -> None:
    """Poll the watchlist folder (App.reload_watchlist)."""
    rt = _RUNTIME
    if rt is None or rt.app.stop.is_set():
        return
    before = rt.app.watchlist_label()
    rt.app.reload_watchlist()
    if rt.app.watchlist_label() != before:
        rt.app.record_watchlist_label()


def list_job(name: str) -> None:
    """Import one configured official list (App.refresh_list)."""
    rt = _RUNTIME
    if rt is None or rt.app.stop.is_set():
        return
    try:
        rt.app.refresh_list(name)
    except SanctionwatchError as exc:
        log.error("list.refresh_failed list=%s reason=%s", name, exc)
        return
    rt.app.record_watchlist_label()


def retention_job() -> int:
    rt = _RUNTIME
    days = rt.app.settings.scheduler.retention_days if rt else 0
    if rt is None or not days:
        return 0
    with rt.app.lock:
        n = prune_articles(rt.app.store, rt.app.clock() - timedelta(days=days))
    log.info("retention.done deleted=%d older_than_days=%d", n, days)
    return n


# -- building and syncing the schedule --------------------------------------------------------

def source_trigger(cfg: SourceSettings, jitter: int):
    cron = cfg.cron  # checked when the config was read (config.py)
    try:
        if cron:
            return CronTrigger.from_crontab(cron, timezone="UTC")
        return IntervalTrigger(seconds=interval_seconds(cfg.interval), timezone="UTC",
                               jitter=jitter or None)
    except ValueError as exc:
        raise ConfigError(f"source {cfg.name!r}: bad cron {cron!r}: {exc}") from exc


def _every(text: str, what: str):
    """An interval ("15m") or a crontab line ("0 6 * * *") as a trigger."""
    try:
        return IntervalTrigger(seconds=interval_seconds(text), timezone="UTC")
    except ConfigError:
        pass
    try:
        return CronTrigger.from_crontab(text, timezone="UTC")
    except ValueError as exc:
        raise ConfigError(f"{what}: {text!r} is neither an interval nor a cron line") from exc


def _trigger_key(trigger) -> tuple:
    if isinstance(trigger, IntervalTrigger):
        return ("interval", trigger.interval, trigger.jitter)
    return (type(trigger).__name__, str(trigger), getattr(trigger, "jitter", None))


def desired_jobs(app: App) -> dict[str, tuple[object, object, tuple]]:
    """Job id -> (function, trigger, args) for this configuration."""
    s = app.settings.scheduler
    jobs: dict[str, tuple[object, object, tuple]] = {}
    active = {src.name for src in app.sources}
    for cfg in app.settings.sources:
        if cfg.name in active:
            jobs[f"source:{cfg.name}"] = (run_source_job, source_trigger(cfg, s.jitter_seconds),
                                          (cfg.name,))
    # the deliveries of alerts raised anywhere (by commands too) are sent by the daemon
    jobs["outbox"] = (deliver_job, IntervalTrigger(
        seconds=interval_seconds(app.settings.alerts.outbox.interval), timezone="UTC"), ())
    if interval_seconds(s.refresh_interval):
        jobs["refresh"] = (refresh_job, IntervalTrigger(
            seconds=interval_seconds(s.refresh_interval), timezone="UTC"), ())
    poll = app.settings.watchlist.poll_interval
    if poll and interval_seconds(poll):
        jobs["watchlist"] = (watchlist_job, IntervalTrigger(seconds=interval_seconds(poll),
                                                            timezone="UTC"), ())
    for lst in app.settings.lists:
        if lst.enabled:
            jobs[f"list:{lst.name}"] = (list_job, _every(lst.schedule, f"list {lst.name!r}"),
                                        (lst.name,))
    if s.retention_days:
        jobs["retention"] = (retention_job, IntervalTrigger(
            seconds=interval_seconds(s.retention_interval), timezone="UTC"), ())
    return jobs


def build_scheduler(app: App) -> BackgroundScheduler:
    """A scheduler with its jobs in the app's database; not started."""
    s = app.settings.scheduler
    return BackgroundScheduler(
        timezone="UTC",
        jobstores={"default": SQLAlchemyJobStore(engine=app.store.engine,
                                                 tablename=JOBS_TABLE)},
        # a thread for every source, so that none waits for another's slow server, and a few
        # for the outbox, refresh, watchlist, list and retention jobs
        executors={"default": ThreadPoolExecutor(len(app.sources) + 4)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": max(1, s.misfire_grace_seconds)},
    )


def sync_jobs(sched: BackgroundScheduler, app: App, now: datetime) -> dict[str, str]:
    """Make the stored jobs match the configuration; returns job id -> what was done
    ("kept", "added", "changed", "removed"). Kept jobs keep their next run time."""
    wanted = desired_jobs(app)
    done: dict[str, str] = {}
    for job in sched.get_jobs():
        if job.id not in wanted:
            job.remove()
            done[job.id] = "removed"
    existing = {job.id: job for job in sched.get_jobs()}
    for job_id, (func, trigger, args) in wanted.items():
        old = existing.get(job_id)
        if old is not None and _trigger_key(old.trigger) == _trigger_key(trigger) \
                and tuple(old.args) == args:
            done[job_id] = "kept"
            continue
        first = now if job_id.startswith("source:") else None
        sched.add_job(func, trigger, args=args, id=job_id, name=job_id, replace_existing=True,
                      **({"next_run_time": first} if first else {}))
        done[job_id] = "changed" if old is not None else "added"
    return done


def install(app: App) -> Runtime:
    """Start the app (rules, watchlist, pending re-screening) and make it the one the
    persisted jobs run against."""
    global _RUNTIME
    app.start()
    app.complete_pending()
    _RUNTIME = Runtime(app)
    app.record_watchlist_label()
    return _RUNTIME


def _handle_signals(app: App) -> None:
    def stop(signum, _frame):
        if app.stop.is_set():
            log.warning("scheduler.killed signal=%s (second signal: exiting now)", signum)
            os._exit(130)
        log.info("scheduler.stopping signal=%s", signum)
        app.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def run_once(app: App) -> list[CycleReport]:
    """Every source once (for cron and tests); SIGINT/SIGTERM stop after the current
    article."""
    install(app)
    if threading.current_thread() is threading.main_thread():
        _handle_signals(app)
    return app.run_once()


def run_forever(app: App) -> None:
    """The daemon in the foreground until SIGINT / SIGTERM."""
    install(app)
    _handle_signals(app)
    sched = build_scheduler(app)
    rt = _RUNTIME
    sched.start(paused=True)
    try:
        done = sync_jobs(sched, app, app.clock())
        for job_id, what in sorted(done.items()):
            log.info("scheduler.job id=%s %s", job_id, what)
        sched.resume()
        log.info("scheduler.started jobs=%d", len(sched.get_jobs()))
        while not app.stop.wait(0.5):
            if rt is not None and rt.wake_outbox.is_set():
                rt.wake_outbox.clear()
                with contextlib.suppress(JobLookupError):
                    sched.modify_job("outbox", next_run_time=datetime.now(UTC))
    finally:
        app.stop.set()
        sched.shutdown(wait=True)
        log.info("scheduler.stopped")

