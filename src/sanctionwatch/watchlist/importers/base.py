"""What every importer shares: the imported list, provenance, ids and dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sanctionwatch.errors import Problem
from sanctionwatch.types import Entity, Relation, Watchlist

# progress(done, total): called now and then during a long import; total may be None
Progress = Callable[[int, int | None], None]
_ID_BAD = re.compile(r"[^A-Za-z0-9_.:\-]+")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass(frozen=True)
class ImportedList:
    """One snapshot of an official list in the entity model."""

    name: str                    # the list's name (config `lists[].name`), e.g. "ofac_sdn"
    kind: str                    # the importer used, e.g. "ofac_sdn"
    date: str                    # date of the data (ISO), "" when unknown
    source: str                  # path or URL it came from
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()
    problems: tuple[Problem, ...] = ()  # rows skipped or references left unresolved

    @cached_property
    def watchlist(self) -> Watchlist:
        return Watchlist(self.entities, self.relations)

    @property
    def alias_count(self) -> int:
        return sum(len(e.aliases) for e in self.entities)


def entity_id(list_name: str, entry_id: str) -> str:
    """The watchlist id of a list entry: `<list name>:<entry id>`, only id characters."""
    return f"{list_name}:{_ID_BAD.sub('_', entry_id.strip())}"


def entry_id_of(entity: Entity) -> str:
    """The list entry id an imported entity came from (its `list_entry_id`)."""
    for k, v in entity.extra:
        if k == "list_entry_id":
            return v
    return entity.id.split(":", 1)[-1]


def provenance(list_name: str, entry: str, date: str,
               *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """The `extra` of an imported entity: where it came from, then anything else kept."""
    return (("list", list_name), ("list_entry_id", entry), ("list_date", date),
            *((k, v) for k, v in more if v))


def date_from_path(path: Path) -> str:
    """An ISO date written in the path (`ofac-history/2023-01-26/sdn.csv`), else ""."""
    found = _ISO_DATE.findall(str(path))
    return found[-1] if found else ""


def unique(values) -> tuple[str, ...]:
    """Trimmed, non-empty values without repeats, in first-seen order."""
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
