"""Literal prefilters for trigger patterns (pure).

Most sentences contain none of a rule's trigger words, yet running a hundred regular
expressions over each sentence costs more than matching the names in it. For each pattern
we work out, from Python's own regex parser, words of which at least one must appear in any
match; a sentence that contains none of them is skipped with a few substring tests in C.
"""

from __future__ import annotations

import ahocorasick

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 3  # shorter required strings filter too little to be worth a test


class Prefilter:
    """The triggers of one rule that can match a sentence: one Aho-Corasick pass finds which
    required strings occur, and only their triggers (and those without any) are run."""

    def __init__(self, triggers: tuple) -> None:
        self.triggers = triggers
        self.always = [t for t in triggers if not t.required]
        self._always_at = frozenset(i for i, t in enumerate(triggers) if not t.required)
        self.by_string: dict[str, list] = {}
        self._at: dict[str, list[int]] = {}
        for i, t in enumerate(triggers):
            for r in t.required or ():
                self.by_string.setdefault(r, []).append(t)
                self._at.setdefault(r, []).append(i)
        self.strings = frozenset(self.by_string)
        self.automaton = None
        if self.by_string:
            self.automaton = ahocorasick.Automaton()
            for r in self.by_string:
                self.automaton.add_word(r, r)
            self.automaton.make_automaton()

    def candidates(self, folded: str) -> list:
        if self.automaton is None:
            return self.always
        return self.chosen({r for _end, r in self.automaton.iter(folded)})

    def chosen(self, found: set[str] | frozenset[str]) -> list:
        """The triggers that can match a text in which exactly `found` strings occur, in
        their order."""
        if self.strings.isdisjoint(found):
            return self.always
        at = set(self._always_at)
        for r in self.strings.intersection(found):
            at.update(self._at[r])
        triggers = self.triggers
        return [triggers[i] for i in sorted(at)]


_PREFILTERS: dict[int, Prefilter] = {}


def prefilter_for(triggers: tuple) -> Prefilter:
    """The prefilter of a rule's trigger tuple, built once (rules are frozen)."""
    p = _PREFILTERS.get(id(triggers))
    if p is None or p.triggers is not triggers:
        p = _PREFILTERS[id(triggers)] = Prefilter(triggers)
    return p


def _leading_literal(items) -> str:
    out = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            out.append(chr(av))
        else:
            break
    return "".join(out)


def _alternatives(node) -> tuple[str, ...] | None:
    """Literal prefixes of every alternative of a group, or None if one has none."""
    op, av = node
    if op is sre_constants.SUBPATTERN:
        inner = list(av[3])
        if len(inner) == 1:
            return _alternatives(inner[0])
        lead = _leading_literal(inner)
        return (lead,) if lead else None
    if op is sre_constants.BRANCH:
        alts = []
        for branch in av[1]:
            items = list(branch)
            lead = _leading_literal(items)
            if not lead and len(items) == 1:
                nested = _alternatives(items[0])
                if nested is None:
                    return None
                alts.extend(nested)
                continue
            if not lead:
                return None
            alts.append(lead)
        return tuple(alts)
    return None


def required_any(source: str) -> tuple[str, ...] | None:
    """Strings of which one must occur in every match of `source`, or None when none can
    be worked out safely."""
    try:
        parsed = list(sre_parse.parse(source))
    except Exception:
        return None
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in parsed:
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(("".join(run),))
            run = []
        if op in (sre_constants.SUBPATTERN, sre_constants.BRANCH):
            alts = _alternatives((op, av))
            if alts:
                candidates.append(alts)
    if run:
        candidates.append(("".join(run),))
    useful = [c for c in candidates if min(len(s.strip()) for s in c) >= MIN_LITERAL]
    if not useful:
        return None
    return max(useful, key=lambda c: (min(len(s) for s in c), -len(c)))


class Scanner:
    """Every required string of a rule set in one automaton: one pass over a sentence tells
    which strings occur, and each rule's triggers are then chosen from that set."""

    def __init__(self, rules) -> None:
        strings = {r for rule in rules for group in (rule.triggers, rule.negations)
                   for t in group for r in t.required or ()}
        self.automaton = None
        if strings:
            self.automaton = ahocorasick.Automaton()
            for r in strings:
                self.automaton.add_word(r, r)
            self.automaton.make_automaton()

    def found(self, folded: str) -> frozenset[str]:
        if self.automaton is None:
            return frozenset()
        return frozenset(r for _end, r in self.automaton.iter(folded))


_SCANNERS: dict[int, tuple[object, Scanner]] = {}


def scanner_for(rules: tuple) -> Scanner:
    """The scanner of a tuple of rules, built once (rules are frozen)."""
    entry = _SCANNERS.get(id(rules))
    if entry is None or entry[0] is not rules:
        entry = _SCANNERS[id(rules)] = (rules, Scanner(rules))
    return entry[1]
