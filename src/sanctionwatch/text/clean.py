"""Text as it enters the monitor, cleaned once (pure): what a stranger's bytes may carry that
no reader sees and no matcher should.

- NUL and the other control characters except tab, line feed and carriage return (a raw NUL
  or `&#0;` in a feed entry once stopped a source for good);
- zero-width characters and bidirectional controls ("Wag\u200bner", a right-to-left override
  that shows a name other than the one stored);
- combining marks piled on one letter ("zalgo" text): a letter with more than MAX_MARKS
  loses them all (Vietnamese and pointed Arabic need two at most), and the rest is composed
  (NFC), so that "é" written as e + ◌́ is one letter.

Applied to every article (`ArticleData`) and every watchlist name (`Entity`), so text and
names meet in the same form and evidence offsets refer to the stored text.
"""

from __future__ import annotations

import re
import unicodedata

MAX_MARKS = 2  # combining marks kept on one base character

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"   # control characters (C0 but \t \n \r, DEL, C1)
    "\u200b-\u200f"                          # zero-width space / (non-)joiner, LRM, RLM
    "\u202a-\u202e\u2066-\u2069"             # bidi embeddings, overrides and isolates
    "\u2060-\u2064\ufeff\ufff9-\ufffb]")     # word joiner, invisible operators, BOM, anchors


def _marks() -> str:
    marks = [chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))]
    return "[" + "".join(re.escape(m) for m in marks) + "]"


_MARK = _marks()
_PILE = re.compile(f"{_MARK}{{{MAX_MARKS + 1},}}")


def clean_text(text: str) -> str:
    """`text` without invisible characters and without piles of combining marks, composed.
    Idempotent; ASCII text without control characters is returned as is."""
    if text.isascii() and text.isprintable():
        return text
    text = _INVISIBLE.sub("", text)
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _PILE.sub("", text))
