"""One document as the rules see it: folded once, cut into units (sentences, paragraphs, runs
of sentences), each with the trigger strings it contains (scanned when a rule first asks).

Folding is character by character, so the fold of a slice is the slice of the fold: the
document is folded once, and a unit, or the few words between a trigger and a name, is a
slice of that fold. Offsets between the text and its fold are worked out only for the
characters whose fold is not exactly one character ("щ" -> "shch"), looked up by bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from sanctionwatch.rules.prefilter import Scanner
from sanctionwatch.text.lemmas import LemmaText, languages_of
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


def _cp1252_table() -> bytes:
    """Each byte of Windows-1252 (ASCII, accented Latin letters, typographic quotes and
    dashes) to the one ASCII character it folds to; 0xFF where its fold is not one."""
    out = bytearray(b"\xff" * 256)
    for v in range(256):
        try:
            f = fold_char(bytes([v]).decode("cp1252"))
        except UnicodeDecodeError:
            continue
        if len(f) == 1 and f.isascii():
            out[v] = ord(f)
    return bytes(out)


_CP1252 = _cp1252_table()


def fold_text(text: str) -> str:
    """`fold_char` of every character: `text.translate(_TABLE)`. Text that Windows-1252 can
    write (English and Western European news) is folded with one `bytes.translate`, about
    four times quicker."""
    if text.isascii():
        return text.lower().replace("`", "'")
    try:
        folded = text.encode("cp1252").translate(_CP1252)
    except UnicodeEncodeError:
        return text.translate(_TABLE)
    return text.translate(_TABLE) if b"\xff" in folded else folded.decode("ascii")


class Folding:
    """A text's fold and, on first use, the offsets between the two."""

    __slots__ = ("_delta", "_folded_at", "_languages", "_lengths", "_positions", "folded",
                 "size", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold_text(text)
        self.size = len(text)
        self._positions: list[int] | None = None  # original index of each irregular character
        self._delta: list[int] = []         # folded minus original index just after it
        self._folded_at: list[int] = []     # folded index where its fold starts
        self._lengths: list[int] = []
        self._languages: frozenset[str] | None = None

    def languages(self) -> frozenset[str]:
        """The languages the text is written in (`lemmas.languages_of`), told once."""
        if self._languages is None:
            self._languages = languages_of(self.text)
        return self._languages

    def _offsets(self) -> list[int]:
        if self._positions is None:
            self._positions = []
            text = self.text
            if len(self.folded) != len(text) or _TABLE.pattern().search(text) is not None:
                shift = 0
                lengths = _TABLE.irregular
                for m in _TABLE.pattern().finditer(text):
                    n = lengths[m.group()]
                    self._positions.append(m.start())
                    self._folded_at.append(m.start() + shift)
                    self._lengths.append(n)
                    shift += n - 1
                    self._delta.append(shift)
        return self._positions

    def folded_index(self, pos: int) -> int:
        """Index in the fold of the first character folded from `text[pos:]`."""
        positions = self._offsets()
        if not positions:
            return pos
        k = bisect_left(positions, pos)
        return pos + (self._delta[k - 1] if k else 0)

    def orig(self, index: int) -> int:
        """Index in the text of the character folded to `folded[index]`."""
        if not self._offsets():
            return min(index, self.size)
        k = bisect_right(self._folded_at, index) - 1
        if k < 0:
            return min(index, self.size)
        if index < self._folded_at[k] + self._lengths[k]:
            return self._positions[k]
        return min(index - self._delta[k], self.size)


@dataclass(frozen=True, slots=True)
class Unit:
    """A scope of text a rule looks at: original offsets, its folded text (a slice of the
    document's fold from `offset`), and the required trigger strings found in it."""

    start: int
    end: int
    sentence: Sentence
    folded: str
    offset: int
    folding: Folding          # of the whole document
    found: frozenset[str]
    _lemmas: dict[str, LemmaText] = field(default_factory=dict, compare=False, repr=False)

    def lemmas(self, lang: str) -> LemmaText:
        """The unit's words as lemmas of `lang`, made when a lemma trigger first asks."""
        made = self._lemmas.get(lang)
        if made is None:
            made = self._lemmas[lang] = LemmaText.of(self.folding.text, self.start, self.end,
                                                     lang)
        return made

    def orig(self, folded_index: int) -> int:
        """Index in the document of the character folded to `folded[folded_index]` (the
        unit's end for its fold's end, not past a soft hyphen after it that folds to "")."""
        return min(self.folding.orig(self.offset + folded_index), self.end)


class Document:
    """The text of one document, its fold, its sentences, and its units."""

    __slots__ = ("_units", "folding", "scanner", "sentences", "text")

    def __init__(self, text: str, sentences: list[Sentence], scanner: Scanner) -> None:
        self.text = text
        self.sentences = sentences
        self.scanner = scanner
        self.folding = Folding(text)
        self._units: dict[tuple[str, int, int], Unit] = {}

    def fold(self, start: int, end: int) -> str:
        """The folded form of `text[start:end]`: a slice of the document's fold."""
        at = self.folding.folded_index
        return self.folding.folded[at(start):at(end)]

    def orig_in_fold(self, start: int, end: int, folded_index: int) -> int:
        """Index in `text` of the character folded to `fold(start, end)[folded_index]`."""
        return min(self.folding.orig(self.folding.folded_index(start) + folded_index), end)

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
            at = self.folding.folded_index
            lo, hi = at(first.start), at(last.end)
            folded = self.folding.folded[lo:hi]
            unit = self._units[key] = Unit(first.start, last.end, s, folded, lo, self.folding,
                                           self.scanner.found(folded))
        return unit
