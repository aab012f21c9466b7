"""Tokenisation with character offsets into the original text (pure)."""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD = re.compile(r"\w+")


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words (Unicode letters and digits) with their offsets; punctuation separates words."""
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def words(text: str) -> list[str]:
    """The words of a text, without offsets."""
    return _WORD.findall(text)
