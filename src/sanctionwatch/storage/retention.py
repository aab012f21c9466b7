"""Retention: stored articles that carry no alert are deleted after a while, with their
mentions, signatures, bucket keys and copies. Articles behind an alert are kept for the
analysts. The source's seen-items are kept, so a deleted article still in a feed is not
read again."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from sanctionwatch.storage import schema as t
from sanctionwatch.storage.store import Store

_BATCH = 500


def prune_articles(store: Store, before: datetime) -> int:
    """Delete articles fetched before `before` that no alert refers to; returns how many."""
    a = t.articles.c
    with_alert = sa.union(sa.select(t.alerts.c.article_id),
                          sa.select(t.alert_articles.c.article_id))
    deleted = 0
    while True:
        with store.transaction() as conn:
            ids = [r.id for r in conn.execute(
                sa.select(a.id).where((a.fetched < before) & a.id.not_in(with_alert))
                .order_by(a.id).limit(_BATCH)).all()]
            if not ids:
                return deleted
            for table in (t.mentions, t.article_signatures, t.dedupe_keys, t.article_copies):
                conn.execute(table.delete().where(table.c.article_id.in_(ids)))
            conn.execute(t.articles.delete().where(a.id.in_(ids)))
            deleted += len(ids)
