"""Document-level resolution: which candidate name matches are mentions of the entity.

A strong form ("Yevgeny Prigozhin", "Corée du Nord") stands on its own and establishes its
entity in the document. A short form ("Wagner", "Prigozhin") or a derived one ("wagnériens")
is accepted when something supports it: an organisation word next to it ("groupe Wagner"),
one of the entity's context words nearby, a related entity in the document, the vocabulary of
its programmes or of sanctions, or the entity being established in the document already. An
exclude word nearby ("Richard", "opéra") rules it out, whatever else supports it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from sanctionwatch.matching.commonness import LANGUAGES as FREQUENCY_LANGUAGES
from sanctionwatch.matching.commonness import is_attested, is_common, is_known_word, zipf
from sanctionwatch.matching.forms import NameForm, weak_aliases
from sanctionwatch.matching.vocab import (
    DESIGNATORS,
    NAME_STOPWORDS,
    SANCTIONS_VOCABULARY,
    has_sanctions_words,
    program_words,
)
from sanctionwatch.text.folded import FoldedWords
from sanctionwatch.text.han import HAN
from sanctionwatch.text.lemmas import languages_of, lemmatizer
from sanctionwatch.text.normalize import fold, fold_word, name_key
from sanctionwatch.text.tokens import Token
from sanctionwatch.types import Entity, Feature, Mention, Watchlist

CONTEXT_WINDOW = 40   # tokens either side in which context words count
EXCLUDE_WINDOW = 8    # tokens either side in which exclude words count
SANCTIONS_WINDOW = 15  # tokens either side in which sanctions vocabulary counts
_TITLES = frozenset("""mr mrs ms m mme mlle dr herr frau sr sra sig gospodin gospozha pan pani
    president general gen minister ministre chief leader head boss founder owner""".split())

_HOW_WHY = {
    "exact": "exact spelling",
    "variant": "same name in another transliteration",
    "inflected": "inflected form",
    "vowels": "same consonants, other vowels (an Arabic name as each press writes it)",
    "fuzzy": "close spelling (typo or transliteration drift)",
    "derived": "derived word (adjective, demonym or member)",
}


class Candidate(NamedTuple):
    """A name form matched at a span, before resolution (a named tuple: a large list makes
    tens of thousands per batch of articles, and tuples are the cheapest to make)."""

    form: NameForm
    first: int        # first token, including organisation words next to the name
    last: int         # last token, inclusive
    start: int
    end: int
    score: float
    how: str
    designator: bool
    name_first: int   # first and last token of the name itself
    name_last: int


@lru_cache(maxsize=20_000)
def _phrases(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fold(w).split()) for w in words if w.strip())


@lru_cache(maxsize=20_000)
def _context_stems(context: tuple[str, ...]) -> tuple[str, ...]:
    keys = [name_key(c) for c in context if " " not in c.strip() and len(c) >= 4]
    return tuple(k[: max(4, len(k) - 1)] for k in keys if k)


@lru_cache(maxsize=20_000)
def _single_words(phrases: tuple[tuple[str, ...], ...], prefix: bool) -> tuple[tuple[str, ...],
                                                                               frozenset[str]]:
    """One-word phrases as (stems matched by prefix, words matched exactly)."""
    stems, exact = [], set()
    for p in phrases:
        if len(p) == 1:
            if prefix and len(p[0]) >= 5:
                stems.append(p[0][: max(5, len(p[0]) - 2)])
            else:
                exact.add(p[0])
    return tuple(stems), frozenset(exact)


def _find_phrase(folded: list[str], lo: int, hi: int, phrases, prefix: bool) -> str | None:
    """The first phrase found in folded[lo:hi]; with `prefix`, a word counts when it begins
    with the phrase word's stem (so "mercenaires" counts for "mercenaire")."""
    stems, exact = _single_words(phrases, prefix)
    for w in folded[max(lo, 0):min(hi, len(folded))]:
        if w in exact or (stems and w.startswith(stems)):
            return w
    for phrase in phrases:
        if len(phrase) < 2:
            continue
        n = len(phrase)
        for i in range(max(lo, 0), min(hi, len(folded)) - n + 1):
            if all(_word_matches(folded[i + k], phrase[k], prefix) for k in range(n)):
                return " ".join(phrase)
    return None


