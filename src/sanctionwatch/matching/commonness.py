"""How common a word is in general language, from wordfreq's maintained frequency lists.

A name made only of common words ("Art House", "Hotel Holdings", "Mark Taylor") is weak
evidence on its own, and a common word ("Africa", "Korean") is not read as an inflected
form of a short name ("AFRIC"). Words are compared in their folded (Latin) form.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

LANGUAGES = ("en", "fr", "de", "es", "it")
COMMON_ZIPF = 4.5  # about once in 30,000 words of text, or more often, in one of LANGUAGES


@lru_cache(maxsize=300_000)
def is_common(word: str) -> bool:
    """True when the (folded) word is a common word of one of LANGUAGES."""
    if len(word) <= 2:
        return True
    return any(zipf_frequency(word, lang) >= COMMON_ZIPF for lang in LANGUAGES)
