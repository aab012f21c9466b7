"""Corroboration: a designation that the news reports, linked to the official-list change that
confirms it, and a list change linked to the news that announced it.

When a `designation` alert is raised, the stored `list_change` alerts are searched for a
change to the same entity that confirms it — a new designation or an added programme for a
designation announced or in effect, a delisting or a removed programme for one lifted — dated
within `WINDOW` of the article (its publication date, else when it was fetched). When a
`list_change` alert is raised, the designation alerts it confirms are searched the same way.
"The same entity" is the list entry itself or the curated entity that the entry is (its
`curated` role; an entry merely linked to a curated entity confirms nothing about it).

Each link is stored once (`alert_links`), written in the audit trail of both alerts, and added
to the news alert's message ("confirmed by ofac_sdn 2023-01-26: programme added TCO (alert
#57)"). A news alert confirmed after it was raised is a material change: analysts are told
(`enqueue`, reason `update`), inside the same transaction as the list change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.deliveries import enqueue
from sanctionwatch.storage.rows import _alert

if TYPE_CHECKING:
    from sanctionwatch.storage.store import Store

WINDOW = timedelta(days=60)
# which list changes confirm a designation in each phase
CONFIRMS = {"announced": ("new_designation", "program_added"),
            "effective": ("new_designation", "program_added"),
            "lifted": ("delisting", "program_removed")}
PHASES_CONFIRMED_BY = {c: tuple(p for p, cs in CONFIRMS.items() if c in cs)
                       for cs in CONFIRMS.values() for c in cs}
_LABEL = {"new_designation": "new designation", "program_added": "programme added",
          "delisting": "delisted", "program_removed": "programme removed"}
LIST_PREFIX = "list:"  # storage/watchlists.py LIST_SOURCE_PREFIX
SYSTEM_ACTOR = "sanctionwatch"


@dataclass(frozen=True, slots=True)
class Link:
    """A designation alert from the news and the list-change alert that confirms it."""

    news_id: int
    list_id: int
    list_name: str
    list_date: str
    change: str
    detail: str

    @property
    def confirmed_by(self) -> str:
        """What the news alert says of its confirmation."""
        what = _LABEL.get(self.change, self.change) + (f" {self.detail}" if self.detail else "")
        return (f"confirmed by {self.list_name} {self.list_date or 'undated'}: {what} "
                f"(alert #{self.list_id})")

    @property
    def announced_in(self) -> str:
        """What the list-change alert says of the news."""
        return f"reported in the news before or around the change: alert #{self.news_id}"


def corroborate(store: Store, conn: Connection, row, now: datetime) -> list[Link]:
    """Link a just-raised alert (`row` of `alerts`) to the alerts that corroborate it; return
    the new links. A news alert that a new list change confirms was raised before: analysts
    hear of it now (`enqueue`, reason `update`)."""
    if row.type == "designation" and row.phase in CONFIRMS:
        links = [_link(row, other, conn) for other in _list_changes(conn, row)]
    elif row.type == "list_change" and row.phase in PHASES_CONFIRMED_BY:
        links = [_link(other, row, conn) for other in _news(conn, row)]
    else:
        return []
    made = []
    for link in links:
        if link is None or not _store(conn, link, now):
            continue
        made.append(link)
        news = conn.execute(sa.select(t.alerts).where(t.alerts.c.id == link.news_id)).one()
        message = " ".join(p for p in (news.message, link.confirmed_by + ".") if p)
        conn.execute(t.alerts.update().where(t.alerts.c.id == link.news_id)
                     .values(message=message, updated=now))
        _event(conn, link.news_id, now, news.status, link.confirmed_by)
        status = conn.execute(sa.select(t.alerts.c.status)
                              .where(t.alerts.c.id == link.list_id)).scalar_one()
        _event(conn, link.list_id, now, status, link.announced_in)
        if row.type == "list_change" and store.routes:
            fresh = conn.execute(sa.select(t.alerts).where(t.alerts.c.id == link.news_id)).one()
            enqueue(conn, store.routes, _alert(fresh), "update", link.confirmed_by, now)
    return made


def links_of(conn: Connection, alert_id: int) -> list[Link]:
    """Every link of an alert, either side, oldest first."""
    c = t.alert_links.c
    rows = conn.execute(sa.select(t.alert_links).where(
        (c.news_id == alert_id) | (c.list_id == alert_id)).order_by(c.at, c.list_id)).all()
    return [Link(r.news_id, r.list_id, r.list_name, r.list_date, r.change, r.detail)
            for r in rows]


# -- matching ---------------------------------------------------------------------------------

def _targets(row) -> set[str]:
    return {v for r, v in (tuple(x) for x in row.roles) if r == "target"}


def _entry(row) -> set[str]:
    """The entities a list change is about: the entry and the curated entity it is."""
    return {v for r, v in (tuple(x) for x in row.roles) if r in ("entity", "curated")}


def _mentions_any(column, ids: set[str]):
    """A portable pre-filter on the JSON list of entity ids (exact match follows)."""
    return sa.or_(*(sa.cast(column, sa.Text).like(f'%"{i}"%') for i in sorted(ids)))


def _list_changes(conn: Connection, news) -> list:
    targets = _targets(news)
    if not targets:
        return []
    a = t.alerts.c
    rows = conn.execute(sa.select(t.alerts).where(
        (a.type == "list_change") & a.phase.in_(CONFIRMS[news.phase]) & (a.id != news.id)
        & (a.status != "dismissed") & _mentions_any(a.entity_ids, targets))).all()
    return [r for r in rows if _entry(r) & targets]


def _news(conn: Connection, change) -> list:
    entry = _entry(change)
    if not entry:
        return []
    a = t.alerts.c
    rows = conn.execute(sa.select(t.alerts).where(
        (a.type == "designation") & a.phase.in_(PHASES_CONFIRMED_BY[change.phase])
        & (a.status != "dismissed") & _mentions_any(a.entity_ids, entry))).all()
    return [r for r in rows if _targets(r) & entry]


def _link(news, change, conn: Connection) -> Link | None:
    """The link, when the list change is dated within `WINDOW` of the news article."""
    list_name, list_date = _list_of(conn, change)
    when = _news_date(conn, news)
    on = _date(list_date) or change.created
    if abs(_utc(on) - _utc(when)) > WINDOW:
        return None
    detail = next((v for r, v in (tuple(x) for x in change.roles) if r == "detail"), "")
    return Link(news.id, change.id, list_name, list_date, change.phase, detail)


def _list_of(conn: Connection, change) -> tuple[str, str]:
    """The list's name and date (its publication date, else the day of the import), from the
    change report the alert was raised on."""
    art = conn.execute(sa.select(t.articles.c.source, t.articles.c.external_id)
                       .where(t.articles.c.id == change.article_id)).one()
    name = art.source.removeprefix(LIST_PREFIX)
    version = art.external_id.removeprefix("version:")
    date = ""
    if version.isdigit():
        v = t.watchlist_versions.c
        row = conn.execute(sa.select(v.list_date, v.created).where(v.id == int(version))).first()
        if row is not None:  # the list's own date, else the day it was imported
            date = row.list_date or _utc(row.created).date().isoformat()
    return name, date


def _news_date(conn: Connection, news) -> datetime:
    art = conn.execute(sa.select(t.articles.c.published, t.articles.c.fetched)
                       .where(t.articles.c.id == news.article_id)).one()
    return art.published or art.fetched


def _date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text[:10]).replace(tzinfo=UTC) if text else None
    except ValueError:
        return None


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _store(conn: Connection, link: Link, now: datetime) -> bool:
    exists = conn.execute(sa.select(t.alert_links.c.news_id).where(
        (t.alert_links.c.news_id == link.news_id)
        & (t.alert_links.c.list_id == link.list_id))).first()
    if exists is not None:
        return False
    conn.execute(t.alert_links.insert(), {
        "news_id": link.news_id, "list_id": link.list_id, "list_name": link.list_name,
        "list_date": link.list_date, "change": link.change, "detail": link.detail[:200],
        "at": now})
    return True


def _event(conn: Connection, alert_id: int, at: datetime, status: str, note: str) -> None:
    conn.execute(t.alert_events.insert(), {"alert_id": alert_id, "at": at,
                                           "actor": SYSTEM_ACTOR, "from_status": status,
                                           "to_status": status, "note": note})