def _word_matches(word: str, target: str, prefix: bool) -> bool:
    if word == target:
        return True
    if prefix and len(target) >= 5:
        return word.startswith(target[: max(5, len(target) - 2)])
    return False


def _different_person(text: str, tokens: list[Token], cand: Candidate) -> str | None:
    """A capitalised given name right before a person's surname that is not theirs
    ("Pavel Prigozhin" for Yevgeniy) says another person; titles ("M.", "Mr") do not."""
    i = cand.name_first
    if i == 0:
        return None
    prev = tokens[i - 1]
    gap = text[prev.end:tokens[i].start]
    if gap.strip() or not prev.text[:1].isupper() or len(prev.text) < 2:
        return None
    if fold_word(prev.text) in _TITLES:
        return None
    return prev.text


def resolve(doc: FoldedWords, candidates: list[Candidate], watchlist: Watchlist,
            threshold: float) -> list[Mention]:
    text = doc.text
    by_id = watchlist.by_id
    present = {c.form.entity_id for c in candidates if c.form.strong}
    accepted: dict[int, tuple[Candidate, list[str]]] = {}
    established: dict[str, str] = {}  # entity -> how the document names it (anchor)
    named: set[str] = set()           # entities named by a strong form in the document
    pending: list[int] = []
    standalone: set[int] = set()      # accepted on their own strength

    # a one-word name the document also writes inside a longer name ("Nikolai Nolan") does
    # not stand alone anywhere in it: "Nolan" alone is then that other person
    inside_longer = {c.form.entity_id for c in candidates
                     if _single(c, by_id[c.form.entity_id]) and _inside_longer_name(doc, c)}
    neighbours = watchlist.neighbours
    for n, cand in enumerate(candidates):
        entity = by_id[cand.form.entity_id]
        if _not_written_as_a_name(doc, cand, entity):
            continue
        strong = cand.form.strong and (
            not _single(cand, entity) or (_spelled_as_listed(doc, cand)
            and cand.form.entity_id not in inside_longer))
        if strong and cand.how != "derived":
            accepted[n] = (cand, [])
            standalone.add(n)
            established.setdefault(entity.id, text[cand.start:cand.end])
            named.add(entity.id)
            continue
        if cand.form.kind == "shared":
            pending.append(n)  # a name part many listed people share: only an anchor can
            continue
        if not (cand.designator or entity.context or has_sanctions_words(doc)
                or neighbours.get(entity.id, frozenset()) & present
                or (_is_acronym(doc, cand) and cand.form.alias not in weak_aliases(entity))):
            pending.append(n)  # nothing nearby could support it: only an anchor can
            continue
        if _exclusion(doc, cand, entity):
            continue
        strong, weak = _local_support(doc, cand, entity, watchlist, present)
        if strong:
            # an organisation word, a context word or a related entity: enough to establish
            accepted[n] = (cand, strong + weak)
            established.setdefault(entity.id, text[cand.start:cand.end])
        elif len(weak) >= 2 and cand.how != "derived":
            # programme and sanctions vocabulary together: a mention, but no anchor for others
            accepted[n] = (cand, weak)
        else:
            pending.append(n)

    # Short and derived forms of an entity established in the document link to it.
    for n in pending:
        cand = candidates[n]
        anchor = established.get(cand.form.entity_id)
        if anchor is not None and not _exclusion(doc, cand, by_id[cand.form.entity_id]):
            accepted[n] = (cand, [f"the document names it as {anchor!r}"])

    # Several entities on one span (a shared surname): the one the document names in full
    # wins; otherwise the best supported stay, and the analyst sees the ambiguity.
    spans: dict[tuple[int, int], list[int]] = {}
    for n in accepted:
        spans.setdefault((candidates[n].start, candidates[n].end), []).append(n)
    mentions: list[Mention] = []
    for _span, ns in sorted(spans.items()):
        if len(ns) > 1:
            by_name = [n for n in ns if candidates[n].form.entity_id in named
                       and not candidates[n].form.strong]
            if by_name and len(by_name) < len(ns):
                ns = by_name
            # a name that stands on its own ("Hamas") beats a short form that support let
            # in on the same words (the surname alias "HAMAS, Saidullah")
            alone = [n for n in ns if n in standalone]
            if alone and len(alone) < len(ns):
                ns = alone
            most = max(len(accepted[n][1]) for n in ns)
            ns = [n for n in ns if len(accepted[n][1]) == most]
            # "National Iranian Oil Company" is the company of that name, not its namesake
            # subsidiary "... PTE LTD" whose legal form the text does not write
            whole = [n for n in ns if _names_wholly(text, candidates[n],
                                                    by_id[candidates[n].form.entity_id])]
            if whole and len(whole) < len(ns):
                ns = whole
        for n in ns:
            cand, support = accepted[n]
            if cand.score >= threshold:
                mentions.append(_mention(text, cand, support, by_id[cand.form.entity_id]))
    return mentions


