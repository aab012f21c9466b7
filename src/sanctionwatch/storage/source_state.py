"""Source health: when each source last ran, succeeded or failed, how often it failed in a
row, and until when it backs off. Also small facts about the daemon (the watchlist version it
loaded) and the scheduler's next runs, for `sanctionwatch status`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.rows import _insert_ignore
from sanctionwatch.storage.store import Store

JOBS_TABLE = "apscheduler_jobs"  # the scheduler's job store, in the same database


@dataclass(frozen=True, slots=True)
class SourceState:
    source: str
    last_run: datetime | None = None
    last_success: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    failures: int = 0
    backoff_until: datetime | None = None
    items_seen: int = 0
    articles_new: int = 0

    def backing_off(self, now: datetime) -> bool:
        return self.backoff_until is not None and now < self.backoff_until


def _ensure(conn, source: str) -> None:
    _insert_ignore(conn, t.source_state, {"source": source, "last_error": "", "failures": 0,
                                          "items_seen": 0, "articles_new": 0}, ["source"])


def get_state(store: Store, source: str) -> SourceState:
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.source_state)
                           .where(t.source_state.c.source == source)).first()
    return _state(row) if row is not None else SourceState(source)


def all_states(store: Store) -> dict[str, SourceState]:
    with store.transaction() as conn:
        rows = conn.execute(sa.select(t.source_state)).all()
    return {r.source: _state(r) for r in rows}


def record_success(store: Store, source: str, now: datetime, items: int,
                   articles_new: int) -> None:
    """A run that fetched the source: the failure streak and backoff end."""
    with store.transaction() as conn:
        _ensure(conn, source)
        c = t.source_state.c
        conn.execute(t.source_state.update().where(c.source == source).values(
            last_run=now, last_success=now, failures=0, backoff_until=None,
            items_seen=c.items_seen + items, articles_new=c.articles_new + articles_new))


def record_failure(store: Store, source: str, now: datetime, error: str,
                   backoff_until: datetime | None, items: int = 0,
                   articles_new: int = 0) -> int:
    """A run that could not fetch the source; returns the length of the failure streak."""
    with store.transaction() as conn:
        _ensure(conn, source)
        c = t.source_state.c
        conn.execute(t.source_state.update().where(c.source == source).values(
            last_run=now, last_error=error[:4000], last_error_at=now,
            failures=c.failures + 1, backoff_until=backoff_until,
            items_seen=c.items_seen + items, articles_new=c.articles_new + articles_new))
        return conn.execute(sa.select(c.failures).where(c.source == source)).scalar_one()


def note_item_problem(store: Store, source: str, now: datetime, error: str) -> None:
    """An item the source could not read (the source itself still counts as working)."""
    with store.transaction() as conn:
        _ensure(conn, source)
        conn.execute(t.source_state.update().where(t.source_state.c.source == source)
                     .values(last_error=error[:4000], last_error_at=now))


def set_fact(store: Store, key: str, value: str, now: datetime) -> None:
    with store.transaction() as conn:
        updated = conn.execute(t.daemon_state.update().where(t.daemon_state.c.key == key)
                               .values(value=value, updated=now)).rowcount
        if not updated:
            _insert_ignore(conn, t.daemon_state, {"key": key, "value": value, "updated": now},
                           ["key"])


def get_fact(store: Store, key: str) -> tuple[str, datetime] | None:
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.daemon_state).where(t.daemon_state.c.key == key)).first()
    return (row.value, row.updated) if row is not None else None


def scheduled_runs(store: Store, table: str = "apscheduler_jobs") -> dict[str, datetime | None]:
    """Job id -> next run time, read from the scheduler's job table when there is one."""
    with store.transaction() as conn:
        if not sa.inspect(conn).has_table(table):
            return {}
        jobs = sa.Table(table, sa.MetaData(), autoload_with=conn)
        rows = conn.execute(sa.select(jobs.c.id, jobs.c.next_run_time)).all()
    return {r.id: (datetime.fromtimestamp(r.next_run_time, UTC)
                   if r.next_run_time is not None else None) for r in rows}


def _state(row) -> SourceState:
    return SourceState(row.source, row.last_run, row.last_success, row.last_error or "",
                       row.last_error_at, row.failures or 0, row.backoff_until,
                       row.items_seen or 0, row.articles_new or 0)
