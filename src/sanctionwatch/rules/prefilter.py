"""Literal prefilters for trigger patterns (pure).

Most sentences contain none of a rule's trigger words, yet running a hundred regular
expressions over each sentence costs more than matching the names in it. For each pattern
we work out, from Python's own regex parser, groups of strings such that every match contains
one string of each group ("pay ... money ... to": "pay"/"paid"/... and "money"/"cash"/...);
one Aho-Corasick pass over a sentence finds the strings it contains, and a pattern runs only
where each of its groups is met.
"""

from __future__ import annotations

from operator import itemgetter

import ahocorasick

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 3  # shorter required strings filter too little to be worth a test: at least
MIN_LETTERS = 2  # three characters, of which two are not spaces ("if ", not " a ")
MEMO = 4096  # sets of found strings whose chosen triggers a prefilter remembers


def _automaton(strings: set[str]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton that reports each of `strings` it finds as itself; None for
    no strings."""
    if not strings:
        return None
    automaton = ahocorasick.Automaton()
    for r in strings:
        automaton.add_word(r, r)
    automaton.make_automaton()
    return automaton


class Prefilter:
    """The triggers of one rule that can match a sentence, given the strings found in it: a
    trigger's first (most selective) group indexes it, its other groups are then checked."""

    def __init__(self, triggers: tuple) -> None:
        self.triggers = triggers
        self.always = [t for t in triggers if not t.required]
        self._always_at = frozenset(i for i, t in enumerate(triggers) if not t.required)
        self._at: dict[str, list[int]] = {}
        for i, t in enumerate(triggers):
            for r in t.required[0] if t.required else ():
                self._at.setdefault(r, []).append(i)
        self.strings = frozenset(self._at)  # the first groups' strings
        self._chosen: dict[frozenset[str], list] = {}  # memo of `chosen`
        self.automaton = _automaton({r for t in triggers for group in t.required for r in group})

    def candidates(self, folded: str) -> list:
        if self.automaton is None:
            return self.always
        return self.chosen(frozenset(r for _end, r in self.automaton.iter(folded)))

    def chosen(self, found: frozenset[str]) -> list:
        """The triggers that can match a text in which exactly `found` strings occur, in
        their order. Sentences repeat the same few sets of strings ("sanctions", "against"),
        so the answer is kept for up to `MEMO` sets; a full memo starts afresh."""
        if self.strings.isdisjoint(found):
            return self.always
        known = self._chosen.get(found)
        if known is None:
            if len(self._chosen) >= MEMO:
                self._chosen.clear()
            known = self._chosen[found] = self._choose(found)
        return known

    def _choose(self, found: frozenset[str]) -> list:
        at = set(self._always_at)
        for r in self.strings.intersection(found):
            at.update(self._at[r])
        triggers = self.triggers
        return [t for t in (triggers[i] for i in sorted(at))
                if all(not found.isdisjoint(g) for g in t.required[1:])]


_PREFILTERS: dict[int, Prefilter] = {}


def prefilter_for(triggers: tuple) -> Prefilter:
    """The prefilter of a rule's trigger tuple, built once (rules are frozen)."""
    p = _PREFILTERS.get(id(triggers))
    if p is None or p.triggers is not triggers:
        p = _PREFILTERS[id(triggers)] = Prefilter(triggers)
    return p


# --- every literal a match needs ------------------------------------------------------------
#
# Each piece of a
# pattern is described by the strings it can match exactly (when few), the strings its matches
# begin and end with, and the groups required inside it; concatenation joins the end of one
# piece with the start of the next ("pa" + "y|id" -> "pay", "paid").

_LIMIT = 64  # a set of strings larger than this is not worth keeping
_UNKNOWN: tuple = (None, frozenset({""}), frozenset({""}), ())
_EMPTY: tuple = (frozenset({""}), frozenset({""}), frozenset({""}), ())
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


def _cross(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None or b is None or len(a) * len(b) > _LIMIT:
        return None
    return frozenset(x + y for x in a for y in b)


def _concat(a: tuple, b: tuple) -> tuple:
    """Facts (exact, prefix, suffix, inner) of piece `a` followed by piece `b`."""
    exact_a, prefix_a, suffix_a, inner_a = a
    exact_b, prefix_b, suffix_b, inner_b = b
    exact = _cross(exact_a, exact_b)
    prefix = (_cross(exact_a, prefix_b) if exact_a is not None else None) or prefix_a
    suffix = (_cross(suffix_a, exact_b) if exact_b is not None else None) or suffix_b
    inner = inner_a + inner_b
    if exact is None:
        joined = _cross(suffix_a, prefix_b)
        inner += (joined,) if joined is not None else ()
    if exact is not None:
        prefix = suffix = exact
    return exact, prefix, suffix, inner


def _sequence(items) -> tuple:
    facts = _EMPTY
    for item in items:
        facts = _concat(facts, _piece(*item))
    return facts


def _piece(op, av) -> tuple:
    if op is sre_constants.LITERAL:
        c = frozenset({chr(av)})
        return c, c, c, ()
    if op is sre_constants.IN:
        if len(av) <= 8 and all(o is sre_constants.LITERAL for o, _v in av):
            c = frozenset(chr(v) for _o, v in av)
            return c, c, c, ()
        return _UNKNOWN
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, items = av
        return _UNKNOWN if add_flags or del_flags else _sequence(items)
    if op is sre_constants.BRANCH:
        alts = [_sequence(b) for b in av[1]]
        exact = None
        if all(x[0] is not None for x in alts):
            exact = frozenset().union(*(x[0] for x in alts))
            if len(exact) > _LIMIT:
                exact = None
        prefix = frozenset().union(*(x[1] for x in alts))
        suffix = frozenset().union(*(x[2] for x in alts))
        if exact is not None:
            prefix = suffix = exact
        return exact, prefix, suffix, ()
    if op in _REPEATS:
        low, high, items = av
        inner = _sequence(items)
        if low == 0:
            if high == 1 and inner[0] is not None:
                exact = inner[0] | {""}
                return exact, exact, exact, ()
            return _UNKNOWN  # may match nothing
        if low == high == 1:
            return inner
        groups = inner[3] + ((inner[0],) if inner[0] is not None else ())
        return None, inner[1], inner[2], groups
    return _UNKNOWN


def _useful(group: frozenset[str] | None) -> bool:
    return bool(group) and all(len(s) >= MIN_LITERAL and len(s.strip()) >= MIN_LETTERS
                               for s in group)


def _shortest(group: frozenset[str]) -> frozenset[str]:
    """The group without strings that contain another of its strings (they add nothing)."""
    return frozenset(s for s in group if not any(t != s and t in s for t in group))


def required_groups(source: str) -> tuple[tuple[str, ...], ...]:
    """Groups of strings such that every match of `source` contains one string of each
    group; the most selective group first. Empty when none can be worked out safely."""
    try:
        parsed = sre_parse.parse(source)
    except Exception:
        return ()
    if parsed.state.flags & sre_constants.SRE_FLAG_IGNORECASE:
        return ()
    exact, prefix, suffix, inner = _sequence(list(parsed))
    found = {_shortest(g) for g in (*inner, prefix, suffix, exact) if _useful(g)}
    # a group that every string of another group contains says nothing more
    kept = [g for g in found if not any(h != g and all(any(x in y for x in g) for y in h)
                                        for h in found)]
    kept.sort(key=lambda g: (-min(len(s) for s in g), len(g), sorted(g)))
    return tuple(tuple(sorted(g)) for g in kept)


class Scanner:
    """Every required string of a rule set in one automaton: one pass over a sentence tells
    which strings occur, and each rule's triggers are then chosen from that set."""

    def __init__(self, rules) -> None:
        self.automaton = _automaton({r for rule in rules
                                     for triggers in (rule.triggers, rule.negations)
                                     for t in triggers for group in t.required for r in group})

    def found(self, folded: str) -> frozenset[str]:
        if self.automaton is None:
            return frozenset()
        return frozenset(map(_second, self.automaton.iter(folded)))


_second = itemgetter(1)
_SCANNERS: dict[int, tuple[object, Scanner]] = {}


def scanner_for(rules: tuple) -> Scanner:
    """The scanner of a tuple of rules, built once (rules are frozen)."""
    entry = _SCANNERS.get(id(rules))
    if entry is None or entry[0] is not rules:
        entry = _SCANNERS[id(rules)] = (rules, Scanner(rules))
    return entry[1]
