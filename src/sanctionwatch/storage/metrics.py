"""Aggregate numbers for monitoring (`GET /metrics`): counts read at scrape time, so they
survive restarts and agree across the daemon and the web process. Every query is a COUNT or
a GROUP BY over indexed columns or small tables; nothing here returns a name of an entity, a
user or a text, only source and channel names from the config.

The last cycle's duration of each source is kept as a daemon fact (`cycle_seconds:NAME`),
written by `record_cycle` after a source ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.source_state import set_fact
from sanctionwatch.storage.store import Store

CYCLE_FACT = "cycle_seconds:"


@dataclass(frozen=True, slots=True)
class SourceHealth:
    source: str
    failures: int  # failed runs in a row (0 after a success)
    last_success: datetime | None
    last_error_at: datetime | None
    last_cycle_seconds: float | None


@dataclass(frozen=True, slots=True)
class ChannelQueue:
    channel: str
    pending: int
    sent: int
    failing: int  # pending after at least one failed attempt
    failed_attempts: int  # failed attempts of the deliveries still stored


@dataclass(frozen=True, slots=True)
class Counts:
    articles: int
    mentions: int
    alerts: tuple[tuple[str, str, str, int], ...]  # (type, severity, status, count)
    channels: tuple[ChannelQueue, ...]
    sources: tuple[SourceHealth, ...]


def record_cycle(store: Store, source: str, seconds: float, now: datetime) -> None:
    """Keep how long the source's last run took (for `sanctionwatch_source_last_cycle_seconds`)."""
    set_fact(store, CYCLE_FACT + source, f"{seconds:.6f}", now)


def counts(store: Store) -> Counts:
    count = sa.func.count()
    a, d, s = t.alerts.c, t.deliveries.c, t.source_state.c
    with store.transaction() as conn:
        articles = conn.execute(sa.select(count).select_from(t.articles)).scalar_one()
        mentions = conn.execute(sa.select(count).select_from(t.mentions)).scalar_one()
        alerts = conn.execute(sa.select(a.type, a.severity, a.status, count)
                              .group_by(a.type, a.severity, a.status)).all()
        failed = sa.case((d.status == "sent", d.attempts - 1), else_=d.attempts)
        queues = conn.execute(sa.select(
            d.channel,
            sa.func.sum(sa.case((d.status == "pending", 1), else_=0)),
            sa.func.sum(sa.case((d.status == "sent", 1), else_=0)),
            sa.func.sum(sa.case(((d.status == "pending") & (d.attempts > 0), 1), else_=0)),
            sa.func.sum(failed)).group_by(d.channel)).all()
        states = conn.execute(sa.select(s.source, s.failures, s.last_success,
                                        s.last_error_at)).all()
        cycles = {r.key[len(CYCLE_FACT):]: r.value for r in conn.execute(
            sa.select(t.daemon_state.c.key, t.daemon_state.c.value).where(
                t.daemon_state.c.key.startswith(CYCLE_FACT, autoescape=True))).all()}
    names = sorted({r.source for r in states} | set(cycles))
    by_source = {r.source: r for r in states}
    sources = []
    for name in names:
        r = by_source.get(name)
        sources.append(SourceHealth(
            name, int(r.failures or 0) if r else 0, r.last_success if r else None,
            r.last_error_at if r else None, _seconds(cycles.get(name))))
    return Counts(
        int(articles), int(mentions),
        tuple(sorted((r[0], r[1], r[2], int(r[3])) for r in alerts)),
        tuple(ChannelQueue(r[0], int(r[1] or 0), int(r[2] or 0), int(r[3] or 0),
                           max(0, int(r[4] or 0))) for r in sorted(queues)),
        tuple(sources))


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
