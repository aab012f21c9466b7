"""Which deliveries an alert change creates: the routes (what each channel receives, and
whether as a digest) and `enqueue`, called by storage/alerts.py inside the transaction that
raises, materially updates or escalates an alert. A crash before the commit loses both the
alert change and its deliveries; after it, both are there. A delivery still waiting for a
channel absorbs later updates of the same alert (it sends the alert as it is at send time).

The routes are given to `Store` when it is opened (`Store(url, routes=...)`); the worker that
sends the deliveries is `sanctionwatch.delivery`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.storage import schema as t
from sanctionwatch.types import Alert

PERIODS = {"hourly": 3600, "daily": 86400}
EVENTS = ("new", "update", "escalated")


@dataclass(frozen=True)
class OutboxRoute:
    """Which alert changes a channel receives, and whether as a digest."""

    channel: str
    wants: Callable[[Alert], bool]
    events: frozenset[str] = frozenset({"new", "update"})
    digest: str | None = None  # "hourly", "daily" or None (each alert as it comes)

    def __post_init__(self) -> None:
        if self.digest is not None and self.digest not in PERIODS:
            raise ValueError(f"channel {self.channel!r}: digest must be one of "
                             f"{', '.join(PERIODS)}, not {self.digest!r}")


def period(now: datetime, kind: str) -> tuple[datetime, datetime]:
    """The UTC hour or day that `now` falls in, as (start, end)."""
    secs = PERIODS[kind]
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % secs, UTC)
    return start, start + timedelta(seconds=secs)


def enqueue(conn: Connection, routes: Sequence[OutboxRoute], alert: Alert, reason: str,
            note: str, now: datetime) -> None:
    """Add a delivery per channel whose route wants this change of `alert` (inside the
    transaction that makes the change: both commit or neither does)."""
    d = t.deliveries.c
    rows = []
    for r in routes:
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
