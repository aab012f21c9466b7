"""Read-only queries behind the web triage queue and entity page, built to stay fast at
hundreds of thousands of alerts.

Paging is by keyset on the primary key (newest first: `id < before`, or `id > after` for the
page above), never OFFSET, so page 1,000 costs what page 1 costs. Counts by status and type
use the (status, type) index; the chart counts alerts per UTC day over a bounded range of
the indexed `created` column. The entity filter matches the entity id as a JSON string
inside `entity_ids` (portable: SQLite and PostgreSQL store the JSON text as written).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.rows import _alert
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, QueueFilter

_a, _ar = t.alerts.c, t.articles.c


@dataclass(frozen=True)
class QueuePage:
    alerts: list[Alert]
    sources: dict[int, str]           # alert id -> source of its first article
    older: int | None                 # `before` cursor of the next (older) page
    newer: int | None                 # `after` cursor of the previous (newer) page


@dataclass(frozen=True)
class QueueCounts:
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)


def _json_string(value: str) -> str:
    """`value` as it appears inside the stored JSON text, escaped for LIKE."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(f: QueueFilter, skip: tuple[str, ...] = (), walk_ids: bool = False) -> list:
    """The filters as conditions. `walk_ids` (for pages in id order) keeps the date bounds
    off the `created` index, so the database walks the primary key newest first and stops
    after a page, instead of sorting every alert of the date range."""
    cond = []
    created = sa.func.coalesce(_a.created, _a.created) if walk_ids else _a.created
    if f.status and "status" not in skip:
        cond.append(_a.status == f.status)
    if f.type and "type" not in skip:
        cond.append(_a.type == f.type)
    if f.severity:
        cond.append(_a.severity == f.severity)
    if f.entity_id:
        cond.append(sa.cast(_a.entity_ids, sa.Text).like(
            f"%{_json_string(f.entity_id)}%", escape="\\"))
    if f.since:
        cond.append(created >= f.since)
    if f.until:
        cond.append(created < f.until)
    if f.assignee is not None:
        cond.append(sa.or_(_a.assignee.is_(None), _a.assignee == "") if f.assignee == ""
                    else _a.assignee == f.assignee)
    if f.source:
        cond.append(_a.article_id.in_(sa.select(_ar.id).where(_ar.source == f.source)))
    return cond


def page(store: Store, f: QueueFilter, *, before: int | None = None, after: int | None = None,
         size: int = 50) -> QueuePage:
    """One page of the queue, newest first: below `before`, or just above `after`."""
    q = sa.select(t.alerts, _ar.source, _ar.external_id).join(t.articles,
                                                            _ar.id == _a.article_id)
    cond = _where(f, walk_ids=True)
    if after is not None:
        q = q.where(_a.id > after, *cond).order_by(_a.id.asc())
    else:
        if before is not None:
            cond.append(_a.id < before)
        q = q.where(*cond).order_by(_a.id.desc())
    with store.transaction() as conn:
        rows = conn.execute(q.limit(size + 1)).all()
        more = len(rows) > size
        rows = rows[:size]
        if after is not None:
            rows.reverse()
        older = newer = None
        if rows and after is None:
            older = rows[-1].id if more else None
            if before is not None and _exists(conn, f, above=rows[0].id):
                newer = rows[0].id
        elif rows:
            newer = rows[0].id if more else None
            older = rows[-1].id if _exists(conn, f, below=rows[-1].id) else None
    return QueuePage([_alert(r) for r in rows], {r.id: r.source for r in rows}, older, newer)


def _exists(conn, f: QueueFilter, *, below: int | None = None, above: int | None = None) -> bool:
    cond = _where(f, walk_ids=True)
    cond.append(_a.id < below if below is not None else _a.id > above)
    return conn.execute(sa.select(_a.id).where(*cond).limit(1)).first() is not None


def counts(store: Store, f: QueueFilter) -> QueueCounts:
    """Alerts per status and per type among those the other filters select (the status and
    type filters themselves are left out, so each count says what a click would show)."""
    status, type_ = _a.status, _a.type
    if f.severity or f.entity_id or f.source or f.since or f.until or f.assignee is not None:
        # Grouped by expressions, not the bare columns: otherwise SQLite walks the
        # (status, type) index and fetches every row from it (5x slower than a scan).
        status = sa.func.coalesce(_a.status, "").label("status")
        type_ = sa.func.coalesce(_a.type, "").label("type")
    q = (sa.select(status, type_, sa.func.count().label("n"))
         .where(*_where(f, skip=("status", "type"))).group_by(status, type_))
    by_status: dict[str, int] = {}
    by_type: dict[str, int] = {}
    total = 0
    with store.transaction() as conn:
        for r in conn.execute(q):
            by_status[r.status] = by_status.get(r.status, 0) + r.n
            by_type[r.type] = by_type.get(r.type, 0) + r.n
            if (not f.status or r.status == f.status) and (not f.type or r.type == f.type):
                total += r.n
    return QueueCounts(total, by_status, by_type)


def per_day(store: Store, f: QueueFilter, end: date, days: int = 30) -> list[tuple[date, int]]:
    """Alerts the filters select per UTC day for the `days` days up to `end`, zeros kept."""
    start = end - timedelta(days=days - 1)
    lo = datetime(start.year, start.month, start.day, tzinfo=UTC)
    hi = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
    cond = [*_where(f), _a.created >= lo, _a.created < hi]
    with store.transaction() as conn:
        day = (sa.func.date(_a.created) if conn.dialect.name == "sqlite"
               else sa.cast(_a.created, sa.Date))
        rows = conn.execute(sa.select(day.label("d"), sa.func.count().label("n"))
                            .where(*cond).group_by(day)).all()
    found = {str(r.d)[:10]: r.n for r in rows}
    return [(start + timedelta(days=i), found.get(str(start + timedelta(days=i)), 0))
            for i in range(days)]


def values(store: Store, column: str, limit: int = 200) -> list[str]:
    """Distinct values for a filter's choices: alert `type` or article `source`."""
    col = {"type": _a.type, "source": _ar.source}[column]
    with store.transaction() as conn:
        return [r[0] for r in conn.execute(sa.select(col).distinct().order_by(col).limit(limit))]


# -- the entity page ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MentionRef:
    article_id: int
    source: str
    url: str
    title: str
    published: datetime | None
    fetched: datetime
    matched: str
    score: float


def recent_mentions(store: Store, entity_id: str, limit: int = 20) -> list[MentionRef]:
    """The entity's latest mentions in stored articles, newest first."""
    m = t.mentions.c
    q = (sa.select(m.article_id, m.matched, m.score, _ar.source, _ar.url, _ar.title,
                   _ar.published, _ar.fetched)
         .join(t.articles, _ar.id == m.article_id).where(m.entity_id == entity_id)
         .order_by(m.id.desc()).limit(limit))
    with store.transaction() as conn:
        return [MentionRef(r.article_id, r.source, r.url, r.title, r.published, r.fetched,
                           r.matched, r.score) for r in conn.execute(q)]


def alerts_of(store: Store, entity_id: str, types: tuple[str, ...] = (),
              limit: int = 200) -> list[Alert]:
    """The entity's latest alerts (of `types`, if given), newest first."""
    cond = _where(QueueFilter(entity_id=entity_id))
    if types:
        cond.append(_a.type.in_(types))
    with store.transaction() as conn:
        rows = conn.execute(sa.select(t.alerts).where(*cond).order_by(_a.id.desc())
                            .limit(limit)).all()
    return [_alert(r) for r in rows]
