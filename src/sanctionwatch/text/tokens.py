"""Tokenisation with character offsets into the original text (pure).

`tokenize` splits with one C-level regex call; offsets are computed with `accumulate` when
first asked for (a text in which nothing is found never needs them), and a `Token` object is
made only for the tokens someone looks at, so scanning long news texts for a few names stays
cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import NamedTuple, overload

from sanctionwatch.text.arabic import ARABIC, skeleton_word
from sanctionwatch.text.han import HAN, readings

_WORD = re.compile(r"\w+")
_SPLIT = re.compile(r"(\w+)")


class Token(NamedTuple):
    start: int
    end: int
    text: str


class TokenList(Sequence[Token]):
    """The words of a text (Unicode letters and digits; punctuation separates words) with
    their offsets, and the text between each word and the next (`gaps`)."""

    __slots__ = ("_ends", "_parts", "_starts", "gaps", "text", "words")

    def __init__(self, text: str):
        parts = _SPLIT.split(text)
        words = None
        if not text.isascii():
            if HAN.search(text):
                parts, words = _han_words(parts)
            if ARABIC.search(text):
                # an Arabic-script word is read as its consonants (text/arabic.py)
                words = [skeleton_word(w) if ARABIC.search(w) else w
                         for w in (words if words is not None else parts[1::2])]
        self.text = text
        self._parts = parts
        self.words: list[str] = words if words is not None else parts[1::2]
        self.gaps: list[str] = parts[2::2]  # gaps[i]: between word i and word i + 1
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    def _offsets(self) -> None:
        parts = self._parts
        n = len(parts) // 2
        offsets = list(accumulate(map(len, parts)))
        self._starts = offsets[0:2 * n:2]
        self._ends = offsets[1:2 * n:2]

    @property
    def starts(self) -> list[int]:
        """Where each word begins in the text."""
        if self._starts is None:
            self._offsets()
        return self._starts  # type: ignore[return-value]

    @property
    def ends(self) -> list[int]:
        """Where each word ends in the text."""
        if self._ends is None:
            self._offsets()
        return self._ends  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Token(self.starts[i], self.ends[i], self.words[i])

    def __iter__(self) -> Iterator[Token]:
        return map(Token, self.starts, self.ends, self.words)


def _han_words(parts: list[str]) -> tuple[list[str], list[str]]:
    """Parts with every Han character a word of its own (empty gaps between them), and the
    words as matched: a Han character's reading in its run ("长沙" -> "Chang", "Sha"), any
    other word as written. Offsets still come from the parts, so spans cover the characters."""
    out = [parts[0]]
    words: list[str] = []
    for k in range(1, len(parts), 2):
        word, gap = parts[k], parts[k + 1]
        if not HAN.search(word):
            out += [word, gap]
            words.append(word)
            continue
        pieces = [m.group() for m in _HAN_OR_OTHER.finditer(word)]
        for n, piece in enumerate(pieces):
            out += [piece, "" if n < len(pieces) - 1 else gap]
        run: list[str] = []
        for piece in pieces:
            if HAN.fullmatch(piece):
                run.append(piece)
                continue
            if run:
                words += readings("".join(run))
                run = []
            words.append(piece)
        if run:
            words += readings("".join(run))
    return out, words


_HAN_OR_OTHER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|"
                           r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def tokenize(text: str) -> TokenList:
    """Words (Unicode letters and digits) with their offsets."""
    return TokenList(text)


def words(text: str) -> list[str]:
    """The words of a text, without offsets (a Han character is a word: its reading)."""
    if not text.isascii() and (HAN.search(text) or ARABIC.search(text)):
        return TokenList(text).words
    return _WORD.findall(text)
