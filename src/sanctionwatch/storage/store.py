"""The store: one documented interface over SQLAlchemy, split by aggregate below it.

No SQLAlchemy exception escapes: every operation wraps them in `StorageError`. Writes that
belong together (an article, its mentions and its alerts) happen in one transaction, so a
crash leaves either all of them or none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch.errors import StorageError
from sanctionwatch.storage import schema as t
from sanctionwatch.storage.alerts import raise_alert
from sanctionwatch.storage.deliveries import OutboxRoute
from sanctionwatch.storage.rows import _alert, _article, _insert_ignore
from sanctionwatch.types import (
    STORED,
    Alert,
    AlertFilter,
    AlertIntent,
    Article,
    ArticleData,
    Feature,
    Mention,
)

# Statements used for every article, built once (values travel as parameters): building a
# statement per call costs more than running it.
_ARTICLE_BY_HASH = sa.select(t.articles).where(t.articles.c.content_hash == sa.bindparam("hash"))
_INSERT_ARTICLE = t.articles.insert()
_SET_STORY = t.articles.update().where(t.articles.c.id == sa.bindparam("aid")).values(
    story_id=sa.bindparam("sid"))


class Store:
    """sanctionwatch's database. `Store(url)` migrates the schema on first use."""

    def __init__(self, url: str, *, routes: Sequence[OutboxRoute] = (),
                 group_window: timedelta | None = None, echo: bool = False):
        self.url = url
        # What each channel receives: a raised, materially updated or escalated alert gets a
        # delivery per route that wants it, in the same transaction (storage/deliveries.py).
        self.routes: tuple[OutboxRoute, ...] = tuple(routes)
        # Alerts with the same key raised within this window update one alert (None: only
        # within a story). See storage/alerts.py.
        self.group_window = group_window
        # The connection of the `batch()` in progress in each thread (transaction() joins it).
        self._batch = threading.local()
        _check_url(url)
        try:
            kwargs: dict = {"echo": echo, "future": True}
            if url.startswith("sqlite"):
                kwargs["connect_args"] = {"timeout": 30}
            self.engine = sa.create_engine(url, **kwargs)
            if url.startswith("sqlite"):
                sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.schema_version = t.migrate(self.engine)
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open database {_safe_url(url)}: "
                               f"{str(exc).splitlines()[0]}") from exc
        except ImportError as exc:  # a dialect whose driver is not installed
            raise StorageError(f"database {_safe_url(url)}: its driver is not installed "
                               f"({exc.name or exc}); for PostgreSQL: "
                               "pip install 'sanctionwatch[postgres]'") from exc

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        """True when the database answers a `SELECT 1` (through the pool: no new engine)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1")).scalar_one()
        except SQLAlchemyError:
            return False
        return True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        joined = getattr(self._batch, "conn", None)
        try:
            if joined is not None:  # part of a batch: commits or rolls back with it
                yield joined
                return
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StorageError(f"database error: {exc}") from exc

    @contextmanager
    def batch(self) -> Iterator[Connection]:
        """One transaction for many operations (the pipeline stores a chunk of articles this
        way): every `transaction()` of this thread inside it joins it, and they all commit
        together at the end, or roll back together on an error or a crash."""
        if getattr(self._batch, "conn", None) is not None:
            yield self._batch.conn
            return
        try:
            with self.engine.begin() as conn:
                self._batch.conn = conn
                try:
                    yield conn
                finally:
                    self._batch.conn = None
        except SQLAlchemyError as exc:
            raise StorageError(f"database error: {exc}") from exc

    # -- articles ---------------------------------------------------------------------------

    def ingest(self, data: ArticleData, mentions: Sequence[Mention],
               intents: Sequence[AlertIntent], now: datetime,
               story_id: int | None = None,
               on_stored: Callable[[Connection, int], None] | None = None,
               ) -> tuple[Article, list[Alert]]:
        """Store an article with its mentions and alerts in one transaction. An article seen
        before (same content hash) is left as it is and yields no new alert.

        `story_id` joins the article to an existing story (a copy of a report already
        stored); an alert that story already has gains this article as a source instead of
        being raised again. Without it the article starts its own story. `on_stored(conn,
        article_id)` runs inside the same transaction (e.g. to save the article's
        near-duplicate signature, storage/stories.py), so it commits or rolls back with it."""
        content_hash = data.content_hash
        with self.transaction() as conn:
            row = conn.execute(_ARTICLE_BY_HASH, {"hash": content_hash}).first()
            if row is not None:
                return _article(row), []
            article_id = conn.execute(_INSERT_ARTICLE, {
                "source": data.source, "external_id": data.external_id, "url": data.url,
                "title": data.title, "text": data.text, "content_hash": content_hash,
                "published": data.published, "fetched": now, "story_id": story_id,
            }).inserted_primary_key[0]
            if story_id is None:
                story_id = article_id
                conn.execute(_SET_STORY, {"aid": article_id, "sid": article_id})
            if mentions:
                conn.execute(t.mentions.insert(), [
                    {"article_id": article_id, "entity_id": m.entity_id, "start": m.start,
                     "end": m.end, "matched": m.matched, "score": m.score, "kind": m.kind,
                     "alias": m.alias, "explanation": m.explanation} for m in mentions])
            if on_stored is not None:
                on_stored(conn, article_id)
            created = []
            for intent in intents:
                alert = self._add_alert(conn, intent, article_id, story_id, now)
                if alert is not None:
                    created.append(alert)
            return Article(article_id, data, now), created

    def _add_alert(self, conn: Connection, intent: AlertIntent, article_id: int,
                   story_id: int, now: datetime) -> Alert | None:
        """A new alert, or None when the story (or, within `group_window`, an alert with the
        same key) has it already: then the article is added to the alert's sources. Grouping,
        suppressions and outbox deliveries live in storage/alerts.py."""
        return raise_alert(self, conn, intent, article_id, story_id, now)

    def alert_sources(self, alert_id: int) -> list[Article]:
        """Every stored article that carried an alert, first first."""
        with self.transaction() as conn:
            rows = conn.execute(sa.select(t.articles).join(
                t.alert_articles, t.alert_articles.c.article_id == t.articles.c.id).where(
                t.alert_articles.c.alert_id == alert_id).order_by(t.articles.c.id)).all()
        return [_article(r) for r in rows]

    def count_articles(self) -> int:
        with self.transaction() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t.articles)).scalar_one()

    def mentions_of(self, article_id: int) -> list[Mention]:
        with self.transaction() as conn:
            rows = conn.execute(sa.select(t.mentions).where(t.mentions.c.article_id == article_id)
                                .order_by(t.mentions.c.start)).all()
        return [Mention(r.entity_id, r.start, r.end, r.matched, r.score, r.alias, r.kind,
                        (Feature(STORED, r.score, r.explanation),)) for r in rows]

    # -- alerts -----------------------------------------------------------------------------

    def list_alerts(self, f: AlertFilter | None = None) -> list[Alert]:
        f = f or AlertFilter()
        q = sa.select(t.alerts, t.articles.c.source, t.articles.c.external_id).join(
            t.articles, t.articles.c.id == t.alerts.c.article_id).order_by(t.alerts.c.id)
        if f.status:
            q = q.where(t.alerts.c.status == f.status)
        if f.type:
            q = q.where(t.alerts.c.type == f.type)
        if f.severity:
            q = q.where(t.alerts.c.severity == f.severity)
        if f.since:
            q = q.where(t.alerts.c.created >= f.since)
        with self.transaction() as conn:
            rows = conn.execute(q).all()
        out = [_alert(r) for r in rows]
        if f.entity_id:
            out = [a for a in out if f.entity_id in a.intent.entity_ids]
        return out[: f.limit] if f.limit else out

    # -- source state -----------------------------------------------------------------------

    def seen_items(self, source: str) -> dict[str, str]:
        with self.transaction() as conn:
            rows = conn.execute(sa.select(t.source_items.c.item_key, t.source_items.c.fingerprint)
                                .where(t.source_items.c.source == source)).all()
        return {r.item_key: r.fingerprint for r in rows}

    def mark_seen(self, source: str, item_key: str, fingerprint: str, now: datetime) -> None:
        with self.transaction() as conn:
            updated = conn.execute(t.source_items.update().where(
                (t.source_items.c.source == source) & (t.source_items.c.item_key == item_key)
            ).values(fingerprint=fingerprint, seen=now)).rowcount
            if not updated:
                _insert_ignore(conn, t.source_items, {"source": source, "item_key": item_key,
                                                      "fingerprint": fingerprint, "seen": now},
                               ["source", "item_key"])


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


SUPPORTED = ("sqlite", "postgresql")


def _check_url(url: str) -> None:
    """A one-line error for a URL that is not one of ours (before SQLAlchemy tries it)."""
    try:
        backend = sa.engine.make_url(url).get_backend_name()
    except sa.exc.ArgumentError:
        raise StorageError(f"database URL {url!r} is not a URL: use sqlite:///PATH or "
                           "postgresql+psycopg://USER@HOST/DB (or --db FILE)") from None
    if backend not in SUPPORTED:
        raise StorageError(f"database {_safe_url(url)}: {backend} is not supported; use "
                           "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")


def _safe_url(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database url>"
