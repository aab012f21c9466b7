"""A document's words folded once, with a fast search for words that begin with a prefix.

Word-by-word loops in Python are what news scanning pays for most. Which prefixes of a
vocabulary (sanctions words, a programme's words) a word begins with is worked out once per
distinct word and remembered (`WordPrefixes`); a document then costs a few set operations in
C over its distinct words, and the positions of the words found.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import compress

from sanctionwatch.text.normalize import fold_word, name_key
from sanctionwatch.text.tokens import TokenList

_LIMIT = 500_000  # distinct words remembered per vocabulary before starting afresh


class WordPrefixes:
    """For one vocabulary of prefixes (single words; phrases are ignored), the words of text
    seen so far that begin, once folded, with one of them, and with which."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        self.prefixes = tuple(dict.fromkeys(p for p in prefixes if p and " " not in p))
        self.seen: set[str] = set()
        self.hits: dict[str, frozenset[str]] = {}

    def learn(self, words: set[str]) -> None:
        """Classify the words not seen before (in a steady stream of news: hardly any)."""
        new = words - self.seen
        if not new:
            return
        if len(self.seen) > _LIMIT:
            self.seen, self.hits = set(), {}
            new = words
        prefixes = self.prefixes
        for w in new:
            f = fold_word(w)
            if prefixes and f.startswith(prefixes):
                self.hits[w] = frozenset(p for p in prefixes if f.startswith(p))
        self.seen |= new


@lru_cache(maxsize=4096)
def word_prefixes(prefixes: tuple[str, ...]) -> WordPrefixes:
    return WordPrefixes(prefixes)


class FoldedWords:
    """The tokens of one text, their folded forms and name keys, computed on demand."""

    __slots__ = ("_capitals", "_distinct", "_folded", "_keys", "_positions", "_present", "text",
                 "tokens")

    def __init__(self, text: str, tokens: TokenList):
        self.text = text
        self.tokens = tokens
        self._folded: list[str] | None = None
        self._keys: list[str] | None = None
        self._distinct: set[str] | None = None
        self._positions: dict[tuple[str, ...], list[int]] = {}
        self._present: dict[tuple[str, ...], frozenset[str]] = {}
        self._capitals: bool | None = None

    @property
    def has_capitals(self) -> bool:
        """Does the text write capitals at all (a text in lower case only does not)?"""
        if self._capitals is None:
            self._capitals = self.text != self.text.lower()
        return self._capitals

    @property
    def folded(self) -> list[str]:
        if self._folded is None:
            words = self.tokens.words
            if self.text.isascii():  # folding ASCII words is lower-casing them
                self._folded = "\x00".join(words).lower().split("\x00") if words else []
            else:
                self._folded = list(map(fold_word, words))
        return self._folded

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = list(map(name_key, self.tokens.words))
        return self._keys

    def _hits(self, prefixes: tuple[str, ...]) -> dict[str, frozenset[str]]:
        """The vocabulary's hits, after learning this document's words."""
        if self._distinct is None:
            self._distinct = set(self.tokens.words)
        index = word_prefixes(prefixes)
        index.learn(self._distinct)
        return index.hits

    def prefixes_present(self, prefixes: tuple[str, ...]) -> frozenset[str]:
        """Which of `prefixes` (single words) begin a word of the document: one look-up per
        distinct word for a whole vocabulary, then set operations per entity."""
        found = self._present.get(prefixes)
        if found is None:
            hits = self._hits(prefixes)
            found = self._present[prefixes] = frozenset().union(
                *map(hits.__getitem__, filter(hits.__contains__, self._distinct or ())))
        return found

    def remember_prefixes(self, prefixes: tuple[str, ...], found: frozenset[str]) -> None:
        """Record `prefixes_present(prefixes)` worked out elsewhere (the matcher learns it
        word by word as it reads the document)."""
        self._present[prefixes] = found

    def prefix_positions(self, prefixes: tuple[str, ...]) -> list[int]:
        """Positions of the words that begin with one of `prefixes` (phrases with a space are
        ignored), in order; computed once per document and prefix tuple."""
        positions = self._positions.get(prefixes)
        if positions is None:
            hits = self._hits(prefixes)
            words = self.tokens.words
            positions = self._positions[prefixes] = list(
                compress(range(len(words)), map(hits.__contains__, words)))
        return positions

    def prefix_near(self, prefixes: tuple[str, ...], lo: int, hi: int) -> str | None:
        """The first folded word in [lo, hi) that begins with one of `prefixes`."""
        positions = self.prefix_positions(prefixes)
        k = bisect_right(positions, max(lo, 0) - 1)
        if k < len(positions) and positions[k] < hi:
            return self.folded[positions[k]]
        return None
