"""A stretch of text as its words' dictionary forms (lemmas), for rules written by meaning.

"nałożył sankcje", "nałożyła sankcjami", "nakłada sankcje" all read `nalozyc sankcja` once
each word is replaced by its lemma (simplemma's dictionaries, from Wiktionary, for most
European languages) and folded like every pattern (`normalize.fold`). A rule then writes one
pattern per meaning instead of one per inflected form, and a match is mapped back to the
original characters through the words it covers.

Pure: `LemmaText.of(text, start, end, lang)`. Commas, semicolons and colons are kept as words
of their own, so that a pattern's gap (`<3>`, up to three words) can stop at them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from sanctionwatch.text.normalize import fold

# the languages simplemma lemmatizes among those the rules are written in; others (Arabic,
# Chinese) are matched on folded text only
LANGUAGES = frozenset({"bg", "cs", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "lt",
                       "lv", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk"})

_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[,;:]")
_GAP = re.compile(r"\s*<(\d{1,2})>\s*")


_LEMMATIZER = None
_LOOKUP = None


def lemmatizer():
    """simplemma's lemmatizer on its low-memory (streamed) dictionaries, every language kept
    open: about 150 MB for the twelve languages of the rules, where the default backend
    takes 1.1 GB, and its default cache of eight languages would read dictionaries from
    disk again and again when more are in use."""
    global _LEMMATIZER, _LOOKUP
    if _LEMMATIZER is None:
        from simplemma import Lemmatizer
        from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
        from simplemma.strategies.dictionaries.stream_dictionary_factory import (
            StreamDictionaryFactory,
        )

        factory = StreamDictionaryFactory(cache_max_size=64)
        _LOOKUP = DictionaryLookupStrategy(factory)
        _LEMMATIZER = Lemmatizer(
            lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
    return _LEMMATIZER


def is_known(word: str, lang: str) -> bool:
    """simplemma's dictionary of `lang` has the word (as a lemma or an inflected form)."""
    from simplemma.utils import normalize_token

    lemmatizer()
    return _LOOKUP.get_lemma(normalize_token(word), lang) is not None


@lru_cache(maxsize=200_000)  # bounded: a daemon reads new words for months
def lemma(word: str, lang: str) -> str:
    """The folded dictionary form of one word in `lang` (the word itself, folded, when the
    dictionary does not know it)."""
    if not word[0].isalpha():
        return fold(word)
    try:
        return fold(lemmatizer().lemmatize(word, lang=lang))
    except ValueError:  # a language simplemma does not know
        return fold(word)


_MARKERS: dict[str, frozenset[str]] | None = None
_SAMPLE = 4000  # characters of a document read to tell its language


def _markers() -> dict[str, frozenset[str]]:
    """The sixty most frequent words of each lemmatized language (wordfreq), folded."""
    global _MARKERS
    if _MARKERS is None:
        from wordfreq import available_languages, top_n_list

        known = available_languages()
        out = {}
        for lang in sorted(LANGUAGES & set(known)):
            out[lang] = frozenset(fold(w) for w in top_n_list(lang, 60) if len(w) > 1)
        _MARKERS = out
    return _MARKERS


@lru_cache(maxsize=256)  # the rules and the matcher ask it of the same document
def languages_of(text: str) -> frozenset[str]:
    """The languages a document is written in, told from its commonest words: the best
    scoring language and any other scoring at least 60 % of it (a word shared by several
    languages counts for each a share). Lemma rules run only in these languages, so a
    Dutch pattern never reads an English sentence."""
    markers = _markers()
    share: dict[str, int] = {}
    score = dict.fromkeys(markers, 0.0)
    for m in _WORD.finditer(text, 0, _SAMPLE):
        w = fold(m.group())
        n = share.get(w)
        if n is None:
            n = share[w] = sum(w in ws for ws in markers.values())
        if n:
            for lang, ws in markers.items():
                if w in ws:
                    score[lang] += 1 / n
    sample = text[:_SAMPLE].lower()
    for lang, letters in _LETTERS.items():
        if lang in score:
            # letters only one language of its neighbours writes ("ł" Polish, "ľ" Slovak):
            # each one seen counts as a marker word, up to three
            score[lang] += min(3, sum(c in sample for c in letters))
    best = max(score.values(), default=0.0)
    if best <= 0:  # a line too short for its commonest words: the dictionaries that know it
        words = [m.group() for m in _WORD.finditer(text, 0, 400) if m.group()[0].isalpha()]
        score = {lang: sum(is_known(w, lang) for w in words[:30]) for lang in markers}
        best = max(score.values(), default=0)
        if best <= 0:
            return frozenset()
    return frozenset(lang for lang, v in score.items() if v >= 0.6 * best)


# Letters that tell a language from the neighbours that share most of its commonest words
_LETTERS = {"pl": "łąęśźżćń", "sk": "ľĺŕôäťď", "cs": "řůě", "ro": "ăâîșțşţ", "hu": "őű",
            "tr": "ğış", "da": "æø", "nb": "æø", "sv": "åä", "lt": "ėįųū", "lv": "āēīģķļņ",
            "uk": "ієїґ", "ru": "ыэё", "bg": "ъ", "de": "ßäöü", "pt": "ãõç", "es": "ñ¿¡",
            "fr": "èêëàçœ", "it": "ìò"}


def expand_gaps(pattern: str) -> str:
    """`<N>` in a lemma pattern: up to N words, none of them a comma, semicolon or colon."""
    return _GAP.sub(lambda m: rf" (?:[^\s,;:]+ ){{0,{int(m.group(1))}}}", pattern)


@dataclass(frozen=True, slots=True)
class LemmaText:
    """`text` (words of `text[start:end]` as lemmas, one space apart), where each word starts
    in it, and each word's span in the original text."""

    text: str
    starts: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str, start: int, end: int, lang: str) -> LemmaText:
        parts: list[str] = []
        starts: list[int] = []
        spans: list[tuple[int, int]] = []
        at = 0
        for m in _WORD.finditer(text, start, end):
            w = lemma(m.group(), lang)
            if not w:
                continue
            parts.append(w)
            starts.append(at)
            spans.append((m.start(), m.end()))
            at += len(w) + 1
        return cls(" ".join(parts), tuple(starts), tuple(spans))

    def orig(self, a: int, b: int) -> tuple[int, int]:
        """The original span of the words that `text[a:b]` touches."""
        i = max(0, bisect_right(self.starts, a) - 1)
        j = max(i, bisect_right(self.starts, max(a, b - 1)) - 1)
        return self.spans[i][0], self.spans[j][1]
