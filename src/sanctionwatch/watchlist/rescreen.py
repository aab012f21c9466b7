"""Re-screening: what a fresh analysis of a stored article found *because of* new names.

When a watchlist version adds entities or aliases, stored articles are analysed again with
the new watchlist, and only what the new names found counts: a mention is new when its entity
was added, or when it matched through a name the entity did not have before. An alert intent
counts when one of its mentions (or, for an intent without spans, one of its entities) is new.
Its `why` says it was found by re-screening, so analysts can tell it from a live alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from sanctionwatch.text.normalize import fold
from sanctionwatch.types import AlertIntent, Mention

PREFIX = "found by re-screening"


@dataclass(frozen=True)
class NewNames:
    """Entity id -> the names new in a version (see `WatchlistDiff.new_names`)."""

    names: Mapping[str, tuple[str, ...]]
    added: frozenset[str] = frozenset()  # entities new in the version as a whole
    version_id: int = 0

    @cached_property
    def _folded(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(fold(n) for n in v) for k, v in self.names.items()}

    def __bool__(self) -> bool:
        return bool(self.names)

    def is_new(self, m: Mention) -> bool:
        if m.entity_id in self.added:
            return True
        folded = self._folded.get(m.entity_id)
        return folded is not None and fold(m.alias) in folded

    def describe(self, limit: int = 5) -> str:
        """'Wagner Group (+2 names), KRATOL AVIATION ...' for a log line or an alert."""
        items = [f"{k} ({len(v)} new name{'s' if len(v) != 1 else ''})"
                 for k, v in list(self.names.items())[:limit]]
        more = len(self.names) - limit
        return ", ".join(items) + (f" and {more} more" if more > 0 else "")


def new_mentions(mentions: Iterable[Mention], new: NewNames) -> list[Mention]:
    return [m for m in mentions if new.is_new(m)]


def rescreen_intents(intents: Iterable[AlertIntent], new: NewNames) -> list[AlertIntent]:
    """The intents that new names found, their `why` marked as found by re-screening."""
    out = []
    for i in intents:
        found = any(new.is_new(m) for m in i.mentions) if i.mentions else \
            any(e in new.names for e in i.entity_ids)
        if found:
            names = sorted({m.alias for m in i.mentions if new.is_new(m)})
            note = f"{PREFIX} (watchlist version {new.version_id}" + \
                (f", new name {', '.join(repr(n) for n in names)}" if names else "") + ")"
            out.append(replace(i, why=f"{note}; {i.why}"))
    return out


def marked_intents(intents: Iterable[AlertIntent], reason: str) -> list[AlertIntent]:
    """Every intent of a full re-check (after a rule change, or on demand), its `why` marked
    with the reason; the store drops those the story already has."""
    return [replace(i, why=f"{PREFIX} ({reason}); {i.why}") for i in intents]
