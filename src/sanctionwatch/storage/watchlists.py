"""Watchlist versions and official-list snapshots, and what re-screening stores.

A version is one distinct content of a watchlist: the curated folder (`list_name` "curated")
or one official list (`list_name` = its configured name). A new version is stored only when
the content hash differs from that list's latest version, so reloading or re-importing the
same content adds nothing. Alerts found by re-screening are the store's ordinary alerts,
marked in `rescreen_alerts` with the version whose new names found them.

Alerts that no article carries — a `system` alert for a broken watchlist edit, `list_change`
alerts for a refreshed list — are stored against a small document of their own (source
`system` or `list:<name>`): its text is the problem report or the list's change report, and
each alert's evidence is its line. Re-screening skips those documents.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.rows import _article
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, AlertIntent, Article, ArticleData, Mention, Watchlist
from sanctionwatch.watchlist.versions import pack, unpack

CURATED = "curated"
SYSTEM_SOURCE = "system"
LIST_SOURCE_PREFIX = "list:"


@dataclass(frozen=True, slots=True)
class VersionInfo:
    id: int
    list_name: str
    kind: str
    content_hash: str
    created: datetime
    list_date: str
    source: str
    summary: str
    changes: str
    entities: int
    aliases: int
    relations: int


_INFO_COLS = [c for c in t.watchlist_versions.c if c.name != "snapshot"]


def _info(row) -> VersionInfo:
    return VersionInfo(row.id, row.list_name, row.kind, row.content_hash, row.created,
                       row.list_date, row.source, row.summary, row.changes, row.entities,
                       row.aliases, row.relations)


def record_version(store: Store, list_name: str, kind: str, watchlist: Watchlist,
                   now: datetime, *, source: str = "", list_date: str = "",
                   changes: str = "", packed: tuple[bytes, str] | None = None
                   ) -> tuple[VersionInfo, bool]:
    """Store `watchlist` as the newest version of `list_name` unless its content equals the
    latest one; returns (the version in force, whether it was created). `packed` is
    `versions.pack(watchlist)` when the caller has it already."""
    blob, digest = packed or pack(watchlist)
    aliases = sum(len(e.aliases) for e in watchlist.entities)
    with store.transaction() as conn:
        row = conn.execute(sa.select(*_INFO_COLS).where(
            t.watchlist_versions.c.list_name == list_name)
            .order_by(t.watchlist_versions.c.id.desc()).limit(1)).first()
        if row is not None and row.content_hash == digest:
            return _info(row), False
        summary = (f"{len(watchlist.entities)} entities, {aliases} aliases, "
                   f"{len(watchlist.relations)} relations")
        vid = conn.execute(t.watchlist_versions.insert().values(
            list_name=list_name, kind=kind, content_hash=digest, created=now,
            list_date=list_date, source=source, summary=summary, changes=changes,
            entities=len(watchlist.entities), aliases=aliases,
            relations=len(watchlist.relations), snapshot=blob)).inserted_primary_key[0]
    return VersionInfo(vid, list_name, kind, digest, now, list_date, source, summary, changes,
                       len(watchlist.entities), aliases, len(watchlist.relations)), True


def versions(store: Store, list_name: str | None = None,
             limit: int | None = None) -> list[VersionInfo]:
    """Stored versions, newest first (of one list, or of all)."""
    q = sa.select(*_INFO_COLS).order_by(t.watchlist_versions.c.id.desc())
    if list_name is not None:
        q = q.where(t.watchlist_versions.c.list_name == list_name)
    if limit:
        q = q.limit(limit)
    with store.transaction() as conn:
        return [_info(r) for r in conn.execute(q).all()]


def latest_version(store: Store, list_name: str) -> VersionInfo | None:
    found = versions(store, list_name, limit=1)
    return found[0] if found else None


def get_version(store: Store, version_id: int) -> VersionInfo | None:
    with store.transaction() as conn:
        row = conn.execute(sa.select(*_INFO_COLS).where(
            t.watchlist_versions.c.id == version_id)).first()
    return _info(row) if row is not None else None


def previous_version(store: Store, version: VersionInfo) -> VersionInfo | None:
    """The version of the same list stored just before `version`."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(*_INFO_COLS).where(
            (t.watchlist_versions.c.list_name == version.list_name)
            & (t.watchlist_versions.c.id < version.id))
            .order_by(t.watchlist_versions.c.id.desc()).limit(1)).first()
    return _info(row) if row is not None else None


