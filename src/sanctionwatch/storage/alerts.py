"""The alert aggregate: raising with grouping and suppressions, triage, and the audit trail.

Raising. An intent that the story already has, or that an alert of the same key (type, phase,
roles, entities) raised within `Store.group_window` and not dismissed already covers, updates
that alert instead of creating one (a dismissed alert is closed: a new story about the same
thing is raised again, unless a suppression covers it): the article becomes one more source,
and a higher severity replaces the evidence with the stronger one. Only a *material* change (a
higher severity) re-notifies analysts; a new source alone does not. A new alert that an active
suppression covers is stored as `dismissed` with an audit event naming the suppression, and is
not delivered.

Triage. Every status change, assignment and note appends one row to `alert_events` (at, actor,
from_status, to_status, note); nothing here updates or deletes an event, so the trail is never
rewritten. A note or an assignment keeps the status (from_status == to_status).

Deliveries. Whenever an alert is raised, materially updated or escalated, `enqueue`
(storage/deliveries.py) adds a delivery per route the store was opened with, inside the same
transaction, so the delivery is stored together with the change or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.errors import TriageError
from sanctionwatch.storage import corroboration
from sanctionwatch.storage import schema as t
from sanctionwatch.storage import suppressions as sup
from sanctionwatch.storage.deliveries import enqueue
from sanctionwatch.storage.rows import _alert, _insert_ignore, _mention_json
from sanctionwatch.types import ALERT_STATUSES, Alert, AlertFilter, AlertIntent, severity_rank

if TYPE_CHECKING:
    from sanctionwatch.storage.store import Store

SYSTEM_ACTOR = "sanctionwatch"


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One line of an alert's audit trail."""

    id: int
    alert_id: int
    at: datetime
    actor: str
    from_status: str | None
    to_status: str
    note: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One article that carried an alert."""

    article_id: int
    source: str
    external_id: str
    url: str
    title: str
    published: datetime | None
    added: datetime


@dataclass(frozen=True, slots=True)
class DeliveryInfo:
    id: int
    channel: str
    reason: str
    status: str
    attempts: int
    created: datetime
    sent: datetime | None
    last_error: str


@dataclass(frozen=True)
class AlertDetail:
    """Everything an analyst needs to decide on an alert."""

    alert: Alert
    assignee: str | None
    sources: list[SourceRef] = field(default_factory=list)
    events: list[AlertEvent] = field(default_factory=list)
    deliveries: list[DeliveryInfo] = field(default_factory=list)
    # the official-list changes that confirm a designation from the news, or the news that a
    # list change confirms (storage/corroboration.py)
    links: list[corroboration.Link] = field(default_factory=list)


# -- raising ----------------------------------------------------------------------------------

# Statements built once with bound parameters: SQLAlchemy then reuses their compiled form,
# which matters when a cycle raises thousands of alerts.
_a = t.alerts.c
_BY_KEY = sa.select(t.alerts).where(_a.dedupe_key == sa.bindparam("key"))
_IN_WINDOW = (sa.select(t.alerts).where(
    (_a.group_key == sa.bindparam("group_key")) & (_a.created >= sa.bindparam("since"))
    & (_a.created <= sa.bindparam("now")) & (_a.status != "dismissed"))
    .order_by(_a.created.desc(), _a.id.desc()).limit(1))
_INSERT_NEW: dict[str, sa.Executable] = {}


def _insert_new(conn: Connection) -> sa.Executable:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, for this dialect."""
    name = conn.dialect.name
    if name not in _INSERT_NEW:
        if name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        _INSERT_NEW[name] = insert(t.alerts).on_conflict_do_nothing(
            index_elements=["dedupe_key"]).returning(_a.id)
    return _INSERT_NEW[name]


def raise_alert(store: Store, conn: Connection, intent: AlertIntent, article_id: int,
                story_id: int, now: datetime) -> Alert | None:
    """Store an intent: a new alert (returned), or an update of the story's alert or of a
    recent alert with the same key (None). A suppressed new alert is stored dismissed and is
    not returned."""
    group_key = intent.key[:600]
    key = f"story:{story_id}|{intent.key}"[:600]
    row = conn.execute(_BY_KEY, {"key": key}).first()
    if row is None and store.group_window is not None:
        row = conn.execute(_IN_WINDOW, {"group_key": group_key, "now": now,
                                        "since": now - store.group_window}).first()
    if row is not None:
        _merge(store, conn, row, intent, article_id, now)
        return None
    suppression = sup.matching(conn, intent, article_id, now)
    values = {
        "dedupe_key": key, "group_key": group_key, "status": "new", "created": now,
        "updated": now, "assignee": None, **_intent_values(intent, article_id),
    }
    if conn.execute(_insert_new(conn), values).first() is None:
        # Raised by a concurrent writer in the meantime: treat as an update.
        _merge(store, conn, conn.execute(_BY_KEY, {"key": key}).one(), intent, article_id, now)
        return None
    row = conn.execute(_BY_KEY, {"key": key}).one()
    conn.execute(t.alert_articles.insert(), {"alert_id": row.id, "article_id": article_id,
                                             "added": now})
    _event(conn, row.id, now, SYSTEM_ACTOR, None, "new",
           f"raised by rule {intent.rule_id} v{intent.rule_version}")
    if suppression is not None:
        conn.execute(t.alerts.update().where(t.alerts.c.id == row.id)
                     .values(status="dismissed"))
        _event(conn, row.id, now, SYSTEM_ACTOR, "new", "dismissed",
               f"suppressed by {suppression.describe()}"
               + (f": {suppression.reason}" if suppression.reason else ""))
        return None
    if corroboration.corroborate(store, conn, row, now):
        row = conn.execute(_BY_KEY, {"key": key}).one()  # its message says so now
    alert = _alert(row)
    enqueue(conn, store.routes, alert, "new", "", now)
    return alert


