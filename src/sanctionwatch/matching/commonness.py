"""How common a word is in general language, from wordfreq's maintained frequency lists.

A name made only of common words ("Art House", "Hotel Holdings", "Mark Taylor") is weak
evidence on its own, and a common word ("Africa", "Korean") is not read as an inflected
form of a short name ("AFRIC"). Words are compared in their folded (Latin) form.
"""

from __future__ import annotations

from functools import cache

from wordfreq import get_frequency_dict

from sanctionwatch.text.normalize import fold

LANGUAGES = ("en", "fr", "de", "es", "it")
COMMON_ZIPF = 4.5  # about once in 30,000 words of text, or more often, in one of LANGUAGES


@cache
def common_words() -> frozenset[str]:
    """The folded words at or above COMMON_ZIPF in any of LANGUAGES (read once)."""
    floor = 10 ** (COMMON_ZIPF - 9)
    out: set[str] = set()
    for lang in LANGUAGES:
        out |= {fold(w) for w, f in get_frequency_dict(lang, wordlist="small").items()
                if f >= floor}
    return frozenset(out)


def is_common(word: str) -> bool:
    """True when the (folded) word is a common word of one of LANGUAGES."""
    return len(word) <= 2 or word in common_words()
