"""`jsonl`: bulk exports as JSON Lines, one article per line, with a field mapping (see
sources/records.py). A line that is not a JSON object, or has no text, is reported with its
file and line and skipped; the other lines are read. `NAME.jsonl.gz` is read decompressed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from sanctionwatch.errors import SourceError
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.records import (
    FieldMap,
    bulk_files,
    chunk_fingerprint,
    json_record,
    read_bulk,
    to_article,
)


class JsonlSource:
    def __init__(self, name: str, path: Path, fields: FieldMap | None = None,
                 chunk: int = 500):
        self.name = name
        self.path = path
        self.fields = fields or FieldMap()
        self.chunk = max(1, chunk)

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        for file in bulk_files(self.path, (".jsonl", ".ndjson"), self.name):
            key = file.name if file == self.path else str(file.relative_to(self.path))
            try:
                lines = read_bulk(file).splitlines()
            except SourceError as exc:
                yield ItemProblem(key, str(exc))
                continue
            numbered = [(n, ln) for n, ln in enumerate(lines, start=1) if ln.strip()]
            for i in range(0, len(numbered), self.chunk):
                part = numbered[i:i + self.chunk]
                item_key = f"{key}:{part[0][0]}-{part[-1][0]}"
                fingerprint = chunk_fingerprint(ln for _, ln in part)
                if seen.get(item_key) == fingerprint:
                    continue
                articles = []
                for n, raw in part:
                    try:
                        articles.append(self._article(key, file, n, raw))
                    except SourceError as exc:
                        yield ItemProblem(f"{key}:{n}", str(exc))
                yield SourceItem(item_key, fingerprint, tuple(articles))

    def _article(self, key: str, file: Path, n: int, raw: bytes):
        where = f"{file}:{n}"
        return to_article(self.name, key, n, json_record(raw, where, first=n == 1),
                          self.fields, where)
