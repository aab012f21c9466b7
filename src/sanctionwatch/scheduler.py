"""APScheduler 3 jobs around pipeline cycles: one job per source on its interval."""

from __future__ import annotations

import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler

from sanctionwatch.app import App
from sanctionwatch.config import interval_seconds
from sanctionwatch.pipeline import run_source

log = logging.getLogger("sanctionwatch.scheduler")


def build_scheduler(app: App) -> BlockingScheduler:
    sched = BlockingScheduler(timezone="UTC", job_defaults={
        "coalesce": True, "max_instances": 1,
        "misfire_grace_time": app.settings.scheduler.misfire_grace_seconds,
    })
    by_name = {s.name: s for s in app.sources}
    for cfg in app.settings.sources:
        if cfg.name not in by_name:
            continue
        source = by_name[cfg.name]
        sched.add_job(
            run_source, "interval", seconds=interval_seconds(cfg.interval), id=f"source:{cfg.name}",
            name=f"source {cfg.name}", jitter=app.settings.scheduler.jitter_seconds or None,
            args=(source, app.store, app.analyzer, app.channels, app.clock),
            next_run_time=app.clock(), replace_existing=True,
        )
    if app.outbox is not None:  # the delivery worker (storage/outbox.py)
        sched.add_job(app.deliver, "interval", id="outbox", name="outbox", replace_existing=True,
                      seconds=interval_seconds(app.settings.alerts.outbox.interval))
    return sched


def run_forever(app: App) -> None:
    sched = build_scheduler(app)

    def stop(signum, _frame):
        log.info("scheduler.stopping signal=%s", signum)
        sched.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler.started jobs=%d", len(sched.get_jobs()))
    sched.start()
