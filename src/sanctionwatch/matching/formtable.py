"""Compact storage of name forms and of the index's word pairs, for watchlists of millions.

A million names make some two and a half million name forms and nearly two million first-
word pairs. Kept as Python objects they take gigabytes and many seconds to load from the
index cache, so they are kept here in flat arrays (a few large buffers that pickle and load
at disk speed) with the few distinct strings stored once. A `NameForm` is built when it is
asked for, which happens only for the forms a text actually brings up.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from sys import intern

import numpy as np

from sanctionwatch.matching.commonness import is_common
from sanctionwatch.matching.forms import NameForm

STRONG, ORGANISATION, SHORT, COMMON_FIRST, SHARED = 1, 2, 4, 8, 16
_CACHE_LIMIT = 200_000


class _Strings:
    """Distinct strings, each stored once, by number."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.ids: dict[str, int] = {}

    def id(self, s: str) -> int:
        n = self.ids.get(s)
        if n is None:
            n = self.ids[s] = len(self.items)
            self.items.append(intern(s))
        return n


class FormTable:
    """Every name form, by number: entity, alias, token keys and spellings, and flags."""

    def __init__(self) -> None:
        self._entities = _Strings()
        self._aliases = _Strings()
        self.words = _Strings()          # keys and folded spellings of name tokens
        self.entity = array("i")
        self.alias = array("i")
        self.flags = bytearray()
        self.offsets = array("i", [0])   # form n's tokens are keys[offsets[n]:offsets[n + 1]]
        self.keys = array("i")
        self.folded = array("i")
        self._cache: dict[int, NameForm] = {}

    def add(self, form: NameForm) -> int:
        n = len(self.flags)
        self.entity.append(self._entities.id(form.entity_id))
        self.alias.append(self._aliases.id(form.alias))
        self.flags.append((STRONG if form.strong else 0)
                          | (ORGANISATION if form.organisation else 0)
                          | (SHORT if form.kind in ("short", "shared") else 0)
                          | (SHARED if form.kind == "shared" else 0)
                          | (COMMON_FIRST if is_common(form.folded[0]) else 0))
        self.keys.extend(map(self.words.id, form.keys))
        self.folded.extend(map(self.words.id, form.folded))
        self.offsets.append(len(self.keys))
        return n

    def __len__(self) -> int:
        return len(self.flags)

    def __getitem__(self, n: int) -> NameForm:
        form = self._cache.get(n)
        if form is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            a, b = self.offsets[n], self.offsets[n + 1]
            words, flags = self.words.items, self.flags[n]
            form = self._cache[n] = NameForm(
                self._entities.items[self.entity[n]], self._aliases.items[self.alias[n]],
                tuple([words[k] for k in self.keys[a:b]]),
                tuple([words[k] for k in self.folded[a:b]]),
                bool(flags & STRONG),
                "shared" if flags & SHARED else "short" if flags & SHORT else "name",
                bool(flags & ORGANISATION))
        return form

    def entity_id(self, n: int) -> str:
        return self._entities.items[self.entity[n]]

    def word_id(self, key: str) -> int | None:
        return self.words.ids.get(key)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}
        # the string-to-number maps of entities and aliases are only needed while building
        state["_entities"] = self._entities.items
        state["_aliases"] = self._aliases.items
        return state

    def __setstate__(self, state: dict) -> None:
        for name in ("_entities", "_aliases"):
            strings = _Strings()
            strings.items = state[name]
            state[name] = strings
        self.__dict__.update(state)


class PairTable:
    """Forms by their first two token keys: a sorted array of (first, second) word numbers
    and the forms in the same order; a look-up is a binary search, remembered per pair."""

    def __init__(self, table: FormTable) -> None:
        self._table = table
        self._codes: array = array("Q")
        self._forms: array = array("i")
        self._cache: dict[tuple[str, str], tuple[int, ...]] = {}

    def add(self, first: str, second: str, form: int) -> None:
        """Add while building; `freeze` sorts."""
        self._codes.append(self._code(first, second))
        self._forms.append(form)

    def freeze(self) -> None:
        codes = np.frombuffer(self._codes, dtype=np.uint64)
        order = np.argsort(codes, kind="stable")
        self._codes = array("Q", codes[order].tobytes())
        self._forms = array("i", np.frombuffer(self._forms, dtype=np.int32)[order].tobytes())
        self._cache = {}

    def firsts(self) -> frozenset[str]:
        """The first keys of all pairs."""
        words = self._table.words.items
        firsts = np.unique(np.frombuffer(self._codes, dtype=np.uint64) >> np.uint64(32))
        return frozenset(words[int(c)] for c in firsts)

    def words(self) -> set[str]:
        """Every first and second key of a pair."""
        words = self._table.words.items
        codes = np.frombuffer(self._codes, dtype=np.uint64)
        ids = np.unique(np.concatenate([codes >> np.uint64(32), codes & np.uint64(0xFFFFFFFF)]))
        return {words[int(c)] for c in ids}

    def known(self):
        """A function: the forms of a (first, second) pair looked up before, else None (the
        cache's own `get`, in C)."""
        return self._cache.get

    def get(self, first: str, second: str) -> tuple[int, ...]:
        hit = self._cache.get((first, second))
        if hit is None:
            a, b = self._table.word_id(first), self._table.word_id(second)
            hit = ()
            if a is not None and b is not None:
                code = a << 32 | b
                codes = self._codes
                lo = hi = bisect_left(codes, code)
                while hi < len(codes) and codes[hi] == code:
                    hi += 1
                hit = tuple(self._forms[lo:hi])
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[(first, second)] = hit
        return hit

    def __len__(self) -> int:
        return len(self._codes)

    def _code(self, first: str, second: str) -> int:
        return self._table.words.id(first) << 32 | self._table.words.id(second)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}
        return state