def _single(cand: Candidate, entity: Entity) -> bool:
    """A one-word form that the index lets stand alone ("Hamas", "Belaruskali")."""
    return cand.form.strong and len(cand.form.keys) == 1 and entity.type != "country"


def _spelled_as_listed(doc: FoldedWords, cand: Candidate) -> bool:
    """The word is written as the list writes it, or inflected ("Belaruskali's"), and is
    not itself a word of the languages ("Fortune" is no inflection of "Fortun")."""
    i = cand.name_first
    if doc.folded[i] == cand.form.folded[0]:
        return True
    return cand.how == "inflected" and not is_attested(doc.folded[i])


def _inside_longer_name(doc: FoldedWords, cand: Candidate) -> bool:
    """Right next to another capitalised word that is not a title or an organisation word:
    part of a longer name the list does not have ("Sonia O'Sullivan", "James Nolan",
    "Baikal Finance Group")."""
    tokens, text = doc.tokens, doc.text
    i, j = cand.name_first, cand.name_last
    if i > 0:
        prev = tokens[i - 1]
        if (text[prev.end:tokens[i].start].strip() in ("", "-") and prev.text[:1].isupper()
                and not _is_title(prev.text) and zipf(doc.folded[i - 1]) < 5.5
                and not (_opens_sentence(text, prev.start)
                         and _word_of_the_text_language(prev.text, text))):
            return True  # not "The", "In", "But", "Koncern": words of the language
    if j + 1 < len(tokens):
        nxt = tokens[j + 1]
        if (text[tokens[j].end:nxt.start].strip() in ("", "-", "'", "’")
                and nxt.text[:1].isupper() and not _is_title(nxt.text)):
            return True
    return False


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;\n\"»”"


def _word_of_the_text_language(word: str, text: str) -> bool:
    """A common word of the document's own languages that `zipf` does not read (Polish,
    Russian, Turkish ...: "Koncern", "Spółka" opening a sentence before a company's name),
    by wordfreq in those languages: Zipf 3.5 and above."""
    langs = languages_of(text) - set(FREQUENCY_LANGUAGES)
    return bool(langs) and _common_in(word.casefold(), langs)


@lru_cache(maxsize=65_536)
def _common_in(word: str, langs: frozenset[str]) -> bool:
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word, lang) >= 3.5 for lang in langs)


def _is_title(word: str) -> bool:
    w = fold_word(word)
    return w in _TITLES or w in DESIGNATORS


def _names_wholly(text: str, cand: Candidate, entity: Entity) -> bool:
    """The matched text is one of the entity's names as written, legal form and all."""
    target = " ".join(fold(text[cand.start:cand.end]).split())
    return any(" ".join(fold(n).split()) == target for n in entity.names)


