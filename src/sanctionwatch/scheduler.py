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
from sanctionwatch.storage import leases
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
    # several daemons on one database (storage/leases.py): set by run_forever
    holder: str = ""
    ttl: timedelta = leases.TTL
    beat: leases.Heartbeat | None = None
    # the latest stored version of each list in force when the analyser was last built: a
    # list another daemon imported is swapped in at this daemon's next watchlist poll
    lists: tuple | None = None


_RUNTIME: Runtime | None = None


@contextlib.contextmanager
def exclusive(rt: Runtime, name: str, gap: timedelta):
    """Whether this daemon runs job `name` now: it takes the job's lease and nobody ran the
    job less than `gap` ago. Always true outside the daemon (run --once, tests)."""
    if rt.beat is None:
        yield True
        return
    app = rt.app
    with leases.held(app.store, name, rt.holder, app.clock, rt.beat, rt.ttl) as got:
        if not got:
            log.info("lease.busy job=%s", name)
            yield False
        elif leases.recently_run(app.store, name, app.clock(), gap):
            log.info("lease.recently_run job=%s", name)
            yield False
        else:
            leases.note_run(app.store, name, rt.holder, app.clock())
            yield True


def _gap(app: App, job: str) -> timedelta:
    """Half a job's interval (a cron job: a minute): a run by another daemon closer than
    that is this run."""
    if job.startswith("source:"):
        cfg = next((c for c in app.settings.sources if c.name == job[7:]), None)
        every = None if cfg is None or cfg.cron else cfg.interval
    elif job.startswith("list:"):
        cfg = next((c for c in app.settings.lists if c.name == job[5:]), None)
        every = cfg.schedule if cfg is not None else None
    else:
        every = app.settings.scheduler.retention_interval
    try:
        return timedelta(seconds=interval_seconds(every) / 2) if every else timedelta(minutes=1)
    except ConfigError:
        return timedelta(minutes=1)


def list_versions(app: App) -> tuple:
    """(list name, latest stored version id) of every list matched against."""
    from sanctionwatch.storage import watchlists as wv

    out = []
    for cfg in getattr(app.settings, "lists", ()):
        if cfg.enabled and cfg.match:
            latest = wv.latest_version(app.store, cfg.name)
            out.append((cfg.name, latest.id if latest is not None else None))
    return tuple(out)


# -- jobs (module-level functions with plain arguments: they are pickled into the database) --

def run_source_job(name: str) -> CycleReport | None:
    rt = _RUNTIME
    if rt is None:
        log.warning("scheduler.no_app job=source:%s", name)
        return None
    if rt.app.stop.is_set():
        return None
    with exclusive(rt, f"source:{name}", _gap(rt.app, f"source:{name}")) as mine:
        if not mine:
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
    if rt.beat is not None and rt.app.watcher is not None:  # a list another daemon imported
        now = list_versions(rt.app)
        if rt.lists is not None and now != rt.lists:
            rt.app.watcher.rebuild("a list version imported by another daemon")
            rt.app.record_watchlist_label()
        rt.lists = now


def list_job(name: str) -> None:
    """Import one configured official list (App.refresh_list)."""
    rt = _RUNTIME
    if rt is None or rt.app.stop.is_set():
        return
    with exclusive(rt, f"list:{name}", _gap(rt.app, f"list:{name}")) as mine:
        if not mine:
            return
        try:
            rt.app.refresh_list(name)
        except SanctionwatchError as exc:
            log.error("list.refresh_failed list=%s reason=%s", name, exc)
            return
        if rt.beat is not None:
            rt.lists = list_versions(rt.app)  # this daemon's analyser has them already
    rt.app.record_watchlist_label()


def retention_job() -> int:
    rt = _RUNTIME
    days = rt.app.settings.scheduler.retention_days if rt else 0
    if rt is None or not days:
        return 0
    with exclusive(rt, "retention", _gap(rt.app, "retention")) as mine:
        if not mine:
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


def install(app: App, rt: Runtime | None = None) -> Runtime:
    """Start the app (rules, watchlist, pending re-screening) and make it the one the
    persisted jobs run against."""
    global _RUNTIME
    _RUNTIME = rt if rt is not None else Runtime(app)
    app.start()
    app.complete_pending()
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


def join_daemons(app: App, rt: Runtime) -> None:
    """Announce this daemon in the database (lease `daemon:HOLDER`, renewed by a heartbeat).
    On SQLite there is one daemon per database: a second one is refused, saying so. On
    PostgreSQL `App.lock` becomes a `StoreLock`: storing is serialised across daemons."""
    rt.holder = leases.holder_id()
    rt.ttl = timedelta(seconds=app.settings.scheduler.lease_seconds)
    now = app.clock()
    if app.store.engine.dialect.name == "sqlite":
        other = None
        if not leases.acquire(app.store, "daemon", rt.holder, now, rt.ttl):
            other = next((x for x in leases.leases(app.store, now, rt.ttl)
                          if x.name == "daemon"), None)
            if other is not None and leases.gone(other.holder) and leases.take_over(
                    app.store, "daemon", rt.holder, other.holder, now):
                log.warning("scheduler.took_over holder=%s (exited without releasing)",
                            other.holder)
                other = None
        if other is not None:
            raise ConfigError(
                f"another daemon ({other.holder}) runs on this SQLite "
                "database: SQLite is single-daemon mode (one writer); use PostgreSQL to run "
                "several daemons, or stop the other one (its lease expires "
                f"{int(rt.ttl.total_seconds())} s after it stops beating)")
        names = ["daemon"]
    else:
        leases.acquire(app.store, f"daemon:{rt.holder}", rt.holder, now, rt.ttl)
        names = [f"daemon:{rt.holder}"]
        app.lock = leases.StoreLock(app.store, app.lock)
    rt.lists = list_versions(app)  # what the analyser was built with at start
    rt.beat = leases.Heartbeat(app.store, rt.holder, app.clock, rt.ttl)
    for n in names:
        rt.beat.add(n)
    rt.beat.start()
    log.info("scheduler.joined holder=%s mode=%s", rt.holder,
             "single" if names == ["daemon"] else "shared")


def leave_daemons(app: App, rt: Runtime) -> None:
    if rt.beat is None:
        return
    rt.beat.stop()
    for n in sorted(rt.beat.names):
        with contextlib.suppress(Exception):
            leases.release(app.store, n, rt.holder, app.clock())
    if isinstance(app.lock, leases.StoreLock):
        app.lock.close()
        app.lock = app.lock.local


def run_forever(app: App) -> None:
    """The daemon in the foreground until SIGINT / SIGTERM. A second daemon on a SQLite
    database is refused before it writes anything (its start would wait on the first's
    writes)."""
    rt = Runtime(app)
    join_daemons(app, rt)
    sched = None
    try:
        install(app, rt)
        _handle_signals(app)
        sched = build_scheduler(app)
        with leases.startup(app.store):  # one daemon at a time creates and syncs the job table
            sched.start(paused=True)
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
        if sched is not None and sched.running:
            sched.shutdown(wait=True)
        leave_daemons(app, rt)
        log.info("scheduler.stopped")