def _intent_values(intent: AlertIntent, article_id: int) -> dict:
    return {
        "type": intent.type, "phase": intent.phase, "severity": intent.severity,
        "entity_ids": list(intent.entity_ids), "roles": [list(r) for r in intent.roles],
        "article_id": article_id, "evidence": intent.evidence,
        "evidence_start": intent.evidence_start, "evidence_end": intent.evidence_end,
        "spans": [_mention_json(m) for m in intent.mentions], "rule_id": intent.rule_id,
        "rule_version": intent.rule_version, "why": intent.why, "message": intent.message,
    }


def _merge(store: Store, conn: Connection, row, intent: AlertIntent, article_id: int,
           now: datetime) -> None:
    """Add a source to an existing alert; a higher severity is a material change."""
    added = _insert_ignore(conn, t.alert_articles, {"alert_id": row.id, "article_id": article_id,
                                                    "added": now}, ["alert_id", "article_id"])
    if severity_rank(intent.severity) <= severity_rank(row.severity):
        if added:
            conn.execute(t.alerts.update().where(t.alerts.c.id == row.id).values(updated=now))
        return
    note = (f"severity {row.severity} → {intent.severity}: article #{article_id} "
            f"(rule {intent.rule_id} v{intent.rule_version})")
    values = _intent_values(intent, article_id)
    for k in ("type", "phase", "entity_ids", "roles"):
        values.pop(k)
    conn.execute(t.alerts.update().where(t.alerts.c.id == row.id).values(updated=now, **values))
    _event(conn, row.id, now, SYSTEM_ACTOR, row.status, row.status, note)
    if store.routes:
        fresh = conn.execute(sa.select(t.alerts).where(t.alerts.c.id == row.id)).one()
        enqueue(conn, store.routes, _alert(fresh), "update", note, now)


def _event(conn: Connection, alert_id: int, at: datetime, actor: str, from_status: str | None,
           to_status: str, note: str) -> None:
    conn.execute(t.alert_events.insert(), {"alert_id": alert_id, "at": at, "actor": actor,
                                           "from_status": from_status, "to_status": to_status,
                                           "note": note})


# -- triage -----------------------------------------------------------------------------------

def _locked(conn: Connection, alert_id: int):
    row = conn.execute(sa.select(t.alerts).where(t.alerts.c.id == alert_id)
                       .with_for_update()).first()
    if row is None:
        raise TriageError(f"alert {alert_id}: no such alert")
    return row


def change_status(store: Store, alert_id: int, to_status: str, *, actor: str, note: str,
                  now: datetime, assignee: str | None = None,
                  suppress: dict | None = None) -> Alert:
    """Move an alert to `to_status`, appending the change to its audit trail. A dismissal
    needs a note (the reason a regulator will read). `suppress` (entity_id, pattern or source,
    expires, reason) creates a suppression in the same transaction."""
    if to_status not in ALERT_STATUSES:
        raise TriageError(f"status {to_status!r}: use one of {', '.join(ALERT_STATUSES)}")
    if not actor.strip():
        raise TriageError(f"alert {alert_id}: who made the change is required (--by)")
    if to_status == "dismissed" and not note.strip():
        raise TriageError(f"alert {alert_id}: a dismissal needs a note saying why")
    with store.transaction() as conn:
        row = _locked(conn, alert_id)
        if row.status == to_status:
            raise TriageError(f"alert {alert_id} is already {to_status}")
        values: dict = {"status": to_status, "updated": now}
        if assignee is not None:
            values["assignee"] = assignee or None
        conn.execute(t.alerts.update().where(t.alerts.c.id == alert_id).values(**values))
        text = note.strip()
        if assignee is not None and assignee != (row.assignee or ""):
            text = (text + " " if text else "") + f"[assigned to {assignee or 'nobody'}]"
        _event(conn, alert_id, now, actor, row.status, to_status, text)
        if suppress is not None:
            sup.add(conn, actor=actor, now=now, alert_id=alert_id, **suppress)
        fresh = _alert(conn.execute(sa.select(t.alerts).where(t.alerts.c.id == alert_id)).one())
        if to_status == "escalated":
            enqueue(conn, store.routes, fresh, "escalated", text, now)
        return fresh


