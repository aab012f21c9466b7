"""Stories: which stored article a new one is a copy of, by content hash, canonical URL or
near-duplicate signature (the signals come from dedupe.py; this module stores and looks them up).

A story is the cluster of copies of one report; its id is the id of its first article
(`articles.story_id`). `find_story` returns the story a new article belongs to; the pipeline
passes it to `Store.ingest`, which then adds the article to the story's alerts instead of
raising them again. `save_signature` runs inside the ingest transaction, so an article is
never stored without its signature. An exact copy (same title and text) from another source is
not stored twice: `record_copy` notes that the source carried it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.dedupe import Signature, containment, similarity
from sanctionwatch.storage import schema as t
from sanctionwatch.storage.rows import _insert_ignore
from sanctionwatch.storage.store import Store

_CHUNK = 500

# Statements built once: building SQLAlchemy statements per article costs more than running
# them. Values travel as parameters.
_KNOWN = sa.select(t.articles.c.content_hash, t.articles.c.id).where(
    t.articles.c.content_hash.in_(sa.bindparam("hashes", expanding=True)))
_CANDIDATES = sa.select(t.dedupe_keys.c.key, t.dedupe_keys.c.article_id).where(
    t.dedupe_keys.c.key.in_(sa.bindparam("keys", expanding=True)))
_SIGNATURES = (
    sa.select(t.articles.c.id, t.articles.c.story_id, t.article_signatures.c.minhash,
              t.article_signatures.c.shingles)
    .join(t.article_signatures, t.article_signatures.c.article_id == t.articles.c.id)
    .where(t.articles.c.id.in_(sa.bindparam("ids", expanding=True))))
_SAVE_SIGNATURE = t.article_signatures.insert()
_SAVE_KEYS = t.dedupe_keys.insert()


@dataclass(frozen=True, slots=True)
class StoryMatch:
    """The story a new article joins, the stored article it resembles most, and why."""

    story_id: int
    article_id: int
    similarity: float
    reason: str  # "url" or "near-duplicate"


def known_hashes(store: Store, hashes: Iterable[str]) -> dict[str, int]:
    """Content hash -> article id for the hashes already stored (one query per 500)."""
    wanted = list(dict.fromkeys(hashes))
    found: dict[str, int] = {}
    with store.transaction() as conn:
        for i in range(0, len(wanted), _CHUNK):
            rows = conn.execute(_KNOWN, {"hashes": wanted[i:i + _CHUNK]}).all()
            found.update({r.content_hash: r.id for r in rows})
    return found


def find_story(store: Store, sig: Signature, threshold: float,
               containment_threshold: float = 0.8) -> StoryMatch | None:
    """The story of the stored article most like this signature: same canonical URL, or an
    estimated Jaccard similarity >= `threshold`, or (a shortened copy) most of the smaller
    text contained in the larger. None when the article starts a new story."""
    keys = sig.keys
    if not keys:
        return None
    with store.transaction() as conn:
        rows = conn.execute(_CANDIDATES, {"keys": list(keys)}).all()
        if not rows:
            return None
        by_url = {r.article_id for r in rows if r.key == sig.url_key}
        candidates = {r.article_id for r in rows}
        stored = conn.execute(_SIGNATURES, {"ids": sorted(candidates)}).all()
    best: StoryMatch | None = None
    for r in stored:
        j = similarity(sig.hashvalues, r.minhash)
        if r.id in by_url:
            match = StoryMatch(r.story_id or r.id, r.id, 1.0, "url")
        elif j >= threshold or (
                containment(j, sig.shingles, r.shingles) >= containment_threshold
                and j >= threshold / 3):
            match = StoryMatch(r.story_id or r.id, r.id, j, "near-duplicate")
        else:
            continue
        if best is None or (match.similarity, -match.article_id) > \
                (best.similarity, -best.article_id):
            best = match
    return best


def save_signature(conn: Connection, article_id: int, sig: Signature) -> None:
    """Store an article's signature and bucket keys (inside the article's transaction)."""
    conn.execute(_SAVE_SIGNATURE, {"article_id": article_id, "minhash": sig.hashvalues,
                                   "shingles": sig.shingles})
    keys = sorted(set(sig.keys))
    if keys:
        conn.execute(_SAVE_KEYS, [{"key": k, "article_id": article_id} for k in keys])


def record_copy(store: Store, article_id: int, source: str, external_id: str, url: str,
                now: datetime) -> bool:
    """Note that `source` carried an article already stored (exactly the same title and
    text); True when this is news. The article's own source is not a copy of itself."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.articles.c.source, t.articles.c.external_id)
                           .where(t.articles.c.id == article_id)).first()
        if row is None or (row.source == source and row.external_id == external_id):
            return False
        return _insert_ignore(conn, t.article_copies, {
            "article_id": article_id, "source": source, "external_id": external_id[:2000],
            "url": url, "seen": now}, ["article_id", "source", "external_id"])


@dataclass(frozen=True, slots=True)
class Carrier:
    """One place a story was seen: a stored article, or an exact copy of one."""

    article_id: int
    source: str
    external_id: str
    url: str
    copy: bool


def alert_carriers(store: Store, alert_id: int) -> list[Carrier]:
    """Every source that carried an alert's story: the alert's articles and their exact
    copies from other sources, first seen first."""
    a, c, aa = t.articles, t.article_copies, t.alert_articles
    with store.transaction() as conn:
        ids = [r.article_id for r in conn.execute(
            sa.select(aa.c.article_id).where(aa.c.alert_id == alert_id)
            .order_by(aa.c.article_id)).all()]
        if not ids:
            return []
        own = conn.execute(sa.select(a.c.id, a.c.source, a.c.external_id, a.c.url)
                           .where(a.c.id.in_(ids)).order_by(a.c.id)).all()
        copies = conn.execute(sa.select(c.c.article_id, c.c.source, c.c.external_id, c.c.url)
                              .where(c.c.article_id.in_(ids))
                              .order_by(c.c.seen, c.c.article_id)).all()
    return ([Carrier(r.id, r.source, r.external_id, r.url, False) for r in own]
            + [Carrier(r.article_id, r.source, r.external_id, r.url, True) for r in copies])


def story_articles(store: Store, story_id: int) -> Sequence[int]:
    """The ids of a story's stored articles, first first."""
    with store.transaction() as conn:
        return [r.id for r in conn.execute(sa.select(t.articles.c.id)
                                           .where(t.articles.c.story_id == story_id)
                                           .order_by(t.articles.c.id)).all()]
