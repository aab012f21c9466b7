"""Entities by name: search and an index over the watchlist in force (curated entities and
the official lists merged for matching), and one list entry with its data and its history in
the stored versions of its list (an entry no longer in force is still found there)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sanctionwatch.services.versions import Versions
from sanctionwatch.text.normalize import fold
from sanctionwatch.types import Entity, Watchlist


@dataclass(frozen=True)
class EntryVersion:
    """One stored version of a list and what it said of an entry."""

    version_id: int
    list_date: str
    created: object
    entity: Entity | None          # None: not on the list in that version
    change: str                    # "listed", "changed", "removed", "unchanged"


def _fold(text: str) -> str:
    return fold(text).casefold() if text else ""


class Entities:
    def __init__(self, watchlist: Callable[[], Watchlist], versions: Versions):
        self._watchlist, self._versions = watchlist, versions
        self._index: tuple[Watchlist, dict[str, Entity], list[tuple[str, str]]] | None = None
        self._snapshots: dict[int, dict[str, Entity]] = {}

    def _built(self) -> tuple[dict[str, Entity], list[tuple[str, str]]]:
        wl = self._watchlist()
        if self._index is None or self._index[0] is not wl:
            by_id = {e.id: e for e in wl.entities}
            names = [(e.id, _fold(n)) for e in wl.entities for n in e.names]
            self._index = (wl, by_id, names)
        return self._index[1], self._index[2]

    def by_id(self) -> dict[str, Entity]:
        """Entity id -> entity of the watchlist in force."""
        return self._built()[0]

    def search(self, text: str, limit: int = 50) -> list[Entity]:
        """Entities whose id is `text`, or one of whose names contains it (case and accents
        ignored): the exact names first, then names that start with it, then the rest."""
        by_id, names = self._built()
        q = _fold(text.strip())
        if not q:
            return []
        rank: dict[str, int] = {}
        if text.strip() in by_id:
            rank[text.strip()] = -1
        for eid, name in names:
            if q in name:
                r = 0 if name == q else 1 if name.startswith(q) else 2
                if any(w.startswith(q) for w in name.split()):
                    r = min(r, 1)
                rank[eid] = min(rank.get(eid, 9), r)
        found = sorted(rank, key=lambda e: (rank[e], by_id[e].name.casefold(), e))
        return [by_id[e] for e in found[:limit]]

    def index(self, text: str = "", origin: str = "", start: int = 0,
              size: int = 100) -> tuple[list[Entity], int, list[str]]:
        """A page of entities (by name; those matching `text` if given, of `origin` if
        given), the number selected and the origins there are."""
        by_id = self.by_id()
        chosen = (self.search(text, limit=len(by_id)) if text.strip()
                  else sorted(by_id.values(), key=lambda e: (e.name.casefold(), e.id)))
        if origin:
            chosen = [e for e in chosen if e.origin == origin]
        origins = sorted({e.origin for e in by_id.values()})
        return chosen[start:start + size], len(chosen), origins

    def _snapshot(self, version_id: int) -> dict[str, Entity]:
        if version_id not in self._snapshots:
            if len(self._snapshots) > 8:
                self._snapshots.pop(next(iter(self._snapshots)))
            self._snapshots[version_id] = {
                e.id: e for e in self._versions.snapshot(version_id).entities}
        return self._snapshots[version_id]

    def history(self, entity_id: str, list_name: str, limit: int = 10) -> list[EntryVersion]:
        """What the last `limit` stored versions of `list_name` said of the entry, newest
        first: listed (first seen), changed, unchanged or removed."""
        versions = list(reversed(self._versions.history(list_name, limit=limit + 1)))
        out: list[EntryVersion] = []
        before: Entity | None = None
        for n, v in enumerate(versions):
            now = self._snapshot(v.id).get(entity_id)
            if n == 0 and len(versions) > limit:
                before = now          # only the state before the first version shown
                continue
            if now is None:
                change = "removed" if before is not None else ""
            elif before is None:
                change = "listed"
            else:
                change = "changed" if now != before else "unchanged"
            if change:
                out.append(EntryVersion(v.id, v.list_date, v.created, now, change))
            before = now
        return list(reversed(out))

    def stored(self, entity_id: str, list_name: str) -> Entity | None:
        """The entry as the latest stored version of its list that has it says (for an
        entry not in force any more)."""
        for v in self._versions.history(list_name, limit=10):
            e = self._snapshot(v.id).get(entity_id)
            if e is not None:
                return e
        return None
