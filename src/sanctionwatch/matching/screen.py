"""Screening single names against the watchlist, like a list-search tool.

Token order does not matter, a missing middle name costs little (person forms include
"given surname"), transliterations meet through name keys, joined or split tokens are compared
as one string too, and legal forms are removed before scoring, so they never inflate a score.
The score is a length-weighted token alignment in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rigour.names import remove_org_types

from sanctionwatch.matching import facts
from sanctionwatch.matching.commonness import is_common
from sanctionwatch.matching.forms import NameForm, name_forms
from sanctionwatch.matching.index import _deletes
from sanctionwatch.matching.vocab import DESIGNATORS, NAME_STOPWORDS
from sanctionwatch.text.normalize import fold, name_key
from sanctionwatch.text.tokens import words
from sanctionwatch.types import Watchlist

MIN_TOKEN_SIM = 0.7


@dataclass(frozen=True, slots=True)
class Candidate:
    entity_id: str
    name: str
    matched_alias: str
    score: float
    match: bool
    entity_type: str
    why: str
    checks: tuple[tuple[str, str], ...] = ()  # ("type"|"country"|"birth_date", outcome)


def query_tokens(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(name keys, folded words) of a query, without legal forms and organisation words."""
    folded = fold(name)
    core = remove_org_types(folded).strip() or folded
    toks = [w for w in words(core) if w not in NAME_STOPWORDS and w not in DESIGNATORS]
    pairs = [(name_key(w), w) for w in (toks or words(folded))]
    pairs = [(k, w) for k, w in pairs if k]
    return tuple(k for k, _ in pairs), tuple(w for _, w in pairs)


def _sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return Levenshtein.normalized_similarity(a, b)


def _weight(key: str, folded: str | None = None) -> float:
    """A token's weight: its length, a third of it for a common word ("security")."""
    return len(key) * (0.3 if is_common(folded if folded is not None else key) else 1.0)


def score_keys(q: tuple[str, ...], c: tuple[str, ...], q_words: tuple[str, ...] | None = None,
               c_words: tuple[str, ...] | None = None) -> float:
    """Weighted alignment of two token-key sequences, order-free, in [0, 1]; a token weighs
    its length, less when it is a common word, so "Security Services" is far from
    "Sewa Security Services" while a missing legal form or middle name costs little."""
    if not q or not c:
        return 0.0
    qw = [_weight(k, w) for k, w in zip(q, q_words or q, strict=True)]
    cw = [_weight(k, w) for k, w in zip(c, c_words or c, strict=True)]
    pairs = sorted(((_sim(a, b), i, j) for i, a in enumerate(q) for j, b in enumerate(c)),
                   reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    total = 0.0
    for sim, i, j in pairs:
        if i in used_q or j in used_c or sim < MIN_TOKEN_SIM:
            continue
        used_q.add(i)
        used_c.add(j)
        total += sim * (qw[i] + cw[j])
    weight = sum(qw) + sum(cw)
    aligned = total / weight
    joined = _sim("".join(q), "".join(c)) if len(q) != len(c) else 0.0
    return round(max(0.0, min(1.0, max(aligned, joined))), 4)


class Screener:
    def __init__(self, watchlist: Watchlist, threshold: float = 0.85):
        self.watchlist = watchlist
        self.threshold = threshold
        self.forms: list[NameForm] = [f for e in watchlist.entities for f in name_forms(e)
                                      if f.kind != "short" or len(f.keys) > 1
                                      or e.type != "person"]
        self.tokens: dict[str, set[int]] = {}
        self.deletes: dict[str, set[str]] = {}
        for n, f in enumerate(self.forms):
            for k in f.keys:
                self.tokens.setdefault(k, set()).add(n)
        for k in self.tokens:
            for d in _deletes(k, 1 if len(k) >= 5 else 0):
                self.deletes.setdefault(d, set()).add(k)
        self.joined: dict[str, set[int]] = {}
        for n, f in enumerate(self.forms):
            if len(f.keys) > 1:
                self.joined.setdefault("".join(f.keys), set()).add(n)

    def screen(self, name: str, limit: int = 10, *, entity_type: str | None = None,
               country: str | None = None, birth_date: str | None = None) -> list[Candidate]:
        """The best `limit` candidates for `name`, best first. What else the query knows
        narrows and checks them (matching/facts.py): a candidate of another `entity_type` is
        left out; a `birth_date` the entry contradicts makes it no match (its score is kept);
        a `country` is compared and said, never decisive (addresses and nationalities on the
        lists are partial). Each given fact is reported in the candidate's `checks`.
        ValueError for a country or birth date that cannot be read."""
        if entity_type is None and country is None and birth_date is None:
            return self._screen(name, limit)
        code = facts.query_country(country) if country else None
        born = facts.parse_query_date(birth_date) if birth_date else None
        out: list[Candidate] = []
        for c in self._screen(name, None):
            e = self.watchlist.by_id[c.entity_id]
            checks: list[tuple[str, str]] = []
            if entity_type is not None:
                outcome = facts.compare_type(e, entity_type)
                if outcome == "conflict":
                    continue
                checks.append(("type", outcome))
            if code is not None:
                checks.append(("country", facts.compare_country(e, code)))
            match = c.match
            if born is not None:
                outcome = facts.compare_birth_date(e, *born)
                checks.append(("birth_date", outcome))
                match = match and outcome != "conflict"
            out.append(Candidate(c.entity_id, c.name, c.matched_alias, c.score, match,
                                 c.entity_type, c.why, tuple(checks)))
            if len(out) >= limit:
                break
        return out

    def _screen(self, name: str, limit: int | None = 10) -> list[Candidate]:
        q, q_words = query_tokens(name)
        if not q:
            return []
        form_ids: set[int] = set()
        for k in q:
            for d in _deletes(k, 1 if len(k) >= 5 else 0):
                for cand_key in self.deletes.get(d, ()):
                    form_ids |= self.tokens[cand_key]
        joined = "".join(q)
        form_ids |= self.tokens.get(joined, set()) | self.joined.get(joined, set())
        best: dict[str, Candidate] = {}
        for n in form_ids:
            f = self.forms[n]
            s = score_keys(q, f.keys, q_words, f.folded)
            entity = self.watchlist.by_id[f.entity_id]
            if s < 0.5:
                continue
            old = best.get(f.entity_id)
            if old is None or s > old.score:
                best[f.entity_id] = Candidate(
                    f.entity_id, entity.name, f.alias, s, s >= self.threshold, entity.type,
                    f"name keys {' '.join(q)!r} vs {' '.join(f.keys)!r}")
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.entity_id))
        return ranked if limit is None else ranked[:limit]
