"""`folder`: a drop folder of article files. Files already processed are remembered by their
content hash; an edited file is read again. Hidden files and README files are not articles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from sanctionwatch.errors import SourceError
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.files import file_item, is_document


class FolderSource:
    def __init__(self, name: str, path: Path, recursive: bool = True,
                 skip: tuple[str, ...] = ()):
        self.name = name
        self.path = path
        self.recursive = recursive
        self.skip = skip  # suffixes left to another reader (a backfill's bulk files)

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        if not self.path.is_dir():
            raise SourceError(f"source {self.name!r}: folder {self.path} does not exist")
        pattern = "**/*" if self.recursive else "*"
        for p in sorted(self.path.glob(pattern)):
            if not is_document(p) or p.suffix.lower() in self.skip:
                continue
            yield from file_item(self.name, str(p.relative_to(self.path)), p, seen)

