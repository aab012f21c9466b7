"""Text normalisation: one folded form for comparing text, one phonetic key for comparing names.

`fold` is what a person would call "the same text": Unicode NFKC, case folded, typographic
quotes and dashes made plain, accents removed, every script transliterated to Latin (anyascii).
`name_key` goes further for single name tokens: it merges the spellings that transliteration
conventions produce for one sound ("zh", "j", "sch"; "y", "i", "j"; "w", "v"; "ou", "u" ...), so
that "Пригожин", "Prigozhin", "Prigojine" and "Prigoschin" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2039": '"', "\u203a": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None,
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)


def _is_ascii(s: str) -> bool:
    return s.isascii()


class _Transliteration(dict):
    """A `str.translate` table that transliterates each character once (anyascii is
    per character) and then serves it from C: long texts fold quickly."""

    def __missing__(self, code: int) -> str:
        out = anyascii(chr(code)).translate(_TYPOGRAPHY).lower()
        self[code] = out
        return out


_TRANSLITERATE = _Transliteration()


def fold(text: str) -> str:
    """NFKC, case fold, plain quotes and dashes, no accents, Latin script, lower case.

    Idempotent: ``fold(fold(x)) == fold(x)``.
    """
    if text.isascii():
        return text.replace("`", "'").lower()  # NFKC and case folding change no ASCII
    s = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    if not _is_ascii(s):
        decomposed = unicodedata.normalize("NFKD", s)
        s = _COMBINING.sub("", decomposed)
        if not _is_ascii(s):
            s = s.translate(_TRANSLITERATE)  # anyascii may write a backtick: made plain
    return s.lower()


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """`fold` of one word, cached: words of news repeat."""
    return fold(word)


# Ordered rewrites of a folded token into a phonetic key. Each merges spellings that
# transliteration conventions (English, French, German, ICU, BGN/PCGN) produce for one sound.
# The third field is a letter or two that a token must contain for the rewrite to apply, so
# that most tokens skip most rewrites ("": always tried).
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9]")  # apostrophes, dots: removed first
_KEY_REWRITES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p), r, trigger)
    for p, r, trigger in (
        (r"dzh|dj", "j", "d"),             # дж: Dzhuma / Djuma / Juma (Polish dż: see name_key)
        (r"szcz", "2", "szcz"),            # щ in Polish: Szczerbakow
        (r"sz", "2", "sz"),                # ш in Polish: Łukaszenka, Laszenka
        (r"shch|sch|sh|zh", "2", "h"),     # ш щ ж: sh / sch / zh
        (r"tsch|tch|ch|cz|c(?=[ei])", "3", "c"),  # ч: ch / tsch / tch / cz
        (r"kh|ckh", "h", "kh"),            # х: kh / h
        (r"ph", "f", "ph"),
        (r"ck|c", "k", "c"),
        (r"q", "k", "q"),
        (r"x", "ks", "x"),
        (r"w", "v", "w"),
        (r"gu(?=[eiy])", "g", "gu"),       # French: Evgueni
        (r"ou", "u", "ou"),                # French: Outkine
        (r"^j(?=[aeiou])", "y", "j"),      # German: Jewgeni -> yevgeni
        (r"(?<=[aeiouy])j(?=[aeiouy])", "2", "j"),  # French: Prigojine
        (r"j", "y", "j"),
        (r"y", "i", "y"),
        (r"^ie", "e", "ie"),               # Yevgeny / Evgeny
        (r"(.)\1+", r"\1", ""),            # doubled letters
    )
)


# Greek as Greek papers spell foreign names: "μπ" is b, "ντ" d, "γκ" g, "ου" u, "χ" h
# ("Χεζμπολάχ" Hezbollah, "Μουκαλέντ" Moukalled); digraphs first, on the accentless word.
_GREEK_DIGRAPHS = (("ου", "u"), ("μπ", "b"), ("ντ", "d"), ("γκ", "g"), ("γγ", "ng"),
                   ("τσ", "ts"), ("τζ", "j"), ("αι", "e"), ("ει", "i"), ("οι", "i"),
                   ("υι", "i"), ("αυ", "av"), ("ευ", "ev"))
_GREEK_LETTERS = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "i", "φ": "f", "χ": "h", "ψ": "ps", "ω": "o"})
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_DZ = re.compile("d[żŻ]|D[żŻ]")


def _greek_to_latin(token: str) -> str:
    s = _COMBINING.sub("", unicodedata.normalize("NFD", token.casefold()))
    for greek, latin in _GREEK_DIGRAPHS:
        s = s.replace(greek, latin)
    return s.translate(_GREEK_LETTERS)


@lru_cache(maxsize=200_000)
def name_key(token: str) -> str:
    """The phonetic key of one name token (folded first). Idempotent on its own output.

    The ш/ж class is written "2" and the ч class "3", so a key never collides with a spelling.
    """
    if "ż" in token or "Ż" in token:
        # Polish "Dżuma" is Juma, and "ż" alone is ж: "Prigożyn" is Prigozhin
        token = _DZ.sub("j", token).replace("ż", "zh").replace("Ż", "Zh")
    if _GREEK.search(token):
        token = _greek_to_latin(token)
    s = fold(token)
    if not (s.isascii() and s.isalnum()):  # folded text is lower case: else [a-z0-9] already
        s = _NOT_KEY_CHAR.sub("", s)
    for pattern, repl, trigger in _KEY_REWRITES:
        if trigger in s:
            s = pattern.sub(repl, s)
    return s


_SKELETON_TAIL = re.compile(r"[aeiou]?h?[aeiou]?$")
_INNER_VOWELS = re.compile(r"[aeiou]+")
SKELETON_MIN_KEY = 7   # keys shorter than this have no skeleton: too many words share one


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """The consonants of a name key after its first letter, without a final vowel or "h":
    Arabic writes no short vowels, so its names reach the Latin and Cyrillic press with
    any ("Hizballah", "Hezbollah", "Хезболла", "Hisbollah" -> "hsbl"). "" for keys under
    SKELETON_MIN_KEY letters."""
    if len(key) < SKELETON_MIN_KEY:
        return ""
    k = _SKELETON_TAIL.sub("", key)
    out = k[:1] + _INNER_VOWELS.sub("", k[1:]).replace("z", "s")  # German "Hisbollah"
    return out if len(out) >= 4 else ""


_CHAR_FOLD: dict[str, str] = {}



def _combining_class() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane, as one character class."""
    marks = [chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))]
    return re.compile("[" + "".join(re.escape(m) for m in marks) + "]")