def add_note(store: Store, alert_id: int, *, actor: str, note: str, now: datetime,
             assignee: str | None = None) -> Alert:
    """Append a note (and optionally a new assignee) without changing the status."""
    if not note.strip() and assignee is None:
        raise TriageError(f"alert {alert_id}: the note is empty")
    if not actor.strip():
        raise TriageError(f"alert {alert_id}: who wrote the note is required (--by)")
    with store.transaction() as conn:
        row = _locked(conn, alert_id)
        text = note.strip()
        values: dict = {"updated": now}
        if assignee is not None:
            values["assignee"] = assignee or None
            text = (text + " " if text else "") + f"[assigned to {assignee or 'nobody'}]"
        conn.execute(t.alerts.update().where(t.alerts.c.id == alert_id).values(**values))
        _event(conn, alert_id, now, actor, row.status, row.status, text)
        return _alert(conn.execute(sa.select(t.alerts).where(t.alerts.c.id == alert_id)).one())


# -- reading ----------------------------------------------------------------------------------

def events_of(conn: Connection, alert_ids: list[int]) -> dict[int, list[AlertEvent]]:
    out: dict[int, list[AlertEvent]] = {i: [] for i in alert_ids}
    e = t.alert_events.c
    for chunk in _chunks(alert_ids):
        for r in conn.execute(sa.select(t.alert_events).where(e.alert_id.in_(chunk))
                              .order_by(e.id)).all():
            out[r.alert_id].append(AlertEvent(r.id, r.alert_id, r.at, r.actor, r.from_status,
                                              r.to_status, r.note))
    return out


def sources_of(conn: Connection, alert_ids: list[int]) -> dict[int, list[SourceRef]]:
    out: dict[int, list[SourceRef]] = {i: [] for i in alert_ids}
    a, aa = t.articles.c, t.alert_articles.c
    for chunk in _chunks(alert_ids):
        q = (sa.select(aa.alert_id, aa.added, a.id, a.source, a.external_id, a.url, a.title,
                       a.published)
             .join(t.articles, a.id == aa.article_id).where(aa.alert_id.in_(chunk))
             .order_by(aa.alert_id, a.id))
        for r in conn.execute(q).all():
            out[r.alert_id].append(SourceRef(r.id, r.source, r.external_id, r.url, r.title,
                                             r.published, r.added))
    return out


def source_counts(store: Store, alert_ids: list[int]) -> dict[int, int]:
    """How many articles carried each alert."""
    aa = t.alert_articles.c
    out: dict[int, int] = {}
    with store.transaction() as conn:
        for chunk in _chunks(alert_ids):
            for r in conn.execute(sa.select(aa.alert_id, sa.func.count().label("n"))
                                  .where(aa.alert_id.in_(chunk)).group_by(aa.alert_id)).all():
                out[r.alert_id] = r.n
    return out


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def get_alert(store: Store, alert_id: int) -> AlertDetail:
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.alerts, t.articles.c.source, t.articles.c.external_id)
                           .join(t.articles, t.articles.c.id == t.alerts.c.article_id)
                           .where(t.alerts.c.id == alert_id)).first()
        if row is None:
            raise TriageError(f"alert {alert_id}: no such alert")
        d = t.deliveries.c
        deliveries = [DeliveryInfo(r.id, r.channel, r.reason, r.status, r.attempts, r.created,
                                   r.sent, r.last_error)
                      for r in conn.execute(sa.select(t.deliveries).where(d.alert_id == alert_id)
                                            .order_by(d.id)).all()]
        return AlertDetail(_alert(row), row.assignee, sources_of(conn, [alert_id])[alert_id],
                           events_of(conn, [alert_id])[alert_id], deliveries,
                           corroboration.links_of(conn, alert_id))


def details(store: Store, f: AlertFilter | None = None) -> list[AlertDetail]:
    """Alerts with their sources and audit trails (for exports), in id order."""
    alerts = store.list_alerts(f)
    ids = [a.id for a in alerts]
    with store.transaction() as conn:
        events = events_of(conn, ids)
        sources = sources_of(conn, ids)
    return [AlertDetail(a, a.extra.get("assignee"), sources[a.id], events[a.id]) for a in alerts]


# -- suppressions (a thin transaction layer over storage/suppressions.py) ---------------------

def add_suppression(store: Store, **kwargs) -> sup.Suppression:
    with store.transaction() as conn:
        return sup.add(conn, **kwargs)


def list_suppressions(store: Store, now: datetime,
                      include_inactive: bool = False) -> list[sup.Suppression]:
    with store.transaction() as conn:
        return sup.list_all(conn, now, include_inactive)


def remove_suppression(store: Store, suppression_id: int, actor: str,
                       now: datetime) -> sup.Suppression:
    with store.transaction() as conn:
        return sup.remove(conn, suppression_id, actor, now)
