"""The channel protocol and routing: which alerts a channel wants.

A channel sends alerts and raises `ChannelError` when it cannot; `PartialDelivery` says how many
of the leading alerts did go out, so the outbox marks exactly those as sent. A channel may also
offer `send_digest(alerts, start, end)`: one summary for a period (digest mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sanctionwatch.types import Alert, severity_rank


class Channel(Protocol):
    name: str

    def send(self, alerts: Sequence[Alert]) -> None:
        """Deliver alerts or raise `ChannelError`."""
        ...



@dataclass(frozen=True, slots=True)
class Route:
    """Which alerts go to a channel: a minimum severity and, optionally, alert types."""

    min_severity: str = "low"
    types: tuple[str, ...] = ()

    def wants(self, alert: Alert) -> bool:
        if severity_rank(alert.intent.severity) < severity_rank(self.min_severity):
            return False
        return not self.types or alert.intent.type in self.types


def alert_record(alert: Alert) -> dict:
    """The JSON form of an alert shared by file and webhook channels (`Alert.record`)."""
    return alert.record()
