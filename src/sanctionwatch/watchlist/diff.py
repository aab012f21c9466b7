"""What changed between two versions of a watchlist (curated or an official list).

Entities are compared by id; a changed entity says which fields changed and which names,
programmes and countries came and went. Relations are compared by (source, relation, target).
The diff feeds `watchlist diff`, `lists diff`, the list-change alerts and re-screening (the
names new in a version are exactly what must be looked for in past articles).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property

from sanctionwatch.types import Entity, Relation, Watchlist

MULTI = ("aliases", "programs", "countries", "context", "exclude")
# `extra` keys that describe the snapshot rather than the entry (each file of a list has its
# own date): never a change by themselves.
VOLATILE_EXTRA = frozenset({"list_date"})


def stable(e: Entity) -> Entity:
    """The entity without its snapshot-specific `extra` keys, for comparisons."""
    if not any(k in VOLATILE_EXTRA for k, _v in e.extra):
        return e
    return replace(e, extra=tuple(kv for kv in e.extra if kv[0] not in VOLATILE_EXTRA))


@dataclass(frozen=True)
class EntityChange:
    """One entity present in both versions with different content."""

    old: Entity
    new: Entity

    @property
    def id(self) -> str:
        return self.new.id

    @cached_property
    def changed_fields(self) -> tuple[str, ...]:
        old, new = stable(self.old), stable(self.new)
        return tuple(f.name for f in fields(Entity)
                     if getattr(old, f.name) != getattr(new, f.name))

    def added(self, field: str) -> tuple[str, ...]:
        """Values of a multi-valued field (or 'names') in the new version only."""
        old, new = self._values(field)
        return tuple(v for v in new if v not in old)

    def removed(self, field: str) -> tuple[str, ...]:
        old, new = self._values(field)
        return tuple(v for v in old if v not in new)

    def _values(self, field: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if field == "names":
            return self.old.names, self.new.names
        return getattr(self.old, field), getattr(self.new, field)

    def describe(self) -> str:
        """'aliases +'X' -'Y'; programs +'TCO'; notes changed'."""
        parts = []
        if "name" in self.changed_fields:
            parts.append(f"name {self.old.name!r} -> {self.new.name!r}")
        if "type" in self.changed_fields:
            parts.append(f"type {self.old.type} -> {self.new.type}")
        for f in MULTI:
            if f in self.changed_fields:
                plus = " ".join(f"+{v!r}" for v in self.added(f))
                minus = " ".join(f"-{v!r}" for v in self.removed(f))
                parts.append(f"{f} {' '.join(p for p in (plus, minus) if p) or 'reordered'}")
        for f in ("notes", "extra", "origin"):
            if f in self.changed_fields:
                parts.append(f"{f} changed")
        return "; ".join(parts)


@dataclass(frozen=True)
class WatchlistDiff:
    added: tuple[Entity, ...]
    removed: tuple[Entity, ...]
    changed: tuple[EntityChange, ...]
    relations_added: tuple[Relation, ...]
    relations_removed: tuple[Relation, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.relations_added
                    or self.relations_removed)

    @property
    def aliases_added(self) -> int:
        return sum(len(e.aliases) for e in self.added) + \
            sum(len(c.added("aliases")) for c in self.changed)

    @property
    def aliases_removed(self) -> int:
        return sum(len(e.aliases) for e in self.removed) + \
            sum(len(c.removed("aliases")) for c in self.changed)

    def new_names(self) -> dict[str, tuple[str, ...]]:
        """Entity id -> the names (primary or alias) it has now and did not have before:
        every name of an added entity, the added names of a changed one."""
        out = {e.id: e.names for e in self.added}
        for c in self.changed:
            names = c.added("names")
            if names:
                out[c.id] = names
        return out

    def summary(self) -> str:
        """'+61 entities, -0 entities, 3 changed, +12/-0 aliases, +9/-0 relations'."""
        return (f"+{len(self.added)} entities, -{len(self.removed)} entities, "
                f"{len(self.changed)} changed, +{self.aliases_added}/-{self.aliases_removed} "
                f"aliases, +{len(self.relations_added)}/-{len(self.relations_removed)} "
                "relations")


def _key(r: Relation) -> tuple[str, str, str]:
    return (r.source, r.relation, r.target)


def carry_first_seen(old: Watchlist, new: Watchlist) -> Watchlist:
    """`new` with each entry's `list_date` taken from `old` where the entry was already
    there: an imported entity's date is the date of the first snapshot that listed it, so
    refreshing an unchanged list yields the same content (and content hash)."""
    old_by = old.by_id
    out = []
    for e in new.entities:
        prev = old_by.get(e.id)
        if prev is not None and prev.extra != e.extra:
            date = dict(prev.extra).get("list_date")
            if date is not None:
                e = replace(e, extra=tuple((k, date if k == "list_date" else v)
                                           for k, v in e.extra))
        out.append(e)
    return Watchlist(tuple(out), new.relations)


def diff_watchlists(old: Watchlist, new: Watchlist) -> WatchlistDiff:
    """The changes from `old` to `new`, each part in the new (or old) file order."""
    old_by, new_by = old.by_id, new.by_id
    added = tuple(e for e in new.entities if e.id not in old_by)
    removed = tuple(e for e in old.entities if e.id not in new_by)
    changed = tuple(EntityChange(old_by[e.id], e) for e in new.entities
                    if e.id in old_by and old_by[e.id] != e
                    and stable(old_by[e.id]) != stable(e))
    old_rel = {_key(r) for r in old.relations}
    new_rel = {_key(r) for r in new.relations}
    return WatchlistDiff(
        added, removed, changed,
        tuple(r for r in new.relations if _key(r) not in old_rel),
        tuple(r for r in old.relations if _key(r) not in new_rel),
    )
