"""One document as the rules see it: folded once, cut into units (sentences, paragraphs,
runs of sentences) that share that folding, with the trigger strings each unit contains.

Folding is character by character, so the fold of a slice is the slice of the fold: the
text is folded once (one `str.translate`) however many rules, sentences and look-behinds ask
for a piece of it. Offsets between the text and its fold are kept only for the characters
whose fold is not exactly one character ("щ" -> "shch"), and looked up by bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from sanctionwatch.rules.prefilter import Scanner
from sanctionwatch.text.normalize import fold_char
from sanctionwatch.types import Sentence


class _Table(dict):
    """`fold_char` as a `str.translate` table; knows the characters that fold to a length
    other than one, and a pattern that finds them."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: dict[str, int] = {}
        self._pattern: re.Pattern[str] | None = None

    def __missing__(self, code: int) -> str:
        f = fold_char(chr(code))
        if len(f) != 1:
            self.irregular[chr(code)] = len(f)
            self._pattern = None
        self[code] = f
        return f

    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            chars = "".join(re.escape(c) for c in self.irregular) or "\x00"
            self._pattern = re.compile(f"[{chars}]")
        return self._pattern


_TABLE = _Table()


class Folding:
    """A text's fold and the offsets between the two."""

    __slots__ = ("_delta", "_folded_at", "_lengths", "_positions", "folded", "size")

    def __init__(self, text: str) -> None:
        self.folded = text.translate(_TABLE)
        self.size = len(text)
        self._positions: list[int] = []     # original index of each irregular character
        self._delta: list[int] = []         # folded minus original index just after it
        self._folded_at: list[int] = []     # folded index where its fold starts
        self._lengths: list[int] = []
        if len(self.folded) == len(text) and _TABLE.pattern().search(text) is None:
            return
        shift = 0
        lengths = _TABLE.irregular
        for m in _TABLE.pattern().finditer(text):
            n = lengths[m.group()]
            self._positions.append(m.start())
            self._folded_at.append(m.start() + shift)
            self._lengths.append(n)
            shift += n - 1
            self._delta.append(shift)

    def folded_index(self, pos: int) -> int:
        """Index in the fold of the first character folded from `text[pos:]`."""
        k = bisect_left(self._positions, pos)
        return pos + (self._delta[k - 1] if k else 0)

    def orig(self, index: int) -> int:
        """Index in the text of the character folded to `folded[index]`."""
        k = bisect_right(self._folded_at, index) - 1
        if k < 0:
            return min(index, self.size)
        if index < self._folded_at[k] + self._lengths[k]:
            return self._positions[k]
        return min(index - self._delta[k], self.size)


@dataclass(frozen=True, slots=True)
class Unit:
    """A scope of text a rule looks at: original offsets, its folded text, and the required
    trigger strings found in it."""

    start: int
    end: int
    sentence: Sentence
    folded: str
    base: int                 # index of `folded[0]` in the document's fold
    folding: Folding
    found: frozenset[str]

    def orig(self, folded_index: int) -> int:
        return self.folding.orig(self.base + folded_index)


class Document:
    """The text of one document, its sentences, and its folding (computed on first use)."""

    __slots__ = ("_folding", "_units", "scanner", "sentences", "text")

    def __init__(self, text: str, sentences: list[Sentence], scanner: Scanner) -> None:
        self.text = text
        self.sentences = sentences
        self.scanner = scanner
        self._folding: Folding | None = None
        self._units: dict[tuple[str, int, int], Unit] = {}

    @property
    def folding(self) -> Folding:
        if self._folding is None:
            self._folding = Folding(self.text)
        return self._folding

    def folded_index(self, pos: int) -> int:
        return self.folding.folded_index(pos)

    def offsets_at(self, folded_index: int) -> int:
        """Index in `text` of the character that folded to `folded[folded_index]`."""
        return self.folding.orig(folded_index)

    def fold(self, start: int, end: int) -> str:
        """The folded form of `text[start:end]`."""
        f = self.folding
        return f.folded[f.folded_index(start):f.folded_index(end)]

    def unit(self, scope: str, s: Sentence, last: Sentence | None = None) -> Unit:
        """The sentence `s`, its paragraph, or the sentences from `s` to `last`."""
        if scope == "paragraph":
            same = [x for x in self.sentences if x.paragraph == s.paragraph]
            first, last = same[0], same[-1]
        else:
            first, last = s, (last or s)
        key = (scope, first.index, last.index)
        unit = self._units.get(key)
        if unit is None:
            f = self.folding
            lo, hi = f.folded_index(first.start), f.folded_index(last.end)
            folded = f.folded[lo:hi]
            unit = self._units[key] = Unit(first.start, last.end, s, folded, lo, f,
                                           self.scanner.found(folded))
        return unit
