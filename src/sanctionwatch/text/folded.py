"""A document's words folded once, with a fast search for words that begin with a prefix.

Word-by-word loops in Python are what news scanning pays for most; here the folded words are
joined into one string, and a vocabulary (sanctions words, a programme's words) is found with
one Aho-Corasick pass over it (in C): the few hits are mapped back to word positions.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

import ahocorasick

from sanctionwatch.text.normalize import fold_word, name_key
from sanctionwatch.text.tokens import TokenList

_SEP = "\x00"  # never part of a word (words are runs of \w)


@lru_cache(maxsize=4096)
def _prefix_automaton(prefixes: tuple[str, ...]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton of the single-word prefixes, each after a separator: one
    pass in C finds every word that begins with one of them."""
    singles = {p for p in prefixes if p and " " not in p}
    if not singles:
        return None
    automaton = ahocorasick.Automaton()
    for p in singles:
        automaton.add_word(_SEP + p, p)
    automaton.make_automaton()
    return automaton


class FoldedWords:
    """The tokens of one text, their folded forms and name keys, computed on demand."""

    __slots__ = ("_folded", "_has", "_joined", "_keys", "_positions", "_present", "_starts",
                 "text", "tokens")

    def __init__(self, text: str, tokens: TokenList):
        self.text = text
        self.tokens = tokens
        self._folded: list[str] | None = None
        self._keys: list[str] | None = None
        self._joined: str | None = None
        self._starts: list[int] | None = None
        self._positions: dict[tuple[str, ...], list[int]] = {}
        self._present: dict[tuple[str, ...], frozenset[str]] = {}
        self._has: dict[tuple[str, ...], bool] = {}

    @property
    def folded(self) -> list[str]:
        if self._folded is None:
            if not self.tokens.words:
                self._folded = []
            elif self.text.isascii():  # folding ASCII words is lower-casing them
                self._folded = self._joined_text()[1:].split(_SEP)
            else:
                self._folded = list(map(fold_word, self.tokens.words))
        return self._folded

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = list(map(name_key, self.tokens.words))
        return self._keys

    def prefix_positions(self, prefixes: tuple[str, ...]) -> list[int]:
        """Positions of the words that begin with one of `prefixes` (phrases with a space are
        ignored), in order; computed once per document and prefix tuple."""
        positions = self._positions.get(prefixes)
        if positions is None:
            automaton = _prefix_automaton(prefixes)
            positions = self._positions[prefixes] = [] if automaton is None else sorted({
                self._word_at(end - len(p)) for end, p in automaton.iter(self._joined_text())})
        return positions

    def has_prefix(self, prefixes: tuple[str, ...]) -> bool:
        """Does a word begin with one of `prefixes`?"""
        positions = self._positions.get(prefixes)
        if positions is not None:
            return bool(positions)
        found = self._has.get(prefixes)
        if found is None:
            automaton = _prefix_automaton(prefixes)
            found = self._has[prefixes] = automaton is not None and next(
                automaton.iter(self._joined_text()), None) is not None
        return found

    def prefixes_present(self, prefixes: tuple[str, ...]) -> frozenset[str]:
        """Which of `prefixes` (single words) begin a word of the document: one pass for a
        whole vocabulary, then set operations per entity."""
        found = self._present.get(prefixes)
        if found is None:
            automaton = _prefix_automaton(prefixes)
            found = self._present[prefixes] = frozenset(
                () if automaton is None else (p for _, p in automaton.iter(self._joined_text())))
        return found

    def prefix_near(self, prefixes: tuple[str, ...], lo: int, hi: int) -> str | None:
        """The first folded word in [lo, hi) that begins with one of `prefixes`."""
        positions = self.prefix_positions(prefixes)
        k = bisect_right(positions, max(lo, 0) - 1)
        if k < len(positions) and positions[k] < hi:
            return self.folded[positions[k]]
        return None

    def _joined_text(self) -> str:
        if self._joined is None:
            if self.text.isascii():
                self._joined = (_SEP + _SEP.join(self.tokens.words)).lower()
            else:
                self._joined = _SEP + _SEP.join(self.folded)
        return self._joined

    def _word_at(self, offset: int) -> int:
        """The index of the word whose separator is at `offset` of the joined text."""
        if self._starts is None:
            self._starts = [0, *accumulate(len(w) + 1 for w in self.folded)]
        return bisect_right(self._starts, offset) - 1
