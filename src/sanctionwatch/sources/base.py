"""The source protocol: what every kind of news source provides to the pipeline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from sanctionwatch.types import ArticleData


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One unit a source delivers (a file, a feed entry): its key, a fingerprint that changes
    when its content changes, and the articles in it. The pipeline marks the item seen only
    after every article in it is stored, so a crash means the item is read again."""

    key: str
    fingerprint: str
    articles: tuple[ArticleData, ...]


@dataclass(frozen=True, slots=True)
class ItemProblem:
    """An item that could not be read; the source carries on with the next one."""

    key: str
    message: str


class Source(Protocol):
    name: str

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        """Items not seen before, or changed since (`seen` maps item key -> fingerprint)."""
        ...
