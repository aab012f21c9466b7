"""Alerts and their triage: listing, one alert with its evidence, the triage queue, status
changes and notes (each in the audit trail; an escalation is delivered to the channels that
want escalations, whichever door it came through), suppressions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sanctionwatch.errors import TriageError
from sanctionwatch.storage import alert_queue as aq
from sanctionwatch.storage import alerts as tr
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, AlertFilter, Article, QueueFilter


class Alerts:
    def __init__(self, store: Callable[[], Store], clock: Callable[[], datetime]):
        self._store, self._clock = store, clock

    # -- reading --------------------------------------------------------------------------

    def list(self, f: AlertFilter | None = None, assignee: str | None = None) -> list[Alert]:
        """Stored alerts, oldest first; `assignee` '' for the unassigned ones."""
        found = self._store().list_alerts(f)
        if assignee is not None:
            found = [a for a in found if (a.extra.get("assignee") or "") == assignee]
        return found

    def source_counts(self, alert_ids: list[int]) -> dict[int, int]:
        return tr.source_counts(self._store(), alert_ids)

    def get(self, alert_id: int) -> tr.AlertDetail:
        """One alert with its sources, audit trail, deliveries and corroboration links
        (TriageError for an unknown id)."""
        return tr.get_alert(self._store(), alert_id)

    def details(self, f: AlertFilter | None = None) -> list[tr.AlertDetail]:
        return tr.details(self._store(), f)

    def sources(self, alert_id: int) -> list[Article]:
        return self._store().alert_sources(alert_id)

    # -- the triage queue -----------------------------------------------------------------

    def page(self, f: QueueFilter, **kwargs: Any) -> aq.QueuePage:
        return aq.page(self._store(), f, **kwargs)

    def counts(self, f: QueueFilter) -> aq.QueueCounts:
        return aq.counts(self._store(), f)

    def per_day(self, f: QueueFilter, end: date, days: int = 30) -> list[tuple[date, int]]:
        return aq.per_day(self._store(), f, end, days)

    def values(self, column: str) -> list[str]:
        return aq.values(self._store(), column)

    def of_entity(self, entity_id: str, types: tuple[str, ...] = (),
                  limit: int = 20) -> list[Alert]:
        return aq.alerts_of(self._store(), entity_id, types, limit=limit)

    def recent_mentions(self, entity_id: str, limit: int = 20) -> list[aq.MentionRef]:
        return aq.recent_mentions(self._store(), entity_id, limit)

    # -- triage ---------------------------------------------------------------------------

    def triage(self, alert_id: int, to_status: str, *, actor: str, note: str = "",
               assignee: str | None = None, suppress: dict | None = None) -> Alert:
        """Move an alert to `to_status` (audit trail; an escalation is delivered)."""
        return tr.change_status(self._store(), alert_id, to_status, actor=actor, note=note,
                                now=self._clock(), assignee=assignee, suppress=suppress)

    def bulk(self, alert_ids: list[int], to_status: str, *, actor: str,
             note: str = "") -> tuple[list[int], dict[int, str]]:
        """Move each alert to `to_status` with the same note, each change in its own audit
        trail (and transaction); returns the ids changed and, per id not changed, why (an
        alert already in that status, an unknown id). A dismissal without a note changes
        none (TriageError)."""
        if not alert_ids:
            raise TriageError("select at least one alert")
        if to_status == "dismissed" and not note.strip():
            raise TriageError("a dismissal needs a note saying why")
        done: list[int] = []
        skipped: dict[int, str] = {}
        for alert_id in dict.fromkeys(alert_ids):
            try:
                self.triage(alert_id, to_status, actor=actor, note=note)
            except TriageError as exc:
                skipped[alert_id] = str(exc)
            else:
                done.append(alert_id)
        return done, skipped

    def assign(self, alert_id: int, assignee: str, *, actor: str, note: str = "") -> None:
        """Assign the alert to `assignee` ('' for nobody), in its audit trail."""
        self.note(alert_id, actor=actor, note=note, assignee=assignee.strip())

    def note(self, alert_id: int, *, actor: str, note: str,
             assignee: str | None = None) -> None:
        tr.add_note(self._store(), alert_id, actor=actor, note=note, now=self._clock(),
                    assignee=assignee)

    def suppressions(self, include_inactive: bool = False):
        return tr.list_suppressions(self._store(), self._clock(), include_inactive)

    def suppress(self, **kwargs: Any):
        return tr.add_suppression(self._store(), now=self._clock(), **kwargs)

    def unsuppress(self, suppression_id: int, actor: str):
        return tr.remove_suppression(self._store(), suppression_id, actor, self._clock())
