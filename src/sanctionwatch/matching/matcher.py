"""Find watchlist entities in running text: candidates from the index, then document-level
resolution (`resolve`). Pure: text in, mentions out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from sanctionwatch.matching.acronyms import defined_acronyms
from sanctionwatch.matching.forms import NameForm
from sanctionwatch.matching.index import SIM_VARIANT, NameIndex, TokenMatch, WordRole, match_key
from sanctionwatch.matching.resolve import Candidate, resolve
from sanctionwatch.matching.vocab import (
    DESIGNATORS,
    NAME_STOPWORDS,
    SANCTIONS_VOCABULARY,
    SUPPORT_WORDS,
    program_words,
)
from sanctionwatch.text.arabic import ARABIC, same_word
from sanctionwatch.text.arabic import PREFIX as ARABIC_PREFIX
from sanctionwatch.text.folded import FoldedWords
from sanctionwatch.text.normalize import fold_word, name_key
from sanctionwatch.text.tokens import TokenList, tokenize
from sanctionwatch.types import Mention, Watchlist

_HOW_RANK = {"exact": 0, "variant": 1, "inflected": 2, "vowels": 3, "fuzzy": 4, "derived": 5}


@dataclass(frozen=True, slots=True)
class MatchSettings:
    threshold: float = 0.85   # a mention's name score must reach this
    fuzzy: bool = True
    fuzzy_floor: float = 0.8  # a single fuzzy token must reach this


class Matcher:
    """Built once per watchlist version; `find` is safe to call from several threads."""

    def __init__(self, watchlist: Watchlist, settings: MatchSettings | None = None,
                 index: NameIndex | None = None):
        self.settings = settings or MatchSettings()
        self.watchlist = watchlist
        self.index = index or NameIndex(watchlist, fuzzy=self.settings.fuzzy,
                                        fuzzy_floor=self.settings.fuzzy_floor)

    def find(self, text: str) -> list[Mention]:
        doc = FoldedWords(text, tokenize(text))
        candidates = self.candidates(doc)
        if not candidates:
            return []
        mentions = resolve(doc, _non_overlapping(candidates), self.watchlist,
                           self.settings.threshold)
        if mentions:
            mentions += defined_acronyms(text, mentions)
            mentions.sort(key=lambda m: (m.start, m.end))
        return mentions

    def candidates(self, doc: FoldedWords) -> list[Candidate]:
        """Name forms matched at a place in the text, before resolution. Only the words with
        a role (see `WordRole`, cached per word) are visited: an anchored form is tried when
        its short first word stands before; a one-word form that stands alone at once; a
        gated one after the walk, when the document could support it; a longer form when
        the next word (small words skipped) matches its second token. The sanctions and
        programme words met on the way are noted in `doc` for `_gated` and `resolve`."""
        tokens = doc.tokens
        words, gaps = tokens.words, tokens.gaps
        index, threshold = self.index, self.settings.threshold
        pairs, forms = index.pairs, index.forms
        roles = index.roles_all(words)
        folded = doc.folded
        n = len(words)
        lookup, seen = index.lookup, index.seen_words()
        pair_forms, known_pair = pairs.get, pairs.known()
        out: list[Candidate] = []
        memo: dict = {}
        gated: list[tuple[int, WordRole]] = []
        support: set[str] = set()  # sanctions and programme words of the document
        for i in compress(range(n), roles):
            role = roles[i]
            alone, gated_here, by_name, firsts, back, words_support = role
            if words_support:
                support |= words_support
            if back:
                offsets = None
                for p, spellings, first_keys in back:
                    if p <= i and (folded[i - p] in spellings or (first_keys and any(
                            h.key in first_keys for h in lookup(words[i - p])))):
                        offsets = [p] if offsets is None else [*offsets, p]
                if offsets:
                    out += self._anchored(tokens, i, offsets, memo)
            for f, m in alone:
                cand = self._extend(tokens, i, forms[f], m, memo)
                if cand is not None and cand.score >= threshold:
                    out.append(cand)
            if gated_here or by_name:
                gated.append((i, role))
            if not firsts:
                continue
            j = i + 1
            if j >= n:
                continue
            if gaps[i] != " " or folded[j] in NAME_STOPWORDS:
                j = _next_word(tokens, folded, i)
                if j is None:
                    continue
            nxt = seen(words[j])
            for m1 in nxt if nxt is not None else lookup(words[j]):
                for m0 in firsts:
                    fs = known_pair((m0.key, m1.key))
                    for f in fs if fs is not None else pair_forms(m0.key, m1.key):
                        cand = self._extend(tokens, i, forms[f], m0, memo)
                        if cand is not None and cand.score >= threshold:
                            out.append(cand)
        doc.remember_prefixes(SUPPORT_WORDS, frozenset(support))
        if gated:
            out += self._gated(doc, gated, out, memo)
        return out

    def _gated(self, doc: FoldedWords, gated, found: list[Candidate],
               memo: dict) -> list[Candidate]:
        """A surname alone ("Said", "Prigozhin") or a common word ("Games") can only become a
        mention when the document names the entity or someone related, or has its context,
        programme or sanctions words (see `resolve`); the others are dropped before any more
        work is spent on them."""
        named = {c.form.entity_id for c in found}
        by_id, neighbours = self.watchlist.by_id, self.watchlist.neighbours
        forms = self.index.forms
        present = doc.prefixes_present(SUPPORT_WORDS)  # remembered by `candidates`
        sanctions = not present.isdisjoint(SANCTIONS_VOCABULARY)
        supported: dict[str, bool] = {}
        out = []
        for i, role in gated:
            tried: list[tuple[int, TokenMatch]] = []
            for entity_id, fms in role.gated:
                ok = sanctions or supported.get(entity_id)
                if ok is None:
                    entity = by_id[entity_id]
                    ok = supported[entity_id] = bool(
                        entity_id in named or entity.context
                        or neighbours.get(entity_id, frozenset()) & named
                        or not present.isdisjoint(program_words(entity.programs)))
                if ok:
                    tried += fms
            # a surname alone, of a person no context, relation or programme word can
            # support: only the person named in full makes it a mention (sanctions words
            # alone are one piece of weak evidence, see `resolve`)
            by_name = role.by_name
            if by_name and named:
                if len(by_name) < len(named):
                    for entity_id, fms in by_name.items():
                        if entity_id in named:
                            tried += fms
                else:
                    for entity_id in named:
                        tried += by_name.get(entity_id, ())
            for f, m in tried:
                cand = self._extend(doc.tokens, i, forms[f], m, memo)
                if cand is not None and cand.score >= self.settings.threshold:
                    out.append(cand)
        return out

    def _anchored(self, tokens: TokenList, j: int, offsets: list[int],
                  memo: dict) -> list[Candidate]:
        """Forms with a short first word, found from their first long word at position j:
        the words before it must be the form's words before its anchor. `offsets`: how far
        back the short first words stand that may begin such a form."""
        out = []
        words, gaps = tokens.words, tokens.gaps
        index = self.index
        for m in index.lookup(words[j]):
            by_first = index.anchored.get(m.key)
            if not by_first:
                continue
            for p in offsets:
                i = j - p
                if not all(_gap_ok(gaps[k], True) for k in range(i, j)):
                    continue
                for first in index.lookup(words[i]):
                    for f in by_first.get((p, first.key), ()):
                        cand = self._extend(tokens, i, index.forms[f], first, memo)
                        if cand is not None and cand.score >= self.settings.threshold:
                            out.append(cand)
        return out

    def _extend(self, tokens: TokenList, i: int, form: NameForm, first: TokenMatch,
                memo: dict | None = None) -> Candidate | None:
        """The candidate for `form` starting at token i, if the following words match its
        other tokens. Forms with the same tokens (fifty listed people called "Said") share
        the work through `memo`, one per document."""
        key = (i, form.keys, form.folded, form.organisation, first)
        span = memo.get(key, _UNSEEN) if memo is not None else _UNSEEN
        if span is _UNSEEN:
            span = self._span(tokens, i, form, first)
            if memo is not None:
                memo[key] = span
        if span is None:
            return None
        start_tok, end_tok, first_tok, last_tok, score, how = span
        designator = start_tok < first_tok or end_tok > last_tok
        return Candidate(form=form, first=start_tok, last=end_tok,
                         start=tokens.starts[start_tok], end=tokens.ends[end_tok],
                         score=score, how=how, designator=designator,
                         name_first=first_tok, name_last=last_tok)

    def _span(self, tokens: TokenList, i: int, form: NameForm, first: TokenMatch):
        words, gaps = tokens.words, tokens.gaps
        n, fuzzy, floor = len(words), self.settings.fuzzy, self.settings.fuzzy_floor
        if first.how == "vowels" and not form.organisation:
            return None  # a person's name with other vowels is too often a namesake's
        m = _refine(first, words[i], form.folded[0])
        matched = [(i, m)]
        exact_so_far = m.how in ("exact", "variant")
        j = i + 1
        for pos in range(1, len(form.keys)):
            skipped = 0
            m = None
            while j < n and _gap_ok(gaps[j - 1], True):
                m = match_key(name_key(words[j]), form.keys[pos], fuzzy, floor,
                              extra_edit=exact_so_far, vowels=form.organisation)
                if m is not None or skipped >= 2 or fold_word(words[j]) not in NAME_STOPWORDS:
                    break
                skipped += 1
                j += 1
            if m is None:
                return None
            m = _refine(m, words[j], form.folded[pos])
            matched.append((j, m))
            exact_so_far = exact_so_far and m.how in ("exact", "variant")
            j += 1
        if len(matched) == 1:
            score, how = matched[0][1].sim, matched[0][1].how
        else:
            weights = [len(k) for k in form.keys]
            score = sum(w * m.sim for w, (_, m) in zip(weights, matched, strict=True)) / sum(
                weights)
            how = max((m.how for _, m in matched), key=lambda h: _HOW_RANK[h])
        if form.folded[0][:1] == ARABIC_PREFIX and ARABIC.search(form.alias):
            # a name the watchlist writes in Arabic script: the letters must agree, not
            # only the consonants the index found it by (روسيا is not رئيس)
            spelled = re.findall(r"\w+", form.alias)
            text = tokens.text
            if len(spelled) != len(matched) or not all(
                    same_word(text[tokens.starts[j]:tokens.ends[j]], w)
                    for (j, _), w in zip(matched, spelled, strict=True)):
                return None
        first_tok, last_tok = matched[0][0], matched[-1][0]
        start_tok, end_tok = first_tok, last_tok
        if form.organisation:
            start_tok = _designators_before(tokens, first_tok)
            end_tok = _designators_after(tokens, last_tok)
        return (start_tok, end_tok, first_tok, last_tok, round(min(1.0, max(0.0, score)), 4),
                how)


_UNSEEN = object()


def _next_word(tokens: TokenList, folded: list[str], i: int) -> int | None:
    """The next token that may continue a name after token i (up to two stopwords skipped);
    `folded`: the folded words."""
    j = i + 1
    while j < len(folded) and _gap_ok(tokens.gaps[j - 1], True):
        if folded[j] not in NAME_STOPWORDS or j - i > 2:
            return j
        j += 1
    return None


_GAP_OK: tuple[dict[str, bool], dict[str, bool]] = ({}, {})  # without, with a comma


def _gap_ok(gap: str, comma: bool) -> bool:
    """Only spaces, quotes, hyphens or apostrophes (and, with `comma`, a comma), a lone dot or
    an ampersand between two words: no sentence or list break. Cached: gaps repeat."""
    cache = _GAP_OK[comma]
    ok = cache.get(gap)
    if ok is None:
        ok = ((len(gap) <= 4 and all(c in _GAP or (comma and c == ",") for c in gap))
              or gap == "."             # a web name: "Blender.io"
              or gap.strip() == "&")    # "Guilin Alpha Rubber & Plastics", "S&C Trade"
        if len(cache) < 10_000:
            cache[gap] = ok
    return ok


def _refine(m: TokenMatch, word: str, alias_folded: str) -> TokenMatch:
    """An exact key match is 'exact' only when the folded spellings agree too."""
    if m.how == "exact" and fold_word(word) != alias_folded:
        return TokenMatch(m.key, SIM_VARIANT, "variant")
    return m


_GAP = frozenset(" \t\"'«»“”‘’„-–")


def _is_designator(word: str) -> bool:
    f = fold_word(word)
    return f in DESIGNATORS or f.startswith(("grupp", "grup", "group")) \
        or f.endswith(("gruppe", "group", "gruppa", "grupa"))  # Kampfgruppe, Söldnergruppe


def _designators_before(tokens: TokenList, i: int) -> int:
    """The first of up to three organisation words right before token i ("ЧВК", "groupe")."""
    words, gaps = tokens.words, tokens.gaps
    j = i
    while j > 0 and i - j < 3 and _gap_ok(gaps[j - 1], False) and _is_designator(words[j - 1]):
        j -= 1
    return j


def _designators_after(tokens: TokenList, i: int) -> int:
    """Token i, or the organisation word right after it ("Wagner Group")."""
    words, gaps = tokens.words, tokens.gaps
    if i + 1 < len(words) and _gap_ok(gaps[i], False) and _is_designator(words[i + 1]):
        return i + 1
    return i


def _non_overlapping(cands: list[Candidate]) -> list[Candidate]:
    """Longest name first, then best score; candidates on the very same span are all kept
    (several entities may share a name) and left to resolution. Taken candidates are
    grouped by their name's span and indexed by the tokens they cover, so a clash costs a
    look-up per token even when fifty listed people share a surname."""
    ordered = sorted(cands, key=lambda c: (-(c.name_last - c.name_first), -c.score, c.start))
    covering: dict[int, set[tuple[int, int]]] = {}   # token -> name spans taken over it
    entities: dict[tuple[int, int], set[str]] = {}   # name span -> entities taken on it
    best: dict[tuple[str, int, int], Candidate] = {}
    for c in ordered:
        span, entity_id = (c.name_first, c.name_last), c.form.entity_id
        if any(other != span or entity_id in entities[other]
               for tok in range(c.first, c.last + 1) for other in covering.get(tok, ())):
            continue
        for tok in range(c.first, c.last + 1):
            covering.setdefault(tok, set()).add(span)
        entities.setdefault(span, set()).add(entity_id)
        # one candidate per entity and span: the best-scoring form
        k = (entity_id, c.start, c.end)
        if k not in best or c.score > best[k].score:
            best[k] = c
    return sorted(best.values(), key=lambda c: c.start)
