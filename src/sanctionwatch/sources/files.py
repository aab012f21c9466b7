"""Read article files: .txt, .md, .html, .eml, .json and .jsonl (pure apart from reading).

Offsets are into the document's text as read: the file's characters exactly (no newline
translation); in HTML, markup is blanked with spaces so offsets still point into the file;
in JSON, the article's `text` field.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from sanctionwatch.errors import SourceError
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.records import FieldMap, json_record, to_article
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


def read_documents(path: Path, source: str = "file", fields: FieldMap | None = None
                   ) -> Iterator[tuple[str, ArticleData | SourceError]]:
    """(document name, article) for each article in a file. The name is the path, or
    `PATH#ID` for an article of a JSON/JSONL file holding several. A record of a JSON or
    JSONL file that is broken or has no text comes as (name, SourceError naming the file and
    line), and the others are read (the same reader as the `jsonl` source: records.py); a
    file that cannot be read at all raises SourceError."""
    suffix = path.suffix.lower()
    name = str(path)
    fields = fields or FieldMap()
    if suffix == ".jsonl":
        text = read_text_file(path)
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json_record(line, where)
                data = to_article(source, name, n, rec, fields, where)
            except SourceError as exc:
                yield f"{name}:{n}", exc
                continue
            yield data.external_id, data
    elif suffix == ".json":
        try:
            doc = json.loads(read_text_file(path))
        except json.JSONDecodeError as exc:
            raise SourceError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
        if isinstance(doc, dict):
            try:
                data = to_article(source, name, 1, doc, fields, str(path))
            except SourceError as exc:
                yield name, exc
                return
            yield name, replace(data, external_id=name)
        elif isinstance(doc, list):
            for n, rec in enumerate(doc, start=1):
                where = f"{path}: item {n}"
                if not isinstance(rec, dict):
                    yield f"{name}#{n}", SourceError(f"{where} is not a JSON object")
                    continue
                try:
                    data = to_article(source, name, n, rec, fields, where)
                except SourceError as exc:
                    yield f"{name}#{n}", exc
                    continue
                yield data.external_id, data
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


def file_item(source: str, key: str, path: Path,
              seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
    """One article file as one item keyed `key` (nothing when its content hash was seen): a
    file that cannot be read is a problem; a broken record of a JSON/JSONL file is reported
    and skipped, the others are read. Shared by the folder source and backfill."""
    try:
        fingerprint = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        yield ItemProblem(key, f"cannot read: {exc.strerror}")
        return
    if seen.get(key) == fingerprint:
        return
    try:
        found = list(read_documents(path, source=source))
    except SourceError as exc:
        yield ItemProblem(key, str(exc))
        return
    for name, bad in found:
        if isinstance(bad, SourceError):  # one broken record: reported, skipped
            yield ItemProblem(f"{key}:{name.rsplit(':', 1)[-1]}", str(bad))
    yield SourceItem(key, fingerprint, tuple(d for _, d in found
                                             if not isinstance(d, SourceError)))