def load_snapshot(store: Store, version_id: int) -> Watchlist:
    """The full content of a stored version."""
    with store.transaction() as conn:
        blob = conn.execute(sa.select(t.watchlist_versions.c.snapshot).where(
            t.watchlist_versions.c.id == version_id)).scalar_one()
    return unpack(bytes(blob))


def set_changes(store: Store, version_id: int, changes: str) -> None:
    """Record what a version changed (its diff summary against the previous one)."""
    with store.transaction() as conn:
        conn.execute(t.watchlist_versions.update().where(
            t.watchlist_versions.c.id == version_id).values(changes=changes))


def list_names(store: Store) -> list[VersionInfo]:
    """The latest version of every list stored, curated first, then by name."""
    with store.transaction() as conn:
        latest = sa.select(sa.func.max(t.watchlist_versions.c.id)).group_by(
            t.watchlist_versions.c.list_name)
        rows = conn.execute(sa.select(*_INFO_COLS).where(
            t.watchlist_versions.c.id.in_(latest))).all()
    return sorted((_info(r) for r in rows), key=lambda v: (v.list_name != CURATED, v.list_name))


# -- alerts that no news article carries ---------------------------------------------------

def raise_report(store: Store, data: ArticleData, intents: Sequence[AlertIntent],
                 now: datetime) -> list[Alert]:
    """Store a report document (a broken-watchlist problem list, a list's change report)
    with its alerts. The same report stored twice (same text) raises nothing again."""
    _, created = store.ingest(data, (), intents, now)
    return created


# -- re-screening ----------------------------------------------------------------------------

def _news_since(since: datetime):
    a = t.articles.c
    return (a.fetched >= since) & (a.source != SYSTEM_SOURCE) & \
        ~a.source.like(LIST_SOURCE_PREFIX + "%")


def count_articles_since(store: Store, since: datetime) -> int:
    with store.transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t.articles)
                            .where(_news_since(since))).scalar_one()


def articles_since(store: Store, since: datetime, batch: int = 200
                   ) -> Iterator[tuple[Article, int]]:
    """(article, story id) for every news article fetched at or after `since`, oldest
    first, read in batches; report documents (system, list changes) are left out."""
    a = t.articles.c
    cond = _news_since(since)
    with store.transaction() as conn:
        ids = conn.execute(sa.select(a.id).where(cond).order_by(a.id)).scalars().all()
    for i in range(0, len(ids), batch):
        with store.transaction() as conn:
            rows = conn.execute(sa.select(t.articles).where(a.id.in_(ids[i:i + batch]))
                                .order_by(a.id)).all()
        for row in rows:
            yield _article(row), row.story_id or row.id


def add_rescreen_alerts(store: Store, article_id: int, story_id: int,
                        mentions: Sequence[Mention], intents: Sequence[AlertIntent],
                        version_id: int, now: datetime) -> list[Alert]:
    """Store what re-screening found in a stored article: the new mentions, and the alerts
    (new ones are marked as found by re-screening with `version_id`); one transaction."""
    created: list[Alert] = []
    with store.transaction() as conn:
        known = {(r.entity_id, r.start, r.end) for r in conn.execute(
            sa.select(t.mentions.c.entity_id, t.mentions.c.start, t.mentions.c.end)
            .where(t.mentions.c.article_id == article_id)).all()}
        fresh = [m for m in mentions if (m.entity_id, m.start, m.end) not in known]
        if fresh:
            conn.execute(t.mentions.insert(), [
                {"article_id": article_id, "entity_id": m.entity_id, "start": m.start,
                 "end": m.end, "matched": m.matched, "score": m.score, "kind": m.kind,
                 "alias": m.alias, "explanation": m.explanation} for m in fresh])
        for intent in intents:
            alert = store._add_alert(conn, intent, article_id, story_id, now)
            if alert is not None:
                conn.execute(t.rescreen_alerts.insert().values(
                    alert_id=alert.id, version_id=version_id, at=now))
                created.append(alert)
    return created


def rescreen_versions(store: Store, alert_ids: Sequence[int]) -> dict[int, int]:
    """Alert id -> the watchlist version whose re-screening found it (others left out)."""
    if not alert_ids:
        return {}
    with store.transaction() as conn:
        rows = conn.execute(sa.select(t.rescreen_alerts.c.alert_id,
                                      t.rescreen_alerts.c.version_id).where(
            t.rescreen_alerts.c.alert_id.in_(list(alert_ids)))).all()
    return {r.alert_id: r.version_id for r in rows}
