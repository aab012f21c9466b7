"""Suppressions: noise an analyst dismissed once and does not want to see again.

A suppression names an entity and either an evidence pattern (a case-insensitive regular
expression searched in the alert's evidence sentence) or a source (an article's source name,
or a web host such as `example.org`, which also covers its sub-domains), and runs until an
expiry. An alert raised while a suppression matches is still stored — as `dismissed`, with an
audit event naming the suppression — so nothing is lost and the decision can be justified.
Removing a suppression keeps its row (`removed`, `removed_by`) for the audit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import regex
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.errors import SuppressionError
from sanctionwatch.storage import schema as t
from sanctionwatch.types import AlertIntent

PATTERN_TIMEOUT = 0.05  # seconds one pattern may search one evidence sentence
log = logging.getLogger("sanctionwatch.suppressions")


@dataclass(frozen=True, slots=True)
class Suppression:
    id: int
    entity_id: str
    pattern: str | None
    source: str | None
    alert_id: int | None
    reason: str
    created: datetime
    created_by: str
    expires: datetime | None
    removed: datetime | None = None
    removed_by: str | None = None

    def active(self, now: datetime) -> bool:
        return self.removed is None and (self.expires is None or self.expires > now)

    def describe(self) -> str:
        what = f"pattern /{self.pattern}/" if self.pattern else f"source {self.source}"
        until = f" until {self.expires:%Y-%m-%d %H:%M}" if self.expires else ""
        return f"suppression #{self.id} ({self.entity_id}, {what}{until})"

    def matches(self, evidence: str, source: str, url: str) -> bool:
        if self.pattern and _search(self, evidence):
            return True
        if self.source:
            want = self.source.lower()
            if source.lower() == want:
                return True
            host = (urlsplit(url).hostname or "").lower() if url else ""
            return bool(host) and (host == want or host.endswith("." + want))
        return False


def _search(sup: Suppression, evidence: str) -> bool:
    """The analyst's pattern in the evidence, under a time limit: a catastrophic pattern
    ("(\\w+\\s?)*$@") is reported and skipped, it never holds the daemon."""
    try:
        return regex.search(sup.pattern, evidence, regex.IGNORECASE,
                            timeout=PATTERN_TIMEOUT) is not None
    except TimeoutError:
        log.warning("%s: the pattern took longer than %.0f ms on one sentence and was "
                    "skipped; rewrite it without nested repeats", sup.describe(),
                    PATTERN_TIMEOUT * 1000)
        return False


def _row(r) -> Suppression:
    return Suppression(r.id, r.entity_id, r.pattern, r.source, r.alert_id, r.reason, r.created,
                       r.created_by, r.expires, r.removed, r.removed_by)


def validate(entity_id: str, pattern: str | None, source: str | None,
             expires: datetime | None, now: datetime) -> None:
    """Refuse a suppression that could not work, saying which part is wrong."""
    if not entity_id.strip():
        raise SuppressionError("suppression: an entity id is required")
    if not (pattern or source):
        raise SuppressionError(f"suppression for {entity_id}: give a pattern or a source")
    if pattern and source:
        raise SuppressionError(f"suppression for {entity_id}: give a pattern or a source, "
                               "not both (make two suppressions)")
    if pattern:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise SuppressionError(f"suppression for {entity_id}: pattern {pattern!r} is not a "
                                   f"valid regular expression: {exc}") from exc
    if expires is not None and expires <= now:
        raise SuppressionError(f"suppression for {entity_id}: expiry {expires.isoformat()} is "
                               "not in the future")


def add(conn: Connection, *, entity_id: str, pattern: str | None, source: str | None,
        actor: str, now: datetime, expires: datetime | None, reason: str = "",
        alert_id: int | None = None) -> Suppression:
    """Insert a suppression inside the caller's transaction (so a dismissal and the
    suppression it creates are stored together or not at all)."""
    validate(entity_id, pattern, source, expires, now)
    sid = conn.execute(t.suppressions.insert().values(
        entity_id=entity_id, pattern=pattern or None, source=source or None, alert_id=alert_id,
        reason=reason, created=now, created_by=actor, expires=expires)).inserted_primary_key[0]
    return _row(conn.execute(sa.select(t.suppressions).where(t.suppressions.c.id == sid)).one())


def list_all(conn: Connection, now: datetime, include_inactive: bool = False) -> list[Suppression]:
    rows = conn.execute(sa.select(t.suppressions).order_by(t.suppressions.c.id)).all()
    out = [_row(r) for r in rows]
    return out if include_inactive else [s for s in out if s.active(now)]


def remove(conn: Connection, suppression_id: int, actor: str, now: datetime) -> Suppression:
    row = conn.execute(sa.select(t.suppressions).where(
        t.suppressions.c.id == suppression_id)).first()
    if row is None:
        raise SuppressionError(f"suppression #{suppression_id}: no such suppression")
    if row.removed is not None:
        raise SuppressionError(f"suppression #{suppression_id}: already removed "
                               f"{row.removed:%Y-%m-%d %H:%M} by {row.removed_by}")
    conn.execute(t.suppressions.update().where(t.suppressions.c.id == suppression_id)
                 .values(removed=now, removed_by=actor))
    return _row(conn.execute(sa.select(t.suppressions).where(
        t.suppressions.c.id == suppression_id)).one())


_s = t.suppressions.c
_ACTIVE = sa.select(t.suppressions).where(
    _s.entity_id.in_(sa.bindparam("ids", expanding=True)) & _s.removed.is_(None)
    & (_s.expires.is_(None) | (_s.expires > sa.bindparam("now")))).order_by(_s.id)
_ARTICLE = sa.select(t.articles.c.source, t.articles.c.url).where(
    t.articles.c.id == sa.bindparam("id"))


def matching(conn: Connection, intent: AlertIntent, article_id: int,
             now: datetime) -> Suppression | None:
    """The first active suppression that covers a new alert, if any."""
    if not intent.entity_ids:
        return None
    rows = conn.execute(_ACTIVE, {"ids": list(intent.entity_ids), "now": now}).all()
    if not rows:
        return None
    art = conn.execute(_ARTICLE, {"id": article_id}).first()
    source, url = (art.source, art.url) if art is not None else ("", "")
    for r in rows:
        sup = _row(r)
        if sup.matches(intent.evidence, source, url):
            return sup
    return None