def _not_written_as_a_name(doc: FoldedWords, cand: Candidate, entity: Entity) -> bool:
    """The words matched are ordinary words, not the name: a known word written in lower
    case at either end of the name where the text writes names with capitals ("Khan said",
    "new technologies", "than Charlie"; derived words such as "nord-coréens" are lower case
    by rule, and a text written all in lower case says nothing by its case); a fuzzy
    match on a spelling the languages already know as another word or name ("Koeman" is no
    typo of "Cosman", nor "Rutland" of "Russland"; a given name may drift, "Dimitri" for
    "Dmitriy", but not change sex, "Francesca" for "Francesco"); a short word in capitals read as a
    country's name ("IRA" is not "Irã"). The parts of a web name ("Blender.io") keep
    the case they are registered in."""
    words = doc.tokens.words
    folded = doc.folded
    own = cand.form.folded
    if (len(cand.form.keys) < 3 and not HAN.search(cand.form.alias)
            and HAN.search(doc.text, doc.tokens.starts[cand.name_first],
                           doc.tokens.ends[cand.name_last])):
        # one or two Chinese characters read as a listed pinyin name ("上" Shang for
        # "ZHANG, Lei", 成立 Cheng Li): Chinese writes a person's name in three
        return True
    cased = doc.has_capitals  # a text in lower case only says nothing by its case
    gaps = doc.tokens.gaps
    for i in range(cand.name_first, cand.name_last + 1):
        w, f = words[i], folded[i]
        if f in NAME_STOPWORDS or f in DESIGNATORS:
            continue
        web = ((i < cand.name_last and gaps[i] == ".")
               or (i > cand.name_first and gaps[i - 1] == "."))  # "Blender.io", "suex.io"
        if (cased and not web and cand.how != "derived" and i in (cand.name_first, cand.name_last)
                and w.islower()
                and w != w.upper() and (f not in own or is_known_word(f))):
            return True  # a name begins and ends with capitals; "for", "of" may stand inside
        if cand.how == "fuzzy" and f not in own:
            if entity.type != "person" or i == cand.name_last:
                if is_attested(f):
                    return True  # a surname or company word the languages know otherwise
            elif any(len(o) == len(f) > 3 and o[:-1] == f[:-1] and {o[-1], f[-1]} == {"a", "o"}
                     for o in own):
                return True  # "Francesca" is not "Francesco": a given name of the other sex
        if (entity.type == "country" and w.isupper() and len(w) <= 3
                and not any(w in name.split() for name in entity.names)):
            return True
    # "России", "Kirgizië": a country's name in the text's language, not a one-word name
    return (entity.type != "country" and cand.name_first == cand.name_last
            and _place_name(words[cand.name_first], doc.text)
            and not any(_place_name(n, "") for n in entity.names))


def _place_name(word: str, text: str) -> bool:
    """The word is the name of a country or territory in some language (rigour's
    territory names), as written or, inflected, as its lemma in the text's languages."""
    return _territory(word, languages_of(text) if text else frozenset())


@lru_cache(maxsize=65_536)
def _territory(word: str, langs: frozenset[str]) -> bool:
    from rigour.territories import lookup_territory

    if len(word) < 4:  # "US", "UK": initials are read elsewhere
        return False
    if lookup_territory(word) is not None:
        return True
    return any(lookup_territory(lemma_form) is not None
               for lemma_form in {lemmatizer().lemmatize(word, lang=lang) for lang in langs}
               if lemma_form != word)


def _mention(text: str, cand: Candidate, support: list[str], entity: Entity) -> Mention:
    feats = [Feature("name", cand.score, f"{_HOW_WHY[cand.how]} of {cand.form.alias!r}")]
    if cand.designator:
        feats.append(Feature("designator", 1.0, "organisation word next to the name"))
    matched = text[cand.start:cand.end]
    return Mention(
        entity_id=entity.id, start=cand.start, end=cand.end, matched=matched,
        score=cand.score, alias=_closest_alias(entity, matched, cand.form.alias),
        kind=cand.how if cand.form.strong or cand.how == "derived" else "short",
        features=tuple(feats), support=tuple(support),
    )


