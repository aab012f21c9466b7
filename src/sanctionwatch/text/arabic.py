"""Arabic-script names are compared by their consonants (pure).

Arabic writes no short vowels and writes long ones with letters (ا و ي) the Latin
transliterations of the lists render in many ways ("AKIL RADA, Amer Mohamed", عامر محمد عقيل
رضا). A word in Arabic script is read as its consonant skeleton: diacritics dropped, the
definite article and the one-letter words written before it (و "and", ف "so", ب "by/with",
ل "for", ك "like": والأسد, بالكبتاغون, للنظام) removed, transliterated (anyascii), keyed
(`name_key`) and stripped of vowels and the letters that write them (w, y); a listed name is
reduced the same way. The skeleton is written with a leading "9", a key no Latin word has, so
Arabic skeletons meet only each other.

A name the watchlist itself writes in Arabic script (a country's CLDR name, names.csv) is
checked letter by letter as well (`same_word`): consonants alone make روسيا (Russia) and رئيس
("president") one word. The check ignores what the press varies (hamza seats on alef, taa
marbuta / haa, alef maqsura / yaa) and reads the relative adjective (nisba) of a place name
as the place: الإيراني, الإيرانية, السوريين are Iran and Syria.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel
_VOWELISH = re.compile(r"[aeiouv]")
PREFIX = "9"

# the article, with the conjunctions and prepositions that are written joined to it
# (وال فال بال كال لل وبال ولل ...); the one-letter words alone are not removed: بشار, ليث,
# وليد begin with the same letters
_ARTICLE = re.compile(r"^(?:[وف]?(?:[بك]?ال|لل))(?=...)")
# the letters the press writes in several ways for one sound
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي",
                          "ؤ": "ء", "ئ": "ء", "ی": "ي", "ک": "ك"})
# endings of the relative adjective (nisba) and its feminine and plural forms
_NISBA = ("يين", "يون", "يات", "يه", "ي")


def bare(word: str) -> str:
    """The word without diacritics, its article and the particles joined to it ("والإيرانية"
    -> "إيرانية")."""
    w = _MARKS.sub("", word)
    return _ARTICLE.sub("", w)


@lru_cache(maxsize=65_536)
def letters(word: str) -> str:
    """The word's letters as compared: `bare`, hamza seats, taa marbuta and alef maqsura
    made one ("الإيرانية" -> "ايرانيه")."""
    return bare(word).translate(_LETTERS)


def _nisba_stem(w: str) -> str | None:
    for e in _NISBA:
        if w.endswith(e) and len(w) - len(e) >= 3:
            return w[: -len(e)]
    return None


def _place_stem(w: str) -> str:
    """A place name as its relative adjective is built on: سوريا -> سور, ليبيا -> ليب."""
    for e in ("يا", "ا", "ه"):
        if w.endswith(e) and len(w) - len(e) >= 3:
            return w[: -len(e)]
    return w


@lru_cache(maxsize=65_536)
def same_word(text_word: str, name_word: str) -> bool:
    """Does an Arabic word of text spell a word of a name written in Arabic script: the same
    letters, or the relative adjective of it (إيراني, سورية, الروسيين)?"""
    a, b = letters(text_word), letters(name_word)
    if a == b:
        return True
    if len(b) < 3:
        return False
    # "and"/"so" before a name of three letters or more (ونوح); "by", "for", "like" only
    # before longer names (بشار is no ب + شار)
    joined = "وف" if len(b) < 4 else _PARTICLES
    for w in (a, a[1:] if a[:1] in joined else "",
              a[2:] if a[:1] in "وف" and a[1:2] in joined else ""):
        if w == b:
            return True
        stem = _nisba_stem(w) if w and len(b) >= 4 else None
        if stem is not None and stem in (b, _place_stem(b)):
            return True
    return False


# the one-letter words written joined to the next (و ف ب ل ك): on a name the watchlist
# writes in Arabic, the letters that follow must spell it (بإيران, لروسيا, وسوريا)
_PARTICLES = "وفبلك"


def nisba_forms(name_word: str) -> tuple[str, ...]:
    """The relative adjectives of a place name written in Arabic: إيران -> إيراني, إيرانية,
    إيرانيين, إيرانيون."""
    b = letters(name_word)
    if len(b) < 4:
        return ()
    stem = _place_stem(b)
    return tuple(stem + e for e in ("ي", "يه", "يين", "يون"))


def with_particles(word: str) -> tuple[str, ...]:
    """The word with each one-letter particle written before it (بإيران, لإيران ...): the
    spellings an index keyed on consonants must know; `same_word` then checks the letters."""
    return (word, *(p + word for p in "بلكف"), "وب" + word, "ول" + word)


_JIM = re.compile(r"dzh|dj|j")


def _keep_jim(latin: str) -> str:
    """ج (j, dj, dzh in the lists) kept as a consonant of its own ("4"): the name key reads
    "j" as the "y" of German and French spellings, and the skeleton drops "y"; "AL-JAMAL,
    Sa'id" and الجمل keep their "j"."""
    return _JIM.sub("4", latin)


@lru_cache(maxsize=65_536)
def skeleton_word(word: str) -> str:
    """The reading of an Arabic-script word: "9" + its consonants ("الأسد" -> "9sd")."""
    from sanctionwatch.text.normalize import name_key

    core = _VOWELISH.sub("", name_key(_keep_jim(anyascii(bare(word)))))
    return PREFIX + core if core else word


@lru_cache(maxsize=65_536)
def skeleton_name_token(folded: str) -> str:
    """The same reading of a (folded, Latin) token of a listed name ("alshawa" -> "92")."""
    from sanctionwatch.text.normalize import name_key

    if folded.startswith("al") and len(folded) > 4:
        folded = folded[2:]
    core = _VOWELISH.sub("", name_key(_keep_jim(folded)))
    return PREFIX + core if core else ""
