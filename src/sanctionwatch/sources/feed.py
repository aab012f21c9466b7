"""`feed`: an RSS or Atom feed over HTTP(S).

Fetching goes through sources/http.py (timeouts, deadline, size cap, redirects, conditional
requests). Before parsing, a feed that declares XML entities is rejected (the "billion laughs"
expansion and external entities); feedparser then parses it, decoding by the HTTP charset, the
XML declaration or a fallback. A feed that yields no entry at all because it is not well-formed
(or is an HTML page) is rejected with the parser's reason; a slightly malformed feed whose
entries could be recovered is read with a warning.

Each entry is one item, keyed by its id (else its canonical link), with a fingerprint of its
content, so an edited entry is read again. The article text is the title and the entry's
content (else its summary) as plain text; with `fulltext` on, an entry whose text is shorter
than `fulltext_min_chars` is replaced by the article page's main text (trafilatura, optional).
The HTTP validators (ETag, Last-Modified) travel as a last, empty item: they are stored only
after every entry before them, so a crash never makes the next request skip unstored entries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from sanctionwatch.dedupe import canonical_url
from sanctionwatch.errors import ConfigError, Interrupted, SourceError
from sanctionwatch.sources import http
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.htmltext import html_to_text
from sanctionwatch.types import ArticleData

log = logging.getLogger("sanctionwatch.sources.feed")

VALIDATORS_KEY = "~http-validators"
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
               "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
Extractor = Callable[[bytes, str], str | None]


def trafilatura_extractor() -> Extractor:
    """The main text of an article page, by trafilatura (installed with the `fulltext`
    extra)."""
    try:
        import trafilatura
    except ImportError as exc:
        raise ConfigError("fulltext: true needs trafilatura: pip install "
                          "'sanctionwatch[fulltext]'") from exc

    def extract(html: bytes, url: str) -> str | None:
        return trafilatura.extract(html, url=url, include_comments=False, include_tables=False)

    return extract


def reject_hostile_xml(body: bytes, url: str) -> None:
    """Raise `SourceError` when the document declares entities or references external ones;
    leave well-formedness to feedparser."""
    try:
        defused_fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SourceError(f"{url}: rejected as hostile XML: {exc} (entity declarations and "
                          "external references are not allowed in feeds)") from exc
    except (ParseError, ValueError):
        pass


class FeedSource:
    def __init__(self, name: str, url: str, http_settings: http.HttpSettings | None = None,
                 extractor: Extractor | None = None, fulltext_min_chars: int = 600,
                 transport=None, cancel: threading.Event | None = None):
        """`cancel`: the daemon's stop event; a fetch in progress ends when it is set."""
        self.name = name
        self.url = url
        self.http = http_settings or http.HttpSettings()
        self.extractor = extractor
        self.fulltext_min_chars = fulltext_min_chars
        self.transport = transport
        self.cancel = cancel

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        validators = _load_validators(seen.get(VALIDATORS_KEY, ""))
        resp = http.fetch(self.url, self.http, etag=validators.get("etag", ""),
                          last_modified=validators.get("last_modified", ""),
                          accept=FEED_ACCEPT, transport=self.transport, cancel=self.cancel)
        if resp.not_modified:
            log.info("feed.not_modified source=%s url=%s", self.name, self.url)
            return
        parsed = self.parse(resp)
        for entry in parsed.entries:
            try:
                item = self._item(entry, seen)
            except Interrupted:
                raise
            except SourceError as exc:
                yield ItemProblem(_entry_key(entry), str(exc))
                continue
            if item is not None:
                yield item
        fresh = {"etag": resp.etag, "last_modified": resp.last_modified}
        if any(fresh.values()):
            state = json.dumps(fresh, sort_keys=True)
            if seen.get(VALIDATORS_KEY) != state:
                yield SourceItem(VALIDATORS_KEY, state, ())

    def parse(self, resp: http.Response):
        """The parsed feed, or `SourceError` naming why it is not one."""
        reject_hostile_xml(resp.body, self.url)
        headers = {"content-type": resp.headers.get("content-type", ""),
                   "content-location": resp.url}
        body = self._repaired_utf8(resp.body, headers["content-type"])
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=False)
        problem = parsed.get("bozo_exception")
        if not parsed.entries:
            if problem is not None and not isinstance(problem,
                                                      feedparser.CharacterEncodingOverride):
                raise SourceError(f"{self.url}: not a valid RSS/Atom feed: "
                                  f"{type(problem).__name__}: {problem}")
            if not parsed.get("version"):
                kind = resp.headers.get("content-type", "unknown type")
                raise SourceError(f"{self.url}: not an RSS or Atom feed ({kind})")
        elif problem is not None:
            log.warning("feed.malformed source=%s url=%s entries=%d reason=%s: %s", self.name,
                        self.url, len(parsed.entries), type(problem).__name__, problem)
        return parsed

    def _repaired_utf8(self, body: bytes, content_type: str) -> bytes:
        """A UTF-8 feed with a few broken bytes keeps its encoding: each broken byte becomes
        U+FFFD (and a warning names where), instead of feedparser re-decoding the whole feed
        as KOI8-U or MacRoman and losing every non-Latin name. A feed that declares UTF-8 but
        is written in another encoding throughout (more than a tenth of its non-ASCII bytes
        invalid) is left to feedparser's detection."""
        declared = _declared_charset(body, content_type)
        if declared not in ("", "utf-8", "utf8"):
            return body
        try:
            body.decode("utf-8")
            return body
        except UnicodeDecodeError as exc:
            first = exc.start
        text = body.decode("utf-8", errors="replace")
        broken = text.count("\ufffd")
        non_ascii = sum(b >= 0x80 for b in body)
        if broken * 10 > non_ascii:
            return body  # not UTF-8 with a slip: another encoding throughout
        log.warning("feed.broken_utf8 source=%s url=%s bytes=%d first_at=%d: replaced by "
                    "U+FFFD, the rest of the feed kept as UTF-8", self.name, self.url, broken,
                    first)
        return text.encode("utf-8")

    def _item(self, entry, seen: Mapping[str, str]) -> SourceItem | None:
        key = _entry_key(entry)
        title = html_to_text(entry.get("title", "") or "")
        link = canonical_url(entry.get("link", "") or "")
        contents = entry.get("content") or []
        body_html = contents[0].get("value", "") if contents else entry.get("summary", "")
        body_html = body_html or ""
        fingerprint = hashlib.sha256(json.dumps(
            [title, link, body_html, dict.get(entry, "updated", "")]).encode("utf-8")).hexdigest()
        if seen.get(key) == fingerprint:
            return None
        body = html_to_text(body_html)
        if self.extractor is not None and link and len(body) < self.fulltext_min_chars:
            body = self._fulltext(link) or body
        if not title and not body:
            raise SourceError(f"{self.url}: entry {key!r} has neither title nor text")
        text = f"{title}\n\n{body}" if title and body else (title or body)
        data = ArticleData(self.name, key, text, title=title, url=link,
                           published=_date(entry))
        return SourceItem(key, fingerprint, (data,))

    def _fulltext(self, link: str) -> str | None:
        try:
            page = http.fetch(link, self.http, accept="text/html,application/xhtml+xml",
                              transport=self.transport, cancel=self.cancel)
            text = self.extractor(page.body, page.url) if self.extractor else None
        except Interrupted:
            raise
        except SourceError as exc:
            log.warning("feed.fulltext_failed source=%s url=%s reason=%s", self.name, link, exc)
            return None
        except Exception as exc:  # the extractor is third-party code: never let it stop a feed
            log.warning("feed.fulltext_failed source=%s url=%s reason=%s: %s", self.name, link,
                        type(exc).__name__, exc)
            return None
        return text.strip() if text and text.strip() else None


def _entry_key(entry) -> str:
    key = (entry.get("id") or "").strip() or canonical_url(entry.get("link", "") or "")
    if not key:
        raw = json.dumps([entry.get("title", ""), entry.get("summary", "")])
        key = "sha256:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()
    if len(key) > 1000:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key


def _date(entry) -> datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        tm = dict.get(entry, field)  # not entry.get: feedparser warns on aliased keys
        if tm:
            try:
                return datetime(*tm[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _load_validators(state: str) -> dict[str, str]:
    try:
        data = json.loads(state) if state else {}
    except json.JSONDecodeError:
        return {}
    return {k: str(v) for k, v in data.items() if isinstance(v, str)} \
        if isinstance(data, dict) else {}


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.IGNORECASE)


def _declared_charset(body: bytes, content_type: str) -> str:
    """The charset the HTTP header or the XML declaration names, lower case ("" if none)."""
    m = _CHARSET.search(content_type or "")
    if m:
        return m.group(1).lower()
    m = _XML_ENCODING.match(body[:200])
    return m.group(1).decode("ascii").lower() if m else ""
