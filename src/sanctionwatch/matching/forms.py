"""Name forms: the token sequences under which an entity may appear in running text.

From "PRIGOZHIN, Yevgeniy Viktorovich" come "Yevgeniy Viktorovich Prigozhin", "Yevgeniy
Prigozhin", "Prigozhin Yevgeniy Viktorovich" and the short form "Prigozhin". From
"PRIVATE MILITARY COMPANY 'WAGNER'" comes the core "Wagner": organisation-type words and legal
forms neither make nor break a match. A form is *strong* when it can stand alone as evidence
(two or more distinctive tokens, or a country); a *short* form needs support in the document.
"""

from __future__ import annotations

import re
from functools import lru_cache
from sys import intern
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from rigour.names import remove_org_types

from sanctionwatch.matching.commonness import is_common, is_ordinary
from sanctionwatch.matching.vocab import DESIGNATORS, NAME_STOPWORDS
from sanctionwatch.text.arabic import (
    ARABIC,
    nisba_forms,
    skeleton_name_token,
    skeleton_word,
    with_particles,
)
from sanctionwatch.text.han import HAN, spaced, syllables
from sanctionwatch.text.normalize import fold, name_key
from sanctionwatch.text.tokens import words
from sanctionwatch.types import Entity

MIN_SHORT_KEY = 4  # a single-token form shorter than this is never matched on its own
_PATRONYMIC_ENDINGS = ("ovich", "evich", "ich", "ovna", "evna", "ichna", "ovych", "ivna", "oglu",
                       "ogly", "kyzy")


class NameForm(NamedTuple):
    """One way an entity's name appears: its token keys and where it came from. A named
    tuple: millions of them pickle and load quickly in the index cache."""

    entity_id: str
    alias: str                 # the name or alias as the watchlist writes it
    keys: tuple[str, ...]      # name keys of the tokens that must match, in order
    folded: tuple[str, ...]    # folded tokens, to tell an exact match from a variant
    strong: bool
    kind: str                  # "name" or "short"
    organisation: bool = False  # organisation words next to it are part of the mention


# Languages whose CLDR country names (Unicode's maintained tables, via Babel) are added to a
# country entity's names: "Korea, North" is also "Corée du Nord", "Nordkorea", "КНДР" ...
COUNTRY_NAME_LOCALES = ("en", "fr", "de", "ru", "uk", "be", "es", "it", "pt", "pl", "nl", "ar",
                        "zh", "ja", "ko", "tr", "fa", "sv", "cs", "ro", "el")


@lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """The name of an ISO 3166 country in every language of COUNTRY_NAME_LOCALES."""
    names: list[str] = []
    for lang in COUNTRY_NAME_LOCALES:
        try:
            name = Locale.parse(lang).territories.get(code.upper())
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            names.append(name)
    return tuple(dict.fromkeys(names))


def _core_words(name: str, entity_type: str) -> list[str]:
    folded = fold(name)
    if entity_type in ("organization", "vessel", "aircraft", "other"):
        stripped = remove_org_types(folded).strip()
        toks = [w for w in words(stripped) if w not in DESIGNATORS]
        if toks:
            return toks
    return words(folded)


def _without_stopwords(toks: list[str]) -> list[str]:
    kept = [t for t in toks if t not in NAME_STOPWORDS]
    return kept or toks


def _person_orders(name: str) -> list[tuple[list[str], list[str]]]:
    """(full order, short form) candidates for a person's name, given as written."""
    if "," in name:
        last, _, first = name.partition(",")
        last_w, first_w = words(fold(last)), words(fold(first))
        if last_w and first_w:
            orders = [first_w + last_w, [first_w[0], *last_w], last_w + first_w]
            return [(o, last_w) for o in orders]
    toks = words(fold(name))
    if len(toks) >= 2 and toks[-1].endswith(_PATRONYMIC_ENDINGS):
        # Russian order: Surname Given Patronymic
        surname = [toks[0]]
        return [(toks, surname), ([*toks[1:], toks[0]], surname), ([toks[1], toks[0]], surname)]
    if len(toks) >= 3:
        return [(toks, [toks[-1]]), ([toks[0], toks[-1]], [toks[-1]])]
    if len(toks) == 2:
        return [(toks, [toks[-1]])]
    return [(toks, [])]


