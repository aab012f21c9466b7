"""How common a word is in general language, from wordfreq's maintained frequency lists.

A name made only of common words ("Art House", "Hotel Holdings", "Mark Taylor") is weak
evidence on its own, and a common word ("Africa", "Korean") is not read as an inflected
form of a short name ("AFRIC"). Words are compared in their folded (Latin) form.
"""

from __future__ import annotations

from functools import cache, lru_cache

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


ORDINARY_ZIPF = 4.0  # about once in 100,000 words: "national", "lottery", "technologies"
KNOWN_ZIPF = 3.0  # about once in a million words: a word the language knows (or a famous name)
RARE_ZIPF = 2.4   # below this a spelling is no word of the languages: it may be a typo


@cache
def _known(floor_zipf: float, wordlist: str = "small") -> frozenset[str]:
    floor = 10 ** (floor_zipf - 9)
    out: set[str] = set()
    for lang in LANGUAGES:
        try:
            words = get_frequency_dict(lang, wordlist=wordlist)
        except LookupError:  # no large list for this language (Turkish, Greek): the small
            words = get_frequency_dict(lang, wordlist="small")
        out |= {fold(w) for w, f in words.items() if f >= floor}
    return frozenset(out)


def is_known_word(word: str) -> bool:
    """True when the (folded) word is written about once in a million words or more in one
    of LANGUAGES: "technologies", "lottery", "said", but also famous names ("Putin")."""
    return word in _known(KNOWN_ZIPF)


def is_attested(word: str) -> bool:
    """True when the (folded) spelling is a word or name of the languages at all
    ("Koeman", "Rutland", "Francesca"): a spelling that exists is not a typo of a name."""
    return word in _known(RARE_ZIPF, "large")  # the small lists stop at about zipf 3


def is_ordinary(word: str) -> bool:
    """True when the (folded) word is an everyday word of one of LANGUAGES (about once in
    100,000 words or more): an organisation named by two of them ("National Lottery", "New
    Technologies") is a phrase of the language before it is a name."""
    return len(word) <= 2 or word in _known(ORDINARY_ZIPF)


DICTIONARY_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")


@lru_cache(maxsize=65_536)
def is_dictionary_word(word: str) -> bool:
    """True when simplemma's dictionaries (lemmas and inflected forms from Wiktionary) know
    the (folded) word in English or in two or more of DICTIONARY_LANGUAGES: "tango",
    "castle", "wagner" are words of the languages; "hamas" (German only), "belaruskali",
    "dilbar" are names. The dictionaries load once, on first use."""
    from sanctionwatch.text.lemmas import is_known

    known = 0
    for lang in DICTIONARY_LANGUAGES:
        if is_known(word, lang):
            if lang == "en":
                return True
            known += 1
            if known >= 2:
                return True
    return False


@lru_cache(maxsize=65_536)  # bounded: a daemon reads new words for months
def zipf(word: str) -> float:
    """The word's highest Zipf frequency in LANGUAGES (0 for a word none of them has)."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang) for lang in LANGUAGES)
