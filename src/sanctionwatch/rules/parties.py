"""A supporter named in the text but not on the watchlist ("Iran supplies drones to ...").

Pure: the capitalised name written shortly before an active trigger, with sentence-initial
function words ("However", "Поэтому") and speakers far from the trigger left out; a single
capitalised first word counts only right before the trigger or when it names a country.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sanctionwatch.rules.relatives import relative_start
from sanctionwatch.text.lemmas import LANGUAGES, is_known, languages_of
from sanctionwatch.text.normalize import fold
from sanctionwatch.types import Mention

NAMED_PARTY_WINDOW = 60   # characters before an active trigger in which a named supporter is sought
_NOT_NAMES = frozenset("""le la les l un une il elle ils elles on nous vous the a an he she it they
    we you this that these those there here der die das ein eine er sie es wir ihr man el la los
    las lo un una ella ellos ellas он она оно они мы вы это этот эта та те і та він вона воно
    вони ми ви це mais but aber pero но але and et und y и і selon according laut segun según
    по за поэтому итак впрочем therefore thus hence moreover furthermore donc deshalb daher
    dennoch trotzdem quindi percio perciò dunque tuttavia bien while although though however
    meanwhile also yet since because when after before
    if as in on at for with from by to quand lorsque tandis cependant pourtant ainsi alors
    apres après avant avec dans pour par sur cela ceci ce cette ces wenn während obwohl jedoch
    auch nach vor mit für von als dass aunque mientras sin embargo también cuando con en para
    por однако когда после хотя также в на с для коли після хоча також image photo""".split())
# the authorities and reporters of sanctions news, who find or tell of the support but do not
# give it: "OFAC", "Według Departamentu Skarbu", "У Мінфіні", "Amerykanie", "Hazine Bakanı"
# (folded prefixes)
_AUTHORITY = re.compile(
    r"^(?:u |v |w |y |po |selon |laut |segun |secondo |wedlug |according to )?(?:ofac|treasur|"
    r"tesor|tresor|skarb|minfin|minist|departament|department|departement|regierung|govern|"
    r"gouvern|gobiern|rzad|pravitel|uriad|uryad|washington|waszyngton|vashington|amerik|"
    r"americ|ameryk|usa|u\.?s\.?a?\b|eu\b|ue\b|un\b|onu\b|oon\b|ssha\b|es\b|white house|"
    r"maison blanche|weisse|casa bianca|casa blanca|bialy dom|belyi dom|bilii dim|kreml|"
    r"office of foreign|biuro kontroli|aktywow zagranicznych|kontroli aktywow|hazine|bakan|"
    r"abd\b|beyaz saray|disisleri)")
# between a name and the trigger: a verb of saying and what was said ("Adeyemo warned that
# mixers helping Lazarus …": the speaker supports nobody), or the place word a name is
# qualified by ("from Hebei province whose teams sold …") (folded)
_SPEAKER_OR_PLACE = re.compile(
    r"^\W*(?:province|region|city|state|county|oblast|provincia|provincie|prowincj|regio)|"
    r"(?<!\w)(?:said|says|told|warned|stated|added|noted|argued|claimed|explained|dijo|afirmo|"
    r"aseguro|explico|senalo|declaro|indico|advirtio|disse|afirmou|ostrzegl|powiedzial|"
    r"stwierdzil|dodal|zaznaczyl|sagte|erklarte|warnte|betonte|zei|verklaarde|waarschuwde|"
    r"detto|affermato|spiegato|avvertito|sostenuto che|zayavil|skazal|zayavyv|skazav|dedi|"
    r"belirtti|declare|affirme|estime|averti|souligne)(?!\w)")
_NAME_RUN = re.compile(
    r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ][\w'’\-]*(?:\s+(?:of|de|du|des|la|al|of the)\s+|\s+)?)+")


def named_party(text: str, unit_start: int, trigger_start: int,
                exclude: list[Mention]) -> str | None:
    """A capitalised name written shortly before an active trigger ("Iran supplies ...")."""
    lo = max(unit_start, trigger_start - NAMED_PARTY_WINDOW)
    window = text[lo:trigger_start]
    best = None
    for m in _NAME_RUN.finditer(window):
        name = _HAN.split(m.group())[0].strip(" -'’")  # "Sadr居间": the Latin name only
        first_word = name.split()[0].casefold() if name else ""
        while name and first_word in _NOT_NAMES:
            name = name.partition(" ")[2].strip()
            first_word = name.split()[0].casefold() if name else ""
        while name and _is_everyday_word(name.split()[0], text):
            name = name.partition(" ")[2].strip()  # "Наиболее ...", "Według ...": no name
        if len(name) < 3 or _AUTHORITY.match(fold(name)):
            continue
        start = lo + m.start()
        sentence_initial = not text[unit_start:start].strip()
        right_before = len(text[start + len(name):trigger_start].split()) <= 1
        if (sentence_initial and " " not in name and not right_before
                and fold(name) not in _country_names()):
            continue  # "Поэтому ...", "However, ...": a capitalised first word, not a name
        if any(e.start <= start < e.end for e in exclude):
            continue
        between = text[start + len(name):trigger_start]
        if _SPEAKER_OR_PLACE.search(fold(between)) or _THAT.search(between):
            continue  # "Adeyemo warned that mixers helping …", "from Hebei province whose …"
        if _PLACE_BEFORE.search(text[max(unit_start, start - 6):start]) or \
                _PLACE_LIST_BEFORE.search(text[max(unit_start, start - 60):start]):
            continue  # "la firme de Wuhan", "a company in Hebei": a place, not a party
        if _AND_ONLY.match(between):
            continue  # "Irak ve Suriye'ye para taşıyan": listed with the target
        at = relative_start(between)
        if at is not None and between[:at].strip(" »”\"’)"):
            continue  # "… de Colombia, Venezuela y el Líbano a las que acusa de financiar"
        if " " not in name and fold(name) not in _country_names() and _common_noun(name, text):
            continue  # "Truppen", "Sudańczyka": a noun the language writes with a capital
        best = name
    return best


_HAN = re.compile(r"[\u3400-\u9fff]")
# a clause of what was said ("zapowiedział, że każdy mikser, który pomaga …") (original text)
_THAT = re.compile(r"(?<!\w)(?:że|dass|daß|ότι|что|що)(?!\w)", re.IGNORECASE)
_PLACE_BEFORE = re.compile(r"(?<!\w)(?:de|of|from|in|en|w|we|v|vo|z|ze|из|в|во|з|di|da|van|"
                           r"uit|aus|in|im|στη|στο|από)\s+$", re.IGNORECASE)
# the last of a list of places: "de Colombia, Venezuela y el Líbano"
_PLACE_LIST_BEFORE = re.compile(
    r"(?<!\w)(?:de|of|from|in|en|w|z|из|в|з|di|da|van|uit|aus|von)\s+[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ][\w-]*"
    r"(?:\s*,\s*[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ][\w-]*)*\s*(?:,|and|y|et|und|e|i|и|ve|en)\s+"
    r"(?:(?:el|la|the|le|les|il|die|der)\s+)?$")
_AND_ONLY = re.compile(r"^\s*(?:and|et|und|y|e|i|en|ve|и|і|та|ile|και|oraz)\s*$", re.IGNORECASE)


def _common_noun(word: str, text: str) -> bool:
    """A single word the dictionary of one of the document's languages knows ("Truppen",
    "Sudańczyka"): German writes nouns with a capital, Polish names nationals in the
    genitive; a name of a party would not be in the dictionary."""
    return any(is_known(word, lang) for lang in languages_of(text) & LANGUAGES)


def _is_everyday_word(word: str, text: str) -> bool:
    """A word the document's languages write very often (wordfreq, Zipf 4.5 and above,
    "Według", "Наиболее"): a capitalised sentence opening, not a name."""
    return _everyday(word.casefold(), languages_of(text))


@lru_cache(maxsize=65_536)
def _everyday(word: str, langs: frozenset[str]) -> bool:
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word, lang) >= 4.5 for lang in langs)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Folded names of every country in the languages the matcher knows (CLDR via Babel)."""
    from babel import Locale

    from sanctionwatch.matching.forms import COUNTRY_NAME_LOCALES
    names: set[str] = set()
    for lang in COUNTRY_NAME_LOCALES:
        names |= {fold(n) for n in Locale.parse(lang).territories.values()}
    return frozenset(names)


_QUOTED = re.compile(r"[«“„]([A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ][^«»“”„\"\n]{1,60}?)[»”“]")


def quoted_names(text: str, start: int, end: int, exclude: list[Mention]) -> list[str]:
    """Names written in quotation marks ("«Терра Тех»", "“Africa Politology”") in
    `text[start:end]`, other than watchlist mentions."""
    out = []
    for m in _QUOTED.finditer(text, start, end):
        if any(e.start < m.end(1) and m.start(1) < e.end for e in exclude):
            continue
        name = m.group(1).strip()
        if len(name) >= 3 and len(name.split()) <= 5 and name not in out:
            out.append(name)
    return out