def _form(entity: Entity, alias: str, toks: list[str], kind: str) -> NameForm | None:
    # interned: a large list repeats the same name words millions of times
    toks = tuple(map(intern, _without_stopwords(toks)))
    keys = tuple(map(intern, map(name_key, toks)))
    if not keys or not all(keys):
        return None
    # two words are a name on their own unless both are common words ("Art House", "Mark
    # Taylor"), or, for an organisation, everyday words ("National Lottery", "New
    # Technologies"); three or more always are
    common = is_ordinary if entity.type not in ("person", "country") else is_common
    strong = entity.type == "country" or (kind == "name" and (
        len(keys) >= 3 or (len(keys) == 2 and not all(map(common, toks)))))
    if len(keys) == 1 and len(keys[0]) < MIN_SHORT_KEY and not strong:
        return None
    return NameForm(entity.id, alias, keys, toks, strong, kind if strong else "short",
                    entity.type in ("organization", "other"))


def weak_aliases(entity: Entity) -> frozenset[str]:
    """The entity's aliases that its list gives only in passing (OFAC's remarks: acronyms,
    kunyas, nicknames, user names), from `extra["weak_aliases"]`, `|`-separated."""
    value = dict(entity.extra).get("weak_aliases", "")
    return frozenset(a for a in value.split("|") if a)


@lru_cache(maxsize=250_000)
def name_forms(entity: Entity) -> tuple[NameForm, ...]:
    """Every distinct name form of an entity. Cached by the (frozen) entity, so rebuilding
    the index after an edit recomputes only the entities that changed."""
    forms: dict[tuple[str, ...], NameForm] = {}

    def add(form: NameForm | None) -> None:
        if form is None:
            return
        old = forms.get(form.keys)
        if old is None or (form.strong and not old.strong):
            forms[form.keys] = form

    names = entity.names
    if entity.type == "country":
        names = tuple(dict.fromkeys(names + tuple(n for c in entity.countries
                                                  for n in country_names(c))))
    chinese = not CHINESE.isdisjoint(entity.countries)
    arab = entity.type in ("person", "organization") and any(
        p.upper().startswith(ARAB_PROGRAMS) for p in entity.programs)
    for alias in names:
        if ARABIC.search(alias):
            # a name written in Arabic script (names.csv, a country's CLDR name): its
            # consonants, the letters checked when found (روسيا and رئيس "president" share
            # their consonants); a place also as its relative adjective (الإيراني)
            if entity.type == "country":
                for form in _arabic_country_forms(entity, alias):
                    add(form)
            else:
                add(_arabic_form(entity, alias))
            continue
        # a name written in Chinese is read as its syllables, one word per character
        text = spaced(alias) if HAN.search(alias) else alias
        if entity.type == "person":
            orders = _person_orders(text)
            for full, _short in orders:
                add(_form(entity, alias, full, "name"))
            if orders and orders[0][1]:
                add(_form(entity, alias, orders[0][1], "short"))
            if chinese:
                add(_pinyin_person(entity, alias, text))
            if arab and orders and len(orders[0][0]) >= 2 and not ARABIC.search(alias):
                # three words or more stand alone; two need support (namesakes)
                add(_skeleton_form(entity, alias, orders[0][0]))
        elif entity.type == "country":
            # "Korea, North" -> "North Korea"; "Corée du Nord" also as "nord-coréen(s)"
            head, comma, tail = text.partition(",")
            toks = words(fold(tail)) + words(fold(head)) if comma else words(fold(text))
            add(_form(entity, alias, toks, "name"))
            core = _without_stopwords(toks)
            if len(core) == 2:
                add(_form(entity, alias, core[::-1], "name"))
        else:
            # legal forms are English words: in syllables they would cut "Na" from 瓦格纳
            core = words(fold(text)) if text is not alias else _core_words(text, entity.type)
            add(_form(entity, alias, core, "name"))
            if chinese:
                add(_pinyin_organisation(entity, alias, core))
            if arab and not ARABIC.search(alias):
                add(_skeleton_form(entity, alias, core))
    return tuple(forms.values())


