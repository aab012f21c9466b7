"""`folder`: a drop folder of article files. Files already processed are remembered by their
content hash; an edited file is read again. Hidden files and README files are not articles."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from sanctionwatch.errors import SourceError
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.files import is_document, read_documents


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
            key = str(p.relative_to(self.path))
            try:
                fingerprint = hashlib.sha256(p.read_bytes()).hexdigest()
            except OSError as exc:
                yield ItemProblem(key, f"cannot read: {exc.strerror}")
                continue
            if seen.get(key) == fingerprint:
                continue
            try:
                found = list(read_documents(p, source=self.name))
            except SourceError as exc:
                yield ItemProblem(key, str(exc))
                continue
            for name, bad in found:
                if isinstance(bad, SourceError):  # one broken record: reported, skipped
                    yield ItemProblem(f"{key}:{name.rsplit(':', 1)[-1]}", str(bad))
            yield SourceItem(key, fingerprint, tuple(d for _, d in found
                                                     if not isinstance(d, SourceError)))
