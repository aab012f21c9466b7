"""The outbox table: deliveries waiting, leased, sent or failing, and the operator's actions on
it. Rows are added by `storage/deliveries.py` (inside the alert's transaction) and sent by the
worker in `sanctionwatch.delivery`, through these functions: `claim` leases due rows (so two
workers never send the same row), `mark_sent` makes a row never sent again (also across
restarts), `mark_failed` gives each failed row its own next attempt, `defer` and `release`
give rows back untried.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.alerts import sources_of
from sanctionwatch.storage.rows import _alert
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert


@dataclass(frozen=True, slots=True)
class QueueState:
    """Deliveries of one channel by status, for `sanctionwatch deliver --status`."""

    channel: str
    pending: int
    sent: int
    failing: int  # pending after at least one failed attempt
    next_attempt: datetime | None
    last_error: str


def defer(store: Store, ids: list[int], when: datetime) -> None:
    """Not tried, because the channel is down: due again with the channel's next attempt,
    released, attempts and last error unchanged."""
    if ids:
        with store.transaction() as conn:
            conn.execute(t.deliveries.update().where(t.deliveries.c.id.in_(ids))
                         .values(lease_until=None, next_attempt=when))

def claim(store: Store, names: list[str], now: datetime, lease: timedelta,
          batch_size: int) -> list[Alert]:
    """Lease up to `batch_size` due deliveries of these channels (two workers never get the
    same row); each comes as its alert with the delivery in `extra`."""
    d = t.deliveries.c
    free = d.lease_until.is_(None) | (d.lease_until < now)
    with store.transaction() as conn:
        ids = [r.id for r in conn.execute(
            sa.select(d.id).where((d.status == "pending") & (d.next_attempt <= now) & free
                                  & d.channel.in_(names))
            .order_by(d.id).limit(batch_size)).all()]
        if not ids:
            return []
        got = [r.id for r in conn.execute(
            t.deliveries.update().where(d.id.in_(ids) & (d.status == "pending") & free)
            .values(lease_until=now + lease).returning(d.id)).all()]
        if not got:
            return []
        rows = conn.execute(sa.select(t.deliveries).where(d.id.in_(got))
                            .order_by(d.id)).all()
        alert_ids = sorted({r.alert_id for r in rows})
        a = t.alerts.c
        alerts = {r.id: _alert(r) for r in conn.execute(
            sa.select(t.alerts, t.articles.c.source, t.articles.c.external_id)
            .join(t.articles, t.articles.c.id == a.article_id)
            .where(a.id.in_(alert_ids))).all()}
        sources = sources_of(conn, alert_ids)
    refs = {i: [{"article_id": s.article_id, "source": s.source, "external_id": s.external_id,
                 "url": s.url, "title": s.title, "published": s.published, "added": s.added}
                for s in found] for i, found in sources.items()}
    out = []
    for r in rows:
        base = alerts[r.alert_id]
        extra = {**base.extra, "delivery_id": r.id, "channel": r.channel,
                 "reason": r.reason, "note": r.note, "digest_start": r.digest_start,
                 "attempt": r.attempts + 1,
                 "sources": refs[r.alert_id]}
        out.append(dataclasses.replace(base, extra=extra))
    return out

def release(store: Store, ids: list[int]) -> None:
    if ids:
        with store.transaction() as conn:
            conn.execute(t.deliveries.update().where(t.deliveries.c.id.in_(ids))
                         .values(lease_until=None))

def mark_sent(store: Store, ids: list[int], now: datetime) -> None:
    if not ids:
        return
    d = t.deliveries.c
    with store.transaction() as conn:
        conn.execute(t.deliveries.update().where(d.id.in_(ids) & (d.status == "pending"))
                     .values(status="sent", sent=now, attempts=d.attempts + 1,
                             lease_until=None, last_error=""))

def mark_failed(store: Store, ids: list[int], error: str, now: datetime,
                backoff: Callable[[int], timedelta]) -> int:
    """Schedule the next attempt; returns the wait in seconds (of the first row)."""
    if not ids:
        return 0
    d = t.deliveries.c
    waits = []
    with store.transaction() as conn:
        rows = conn.execute(sa.select(d.id, d.attempts).where(d.id.in_(ids))).all()
        by_attempts: dict[int, list[int]] = {}
        for r in rows:
            by_attempts.setdefault(r.attempts + 1, []).append(r.id)
        for attempts, group in by_attempts.items():
            wait = backoff(attempts)
            waits.append(int(wait.total_seconds()))
            conn.execute(t.deliveries.update().where(d.id.in_(group)).values(
                attempts=attempts, next_attempt=now + wait, lease_until=None,
                last_error=error[:2000]))
    return min(waits) if waits else 0


# -- inspection and operator actions -----------------------------------------------------------

def queue_state(store: Store) -> list[QueueState]:
    d = t.deliveries.c
    with store.transaction() as conn:
        rows = conn.execute(sa.select(
            d.channel, d.status, sa.func.count().label("n"),
            sa.func.sum(sa.case((d.attempts > 0, 1), else_=0)).label("failing"),
            sa.func.min(d.next_attempt).label("next")).group_by(d.channel, d.status)).all()
        errors = {r.channel: r.last_error for r in conn.execute(
            sa.select(d.channel, d.last_error).where((d.status == "pending") & (d.attempts > 0))
            .order_by(d.id)).all()}
    out: dict[str, dict] = {}
    for r in rows:
        s = out.setdefault(r.channel, {"pending": 0, "sent": 0, "failing": 0, "next": None})
        s[r.status] = r.n
        if r.status == "pending":
            s["failing"], s["next"] = int(r.failing or 0), r.next
    return [QueueState(c, s["pending"], s["sent"], s["failing"], s["next"], errors.get(c, ""))
            for c, s in sorted(out.items())]


def flush_digests(store: Store, now: datetime, channel: str | None = None) -> int:
    """Make every digest delivery waiting for the end of its period (of one channel) due now;
    returns how many. They are sent as the digest of their period, once: a flushed delivery
    is `sent` afterwards, so the period's end finds nothing of it left to send."""
    d = t.deliveries.c
    cond = (d.status == "pending") & (d.next_attempt > now) & d.digest_start.is_not(None)
    if channel:
        cond = cond & (d.channel == channel)
    with store.transaction() as conn:
        return conn.execute(t.deliveries.update().where(cond).values(next_attempt=now)).rowcount


def retry_now(store: Store, now: datetime, channel: str | None = None) -> int:
    """Make every waiting delivery (of one channel) due now; returns how many."""
    d = t.deliveries.c
    cond = (d.status == "pending") & (d.next_attempt > now) & (d.digest_start.is_(None))
    if channel:
        cond = cond & (d.channel == channel)
    with store.transaction() as conn:
        return conn.execute(t.deliveries.update().where(cond).values(next_attempt=now)).rowcount
