"""The candidate index: from a word of running text to the name forms it may begin.

Cost does not grow with the size of the watchlist: a word is looked up by its phonetic key
(exact), by the key less an inflection or derivation ending, and, for fuzzy matching, through
a deletion neighbourhood (every key with one character deleted, two for long keys), then the
few candidates found are verified with rapidfuzz. Results are cached per distinct word, and
news vocabulary repeats, so most words cost one dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from sanctionwatch.matching.forms import NameForm, name_forms
from sanctionwatch.matching.vocab import DERIVATIONS, INFLECTIONS, VOWELS
from sanctionwatch.text.normalize import name_key
from sanctionwatch.types import Watchlist

MIN_STEM = 4          # an ending is only removed when this much of the word remains
MIN_FUZZY = 6         # keys shorter than this are matched exactly (no typo tolerance)
LONG_FUZZY = 11       # keys this long tolerate two edits
SIM_INFLECTED = 0.96
SIM_DERIVED = 0.92
SIM_VARIANT = 0.97    # same phonetic key, different spelling (transliteration)


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """How one word of text matched one token of a name form."""

    key: str       # the name token key that was matched
    sim: float     # similarity of the word's key to `key`, before exact/variant refinement
    how: str       # exact | inflected | derived | fuzzy


def _max_edits(n: int) -> int:
    return 0 if n < MIN_FUZZY else (2 if n >= LONG_FUZZY else 1)


def _deletes(key: str, edits: int) -> set[str]:
    out = {key}
    frontier = {key}
    for _ in range(edits):
        nxt = set()
        for k in frontier:
            for i in range(len(k)):
                nxt.add(k[:i] + k[i + 1:])
        out |= nxt
        frontier = nxt
    return out


def _edit_sim(a: str, b: str, limit: int) -> float | None:
    """Similarity of two keys when they are within `limit` edits (a swap of two neighbouring
    letters counts as one edit), else None."""
    if OSA.distance(a, b, score_cutoff=limit) > limit:
        return None
    return OSA.normalized_similarity(a, b)


def match_key(word_key: str, name_token_key: str, fuzzy: bool = True,
              fuzzy_floor: float = 0.8, extra_edit: bool = False) -> TokenMatch | None:
    """Does the key of a word of text match one token of a name? Pure, used for the tokens
    after the first of a multi-token form. `extra_edit` allows one more edit in words of 8+
    letters, when the rest of the name already matched exactly ("Yevgeny Prighozin")."""
    if word_key == name_token_key:
        return TokenMatch(name_token_key, 1.0, "exact")
    best = _affix_match(word_key, {name_token_key}, _stems([name_token_key]))
    if best:
        return best[0]
    limit = _max_edits(len(name_token_key))
    if extra_edit and len(name_token_key) >= 8:
        limit += 1
    if fuzzy and limit:
        sim = _edit_sim(word_key, name_token_key, limit)
        if sim is not None and sim >= fuzzy_floor - (0.05 if extra_edit else 0.0):
            return TokenMatch(name_token_key, sim, "fuzzy")
    return None


def _stems(keys: Iterable[str]) -> dict[str, list[str]]:
    """Key less its final vowel -> keys ("kore" for "korea", so "korean" finds it)."""
    out: dict[str, list[str]] = {}
    for k in keys:
        if len(k) > MIN_STEM and k[-1] in VOWELS:
            out.setdefault(k[:-1], []).append(k)
    return out


def _affix_match(word_key: str, keys: set[str] | dict[str, object],
                 stems: dict[str, list[str]]) -> list[TokenMatch]:
    found: list[TokenMatch] = []
    for endings, sim, how in ((INFLECTIONS, SIM_INFLECTED, "inflected"),
                              (DERIVATIONS, SIM_DERIVED, "derived")):
        for ending in endings:
            if not word_key.endswith(ending) or len(word_key) - len(ending) < MIN_STEM:
                continue
            base = word_key[: -len(ending)]
            if base in keys:
                found.append(TokenMatch(base, sim, how))
            if how == "derived":
                for k in stems.get(base, ()):
                    found.append(TokenMatch(k, sim, how))
        if found:
            return found
    return found


class NameIndex:
    """Every name form of a watchlist, indexed by the key of its first token."""

    def __init__(self, watchlist: Watchlist, fuzzy: bool = True, fuzzy_floor: float = 0.8):
        self.watchlist = watchlist
        self.fuzzy = fuzzy
        self.fuzzy_floor = fuzzy_floor
        self.forms: list[NameForm] = []
        self.first: dict[str, list[int]] = {}
        for entity in watchlist.entities:
            for form in name_forms(entity):
                self.first.setdefault(form.keys[0], []).append(len(self.forms))
                self.forms.append(form)
        self.stems = _stems(self.first)
        self.deletes: dict[str, list[str]] = {}
        if fuzzy:
            for key in self.first:
                for d in _deletes(key, _max_edits(len(key))):
                    if d != key or _max_edits(len(key)):
                        self.deletes.setdefault(d, []).append(key)
        self._cache: dict[str, tuple[tuple[int, TokenMatch], ...]] = {}

    def __len__(self) -> int:
        return len(self.forms)

    def lookup(self, word: str) -> tuple[tuple[int, TokenMatch], ...]:
        """(form index, how the word matched the form's first token) for a word of text."""
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            hit = self._cache[word] = self._lookup(name_key(word))
        return hit

    def _lookup(self, key: str) -> tuple[tuple[int, TokenMatch], ...]:
        if not key:
            return ()
        matches: dict[str, TokenMatch] = {}
        if key in self.first:
            matches[key] = TokenMatch(key, 1.0, "exact")
        # an exact hit may hide an inflected one: "Пригожина" is Polina Prigozhina and also
        # the genitive of Prigozhin; resolution decides between them
        for m in _affix_match(key, self.first, self.stems):
            matches.setdefault(m.key, m)
        if not matches and self.fuzzy and len(key) >= MIN_FUZZY - 1:
            self._fuzzy(key, matches)
        return tuple((i, m) for k, m in matches.items() for i in self.first[k])

    def _fuzzy(self, key: str, matches: dict[str, TokenMatch]) -> None:
        seen: set[str] = set()
        for d in _deletes(key, 2 if len(key) >= LONG_FUZZY - 1 else 1):
            for cand in self.deletes.get(d, ()):
                if cand in seen:
                    continue
                seen.add(cand)
                sim = _edit_sim(key, cand, _max_edits(len(cand)))
                if sim is not None and sim >= self.fuzzy_floor:
                    matches[cand] = TokenMatch(cand, sim, "fuzzy")
