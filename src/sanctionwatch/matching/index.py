"""The candidate index: from a word of running text to the name forms it may begin.

Cost does not grow with the size of the watchlist: a word is looked up by its phonetic key
(exact), by the key less an inflection or derivation ending, and, for fuzzy matching, through
a deletion neighbourhood (every key with one character deleted, two for long keys), then the
few candidates found are verified with rapidfuzz. What a word may begin (its `WordRole`) is
cached per distinct word, and news vocabulary repeats, so most words cost one dictionary
look-up. The forms and first-word pairs themselves are kept in flat arrays
(`formtable`), so a list of a million names stays small and loads from its cache quickly.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from sanctionwatch.matching.commonness import (
    is_common,
    is_dictionary_word,
    is_ordinary,
    zipf,
)
from sanctionwatch.matching.forms import name_forms, weak_aliases
from sanctionwatch.matching.formtable import (
    COMMON_FIRST,
    ORGANISATION,
    STRONG,
    FormTable,
    PairTable,
)
from sanctionwatch.matching.vocab import (
    DERIVATIONS,
    INFLECTIONS,
    SUPPORT_WORDS,
    VOWELS,
    program_words,
)
from sanctionwatch.text.normalize import fold_word, name_key, skeleton
from sanctionwatch.types import Watchlist

SHORT_KEY = 3         # keys this short match only the spellings the watchlist uses
MIN_STEM = 4          # an ending is only removed when this much of the word remains
MIN_FUZZY = 6         # keys shorter than this are matched exactly (no typo tolerance)
LONG_FUZZY = 11       # keys this long tolerate two edits
FUZZY_BESIDE_EXACT = 8  # keys this long are also looked up with typos when spelled as listed
SIM_INFLECTED = 0.96
SIM_DERIVED = 0.92
SIM_VARIANT = 0.97    # same phonetic key, different spelling (transliteration)
SIM_SKELETON = 0.86   # same consonants, other vowels ("Hezbollah" for "HIZBALLAH")


class TokenMatch(NamedTuple):
    """How one word of text matched one token of a name (a named tuple: made and hashed in
    C, and the matcher makes and hashes many)."""

    key: str       # the name token key that was matched
    sim: float     # similarity of the word's key to `key`, before exact/variant refinement
    how: str       # exact | variant | inflected | vowels | fuzzy | derived


FREQUENT_PART = 30    # a name part this many listed people share is no evidence of one


def frequent_name_parts(watchlist: Watchlist) -> frozenset[str]:
    """Keys of the name parts that FREQUENT_PART or more listed people share ("muhamad",
    "ali", "kim"): evidence from the list itself of how much a part says."""
    counts: Counter[str] = Counter()
    for entity in watchlist.entities:
        if entity.type == "person":
            counts.update({k for form in name_forms(entity) for k in form.keys})
    return frozenset(k for k, c in counts.items() if c >= FREQUENT_PART)


DISTINCTIVE_KEY = 5   # a one-word name stands alone only from this many letters of key
DISTINCTIVE_ZIPF = 3.8  # ... and when the languages write it less often than this


def distinctive_words(watchlist: Watchlist, frequent: frozenset[str]) -> frozenset[str]:
    """Keys of one-word organisation, vessel and aircraft names that can stand alone: the
    word names one listed entity only, at most one listed person has it in their name (so it
    is no common surname or given name: "Kuznetsov", "Sonia"), it is no word
    of the languages (simplemma's dictionaries) and the languages seldom write it (wordfreq);
    `resolve` still wants it spelled as listed and not inside a longer unknown name."""
    owners: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    person_parts: Counter[str] = Counter()
    for entity in watchlist.entities:
        if entity.type == "person":
            person_parts.update({f for form in name_forms(entity) for f in form.folded})
        if entity.type in ("person", "country"):
            continue
        for form in name_forms(entity):
            if len(form.keys) == 1 and len(form.keys[0]) >= DISTINCTIVE_KEY:
                owners.setdefault(form.keys[0], set()).add(entity.id)
                spelling.setdefault(form.keys[0], form.folded[0])
    return frozenset(
        k for k, ids in owners.items()
        if len(ids) == 1 and k not in frequent and person_parts[spelling[k]] < 2
        and not is_ordinary(spelling[k]) and zipf(spelling[k]) < DISTINCTIVE_ZIPF
        and not is_dictionary_word(spelling[k]))


def _max_edits(n: int) -> int:
    return 0 if n < MIN_FUZZY else (2 if n >= LONG_FUZZY else 1)


def _deletes(key: str, edits: int) -> frozenset[str]:
    out = frontier = {key}
    for _ in range(edits):
        frontier = {k[:i] + k[i + 1:] for k in frontier for i in range(len(k))}
        out = out | frontier
    return frozenset(out)


# The deletion neighbourhoods of watchlist name words, kept between index builds: a rebuild
# after an edit recomputes only the words that are new.
_name_deletes = lru_cache(maxsize=100_000)(_deletes)


def _edit_sim(a: str, b: str, limit: int) -> float | None:
    """Similarity of two keys when they are within `limit` edits (a swap of two neighbouring
    letters counts as one edit), else None."""
    if OSA.distance(a, b, score_cutoff=limit) > limit:
        return None
    return OSA.normalized_similarity(a, b)


def match_key(word_key: str, name_token_key: str, fuzzy: bool = True,
              fuzzy_floor: float = 0.8, extra_edit: bool = False,
              vowels: bool = False) -> TokenMatch | None:
    """Does the key of a word of text match one token of a name? Pure, used for the tokens
    after the first of a multi-token form. `extra_edit` allows one more edit in words of 8+
    letters, when the rest of the name already matched exactly ("Yevgeny Prighozin");
    `vowels` (organisations' names) the same consonants with other vowels."""
    if word_key == name_token_key:
        return TokenMatch(name_token_key, 1.0, "exact")
    affixed = _ending_match(word_key, name_token_key)
    if affixed is not None:
        return affixed
    limit = _max_edits(len(name_token_key))
    if extra_edit and len(name_token_key) >= 8:
        limit += 1
    if fuzzy and limit:
        sim = _edit_sim(word_key, name_token_key, limit)
        if sim is not None and sim >= fuzzy_floor - (0.05 if extra_edit else 0.0):
            return TokenMatch(name_token_key, sim, "fuzzy")
    if (fuzzy and vowels and abs(len(word_key) - len(name_token_key)) <= 2
            and (sk := skeleton(name_token_key)) and sk == skeleton(word_key)):
        return TokenMatch(name_token_key, SIM_SKELETON, "vowels")
    return None


_INFLECTION_SET = frozenset(INFLECTIONS)
_DERIVATION_SET = frozenset(DERIVATIONS)
_ENDING_LENGTHS = tuple(sorted({len(e) for e in INFLECTIONS + DERIVATIONS}, reverse=True))


def _ending_match(word_key: str, name_token_key: str) -> TokenMatch | None:
    """The word is the name token plus an inflection or derivation ending (constant time)."""
    n = len(name_token_key)
    if len(word_key) > n and word_key.startswith(name_token_key) and n >= MIN_STEM:
        rest = word_key[n:]
        if rest in _INFLECTION_SET:
            return TokenMatch(name_token_key, SIM_INFLECTED, "inflected")
        if rest in _DERIVATION_SET:
            return TokenMatch(name_token_key, SIM_DERIVED, "derived")
    if n > MIN_STEM and name_token_key.endswith("ia") and word_key == name_token_key[:-1]:
        return TokenMatch(name_token_key, SIM_INFLECTED, "inflected")  # "Rosji": "rosi"
    if (n > MIN_STEM and name_token_key[-1] in VOWELS
            and word_key.startswith(name_token_key[:-1])):
        rest = word_key[n - 1:]
        if name_token_key[-1] == "a" and rest in STEM_INFLECTIONS:
            return TokenMatch(name_token_key, SIM_INFLECTED, "inflected")
        if rest in _DERIVATION_SET:
            return TokenMatch(name_token_key, SIM_DERIVED, "derived")
    return None


# The endings that replace the final "a" of a name in the Slavic cases of the a-declension
# (Polish "Rosja" -> "Rosji", "Moskwa" -> "Moskwie", "Łukaszenka" -> "Łukaszenki"; Russian
# and Ukrainian "Москва" -> "Москвы"): in key form, where "y" is "i". Not "e" (Polish "Rosję"):
# "Rosie", "Sophie", "Katie" are other names. After "i" the ending merges with it in the key
# (doubled letters are one): "Rosji", "Syrii" are "rosi", "sirii" -> "siri".
STEM_INFLECTIONS = frozenset({"i", "ie"})


def _stems(keys: Iterable[str]) -> dict[str, list[str]]:
    """Key less its final vowel -> keys ("kore" for "korea", so "korean" finds it)."""
    out: dict[str, list[str]] = {}
    for k in keys:
        if len(k) > MIN_STEM and k[-1] in VOWELS:
            out.setdefault(k[:-1], []).append(k)
    return out


# each ending: (is an inflection, is a derivation)
_ENDINGS: dict[str, tuple[bool, bool]] = {
    e: (e in _INFLECTION_SET, e in _DERIVATION_SET) for e in INFLECTIONS + DERIVATIONS}


def _affix_match(word_key: str, keys: set[str] | dict[str, object],
                 stems: dict[str, list[str]]) -> list[TokenMatch]:
    """Name keys the word is an inflected form of, longest ending first; failing those, the
    ones it is a derived form of (one pass over the ending lengths)."""
    inflected: list[TokenMatch] = []
    derived: list[TokenMatch] = []
    longest = len(word_key) - MIN_STEM
    for length in _ENDING_LENGTHS:
        if length > longest:
            continue
        kinds = _ENDINGS.get(word_key[-length:])
        if kinds is None:
            continue
        base = word_key[:-length]
        if kinds[0] and base in keys:
            inflected.append(TokenMatch(base, SIM_INFLECTED, "inflected"))
        if kinds[0] and word_key[-length:] in STEM_INFLECTIONS:
            for k in stems.get(base, ()):
                if k[-1] == "a":
                    inflected.append(TokenMatch(k, SIM_INFLECTED, "inflected"))
        if kinds[1] and not inflected:
            if base in keys:
                derived.append(TokenMatch(base, SIM_DERIVED, "derived"))
            for k in stems.get(base, ()):
                derived.append(TokenMatch(k, SIM_DERIVED, "derived"))
    return inflected or derived


def _first_words(keys: list[str], short_spellings: dict[str, set[str]]
                 ) -> tuple[frozenset[str], frozenset[str]]:
    """What a word must be to match one of `keys`: a spelling, for the short keys (they match
    only the spellings the watchlist uses), or, for a longer key ("Xia" is "ksia"), a word
    whose look-up finds that key."""
    spellings = frozenset(sp for k in keys if len(k) <= SHORT_KEY
                          for sp in short_spellings.get(k, ()))
    return spellings, frozenset(k for k in keys if len(k) > SHORT_KEY)


SUPPORT_PREFIXES = tuple(w for w in SUPPORT_WORDS if " " not in w)


class WordRole(NamedTuple):
    """What one word of text may begin."""

    alone: tuple[tuple[int, TokenMatch], ...]  # one-word forms tried wherever the word occurs
    # one-word forms that are a surname or a common word ("Said", "Games"): tried only when
    # the document could support them (see `Matcher._gated`); first those of organisations
    # and of entities that context, relations or programme words may support, then, by
    # entity, the surnames that only the document naming the person in full can support
    gated: tuple[tuple[str, tuple[tuple[int, TokenMatch], ...]], ...]  # by entity
    by_name: dict[str, tuple[tuple[int, TokenMatch], ...]]
    firsts: tuple[TokenMatch, ...]  # matches that may be the first word of a longer form
    # may be the first long word of an anchored form: per offset back to the form's short
    # first word, that word's spellings, and the keys (longer than its spelling) its look-up
    # must find
    back: tuple[tuple[int, frozenset[str], frozenset[str]], ...]
    # the sanctions and programme words it begins with ("sanctions", "missiles"): what may
    # support a surname or a common word elsewhere in the document
    support: frozenset[str] = frozenset()


class NameIndex:
    """Every name form of a watchlist, blocked on its first two tokens.

    A one-token form is found through its key; a longer form only when the word after the
    first (stopwords skipped) matches its second token too, so common first words ("Bank",
    "Mohammed") cost nothing unless the pair is a name. `lookup` maps a word to the keys it
    matches among the first and second tokens of all forms, exactly, by an ending, or within
    the edit distance allowed for the key's length.
    """

    def __init__(self, watchlist: Watchlist, fuzzy: bool = True, fuzzy_floor: float = 0.8):
        self.fuzzy = fuzzy
        self.fuzzy_floor = fuzzy_floor
        self.forms = FormTable()
        single: dict[str, list[int]] = {}
        self.pairs = PairTable(self.forms)
        # forms whose first word is short ("To-Chun Pak", "Kim Il Sung"), by their first long
        # word (the anchor) and its position in the form
        self.anchored: dict[str, dict[tuple[int, str], list[int]]] = {}
        # keys of 3 letters or fewer match only their own spellings: the key of "Jin" is
        # "in", and "in" must not start a name
        self.short_spellings: dict[str, set[str]] = {}
        # entities whose short forms context words, related entities or programme words may
        # support (see `resolve`); the others need the document to name them
        self.supportable = frozenset(
            e.id for e in watchlist.entities
            if e.context or e.id in watchlist.neighbours or program_words(e.programs))
        frequent = frequent_name_parts(watchlist)
        distinctive = distinctive_words(watchlist, frequent)
        self.countries = frozenset(e.id for e in watchlist.entities if e.type == "country")
        for entity in watchlist.entities:
            weak = weak_aliases(entity)
            for form in name_forms(entity):
                if (entity.type == "person" and len(form.keys) == 1
                        and form.keys[0] in frequent):
                    # "Mohammad", "Ahmad" alone: a name part thirty listed people share
                    # names one of them only where the document names that one in full
                    form = form._replace(strong=False, kind="shared")
                elif form.alias in weak:
                    # an alias the list gives only in passing ("a.k.a. 'UKIP'", "a.k.a.
                    # 'ABU MAZEN'"): a short form, that support or the full name must back
                    if form.strong:
                        form = form._replace(strong=False, kind="short")
                elif (not form.strong and len(form.keys) == 1 and form.keys[0] in distinctive
                        and entity.type not in ("person", "country")):
                    # "Hamas", "Hizballah", "Belaruskali", "Dilbar": a word no language
                    # knows that names one listed entity names it on its own
                    form = form._replace(strong=True, kind="name")
                elif (form.strong and entity.type == "person" and len(form.keys) == 2
                        and form.keys[0] in frequent and form.keys[1] in frequent):
                    # "Mohammed Ali", "Muhammad Mustafa": two name parts that many listed
                    # people share say no more than a surname alone
                    form = form._replace(strong=False, kind="short")
                n = self.forms.add(form)
                if len(form.keys) == 1:
                    single.setdefault(form.keys[0], []).append(n)
                elif len(form.folded[0]) <= SHORT_KEY:
                    # "To-Chun", "A Rahman", "Kim Il Sung": found from their first long word,
                    # so that "to", "a", "in" or "il" in running text start nothing; a name
                    # of short words only ("Li Na") is left to `screen`
                    p = next((k for k, word in enumerate(form.folded) if len(word) > SHORT_KEY),
                             None)
                    if p is not None:
                        self.anchored.setdefault(form.keys[p], {}).setdefault(
                            (p, form.keys[0]), []).append(n)
                    elif len(form.keys) >= 3:
                        # three syllables or more ("Yao Hua Tao", 姚华涛): the sequence is
                        # specific enough to be looked for from its first two words
                        self.pairs.add(form.keys[0], form.keys[1], n)
                else:
                    self.pairs.add(form.keys[0], form.keys[1], n)
                if min(map(len, form.keys)) <= SHORT_KEY:
                    for k, f in zip(form.keys, form.folded, strict=True):
                        if len(k) <= SHORT_KEY:
                            self.short_spellings.setdefault(k, set()).add(f)
        self.single: dict[str, array] = {k: array("i", fs) for k, fs in single.items()}
        del single
        self.pairs.freeze()
        self.pair_starters = self.pairs.firsts()
        vocab = set(self.single) | self.pairs.words() | set(
            self.anchored) | {k0 for by in self.anchored.values() for _, k0 in by}
        self.anchor_offsets = {k: tuple(sorted({p for p, _ in by}))
                               for k, by in self.anchored.items()}
        # per anchor, per offset: the spellings of the short first words its forms begin
        # with, so that "said" after "has" costs a set look-up (empty: any spelling may do)
        self.anchor_firsts: dict[str, tuple[tuple[int, frozenset[str], frozenset[str]], ...]] = {
            k: tuple((p, *_first_words([k0 for q, k0 in by if q == p], self.short_spellings))
                     for p in self.anchor_offsets[k])
            for k, by in self.anchored.items()}
        self.vocab: dict[str, None] = dict.fromkeys(sorted(vocab))
        self.stems = _stems(self.vocab)
        self.deletes: dict[str, list[str]] = {}
        if fuzzy:
            for key in self.vocab:
                edits = _max_edits(len(key))
                if edits:
                    for d in _name_deletes(key, edits):
                        self.deletes.setdefault(d, []).append(key)
        # Arabic names with the vowels each press gives them: looked up by their consonants
        # (of organisations: a person's name with other vowels is too often a namesake's)
        self.skeletons: dict[str, list[str]] = {}
        if fuzzy:
            keys = {k for e in watchlist.entities if e.type in ("organization", "other")
                    for form in name_forms(e) for k in form.keys}
            for key in sorted(keys):
                sk = skeleton(key)
                if sk:
                    self.skeletons.setdefault(sk, []).append(key)
        self._cache: dict[str, tuple[TokenMatch, ...]] = {}
        self._roles: dict[str, tuple] = {}

    def __len__(self) -> int:
        return len(self.forms)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}  # the word caches are rebuilt as text is read
        state["_roles"] = {}
        return state

    def seen_words(self):
        """A function: the `lookup` of a word already looked up, else None (the word cache's
        own `get`: one dictionary access in C)."""
        return self._cache.get

    def lookup(self, word: str) -> tuple[TokenMatch, ...]:
        """The first- or second-token keys a word of text matches, and how."""
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            key = name_key(word)
            if len(key) <= SHORT_KEY and fold_word(word) not in self.short_spellings.get(key, ()):
                hit = self._cache[word] = ()
            else:
                # a common word of the language ("market", "marked") is spelt as meant: it
                # is not read as a typo of a name
                hit = self._lookup(key, not is_common(fold_word(word)))
                folded = fold_word(word)
                if (folded.endswith(("ji", "ii", "yi")) and len(key) >= MIN_STEM
                        and key + "a" in self.vocab and not any(m.key == key + "a" for m in hit)):
                    # "Rosji", "Syrii", "Росії": the a-declension's "i" after an "i" (see
                    # STEM_INFLECTIONS), one letter in the key; the spelling shows both
                    # ("Сили" is no case of 시리아 "silia")
                    hit = (*hit, TokenMatch(key + "a", SIM_INFLECTED, "inflected"))
                self._cache[word] = hit
        return hit

    def roles_all(self, words: list[str]) -> list[WordRole | tuple[()]]:
        """Per word: what it may begin (see `WordRole`), () when nothing. Cached per word,
        so a word seen before costs one dictionary access (in C)."""
        roles = list(map(self._roles.get, words))
        if None in roles:
            roles = [r if r is not None else self._role(w)
                     for r, w in zip(roles, words, strict=True)]
        return roles

    def _role(self, word: str) -> WordRole | tuple[()]:
        alone: list[tuple[int, TokenMatch]] = []
        gated: dict[str, list[tuple[int, TokenMatch]]] = {}
        by_name: dict[str, list[tuple[int, TokenMatch]]] = {}
        firsts: list[TokenMatch] = []
        back: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        common = None
        for m in self.lookup(word):
            for p, spellings, keys in self.anchor_firsts.get(m.key, ()):
                old_spellings, old_keys = back.get(p, (frozenset(), frozenset()))
                back[p] = (old_spellings | spellings, old_keys | keys)
            if m.key in self.pair_starters:
                firsts.append(m)
            for f in self.single.get(m.key, ()):
                flags = self.forms.flags[f]
                if m.how != "exact":
                    if common is None:
                        common = is_common(fold_word(word))
                    if (common or (m.how == "inflected" and m.key[-1] == "a"
                                   and is_dictionary_word(fold_word(word)))) and (
                            self.forms.entity_id(f) not in self.countries):
                        # "Africa" is a word, not an inflected "AFRIC", nor Polish "Anglii"
                        # (England's genitive) a case of the vessel "ANGLIA"; but "Rosji",
                        # "Iranian", "rosyjskiej" are common words because they are the
                        # country's own cases and adjectives
                        continue
                if flags & STRONG or (flags & ORGANISATION and not flags & COMMON_FIRST):
                    alone.append((f, m))
                else:
                    entity_id = self.forms.entity_id(f)
                    if flags & ORGANISATION or entity_id in self.supportable:
                        gated.setdefault(entity_id, []).append((f, m))
                    else:
                        by_name.setdefault(entity_id, []).append((f, m))
        folded = fold_word(word)
        support = frozenset(p for p in SUPPORT_PREFIXES if folded.startswith(p)) if (
            folded.startswith(SUPPORT_PREFIXES)) else frozenset()
        role: WordRole | tuple[()] = ()
        if alone or gated or by_name or firsts or back or support:
            role = WordRole(tuple(alone), tuple((e, tuple(v)) for e, v in gated.items()),
                            {e: tuple(v) for e, v in by_name.items()},
                            tuple(firsts), tuple((p, *sk) for p, sk in sorted(back.items())),
                            support)
        if len(self._roles) > 500_000:
            self._roles.clear()
        self._roles[word] = role
        return role

    def _lookup(self, key: str, fuzzy: bool = True) -> tuple[TokenMatch, ...]:
        """The keys `key` matches: exactly, with an ending, and when `fuzzy` (a word that is
        no common word) with a typo or other vowels."""
        if not key:
            return ()
        matches: dict[str, TokenMatch] = {}
        if key in self.vocab:
            matches[key] = TokenMatch(key, 1.0, "exact")
        # an exact hit may hide an inflected one: "Пригожина" is Polina Prigozhina and also
        # the genitive of Prigozhin; resolution decides between them
        for m in _affix_match(key, self.vocab, self.stems):
            matches.setdefault(m.key, m)

        if fuzzy and self.fuzzy and len(key) >= MIN_FUZZY - 1 and (
                not matches or len(key) >= FUZZY_BESIDE_EXACT):
            # a long word also beside its exact hits: "Alaksandr" is one listed person's
            # name and a spelling of another's "Aliaksandr"
            self._fuzzy(key, matches)
        if fuzzy and self.fuzzy:
            # also beside an exact hit: "Hezbollah" is a word of "KATA'IB HEZBOLLAH" and,
            # with other vowels, the one-word "HIZBALLAH"
            for cand in self.skeletons.get(skeleton(key), ()):
                if cand not in matches and abs(len(cand) - len(key)) <= 2:
                    matches[cand] = TokenMatch(cand, SIM_SKELETON, "vowels")
        return tuple(matches.values())

    def _fuzzy(self, key: str, matches: dict[str, TokenMatch]) -> None:
        # the deletions the name words share with this word: one set intersection in C;
        # candidates in sorted order, so that results never depend on hash order
        shared = self.deletes.keys() & _deletes(key, 2 if len(key) >= LONG_FUZZY - 1 else 1)
        for cand in sorted({c for d in shared for c in self.deletes[d]}):
            if cand in matches:
                continue  # found exactly or by an ending already
            sim = _edit_sim(key, cand, _max_edits(len(cand)))
            if sim is not None and sim >= self.fuzzy_floor:
                matches[cand] = TokenMatch(cand, sim, "fuzzy")
