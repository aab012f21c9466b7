"""Re-screening jobs (table `rescreen_jobs`): recorded when a version that stored articles
must be checked against again is created, completed by whoever opens the app next
(lifecycle/rescreen.py runs them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.store import Store

KINDS = ("watchlist", "list", "rules", "manual")


@dataclass(frozen=True, slots=True)
class RescreenJob:
    id: int
    kind: str
    version_id: int | None
    previous_id: int | None
    rules: str
    since: datetime
    status: str
    created: datetime
    finished: datetime | None
    articles: int
    alerts: int
    note: str

    def describe(self) -> str:
        what = {"watchlist": f"curated version {self.version_id}",
                "list": f"list version {self.version_id}",
                "rules": f"rules {self.rules[:12]}",
                "manual": "on demand"}[self.kind]
        return f"re-screening #{self.id} ({what}, articles since {self.since:%Y-%m-%d %H:%M})"


def _job(row) -> RescreenJob:
    return RescreenJob(row.id, row.kind, row.version_id, row.previous_id, row.rules, row.since,
                       row.status, row.created, row.finished, row.articles, row.alerts,
                       row.note)


def add_job(store: Store, kind: str, since: datetime, now: datetime, *,
            version_id: int | None = None, previous_id: int | None = None,
            rules: str = "", note: str = "") -> RescreenJob:
    if kind not in KINDS:
        raise ValueError(f"rescreen kind {kind!r}: one of {', '.join(KINDS)}")
    with store.transaction() as conn:
        job_id = conn.execute(t.rescreen_jobs.insert().values(
            kind=kind, version_id=version_id, previous_id=previous_id, rules=rules,
            since=since, status="pending", created=now, finished=None, articles=0, alerts=0,
            note=note)).inserted_primary_key[0]
        return _job(conn.execute(sa.select(t.rescreen_jobs)
                                 .where(t.rescreen_jobs.c.id == job_id)).one())


def pending(store: Store) -> list[RescreenJob]:
    """Jobs not done yet, oldest first."""
    j = t.rescreen_jobs.c
    with store.transaction() as conn:
        rows = conn.execute(sa.select(t.rescreen_jobs).where(j.status == "pending")
                            .order_by(j.id)).all()
    return [_job(r) for r in rows]


def finish(store: Store, job_id: int, articles: int, alerts: int, now: datetime) -> None:
    j = t.rescreen_jobs.c
    with store.transaction() as conn:
        conn.execute(t.rescreen_jobs.update().where(j.id == job_id).values(
            status="done", finished=now, articles=articles, alerts=alerts))


def jobs(store: Store, limit: int = 50) -> list[RescreenJob]:
    """The latest jobs, newest first (for `status` and `rescreen --list`)."""
    j = t.rescreen_jobs.c
    with store.transaction() as conn:
        rows = conn.execute(sa.select(t.rescreen_jobs).order_by(j.id.desc()).limit(limit)).all()
    return [_job(r) for r in rows]
