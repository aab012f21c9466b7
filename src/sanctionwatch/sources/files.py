"""Read article files: .txt, .md, .html, .eml, .json and .jsonl (pure apart from reading).

Offsets are into the document's text as read: the file's characters exactly (no newline
translation); in HTML, markup is blanked with spaces so offsets still point into the file;
in JSON, the article's `text` field.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sanctionwatch.errors import SourceError
from sanctionwatch.types import ArticleData

SUFFIXES = (".txt", ".md", ".html", ".htm", ".eml", ".json", ".jsonl")
_MARKUP = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>",
                     re.IGNORECASE | re.DOTALL)


def blank_markup(html: str) -> str:
    """HTML with every tag, script, style and comment replaced by as many spaces."""
    return _MARKUP.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), html)


def read_text_file(path: Path) -> str:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not valid UTF-8 at byte {exc.start}") from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from exc


def _parse_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _record(source: str, doc_id: str, rec: dict, where: str,
            fields: dict[str, str] | None = None) -> ArticleData:
    f = {"id": "id", "text": "text", "title": "title", "url": "url", "published": "published",
         **(fields or {})}
    text = rec.get(f["text"])
    if not isinstance(text, str):
        raise SourceError(f"{where}: no text field {f['text']!r} (a string) in this record")
    return ArticleData(source=source, external_id=doc_id, text=text,
                       title=str(rec.get(f["title"]) or ""), url=str(rec.get(f["url"]) or ""),
                       published=_parse_date(rec.get(f["published"])))


def read_documents(path: Path, source: str = "file",
                   fields: dict[str, str] | None = None) -> Iterator[tuple[str, ArticleData]]:
    """(document name, article) for each article in a file. The name is the path, or
    `PATH#ID` for an article of a JSON/JSONL file holding several."""
    suffix = path.suffix.lower()
    name = str(path)
    id_field = (fields or {}).get("id", "id")
    if suffix == ".jsonl":
        text = read_text_file(path)
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(f"{path}:{n}:{exc.colno}: invalid JSON: {exc.msg}") from exc
            if not isinstance(rec, dict):
                raise SourceError(f"{path}:{n}: expected a JSON object per line")
            doc_id = str(rec.get(id_field) or n)
            yield f"{name}#{doc_id}", _record(source, f"{name}#{doc_id}", rec, f"{path}:{n}",
                                              fields)
    elif suffix == ".json":
        try:
            data = json.loads(read_text_file(path))
        except json.JSONDecodeError as exc:
            raise SourceError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
        if isinstance(data, dict):
            yield name, _record(source, name, data, str(path), fields)
        elif isinstance(data, list):
            for n, rec in enumerate(data, start=1):
                if not isinstance(rec, dict):
                    raise SourceError(f"{path}: item {n} is not a JSON object")
                doc_id = str(rec.get(id_field) or n)
                yield f"{name}#{doc_id}", _record(source, f"{name}#{doc_id}", rec,
                                                  f"{path}: item {n}", fields)
        else:
            raise SourceError(f"{path}: expected a JSON object or a list of objects")
    elif suffix in (".html", ".htm"):
        raw = read_text_file(path)
        m = re.search(r"<title[^>]*>(.*?)</title", raw, re.IGNORECASE | re.DOTALL)
        yield name, ArticleData(source, name, blank_markup(raw),
                                title=m.group(1).strip() if m else "")
    elif suffix == ".eml":
        try:
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        except OSError as exc:
            raise SourceError(f"{path}: cannot read: {exc.strerror}") from exc
        body = msg.get_body(preferencelist=("plain", "html"))
        content = body.get_content() if body is not None else ""
        if body is not None and body.get_content_type() == "text/html":
            content = blank_markup(content)
        yield name, ArticleData(source, name, content, title=str(msg.get("subject", "")))
    elif suffix in (".txt", ".md"):
        yield name, ArticleData(source, name, read_text_file(path), title="")
    else:
        raise SourceError(f"{path}: unsupported file type (use one of {', '.join(SUFFIXES)})")


def is_document(path: Path) -> bool:
    """A supported article file in a folder: not hidden, not a folder's README."""
    return (path.is_file() and path.suffix.lower() in SUFFIXES
            and not path.name.startswith(".") and path.stem.upper() != "README")


def iter_paths(paths: list[Path]) -> Iterator[Path]:
    """Files named, and the article files inside folders named (recursively, sorted)."""
    for p in paths:
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if is_document(q))
        elif p.is_file():
            yield p
        else:
            raise SourceError(f"{p}: no such file or folder")
