"""Leases: which daemon does what, when several share one database.

A lease is a row of `daemon_state` keyed `lease:NAME` (`source:feeds`, `outbox`,
`list:ofac_sdn`, `daemon:HOLDER`): `value` is the holder (`host:pid`, empty once released),
`updated` the last heartbeat. A lease is free when released or when its heartbeat is older
than its time to live, so the work of a killed daemon is taken over once its leases expire.
Taking one is a single conditional UPDATE (or an INSERT that ignores a conflict): on
PostgreSQL a second daemon's UPDATE waits for the first one's row lock and then sees the new
holder, so exactly one of them gets it; on SQLite writes are serialised anyway.

`cycle:NAME` facts record when a job last started, whoever ran it: a daemon whose scheduler
fires a job that another daemon ran moments ago skips it (`recently_run`), so every source
cycle is run once, not once per daemon.

`StoreLock` serialises storing across daemons on PostgreSQL (`pg_advisory_lock`), as
`App.lock` does across the threads of one: a story lookup must see what another daemon just
stored, or two copies of one report would start two stories and raise its alert twice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.store import Store, _insert_ignore

log = logging.getLogger("sanctionwatch.leases")
TTL = timedelta(seconds=60)
PREFIX = "lease:"
CYCLE = "cycle:"
ADVISORY_KEY = 0x5357_0001  # the advisory lock every daemon takes to store ("SW", 1)


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire(store: Store, name: str, holder: str, now: datetime, ttl: timedelta = TTL) -> bool:
    """Take (or renew) the lease `name` for `holder`; False when another holder has it."""
    d = t.daemon_state.c
    key = PREFIX + name
    with store.transaction() as conn:
        taken = conn.execute(
            t.daemon_state.update()
            .where((d.key == key) & ((d.value == holder) | (d.value == "")
                                     | (d.updated < now - ttl)))
            .values(value=holder, updated=now)).rowcount
        if taken:
            return True
        return _insert_ignore(conn, t.daemon_state,
                              {"key": key, "value": holder, "updated": now}, ["key"])


def take_over(store: Store, name: str, holder: str, stale: str, now: datetime) -> bool:
    """Take the lease `name` from `stale`, a holder known to be gone (a process of this host
    that no longer exists)."""
    d = t.daemon_state.c
    with store.transaction() as conn:
        return bool(conn.execute(t.daemon_state.update()
                                 .where((d.key == PREFIX + name) & (d.value == stale))
                                 .values(value=holder, updated=now)).rowcount)


def gone(holder: str) -> bool:
    """Whether `holder` is a process of this host that has exited."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release(store: Store, name: str, holder: str, now: datetime) -> None:
    d = t.daemon_state.c
    with store.transaction() as conn:
        conn.execute(t.daemon_state.update()
                     .where((d.key == PREFIX + name) & (d.value == holder))
                     .values(value="", updated=now))


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    heartbeat: datetime
    alive: bool


def leases(store: Store, now: datetime, ttl: timedelta = TTL) -> list[Lease]:
    """Every lease held, with whether its holder still beats (for `status`)."""
    d = t.daemon_state.c
    with store.transaction() as conn:
        rows = conn.execute(sa.select(d.key, d.value, d.updated)
                            .where(d.key.startswith(PREFIX, autoescape=True) & (d.value != ""))
                            .order_by(d.key)).all()
    return [Lease(r.key[len(PREFIX):], r.value, r.updated, r.updated >= now - ttl)
            for r in rows]


def recently_run(store: Store, name: str, now: datetime, gap: timedelta) -> bool:
    """Whether job `name` started less than `gap` ago (by any daemon)."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.daemon_state.c.updated)
                           .where(t.daemon_state.c.key == CYCLE + name)).first()
    return row is not None and row.updated > now - gap


def note_run(store: Store, name: str, holder: str, now: datetime) -> None:
    d = t.daemon_state.c
    with store.transaction() as conn:
        if not conn.execute(t.daemon_state.update().where(d.key == CYCLE + name)
                            .values(value=holder, updated=now)).rowcount:
            _insert_ignore(conn, t.daemon_state,
                           {"key": CYCLE + name, "value": holder, "updated": now}, ["key"])


class Heartbeat:
    """Renews leases every `ttl / 3` in a thread until stopped."""

    def __init__(self, store: Store, holder: str, clock, ttl: timedelta = TTL):
        self.store, self.holder, self.clock, self.ttl = store, holder, clock, ttl
        self.names: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, name: str) -> None:
        with self._lock:
            self.names.add(name)

    def discard(self, name: str) -> None:
        with self._lock:
            self.names.discard(name)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="leases", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.ttl.total_seconds() / 3):
            with self._lock:
                names = sorted(self.names)
            for name in names:
                try:
                    if not acquire(self.store, name, self.holder, self.clock(), self.ttl):
                        log.error("lease.lost name=%s holder=%s", name, self.holder)
                except Exception as exc:  # the database away for a moment: try again later
                    log.warning("lease.renew_failed name=%s reason=%s", name, exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)


@contextlib.contextmanager
def held(store: Store, name: str, holder: str, clock, beat: Heartbeat | None = None,
         ttl: timedelta = TTL) -> Iterator[bool]:
    """Yields whether the lease was taken; renewed while held, released afterwards."""
    if not acquire(store, name, holder, clock(), ttl):
        yield False
        return
    if beat is not None:
        beat.add(name)
    try:
        yield True
    finally:
        if beat is not None:
            beat.discard(name)
        try:
            release(store, name, holder, clock())
        except Exception as exc:
            log.warning("lease.release_failed name=%s reason=%s", name, exc)


@contextlib.contextmanager
def startup(store: Store) -> Iterator[None]:
    """Daemons starting together on PostgreSQL set up one at a time (the scheduler creates
    its job table and syncs the jobs; two doing it at once collide). The schema lock's key."""
    if store.engine.dialect.name != "postgresql":
        yield
        return
    with store.engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": t.MIGRATION_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": t.MIGRATION_LOCK})
            conn.commit()


class StoreLock:
    """`App.lock` and, on PostgreSQL, an advisory lock held on a connection of its own, so
    that one thread of one daemon stores at a time. Re-entrant, like `App.lock`."""

    def __init__(self, store: Store, local: threading.RLock):
        self.store = store
        self.local = local
        self.depth = 0
        self.conn = None
        self.shared = store.engine.dialect.name == "postgresql"

    def __enter__(self) -> StoreLock:
        self.local.acquire()
        self.depth += 1
        if self.depth == 1 and self.shared:
            try:
                if self.conn is None:
                    self.conn = self.store.engine.connect()
                self.conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_KEY})
                self.conn.commit()
            except Exception:
                self.depth -= 1
                self.local.release()
                raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.depth == 1 and self.shared and self.conn is not None:
                self.conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"),
                                  {"k": ADVISORY_KEY})
                self.conn.commit()
        finally:
            self.depth -= 1
            self.local.release()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