def _closest_alias(entity: Entity, matched: str, default: str) -> str:
    """The watchlist name that reads most like the matched text (for the explanation)."""
    target = fold(matched)
    for name in entity.names:
        if fold(name) == target:
            return name
    return default


def _exclusion(doc: FoldedWords, cand: Candidate, entity: Entity) -> str | None:
    if entity.exclude:
        hit = _find_phrase(doc.folded, cand.first - EXCLUDE_WINDOW,
                           cand.last + EXCLUDE_WINDOW + 1, _phrases(entity.exclude), prefix=False)
        if hit:
            return f"exclude word {hit!r} nearby"
    if entity.type == "person" and cand.form.kind in ("short", "shared"):
        other = _different_person(doc.text, doc.tokens, cand)
        if other:
            return f"preceded by another given name {other!r}"
    return None


def _local_support(doc: FoldedWords, cand: Candidate, entity: Entity, watchlist: Watchlist,
                   present: set[str]) -> tuple[list[str], list[str]]:
    """(strong, weak) evidence near a short or derived form."""
    strong: list[str] = []
    weak: list[str] = []
    weak_alias = cand.form.alias in weak_aliases(entity)
    if cand.designator and entity.type in ("organization", "other") and not weak_alias:
        # "groupe Wagner" settles it; "Hotel Holdings" is still made of common words
        common = all(map(is_common, cand.form.folded)) or cand.how == "vowels"
        (weak if common else strong).append("an organisation word next to the name")
    if _is_acronym(doc, cand):
        # an acronym the list gives only in its remarks ("a.k.a. 'SAIC'") may be another
        # body's too (the carmaker): it counts with other evidence, not on its own
        (weak if weak_alias else strong).append(
            "an acronym written in capitals")
    lo, hi = cand.first - CONTEXT_WINDOW, cand.last + CONTEXT_WINDOW + 1
    if entity.context:
        hit = _find_context(doc, lo, hi, entity.context)
        if hit:
            strong.append(f"context word {hit!r}")
    related = sorted(watchlist.neighbours.get(entity.id, frozenset()) & present)
    if related:
        strong.append("related entity " + ", ".join(repr(r) for r in related) + " in the text")
    vocab = program_words(entity.programs)
    hit = doc.prefix_near(vocab, lo, hi) if vocab else None
    if hit:
        weak.append(f"programme word {hit!r}")
    hit = doc.prefix_near(SANCTIONS_VOCABULARY, cand.first - SANCTIONS_WINDOW,
                         cand.last + SANCTIONS_WINDOW + 1)
    if hit:
        weak.append(f"sanctions word {hit!r}")
    return strong, weak


def _is_acronym(doc: FoldedWords, cand: Candidate) -> bool:
    """A single-word organisation name of 4+ capitals, written in capitals in the text too
    ("PDVSA"); a common word in capitals ("STARS", "SOLID") is a headline, not an acronym."""
    if cand.name_first != cand.name_last or not cand.form.organisation:
        return False
    word = doc.tokens.words[cand.name_first]
    alias_word = cand.form.folded[0]
    return (4 <= len(word) <= 8 and word.isupper() and word.isalpha()
            and fold(word) == alias_word and not is_common(alias_word))


def _find_context(doc: FoldedWords, lo: int, hi: int, context: tuple[str, ...]) -> str | None:
    """A context word nearby, by spelling or by name key ("Prigozhin" finds "Пригожина")."""
    hit = _find_phrase(doc.folded, lo, hi, _phrases(context), prefix=True)
    if hit:
        return hit
    stems = _context_stems(context)
    for i in range(max(lo, 0), min(hi, len(doc.tokens))):
        if doc.keys[i].startswith(stems):
            return doc.tokens.words[i]
    return None
