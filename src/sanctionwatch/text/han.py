"""Chinese characters read as names are read (pure): by their pinyin, in context.

Chinese writes no spaces, so a run of Han characters is one `\\w+` word to a regular
expression, and a transliteration character by character reads 长沙 as "zhang sha" where the
city is "Chang Sha". Here each Han character is a word of its own whose reading is its pinyin
in the context of its run (pypinyin, which knows the readings of words and names), written
with a capital as a name is: 杜长根 is read "Du Chang Gen", 长沙天仪 "Chang Sha Tian Yi".
The list writes the same names in pinyin ("DU, Changgen", "CHANG SHA TIAN YI"), so the
syllables of a listed pinyin name are split the same way (`syllables`).
"""

from __future__ import annotations

import re
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=65_536)
def readings(run: str) -> tuple[str, ...]:
    """The pinyin of each character of a run of Han characters, capitalised, in context."""
    from pypinyin import lazy_pinyin

    out = lazy_pinyin(run, errors=lambda chars: list(chars))
    if len(out) != len(run):  # never expected: one syllable per character
        out = [lazy_pinyin(c)[0] for c in run]
    return tuple(s.capitalize() for s in out)


def spaced(text: str) -> str:
    """`text` with every run of Han characters replaced by its readings, space-separated
    ("瓦格纳集团" -> " Wa Ge Na Ji Tuan "): how a name written in Chinese is split into words."""
    return _HAN_RUN.sub(lambda m: " " + " ".join(readings(m.group())) + " ", text)


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(to_normal(p).replace("ü", "v") for v in pinyin_dict.values()
                     for p in v.split(","))


@lru_cache(maxsize=65_536)
def syllables(word: str) -> tuple[str, ...] | None:
    """A folded Latin word split into pinyin syllables ("changgen" -> ("chang", "gen")), the
    split with the fewest syllables; None when the word is no pinyin."""
    known = _syllables()
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(min(n, i + 6), i, -1):
            if word[i:j] in known:
                cand = (*best[i], word[i:j])
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
    return best[n] if n else None
