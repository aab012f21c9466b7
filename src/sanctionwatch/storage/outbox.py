"""The outbox: alert deliveries stored with the alert change that causes them, sent by a worker.

Enqueue. `Outbox.install()` points `Store.on_alert_change` at `Outbox.enqueue`, which runs
inside the transaction that raises, materially updates or escalates an alert and adds one
`deliveries` row per channel whose route wants the alert. A crash before the commit loses both
the alert change and its deliveries; after it, both are there. A delivery still waiting for a
channel absorbs later updates of the same alert (it sends the alert as it is at send time).

Send. `Outbox.deliver_due(channels, now)` claims due rows with a lease (so two workers never
send the same row), sends them through the channels one alert at a time, marks what was sent
as `sent` (never sent again, also across restarts) and gives each delivery that failed its own
next attempt after an exponential backoff (`retry_base` doubling up to `retry_max`): one failed
request never marks its neighbours failed. After STOP_AFTER failures in a row a channel counts
as down for the round; what it did not try waits for the channel's next attempt with its
attempt count unchanged, and a down channel never holds up the others. A crash between a send
and its mark can repeat that one alert: each delivery carries a stable id
(`Alert.extra["delivery_id"]`, the webhook's `Idempotency-Key`) so that receivers can drop the
repeat.

Digest. A channel with `digest: hourly|daily` gets its deliveries due at the end of the UTC
hour or day they were raised in, and they are sent together as one summary per period.
`flush_digests` makes them due now (`sanctionwatch deliver --flush-digests`).

Channels are duck-typed here (storage never imports channels): `send(alerts)` (called with one
alert at a time) and optionally `send_digest(alerts, start, end)`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.storage import schema as t
from sanctionwatch.storage.alerts import sources_of
from sanctionwatch.storage.store import Store, _alert
from sanctionwatch.types import Alert

log = logging.getLogger("sanctionwatch.outbox")

PERIODS = {"hourly": 3600, "daily": 86400}
EVENTS = ("new", "update", "escalated")


@dataclass(frozen=True)
class OutboxRoute:
    """Which alert changes a channel receives, and whether as a digest."""

    channel: str
    wants: Callable[[Alert], bool]
    events: frozenset[str] = frozenset({"new", "update"})
    digest: str | None = None  # "hourly", "daily" or None (each alert as it comes)


STOP_AFTER = 3  # failures in a row after which a channel counts as down for this round


@dataclass
class DeliveryReport:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


@dataclass(frozen=True, slots=True)
class QueueState:
    """Deliveries of one channel by status, for `sanctionwatch deliver --status`."""

    channel: str
    pending: int
    sent: int
    failing: int  # pending after at least one failed attempt
    next_attempt: datetime | None
    last_error: str


def period(now: datetime, kind: str) -> tuple[datetime, datetime]:
    """The UTC hour or day that `now` falls in, as (start, end)."""
    secs = PERIODS[kind]
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % secs, UTC)
    return start, start + timedelta(seconds=secs)


class Outbox:
    def __init__(self, store: Store, routes: Sequence[OutboxRoute], *,
                 retry_base: timedelta = timedelta(seconds=30),
                 retry_max: timedelta = timedelta(hours=1),
                 lease: timedelta = timedelta(minutes=5), batch_size: int = 500):
        for r in routes:
            if r.digest is not None and r.digest not in PERIODS:
                raise ValueError(f"channel {r.channel!r}: digest must be one of "
                                 f"{', '.join(PERIODS)}, not {r.digest!r}")
        self.store = store
        self.routes = list(routes)
        self.retry_base, self.retry_max = retry_base, retry_max
        self.lease, self.batch_size = lease, batch_size

    def install(self) -> Outbox:
        self.store.on_alert_change = self.enqueue
        return self

    # -- enqueue (inside the alert's transaction) ---------------------------------------------

    def enqueue(self, conn: Connection, alert: Alert, reason: str, note: str,
                now: datetime) -> None:
        d = t.deliveries.c
        rows = []
        for r in self.routes:
            if reason not in r.events or not r.wants(alert):
                continue
            if reason != "new" and conn.execute(sa.select(d.id).where(
                    (d.alert_id == alert.id) & (d.channel == r.channel) & (d.status == "pending")
                    & (d.lease_until.is_(None) | (d.lease_until < now))).limit(1)).first():
                continue  # a waiting delivery will carry the alert as it is then
            due, start = now, None
            if r.digest:
                start, due = period(now, r.digest)
            rows.append({"alert_id": alert.id, "channel": r.channel, "reason": reason,
                         "note": note, "status": "pending", "attempts": 0, "next_attempt": due,
                         "lease_until": None, "digest_start": start, "last_error": "",
                         "created": now, "sent": None})
        if rows:
            conn.execute(t.deliveries.insert(), rows)

    # -- the worker ---------------------------------------------------------------------------

    def deliver_due(self, channels: Mapping[str, object], now: datetime) -> DeliveryReport:
        """Send every due delivery of the given channels; returns what was sent and failed."""
        report = DeliveryReport()
        blocked: set[str] = set()
        while True:
            names = [n for n in channels if n not in blocked]
            claimed = self._claim(names, now) if names else []
            if not claimed:
                return report
            by_channel: dict[str, list[Alert]] = {}
            for alert in claimed:
                by_channel.setdefault(alert.extra["channel"], []).append(alert)
            for name, alerts in by_channel.items():
                if name in blocked:
                    self._release([a.extra["delivery_id"] for a in alerts])
                    continue
                if not self._send(name, channels[name], alerts, now, report):
                    blocked.add(name)

    def _send(self, name: str, channel, alerts: list[Alert], now: datetime,
              report: DeliveryReport) -> bool:
        """Send one channel's claimed deliveries: digests as one summary per period, the others
        one alert at a time, each failure on its own schedule. After STOP_AFTER failures in a
        row the channel counts as down: what was not tried waits for the channel's next
        attempt, its attempt count unchanged. Returns False when the channel is down."""
        digest = next((r.digest for r in self.routes if r.channel == name), None)
        if digest and hasattr(channel, "send_digest"):
            by_start: dict[datetime | None, list[Alert]] = {}
            for a in alerts:
                by_start.setdefault(a.extra["digest_start"], []).append(a)
            groups = [(group, (start, start + timedelta(seconds=PERIODS[digest]))
                       if start else None) for start, group in by_start.items()]
        else:
            groups = [([a], None) for a in alerts]
        in_a_row = 0
        for i, (group, span) in enumerate(groups):
            ids = [a.extra["delivery_id"] for a in group]
            try:
                if span is not None:
                    channel.send_digest(group, span[0], span[1])
                else:
                    channel.send(group)
            except Exception as exc:  # a failing channel must never stop the others
                in_a_row += 1
                wait = self._mark_failed(ids, f"{type(exc).__name__}: {exc}", now)
                report.failed[name] = report.failed.get(name, 0) + len(ids)
                report.errors.append(f"channel {name}: {exc}")
                if not isinstance(exc, SanctionwatchError):
                    log.exception("delivery.crashed channel=%s", name)
                log.warning("delivery.failed channel=%s delivery=%s retry_in=%ds reason=%s",
                            name, ",".join(map(str, ids)), wait, exc)
                if in_a_row >= STOP_AFTER:
                    rest = [a.extra["delivery_id"] for g, _ in groups[i + 1:] for a in g]
                    self._defer(rest, now + timedelta(seconds=wait))
                    if rest:
                        log.warning("delivery.channel_down channel=%s waiting=%d retry_in=%ds",
                                    name, len(rest), wait)
                    return False
                continue
            in_a_row = 0
            self._mark_sent(ids, now)
            report.sent[name] = report.sent.get(name, 0) + len(ids)
            log.info("delivery.sent channel=%s count=%d digest=%s", name, len(ids),
                     span is not None)
        return True

    def _defer(self, ids: list[int], when: datetime) -> None:
        """Not tried, because the channel is down: due again with the channel's next attempt,
        released, attempts and last error unchanged."""
        if ids:
            with self.store.transaction() as conn:
                conn.execute(t.deliveries.update().where(t.deliveries.c.id.in_(ids))
                             .values(lease_until=None, next_attempt=when))

    def _claim(self, names: list[str], now: datetime) -> list[Alert]:
        d = t.deliveries.c
        free = d.lease_until.is_(None) | (d.lease_until < now)
        with self.store.transaction() as conn:
            ids = [r.id for r in conn.execute(
                sa.select(d.id).where((d.status == "pending") & (d.next_attempt <= now) & free
                                      & d.channel.in_(names))
                .order_by(d.id).limit(self.batch_size)).all()]
            if not ids:
                return []
            got = [r.id for r in conn.execute(
                t.deliveries.update().where(d.id.in_(ids) & (d.status == "pending") & free)
                .values(lease_until=now + self.lease).returning(d.id)).all()]
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

    def _release(self, ids: list[int]) -> None:
        if ids:
            with self.store.transaction() as conn:
                conn.execute(t.deliveries.update().where(t.deliveries.c.id.in_(ids))
                             .values(lease_until=None))

    def _mark_sent(self, ids: list[int], now: datetime) -> None:
        if not ids:
            return
        d = t.deliveries.c
        with self.store.transaction() as conn:
            conn.execute(t.deliveries.update().where(d.id.in_(ids) & (d.status == "pending"))
                         .values(status="sent", sent=now, attempts=d.attempts + 1,
                                 lease_until=None, last_error=""))

    def _mark_failed(self, ids: list[int], error: str, now: datetime) -> int:
        """Schedule the next attempt; returns the wait in seconds (of the first row)."""
        if not ids:
            return 0
        d = t.deliveries.c
        waits = []
        with self.store.transaction() as conn:
            rows = conn.execute(sa.select(d.id, d.attempts).where(d.id.in_(ids))).all()
            by_attempts: dict[int, list[int]] = {}
            for r in rows:
                by_attempts.setdefault(r.attempts + 1, []).append(r.id)
            for attempts, group in by_attempts.items():
                wait = self.backoff(attempts)
                waits.append(int(wait.total_seconds()))
                conn.execute(t.deliveries.update().where(d.id.in_(group)).values(
                    attempts=attempts, next_attempt=now + wait, lease_until=None,
                    last_error=error[:2000]))
        return min(waits) if waits else 0

    def backoff(self, attempts: int) -> timedelta:
        """Wait before attempt `attempts + 1`: retry_base doubled per failure, capped."""
        factor = 2 ** min(max(attempts - 1, 0), 30)
        return min(self.retry_base * factor, self.retry_max)


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