_COMBINING = _combining_class()


def fold_char(c: str) -> str:
    """`fold` of a single character (cached); may be empty or several characters."""
    f = _CHAR_FOLD.get(c)
    if f is None:
        f = _CHAR_FOLD[c] = fold(c) if not ("a" <= c <= "z" or c == " ") else c
    return f


class _CharTable(dict):
    """`fold_char` as a `str.translate` table; remembers the characters whose fold is not
    exactly one character (they shift offsets)."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[int] = set()

    def __missing__(self, code: int) -> str:
        f = fold_char(chr(code))
        if len(f) != 1:
            self.irregular.add(code)
        self[code] = f
        return f


_CHAR_TABLE = _CharTable()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold`, character by character, with the index in `text` of each output character.
    Most text folds one character to one (ASCII, accented Latin), and then the folding is
    one `translate` call and the offsets are the identity."""
    folded = text.translate(_CHAR_TABLE)
    if len(folded) == len(text) and _CHAR_TABLE.irregular.isdisjoint(map(ord, text)):
        return folded, list(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        f = fold_char(c)
        out.append(f)
        offsets.extend([i] * len(f))
    offsets.append(len(text))
    return "".join(out), offsets


def fold_pattern(pattern: str) -> str:
    """Fold a regular expression like text, leaving escapes (``\\W``, ``\\b``) alone."""
    out: list[str] = []
    escaped = False
    for c in pattern:
        out.append(c if escaped else (c.lower() if c.isascii() else fold_char(c)))
        escaped = c == "\\" and not escaped
    return "".join(out)


def key_of_words(words: list[str] | tuple[str, ...]) -> str:
    return " ".join(name_key(w) for w in words)
