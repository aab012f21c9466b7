"""Bulk records (JSONL lines, CSV rows) to articles, with a configurable field mapping, read
in chunks.

A mapping names, for each article field, the record field that holds it; `text` may list
several fields, joined by a blank line (e.g. a headline and a body). A bulk file is read in
chunks of `chunk` records; each chunk is one item keyed `FILE:FIRST-LAST` with a hash of its
raw content as fingerprint, so a second run skips unchanged chunks without parsing them, an
appended file only reads its new chunk, and a crash re-reads at most the chunks not finished.
A bulk file may be gzip-compressed (`NAME.jsonl.gz`, `NAME.csv.gz`): it is read decompressed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from sanctionwatch.dedupe import canonical_url
from sanctionwatch.errors import ConfigError, SourceError
from sanctionwatch.types import ArticleData

ARTICLE_FIELDS = ("id", "text", "title", "url", "published")


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Record field names for each article field; `text` may join several fields."""

    id: str = "id"
    text: tuple[str, ...] = ("text",)
    title: str = "title"
    url: str = "url"
    published: str = "published"

    @classmethod
    def from_config(cls, fields: object, where: str) -> FieldMap:
        if fields is None:
            return cls()
        if not isinstance(fields, Mapping):
            raise ConfigError(f"{where}: 'fields' must map article fields "
                              f"({', '.join(ARTICLE_FIELDS)}) to record fields")
        unknown = sorted(set(fields) - set(ARTICLE_FIELDS))
        if unknown:
            raise ConfigError(f"{where}: unknown article field(s) in 'fields': "
                              f"{', '.join(map(str, unknown))} "
                              f"(known: {', '.join(ARTICLE_FIELDS)})")
        text = fields.get("text", "text")
        text_fields = tuple(str(t) for t in text) if isinstance(text, list | tuple) \
            else (str(text),)
        if not text_fields:
            raise ConfigError(f"{where}: 'fields.text' names no field")
        return cls(id=str(fields.get("id", "id")), text=text_fields,
                   title=str(fields.get("title", "title")), url=str(fields.get("url", "url")),
                   published=str(fields.get("published", "published")))


def parse_date(value: object) -> datetime | None:
    """ISO 8601 or RFC 2822 (e-mail / RSS) dates; naive ones are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            d = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def to_article(source: str, file_key: str, number: int, rec: Mapping, fields: FieldMap,
               where: str) -> ArticleData:
    """The article in one record; `SourceError` naming the place when it has no text."""
    parts = []
    for name in fields.text:
        value = rec.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise SourceError(f"{where}: field {name!r} is not text")
        parts.append(value)
    if not parts:
        raise SourceError(f"{where}: no text in field(s) {', '.join(fields.text)}")
    doc_id = str(rec.get(fields.id) or "").strip() or str(number)
    return ArticleData(source=source, external_id=f"{file_key}#{doc_id}",
                       text="\n\n".join(parts), title=str(rec.get(fields.title) or ""),
                       url=canonical_url(str(rec.get(fields.url) or "")),
                       published=parse_date(rec.get(fields.published)))


def json_record(raw: bytes | str, where: str, first: bool = False) -> Mapping:
    """One JSON Lines line as a record; `SourceError` naming the place when it is not UTF-8,
    not JSON or not an object (the one reader of the JSONL source, the folder source and
    `scan`)."""
    try:
        text = raw.decode("utf-8-sig" if first else "utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise SourceError(f"{where}: not valid UTF-8 at byte {exc.start}") from exc
    try:
        rec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{where}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(rec, dict):
        raise SourceError(f"{where}: expected a JSON object on each line")
    return rec


def chunk_fingerprint(raw: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for r in raw:
        h.update(r)
        h.update(b"\x1e")
    return h.hexdigest()


def bulk_suffix(path: Path) -> str:
    """The suffix that says what a bulk file holds, under a `.gz`: `.jsonl` for `a.jsonl.gz`."""
    suffix = path.suffix.lower()
    return Path(path.stem).suffix.lower() if suffix == ".gz" else suffix


def read_bulk(file: Path) -> bytes:
    """A bulk file's bytes, decompressed when it is gzip-compressed; `SourceError` naming the
    file when it cannot be read."""
    try:
        if file.suffix.lower() == ".gz":
            with gzip.open(file, "rb") as fh:
                return fh.read()
        return file.read_bytes()
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise SourceError(f"{file}: cannot read: damaged gzip data ({exc})") from exc
    except OSError as exc:
        raise SourceError(f"{file}: cannot read: {exc.strerror or exc}") from exc


def bulk_files(path: Path, suffixes: tuple[str, ...], source: str) -> Iterator[Path]:
    """The file itself, or the files with these suffixes (also gzip-compressed: `.gz` after
    them) in a folder (sorted, not hidden)."""
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file()
                          and bulk_suffix(p) in suffixes and not p.name.startswith("."))
    else:
        raise SourceError(f"source {source!r}: {path} does not exist")
