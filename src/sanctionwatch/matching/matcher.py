"""Find watchlist entities in running text: candidates from the index, then document-level
resolution (`resolve`). Pure: text in, mentions out."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.matching.forms import NameForm
from sanctionwatch.matching.index import SIM_VARIANT, NameIndex, TokenMatch, match_key
from sanctionwatch.matching.resolve import Candidate, resolve
from sanctionwatch.matching.vocab import DESIGNATORS, NAME_STOPWORDS
from sanctionwatch.text.normalize import fold, name_key
from sanctionwatch.text.tokens import Token, tokenize
from sanctionwatch.types import Mention, Watchlist

_HOW_RANK = {"exact": 0, "variant": 1, "inflected": 2, "fuzzy": 3, "derived": 4}


@dataclass(frozen=True, slots=True)
class MatchSettings:
    threshold: float = 0.85   # a mention's name score must reach this
    fuzzy: bool = True
    fuzzy_floor: float = 0.8  # a single fuzzy token must reach this


class Matcher:
    """Built once per watchlist version; `find` is safe to call from several threads."""

    def __init__(self, watchlist: Watchlist, settings: MatchSettings | None = None):
        self.settings = settings or MatchSettings()
        self.watchlist = watchlist
        self.index = NameIndex(watchlist, fuzzy=self.settings.fuzzy,
                               fuzzy_floor=self.settings.fuzzy_floor)

    def find(self, text: str) -> list[Mention]:
        tokens = tokenize(text)
        candidates = self.candidates(text, tokens)
        if not candidates:
            return []
        return resolve(text, tokens, _non_overlapping(candidates), self.watchlist,
                       self.settings.threshold)

    def candidates(self, text: str, tokens: list[Token]) -> list[Candidate]:
        lookup = self.index.lookup
        forms = self.index.forms
        out: list[Candidate] = []
        for i, tok in enumerate(tokens):
            hits = lookup(tok.text)
            if not hits:
                continue
            for form_index, first in hits:
                cand = self._extend(text, tokens, i, forms[form_index], first)
                if cand is not None and cand.score >= self.settings.threshold:
                    out.append(cand)
        return out

    def _extend(self, text: str, tokens: list[Token], i: int, form: NameForm,
                first: TokenMatch) -> Candidate | None:
        matched = [(i, _refine(first, tokens[i].text, form.folded[0]))]
        j = i + 1
        for pos in range(1, len(form.keys)):
            skipped = 0
            m = None
            while j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j], comma=True):
                exact_so_far = all(x.how in ("exact", "variant") for _, x in matched)
                m = match_key(name_key(tokens[j].text), form.keys[pos], self.settings.fuzzy,
                              self.settings.fuzzy_floor, extra_edit=exact_so_far)
                if m is not None or skipped >= 2 or fold(tokens[j].text) not in NAME_STOPWORDS:
                    break
                skipped += 1
                j += 1
            if m is None:
                return None
            matched.append((j, _refine(m, tokens[j].text, form.folded[pos])))
            j += 1
        weights = [len(k) for k in form.keys]
        score = sum(w * m.sim for w, (_, m) in zip(weights, matched, strict=True)) / sum(weights)
        how = max((m.how for _, m in matched), key=lambda h: _HOW_RANK[h])
        first_tok, last_tok = matched[0][0], matched[-1][0]
        start_tok, end_tok = first_tok, last_tok
        if form.organisation:
            start_tok = _designators_before(text, tokens, first_tok)
            end_tok = _designators_after(text, tokens, last_tok)
        designator = start_tok < first_tok or end_tok > last_tok
        return Candidate(form=form, first=start_tok, last=end_tok,
                         start=tokens[start_tok].start, end=tokens[end_tok].end,
                         score=round(min(1.0, max(0.0, score)), 4), how=how,
                         designator=designator, name_first=first_tok, name_last=last_tok)


def _refine(m: TokenMatch, word: str, alias_folded: str) -> TokenMatch:
    """An exact key match is 'exact' only when the folded spellings agree too."""
    if m.how == "exact" and fold(word) != alias_folded:
        return TokenMatch(m.key, SIM_VARIANT, "variant")
    return m


_GAP = frozenset(" \t\"'«»“”‘’„-–")


def _adjacent(text: str, a: Token, b: Token, comma: bool = False) -> bool:
    """Only spaces, quotes, hyphens or apostrophes between two tokens (and, with `comma`, a
    comma: "PRIGOZHIN, Yevgeniy"): no sentence or list break."""
    gap = text[a.end:b.start]
    return len(gap) <= 4 and all(c in _GAP or (comma and c == ",") for c in gap)


def _is_designator(word: str) -> bool:
    f = fold(word)
    return f in DESIGNATORS or f.startswith(("grupp", "grup", "group")) \
        or f.endswith(("gruppe", "group", "gruppa", "grupa"))  # Kampfgruppe, Söldnergruppe


def _designators_before(text: str, tokens: list[Token], i: int) -> int:
    j = i
    while j > 0 and i - j < 3 and _adjacent(text, tokens[j - 1], tokens[j]) \
            and _is_designator(tokens[j - 1].text):
        j -= 1
    return j


def _designators_after(text: str, tokens: list[Token], i: int) -> int:
    j = i
    while j + 1 < len(tokens) and j - i < 1 and _adjacent(text, tokens[j], tokens[j + 1]) \
            and _is_designator(tokens[j + 1].text):
        j += 1
    return j


def _non_overlapping(cands: list[Candidate]) -> list[Candidate]:
    """Longest name first, then best score; candidates on the very same span are all kept
    (several entities may share a name) and left to resolution."""
    ordered = sorted(cands, key=lambda c: (-(c.name_last - c.name_first), -c.score, c.start))
    taken: list[Candidate] = []
    for c in ordered:
        clash = False
        for t in taken:
            if c.first <= t.last and t.first <= c.last:
                same_span = (c.name_first, c.name_last) == (t.name_first, t.name_last)
                if not (same_span and c.form.entity_id != t.form.entity_id):
                    clash = True
                    break
        if not clash:
            taken.append(c)
    # one candidate per entity and span: the best-scoring form
    best: dict[tuple[str, int, int], Candidate] = {}
    for c in taken:
        k = (c.form.entity_id, c.start, c.end)
        if k not in best or c.score > best[k].score:
            best[k] = c
    return sorted(best.values(), key=lambda c: c.start)
