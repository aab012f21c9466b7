"""`csv`: bulk exports as CSV (header row, RFC 4180 quoting), one article per row, with a
field mapping (see sources/records.py), a delimiter and an encoding. A row without text is
reported with its file and line and skipped. `NAME.csv.gz` is read decompressed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

from sanctionwatch.errors import SourceError
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.records import (
    FieldMap,
    bulk_files,
    chunk_fingerprint,
    read_bulk,
    to_article,
)

csv.field_size_limit(16 * 1024 * 1024)


class CsvSource:
    def __init__(self, name: str, path: Path, fields: FieldMap | None = None,
                 delimiter: str = ",", encoding: str = "utf-8-sig", chunk: int = 500):
        if len(delimiter) != 1:
            raise SourceError(f"source {name!r}: the delimiter must be one character")
        self.name = name
        self.path = path
        self.fields = fields or FieldMap()
        self.delimiter = delimiter
        self.encoding = encoding
        self.chunk = max(1, chunk)

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        for file in bulk_files(self.path, (".csv", ".tsv"), self.name):
            key = file.name if file == self.path else str(file.relative_to(self.path))
            try:
                rows = self._rows(file)
            except SourceError as exc:
                yield ItemProblem(key, str(exc))
                continue
            for i in range(0, len(rows), self.chunk):
                part = rows[i:i + self.chunk]
                item_key = f"{key}:{part[0][0]}-{part[-1][0]}"
                fingerprint = chunk_fingerprint(repr(sorted(r.items())).encode("utf-8")
                                                for _, r in part)
                if seen.get(item_key) == fingerprint:
                    continue
                articles = []
                for line, rec in part:
                    try:
                        articles.append(to_article(self.name, key, line, rec, self.fields,
                                                   f"{file}:{line}"))
                    except SourceError as exc:
                        yield ItemProblem(f"{key}:{line}", str(exc))
                yield SourceItem(item_key, fingerprint, tuple(articles))

    def _rows(self, file: Path) -> list[tuple[int, dict[str, str]]]:
        """(line where the record starts, record) for every data row."""
        raw = read_bulk(file)
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            raise SourceError(f"{file}: not valid {self.encoding} at byte {exc.start}") from exc
        except LookupError as exc:
            raise SourceError(f"{file}: unknown encoding {self.encoding!r}") from exc
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        rows = []
        try:
            start = 2
            for rec in reader:
                rows.append((start, {k: v for k, v in rec.items() if isinstance(k, str)}))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise SourceError(f"{file}:{reader.line_num}: invalid CSV: {exc}") from exc
        if reader.fieldnames is None:
            return []
        missing = [f for f in self.fields.text if f not in reader.fieldnames]
        if missing:
            raise SourceError(f"{file}:1: no column {', '.join(map(repr, missing))} for the "
                              f"article text (columns: {', '.join(reader.fieldnames)})")
        return rows
