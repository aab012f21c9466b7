"""Deduplication signals (dedupe.py, pure) and the story store: canonical URLs, signatures
that find copies of one wire story and keep different stories apart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sanctionwatch.dedupe import (
    DedupeSettings,
    canonical_url,
    containment,
    normalized_hash,
    signature,
    similarity,
)
from sanctionwatch.storage import stories
from sanctionwatch.storage.store import Store
from sanctionwatch.types import ArticleData

WIRE = (Path(__file__).resolve().parent / "data" / "feeds" / "wire_story.txt").read_text(
    encoding="utf-8")
DOCS = Path(__file__).resolve().parent / "data" / "articles"


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTPS://Example.COM:443/a/b?utm_source=rss&id=3&fbclid=x&b=2#frag",
     "https://example.com/a/b?b=2&id=3"),
    ("http://example.com:8080/x?gclid=1&utm_medium=feed", "http://example.com:8080/x"),
    ("https://example.com", "https://example.com/"),
    ("https://news.example/story?mc_cid=1&mc_eid=2&_ga=3&igshid=4&page=2",
     "https://news.example/story?page=2"),
    ("  ", ""),
    ("not a url", "not a url"),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical or canonical in ("", "not a url")


def test_normalized_hash_ignores_spacing_case_and_punctuation():
    assert normalized_hash("Wagner  Group, designated!") == \
        normalized_hash("wagner group designated")
    assert normalized_hash("Wagner Group") != normalized_hash("Wagner Groups")


def test_copies_are_similar_and_different_stories_are_not():
    copy = "WASHINGTON (AP) — " + WIRE.replace("on Friday", "Friday") + "\nCopyright 2023 AP."
    shortened = "\n\n".join(WIRE.split("\n\n")[:3])
    other = (DOCS / "09_en_ring_cycle_review.txt").read_text(encoding="utf-8")
    a, b, c, d = (signature(x) for x in (WIRE, copy, shortened, other))
    assert similarity(a.hashvalues, b.hashvalues) > 0.75
    assert set(a.band_keys) & set(b.band_keys)
    j = similarity(a.hashvalues, c.hashvalues)
    assert containment(j, a.shingles, c.shingles) > 0.8
    assert similarity(a.hashvalues, d.hashvalues) < 0.1
    assert not set(a.band_keys) & set(d.band_keys)
    assert len(a.band_keys) == DedupeSettings().bands and a.url_key is None


def test_signature_settings_are_checked():
    with pytest.raises(ValueError, match="bands x rows"):
        DedupeSettings(num_perm=128, bands=10, rows=4)


def test_find_story_by_signature_and_by_url(db_url):
    store = Store(db_url)
    now = datetime(2023, 1, 20, tzinfo=UTC)
    first = ArticleData("a", "1", WIRE, "Title A", "https://a.example/wagner")
    sig = signature(first.text, first.url)
    assert stories.find_story(store, sig, 0.5) is None
    art, _ = store.ingest(first, (), (), now,
                          on_stored=lambda conn, aid: stories.save_signature(conn, aid, sig))
    copy = signature("WASHINGTON — " + WIRE + " Copyright.", "")
    match = stories.find_story(store, copy, 0.5)
    assert match is not None and match.story_id == art.id and match.reason == "near-duplicate"
    moved = signature("A completely rewritten text about something else entirely.",
                      "https://a.example/wagner?utm_source=x#top")
    by_url = stories.find_story(store, moved, 0.5)
    assert by_url is not None and by_url.reason == "url" and by_url.story_id == art.id
    unrelated = signature((DOCS / "09_en_ring_cycle_review.txt").read_text("utf-8"))
    assert stories.find_story(store, unrelated, 0.5) is None
    assert stories.known_hashes(store, [first.content_hash, "nope"]) == \
        {first.content_hash: art.id}
    assert stories.record_copy(store, art.id, "b", "9", "https://b.example/x", now)
    assert not stories.record_copy(store, art.id, "b", "9", "https://b.example/x", now)
    assert not stories.record_copy(store, art.id, "a", "1", "", now)
    store.close()
