"""Arabic-script names are compared by their consonants (pure).

Arabic writes no short vowels and writes long ones with letters (ا و ي) the Latin
transliterations of the lists render in many ways ("AKIL RADA, Amer Mohamed", عامر محمد عقيل
رضا). A word in Arabic script is read as its consonant skeleton: the definite article and
diacritics dropped, transliterated (anyascii), keyed (`name_key`) and stripped of vowels and
the letters that write them (w, y); a listed name is reduced the same way. The skeleton is
written with a leading "9", a key no Latin word has, so Arabic skeletons meet only each other.
"""

from __future__ import annotations

import re
from functools import lru_cache

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel
_VOWELISH = re.compile(r"[aeiouv]")
PREFIX = "9"


@lru_cache(maxsize=65_536)
def skeleton_word(word: str) -> str:
    """The reading of an Arabic-script word: "9" + its consonants ("الأسد" -> "9sd")."""
    from sanctionwatch.text.normalize import name_key

    w = _MARKS.sub("", word)
    if w.startswith("ال") and len(w) > 3:
        w = w[2:]
    core = _VOWELISH.sub("", name_key(w))
    return PREFIX + core if core else word


@lru_cache(maxsize=65_536)
def skeleton_name_token(folded: str) -> str:
    """The same reading of a (folded, Latin) token of a listed name ("alshawa" -> "92")."""
    from sanctionwatch.text.normalize import name_key

    if folded.startswith("al") and len(folded) > 4:
        folded = folded[2:]
    core = _VOWELISH.sub("", name_key(folded))
    return PREFIX + core if core else ""
