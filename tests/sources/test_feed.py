"""The feed source against a real HTTP server on 127.0.0.1: good RSS and Atom, conditional
requests, redirects, wrong encodings, full-text extraction, and every hostile answer rejected
with a clear reason."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from sanctionwatch.errors import SourceError
from sanctionwatch.sources.base import SourceItem
from sanctionwatch.sources.feed import VALIDATORS_KEY, FeedSource
from sanctionwatch.sources.http import HttpSettings

FAST = HttpSettings(timeout=0.5, deadline=1.5, max_bytes=256 * 1024)


def _items(source: FeedSource, seen=None) -> list[SourceItem]:
    return [i for i in source.fetch(seen or {}) if isinstance(i, SourceItem)]


def _articles(items):
    return [a for i in items for a in i.articles]


def test_rss_entries_become_articles_with_canonical_urls(feed_server):
    src = FeedSource("capital", feed_server.url("/feeds/outlet_a.rss"), FAST)
    items = _items(src)
    arts = {a.external_id: a for a in _articles(items)}
    assert set(arts) == {"capitalwire-1001", "capitalwire-1002", "capitalwire-1003"}
    wagner = arts["capitalwire-1001"]
    assert wagner.title == ("Washington moves to list Wagner Group as a transnational "
                            "criminal organization")
    assert wagner.text.startswith(wagner.title + "\n\n")
    assert "make the designation under Executive Order 13581" in wagner.text
    assert "<p>" not in wagner.text and "&quot;" not in wagner.text
    assert wagner.url == "https://capitalwire.example/world/2023/01/20/wagner-tco"
    assert wagner.published == datetime(2023, 1, 20, 17, 42, tzinfo=UTC)
    assert wagner.source == "capital"
    # the validators travel last, as an empty item
    assert items[-1].key == VALIDATORS_KEY and not items[-1].articles
    ua = feed_server.hits("/feeds/outlet_a.rss")[0]["user-agent"]
    assert ua.startswith("sanctionwatch/")


def test_atom_entries_and_tracking_parameters_removed(feed_server):
    src = FeedSource("courier", feed_server.url("/feeds/outlet_b.atom"), FAST)
    arts = _articles(_items(src))
    assert [a.title for a in arts] == ["Wagner mercenaries to face US criminal designation",
                                       "Late header rescues a point for United"]
    assert arts[0].url == "https://northerncourier.example/world/88121-wagner-designation"
    assert arts[0].published == datetime(2023, 1, 20, 18, 30, tzinfo=UTC)
    assert "WASHINGTON —" in arts[0].text
    assert "late header from the captain" in arts[1].text  # summary-only entry


def test_conditional_request_answers_304_and_yields_nothing(feed_server):
    src = FeedSource("capital", feed_server.url("/feeds/outlet_a.rss"), FAST)
    first = list(src.fetch({}))
    seen = {i.key: i.fingerprint for i in first if isinstance(i, SourceItem)}
    assert list(src.fetch(seen)) == []
    second = feed_server.hits("/feeds/outlet_a.rss")[1]
    assert second["if-none-match"].startswith('"')
    assert second["if-modified-since"] == "Fri, 20 Jan 2023 18:05:00 GMT"


def test_without_validators_seen_entries_are_skipped_and_edited_ones_read_again(feed_server):
    feed_server.conditional = False
    path = "/dyn/feed.rss"
    template = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                '<item><guid isPermaLink="false">g-1</guid><title>One</title>'
                '<description>{}</description></item>'
                '<item><guid isPermaLink="false">g-2</guid><title>Two</title>'
                '<description>Stays.</description></item></channel></rss>')
    feed_server.dynamic[path] = (template.format("First text.").encode(), "application/rss+xml")
    src = FeedSource("dyn", feed_server.url(path), FAST)
    seen = {i.key: i.fingerprint for i in _items(src)}
    assert set(seen) == {"g-1", "g-2"}
    assert _items(src, seen) == []
    feed_server.dynamic[path] = (template.format("Corrected text.").encode(),
                                 "application/rss+xml")
    again = _items(src, seen)
    assert [i.key for i in again] == ["g-1"]
    assert "Corrected text." in again[0].articles[0].text


def test_permanent_redirect_is_followed(feed_server):
    src = FeedSource("moved", feed_server.url("/redirect/outlet_c.rss"), FAST)
    arts = _articles(_items(src))
    assert [a.title for a in arts] == ["Treasury to designate Russia's Wagner Group"]
    assert feed_server.hits("/feeds/outlet_c.rss")


def test_feed_declaring_utf8_but_written_in_cp1252_is_decoded(feed_server):
    src = FeedSource("sahel", feed_server.url("/feeds/cp1252_declared_utf8.rss"), FAST)
    (art,) = _articles(_items(src))
    assert art.title == "Sanctions : l’UE vise le groupe Wagner et ses soutiens"
    assert "L’Union européenne a annoncé jeudi" in art.text
    assert "\ufffd" not in art.text


@pytest.mark.parametrize(("path", "reason"), [
    ("/feeds/billion_laughs.xml", "hostile XML"),
    ("/feeds/xxe.xml", "hostile XML"),
    ("/feeds/invalid.xml", "not a valid RSS/Atom feed"),
    ("/feeds/not_a_feed.html", "not a valid RSS/Atom feed: NonXMLContentType"),
    ("/huge", "response too large: Content-Length 2147483648"),
    ("/endless", "response too large: more than 262144 bytes"),
    ("/silent", "timed out"),
    ("/trickle", "too slow"),
    ("/loop", "too many redirects"),
    ("/error", "HTTP 500 Internal Server Error (retry after 120)"),
    ("/feeds/missing.rss", "HTTP 404"),
])
def test_hostile_and_broken_answers_are_rejected_with_a_reason(feed_server, path, reason):
    src = FeedSource("bad", feed_server.url(path), FAST)
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        list(src.fetch({}))
    assert reason in str(info.value)
    assert feed_server.url(path) in str(info.value)
    assert time.monotonic() - started < 10


def test_unreachable_server_is_a_source_error():
    src = FeedSource("down", "http://127.0.0.1:9/feed.rss", FAST)
    with pytest.raises(SourceError, match=r"127\.0\.0\.1:9"):
        list(src.fetch({}))


def test_only_http_urls_are_fetched():
    with pytest.raises(SourceError, match="only http and https"):
        list(FeedSource("local", "file:///etc/passwd", FAST).fetch({}))


def test_fulltext_replaces_a_short_summary_with_the_page_text(feed_server):
    trafilatura = pytest.importorskip("trafilatura")
    from sanctionwatch.sources.feed import trafilatura_extractor

    assert trafilatura is not None
    src = FeedSource("capital", feed_server.url("/feeds/outlet_a.rss"), FAST,
                     extractor=trafilatura_extractor(), fulltext_min_chars=200)
    arts = {a.external_id: a for a in _articles(_items(src))}
    strike = arts["capitalwire-1003"].text
    assert "Shipping lines have begun diverting vessels" in strike
    assert "Celebrity chef" not in strike
    assert feed_server.hits("/articles/port_strike.html")
    # entries with enough text are not fetched again
    assert "make the designation" in arts["capitalwire-1001"].text


def test_fulltext_failure_keeps_the_summary(feed_server):
    def broken(_html: bytes, _url: str) -> str:
        raise RuntimeError("extractor crashed")

    src = FeedSource("capital", feed_server.url("/feeds/outlet_a.rss"), FAST,
                     extractor=broken, fulltext_min_chars=200)
    arts = {a.external_id: a for a in _articles(_items(src))}
    assert arts["capitalwire-1003"].text.endswith("Dock workers extended their walkout on "
                                                  "Friday.")


def test_one_broken_byte_does_not_re_decode_a_utf8_feed(feed_server, caplog):
    """A UTF-8 feed with a single 0xFF: feedparser alone re-decoded all of it as a legacy
    encoding and every Cyrillic name was lost; now the byte alone is replaced and named."""
    src = FeedSource("lenta", feed_server.url("/feeds/utf8_one_bad_byte.rss"), FAST)
    with caplog.at_level("WARNING", logger="sanctionwatch.sources.feed"):
        first, second = _articles(_items(src))
    assert first.title == "Минфин США расширил санкции против сети Пригожина"
    assert "«Вагнер»" in first.text and first.text.count("\ufffd") == 1
    assert second.title == "Поставщики беспилотников для ВС России"
    assert "feed.broken_utf8" in caplog.text and "bytes=1" in caplog.text