# Countries whose people and companies the Chinese press names in characters
CHINESE = frozenset({"CN", "HK", "TW", "MO"})
PINYIN_STRONG = 4  # syllables from which a pinyin name stands alone ("Chang Sha Tian Yi")


# Programmes whose names the Arabic press writes in Arabic script
ARAB_PROGRAMS = ("SDGT", "FTO", "SYRIA", "IRAN", "IRGC", "IFSR", "IRAQ", "LEBANON", "YEMEN",
                 "LIBYA", "SUDAN", "HIFPAA", "HRIT")
SKELETON_MIN = 5  # consonants a name's skeleton needs in all to say something ("9b2r 9sd")


def _arabic_form(entity: Entity, alias: str) -> NameForm | None:
    """A name written in Arabic script, read as the text's Arabic words are read: each word
    its consonant skeleton (حزب الله -> 9hzb 9lh)."""
    toks = [skeleton_word(w) for w in re.findall(r"\w+", alias)]
    return _form(entity, alias, toks, "name") if toks else None


def _arabic_country_forms(entity: Entity, alias: str) -> list[NameForm]:
    """A country's name in Arabic script, with the particles joined to it and as its
    relative adjective (إيران, بإيران, الإيراني, الإيرانية ...), read by consonants; the
    matcher checks the letters (`arabic.same_word`). The alias stays the CLDR name."""
    words_ = re.findall(r"\w+", alias)
    if not words_:
        return []
    out = []
    *head, last = words_
    for variant in (last, *nisba_forms(last)):
        for spelled in with_particles(variant) if not head else (variant,):
            form = _form(entity, alias, [skeleton_word(w) for w in [*head, spelled]], "name")
            if form is not None:
                out.append(form)
    return out


def _skeleton_form(entity: Entity, alias: str, toks: list[str]) -> NameForm | None:
    """A listed Latin name as Arabic script writes it, consonants only, given name first
    ("RADA, Amer Mohamed Akil" -> 9mr 9mhmd 9kl 9rd, as in عامر محمد عقيل رضا). Three words
    or more stand alone; fewer need support."""
    skel = [skeleton_name_token(t) for t in _without_stopwords(toks)]
    if len(skel) < 2 or not all(skel) or sum(len(k) - 1 for k in skel) < SKELETON_MIN:
        return None
    return _form(entity, alias, skel, "name" if len(skel) >= 3 else "short")


def _pinyin_person(entity: Entity, alias: str, text: str) -> NameForm | None:
    """"DU, Changgen" as Chinese writes it, surname first, one word per syllable: 杜长根."""
    if "," not in text:
        return None
    last, _, first = text.partition(",")
    parts = [syllables(w) for w in words(fold(last)) + words(fold(first))]
    if not parts or any(p is None for p in parts):
        return None
    toks = [s for p in parts for s in p]
    return _form(entity, alias, toks, "name") if len(toks) >= 3 else None


def _pinyin_organisation(entity: Entity, alias: str, core: list[str]) -> NameForm | None:
    """The pinyin words a Chinese company's listed name begins with ("WUHAN SHUOKANG
    BIOLOGICAL TECHNOLOGY" -> Wu Han Shuo Kang), one word per syllable as in 武汉硕康: a name
    of PINYIN_STRONG syllables or more stands alone, a shorter one needs support."""
    toks: list[str] = []
    used = 0
    for w in core:
        split = syllables(w)
        if split is None:
            break
        toks += split
        used += 1
    if len(toks) < 2 or (toks == core[:used] and used == len(core)):
        return None  # no pinyin, or written syllable by syllable already (the name form)
    form = _form(entity, alias, toks, "short")
    if form is not None and len(toks) >= PINYIN_STRONG:
        form = form._replace(strong=True, kind="name")
    return form
