"""Delivery: the worker that sends what the outbox holds, through the channels (typed by the
`Channel` protocol; the digest form `send_digest(alerts, start, end)` is optional).

`deliver_due(now)` claims due deliveries with a lease (storage/outbox.py: two workers never
send the same row), sends them one alert at a time (a digest channel: one summary per
period), marks what was sent as `sent` (never sent again, also across restarts) and gives each
delivery that failed its own next attempt after an exponential backoff (`retry_base` doubling
up to `retry_max`): one failed request never marks its neighbours failed. After STOP_AFTER
failures in a row a channel counts as down for the round; what it did not try waits for the
channel's next attempt with its attempt count unchanged, and a down channel never holds up the
others. A crash between a send and its mark can repeat that one alert: each delivery carries a
stable id (`Alert.extra["delivery_id"]`, the webhook's `Idempotency-Key`) so that receivers
can drop the repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sanctionwatch.channels.base import Channel
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.storage import outbox as ob
from sanctionwatch.storage.deliveries import PERIODS
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert

log = logging.getLogger("sanctionwatch.outbox")

STOP_AFTER = 3  # failures in a row after which a channel counts as down for this round


@dataclass
class DeliveryReport:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


class Delivery:
    """Sends the due deliveries of `channels` (name -> channel) from `store`'s outbox."""

    def __init__(self, store: Store, channels: Mapping[str, Channel], *,
                 retry_base: timedelta = timedelta(seconds=30),
                 retry_max: timedelta = timedelta(hours=1),
                 lease: timedelta = timedelta(minutes=5), batch_size: int = 500):
        self.store = store
        self.channels = dict(channels)
        self.digests = {r.channel: r.digest for r in store.routes if r.digest}
        self.retry_base, self.retry_max = retry_base, retry_max
        self.lease, self.batch_size = lease, batch_size

    def deliver_due(self, now: datetime) -> DeliveryReport:
        """Send every due delivery of this worker's channels; returns what was sent and failed."""
        channels = self.channels
        report = DeliveryReport()
        blocked: set[str] = set()
        while True:
            names = [n for n in channels if n not in blocked]
            claimed = (ob.claim(self.store, names, now, self.lease, self.batch_size)
                       if names else [])
            if not claimed:
                return report
            by_channel: dict[str, list[Alert]] = {}
            for alert in claimed:
                by_channel.setdefault(alert.extra["channel"], []).append(alert)
            for name, alerts in by_channel.items():
                if name in blocked:
                    ob.release(self.store, [a.extra["delivery_id"] for a in alerts])
                    continue
                if not self._send(name, channels[name], alerts, now, report):
                    blocked.add(name)

    def _send(self, name: str, channel: Channel, alerts: list[Alert], now: datetime,
              report: DeliveryReport) -> bool:
        """Send one channel's claimed deliveries: digests as one summary per period, the others
        one alert at a time, each failure on its own schedule. After STOP_AFTER failures in a
        row the channel counts as down: what was not tried waits for the channel's next
        attempt, its attempt count unchanged. Returns False when the channel is down."""
        digest = self.digests.get(name)
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
                wait = ob.mark_failed(self.store, ids, f"{type(exc).__name__}: {exc}", now,
                                      self.backoff)
                report.failed[name] = report.failed.get(name, 0) + len(ids)
                report.errors.append(f"channel {name}: {exc}")
                if not isinstance(exc, SanctionwatchError):
                    log.exception("delivery.crashed channel=%s", name)
                log.warning("delivery.failed channel=%s delivery=%s retry_in=%ds reason=%s",
                            name, ",".join(map(str, ids)), wait, exc)
                if in_a_row >= STOP_AFTER:
                    rest = [a.extra["delivery_id"] for g, _ in groups[i + 1:] for a in g]
                    ob.defer(self.store, rest, now + timedelta(seconds=wait))
                    if rest:
                        log.warning("delivery.channel_down channel=%s waiting=%d retry_in=%ds",
                                    name, len(rest), wait)
                    return False
                continue
            in_a_row = 0
            ob.mark_sent(self.store, ids, now)
            report.sent[name] = report.sent.get(name, 0) + len(ids)
            log.info("delivery.sent channel=%s count=%d digest=%s", name, len(ids),
                     span is not None)
        return True

    def backoff(self, attempts: int) -> timedelta:
        """Wait before attempt `attempts + 1`: retry_base doubled per failure, capped."""
        factor = 2 ** min(max(attempts - 1, 0), 30)
        return min(self.retry_base * factor, self.retry_max)
