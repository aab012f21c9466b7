"""The channel protocol and routing: which alerts a channel wants.

A channel sends alerts and raises `ChannelError` when it cannot; `PartialDelivery` says how many
of the leading alerts did go out, so the outbox marks exactly those as sent. A channel may also
offer `send_digest(alerts, start, end)`: one summary for a period (digest mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sanctionwatch.errors import ChannelError
from sanctionwatch.types import Alert, severity_rank


class Channel(Protocol):
    name: str

    def send(self, alerts: Sequence[Alert]) -> None:
        """Deliver alerts or raise `ChannelError`."""
        ...


class PartialDelivery(ChannelError):
    """A channel failed after delivering the first `sent` alerts of a batch."""

    def __init__(self, message: str, sent: int):
        super().__init__(message)
        self.sent = sent


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
    """The JSON form of an alert shared by file and webhook channels and `alerts list`."""
    i = alert.intent
    rec = {
        "id": alert.id, "type": i.type, "status": alert.status, "severity": i.severity,
        "entity_ids": list(i.entity_ids), "created": alert.created.isoformat(),
        "updated": alert.updated.isoformat(),
    }
    if i.phase:
        rec["phase"] = i.phase
    for role, value in i.roles:
        if role in ("target", "supporter"):
            rec[role] = value
    rec.update({
        "message": i.message, "evidence": i.evidence, "evidence_start": i.evidence_start,
        "evidence_end": i.evidence_end, "document": alert.document,
        "rule_id": i.rule_id, "rule_version": i.rule_version, "why": i.why,
        "mentions": [{"entity_id": m.entity_id, "matched": m.matched, "start": m.start,
                      "end": m.end, "score": m.score} for m in i.mentions],
    })
    # Set by the store (assignee) and by the outbox (why this delivery, its sources).
    for key in ("assignee", "reason", "note", "delivery_id", "sources"):
        if alert.extra.get(key) not in (None, ""):
            rec[key] = alert.extra[key]
    if "sources" in rec:
        rec["sources"] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                           for k, v in s.items()} for s in rec["sources"]]
    return rec
