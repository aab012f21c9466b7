"""Document-level resolution: which candidate name matches are mentions of the entity.

A strong form ("Yevgeny Prigozhin", "Corée du Nord") stands on its own and establishes its
entity in the document. A short form ("Wagner", "Prigozhin") or a derived one ("wagnériens")
is accepted when something supports it: an organisation word next to it ("groupe Wagner"),
one of the entity's context words nearby, a related entity in the document, the vocabulary of
its programmes or of sanctions, or the entity being established in the document already. An
exclude word nearby ("Richard", "opéra") rules it out, whatever else supports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sanctionwatch.matching.forms import NameForm
from sanctionwatch.matching.vocab import SANCTIONS_VOCABULARY, program_words
from sanctionwatch.text.normalize import fold
from sanctionwatch.text.tokens import Token
from sanctionwatch.types import Entity, Feature, Mention, Watchlist

CONTEXT_WINDOW = 40   # tokens either side in which context words count
EXCLUDE_WINDOW = 8    # tokens either side in which exclude words count
_TITLES = frozenset("""mr mrs ms m mme mlle dr herr frau sr sra sig gospodin gospozha pan pani
    president general gen minister ministre chief leader head boss founder owner""".split())

_HOW_WHY = {
    "exact": "exact spelling",
    "variant": "same name in another transliteration",
    "inflected": "inflected form",
    "fuzzy": "close spelling (typo or transliteration drift)",
    "derived": "derived word (adjective, demonym or member)",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name form matched at a span, before resolution."""

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


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return fold(word)


def _phrases(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fold(w).split()) for w in words if w.strip())


def _find_phrase(folded: list[str], lo: int, hi: int, phrases, prefix: bool) -> str | None:
    """The first phrase found in folded[lo:hi]; with `prefix`, a word counts when it begins
    with the phrase word's stem (so "mercenaires" counts for "mercenaire")."""
    for phrase in phrases:
        if not phrase:
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
    if _fold_word(prev.text) in _TITLES:
        return None
    return prev.text


def resolve(text: str, tokens: list[Token], candidates: list[Candidate], watchlist: Watchlist,
            threshold: float) -> list[Mention]:
    folded = [_fold_word(t.text) for t in tokens]
    by_id = watchlist.by_id
    present = {c.form.entity_id for c in candidates if c.form.strong}
    accepted: dict[int, tuple[Candidate, list[Feature], list[str]]] = {}
    excluded: set[int] = set()
    established: dict[str, str] = {}
    named: set[str] = set()   # entities named by a strong form somewhere in the document
    pending: list[int] = []

    for n, cand in enumerate(candidates):
        entity = by_id[cand.form.entity_id]
        feats = [Feature("name", cand.score, f"{_HOW_WHY[cand.how]} of {cand.form.alias!r}")]
        is_short = not cand.form.strong or cand.how == "derived"
        if is_short:
            why_not = _exclusion(text, tokens, folded, cand, entity)
            if why_not:
                excluded.add(n)
                continue
        support = _local_support(folded, cand, entity, watchlist, present)
        if not is_short or support:
            accepted[n] = (cand, feats, support)
            established.setdefault(entity.id, text[cand.start:cand.end])
            if not is_short:
                named.add(entity.id)
        else:
            pending.append(n)

    # Short forms of an entity established elsewhere in the document link to it.
    for n in pending:
        cand = candidates[n]
        anchor = established.get(cand.form.entity_id)
        if anchor is not None:
            accepted[n] = (cand, [Feature("name", cand.score,
                                          f"{_HOW_WHY[cand.how]} of {cand.form.alias!r}")],
                           [f"the document names it as {anchor!r}"])

    # Several entities on one span (shared surname): keep those established or supported best.
    spans: dict[tuple[int, int], list[int]] = {}
    for n in accepted:
        spans.setdefault((candidates[n].start, candidates[n].end), []).append(n)
    mentions: list[Mention] = []
    for _span, ns in sorted(spans.items()):
        if len(ns) > 1:
            # the entity the document names in full wins a shared short form; else the
            # best supported ones stay (and the analyst sees the ambiguity)
            by_name = [n for n in ns if candidates[n].form.entity_id in named
                       and not candidates[n].form.strong]
            if by_name and len(by_name) < len(ns):
                ns = by_name
            strongest = max(len(accepted[n][2]) for n in ns)
            ns = [n for n in ns if len(accepted[n][2]) == strongest]
        for n in ns:
            cand, feats, support = accepted[n]
            if cand.score < threshold:
                continue
            if cand.designator:
                feats = [*feats, Feature("designator", 1.0, "organisation word next to the name")]
            mentions.append(Mention(
                entity_id=cand.form.entity_id, start=cand.start, end=cand.end,
                matched=text[cand.start:cand.end], score=cand.score,
                alias=_closest_alias(by_id[cand.form.entity_id], text[cand.start:cand.end],
                                     cand.form.alias),
                kind=cand.how if cand.form.strong or cand.how == "derived" else "short",
                features=tuple(feats), support=tuple(support),
            ))
    return mentions


def _closest_alias(entity: Entity, matched: str, default: str) -> str:
    """The watchlist name that reads most like the matched text (for the explanation)."""
    target = fold(matched)
    for name in entity.names:
        if fold(name) == target:
            return name
    return default


def _exclusion(text: str, tokens: list[Token], folded: list[str], cand: Candidate,
               entity: Entity) -> str | None:
    if entity.exclude:
        hit = _find_phrase(folded, cand.first - EXCLUDE_WINDOW, cand.last + EXCLUDE_WINDOW + 1,
                           _phrases(entity.exclude), prefix=False)
        if hit:
            return f"exclude word {hit!r} nearby"
    if entity.type == "person" and cand.form.kind == "short":
        other = _different_person(text, tokens, cand)
        if other:
            return f"preceded by another given name {other!r}"
    return None


def _local_support(folded: list[str], cand: Candidate, entity: Entity, watchlist: Watchlist,
                   present: set[str]) -> list[str]:
    support: list[str] = []
    if cand.designator and entity.type in ("organization", "other"):
        support.append("an organisation word next to the name")
    lo, hi = cand.first - CONTEXT_WINDOW, cand.last + CONTEXT_WINDOW + 1
    if entity.context:
        hit = _find_phrase(folded, lo, hi, _phrases(entity.context), prefix=True)
        if hit:
            support.append(f"context word {hit!r}")
    related = sorted(watchlist.neighbours.get(entity.id, frozenset()) & present)
    if related:
        support.append("related entity " + ", ".join(repr(r) for r in related) + " in the text")
    vocab = program_words(entity.programs) + SANCTIONS_VOCABULARY
    hit = _find_phrase(folded, lo, hi, tuple(tuple(v.split()) for v in vocab), prefix=True)
    if hit is None:
        hit = _find_vocab_prefix(folded, lo, hi, vocab)
    if hit:
        support.append(f"programme or sanctions word {hit!r}")
    return support


def _find_vocab_prefix(folded: list[str], lo: int, hi: int, vocab: tuple[str, ...]) -> str | None:
    singles = tuple(v for v in vocab if " " not in v)
    for w in folded[max(lo, 0):min(hi, len(folded))]:
        if w.startswith(singles):
            return w
    return None
