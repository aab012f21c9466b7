"""Evaluate rules on one document: pure, `evaluate(rules, text, mentions, watchlist)`.

Each rule looks at its scope (the sentence by default) around every mention of an entity that
meets its target conditions. It fires when a trigger pattern matches there and no negation
does. Support rules also need a supporter: another watchlist entity on the supplying side of
the trigger (before an active trigger, after a passive one), or a named party written there.
Every decision, fired or not, can be traced with the reason (`Trace`), for `rules test`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from sanctionwatch.rules.anaphora import (
    ANAPHORA_REACH,
    COUNTED_PLURAL,
    GROUP_NOUN,
    SUBJECT_PRONOUN,
    counted,
)
from sanctionwatch.rules.clauses import bullet_head, continue_list, new_clause, reported_after
from sanctionwatch.rules.context import (
    Context,
    Trace,
    already,
    find_triggers,
    make_intent,
    meets,
    record,
    token_distance,
)
from sanctionwatch.rules.document import Document, Unit
from sanctionwatch.rules.model import Rule, RuleSet, Trigger
from sanctionwatch.rules.prefilter import prefilter_for, scanner_for
from sanctionwatch.rules.support import collective, support
from sanctionwatch.text.sentences import split_sentences
from sanctionwatch.types import AlertIntent, Mention, Sentence, Watchlist

__all__ = ["Trace", "evaluate"]


def evaluate(rules: RuleSet, text: str, mentions: list[Mention], watchlist: Watchlist,
             sentences: list[Sentence] | None = None,
             trace: list[Trace] | None = None) -> list[AlertIntent]:
    """The alert intents the rules raise on one document, one per alert key, first kept
    (`make_intent` keeps them in the context as they are raised)."""
    if not mentions:
        return []
    sentences = sentences if sentences is not None else split_sentences(text)
    by_sentence: dict[int, list[Mention]] = {}
    starts = [s.start for s in sentences]
    for m in mentions:
        k = bisect_right(starts, m.start) - 1  # the last sentence starting at or before it
        if k >= 0 and m.start < sentences[k].end:
            by_sentence.setdefault(sentences[k].index, []).append(m)
    intents: dict[str, AlertIntent] = {}
    ctx = Context(Document(text, sentences, scanner_for(rules.rules)), mentions, by_sentence,
                   watchlist, trace, intents)
    following = _following(by_sentence, len(sentences))
    ordered = sorted(by_sentence.items())
    linked = any(m.entity_id in watchlist.neighbours for m in mentions)
    units = [(ms, ctx.doc.unit("sentence", sentences[idx])) for idx, ms in ordered]
    for rule in rules.enabled():
        if rule.type == "network_link" and not linked:
            continue
        triggered = rule.type in ("designation", "support_network")
        pf = prefilter_for(rule.triggers)
        for ms, unit in units:
            if rule.scope == "paragraph":
                unit = ctx.doc.unit("paragraph", unit.sentence)
                ms = [m for m in mentions if unit.start <= m.start < unit.end]
            chosen = None
            if triggered:
                chosen = pf.chosen(unit.found)
                if not chosen and trace is None:
                    continue  # no trigger can match here
            elif rule.type == "network_link" and trace is None and not _linked(ms, watchlist):
                continue  # no two entities linked on the list
            _apply(rule, ctx, unit, ms, chosen)
        if rule.type == "designation" and rule.scope == "sentence":
            # "Evguéni Prigojine ... . Il fait l'objet de sanctions": a sentence without a
            # name of its own may designate the one just named
            for idx in following:
                _anaphoric(rule, ctx, ctx.doc.unit("sentence", sentences[idx]))
            # "... eight people were listed. Among them: - A ...; - B ..."
            _enumerations(rule, ctx)
        if rule.type == "support_network":
            # "sanctioned seven people who fund Hezbollah. They are A, B …": the designees
            collective(rule, ctx, [r for r in rules.enabled() if r.type == "designation"])
    return _best_phase(list(intents.values()), rules)


def _linked(ms: list[Mention], watchlist: Watchlist) -> bool:
    """Two of the mentions are of entities linked on the watchlist."""
    neighbours = watchlist.neighbours
    return any(m.entity_id in near for t in ms if (near := neighbours.get(t.entity_id))
               for m in ms)


def _following(by_sentence: dict[int, list[Mention]], n: int) -> list[int]:
    """Sentences without mentions that follow one with mentions, within ANAPHORA_REACH."""
    out = set()
    for idx in by_sentence:
        for k in range(idx + 1, min(n, idx + 1 + ANAPHORA_REACH)):
            if k not in by_sentence:
                out.add(k)
    return sorted(out)


def _before(ctx: Context, unit: Unit, end: int) -> list[Mention]:
    """Mentions from ANAPHORA_REACH sentences before the unit up to `end`."""
    first = ctx.doc.sentences[max(0, unit.sentence.index - ANAPHORA_REACH)].start
    return [m for m in ctx.mentions if first <= m.start and m.end <= end]


def _anaphoric(rule: Rule, ctx: Context, unit: Unit) -> list[AlertIntent]:
    """A designation whose target is a pronoun or "the group" standing for the entity
    named in the last sentences: the subject of a passive trigger, or a group noun on the
    object side of an active one."""
    wl = ctx.watchlist
    hits = find_triggers(rule.triggers, unit)
    if not hits:
        return []
    candidates = [m for m in _before(ctx, unit, unit.start)
                  if meets(rule.target, wl.by_id[m.entity_id])]
    if not candidates or _negated(ctx, hits, find_triggers(rule.negations, unit)):
        return []
    for trig, a, b in hits:
        if trig.passive:
            head = ctx.fold(unit.start, a)
            pronoun = SUBJECT_PRONOUN.search(head)
            group = GROUP_NOUN.search(head)
        else:
            tail = ctx.fold(b, min(unit.end, b + 80))
            pronoun, group = None, GROUP_NOUN.search(tail)
        anaphor = pronoun or group
        if anaphor is None:
            plural = _counted_plural(rule, ctx, unit, trig, a, b, lambda: candidates)
            if plural:
                return plural
            continue
        pool = candidates if pronoun else [
            m for m in candidates if wl.by_id[m.entity_id].type in ("organization", "other")]
        if not pool:
            continue
        target = pool[-1]
        why = (f"trigger «{ctx.doc.text[a:b]}» ({trig.lang}, {rule.phase}); «"
               f"{anaphor.group().strip()}» stands for {target.matched!r} = "
               f"{target.entity_id}, named just before")
        record(ctx, unit, rule, True, why)
        return [make_intent(ctx, rule, unit, [target], (("target", target.entity_id),),
                        why)]
    return []


def _counted_plural(rule: Rule, ctx: Context, unit: Unit, trig: Trigger, a: int, b: int,
                    candidates: Callable[[], list[Mention]]) -> list[AlertIntent]:
    """"waived the sanctions on those two parties": the last two entities named before
    (`candidates`, asked for only when such a plural follows the trigger)."""
    if trig.passive:
        return []
    folded = ctx.fold(a, min(unit.end, b + 40))
    m = COUNTED_PLURAL.search(folded)
    if m is None:
        return []
    at = ctx.doc.orig_in_fold(a, min(unit.end, b + 40), m.start())
    before = [c for c in candidates() if c.end <= at]
    last: dict[str, Mention] = {}
    for c in before:
        last.pop(c.entity_id, None)
        last[c.entity_id] = c
    n = counted(m)
    if len(last) < n:
        return []
    chosen = list(last.values())[-n:]
    out = []
    for target in chosen:
        why = (f"trigger «{ctx.doc.text[a:b]}» ({trig.lang}, {rule.phase}); «{m.group()}» "
               f"stands for the last {n} named, among them {target.matched!r} = "
               f"{target.entity_id}")
        record(ctx, unit, rule, True, why)
        out.append(make_intent(ctx, rule, unit, [target], (("target", target.entity_id),),
                           why))
    return out


def _enumerations(rule: Rule, ctx: Context) -> list[AlertIntent]:
    """A sentence that designates ("eight people were listed", "a number of companies came
    under restrictions") followed by an enumeration ("Among them:", "These are companies
    such as A, B", or bulleted lines "- A, ...") designates each name heading an item."""
    sentences, text = ctx.doc.sentences, ctx.doc.text
    out: list[AlertIntent] = []
    for j, opening, at in ctx.openings():
        prev = ctx.doc.unit("sentence", sentences[j - 1])
        hits = find_triggers(rule.triggers, prev)
        if not hits or _negated(ctx, hits, find_triggers(rule.negations, prev)):
            continue
        items, last = _enumerated(ctx, j, opening.orig(at))
        trig, a, b = hits[0]
        span = ctx.doc.unit("sentence", sentences[j - 1], sentences[last])
        for m in items:
            if not meets(rule.target, ctx.watchlist.by_id[m.entity_id]):
                continue
            why = (f"trigger «{text[a:b]}» ({trig.lang}, {rule.phase}); the next sentence "
                   f"lists what it designates: «{text[opening.start:opening.orig(at)]}»; "
                   f"target {m.matched!r} = {m.entity_id} ({m.explanation})")
            record(ctx, prev, rule, True, why)
            out.append(make_intent(ctx, rule, span, [m], (("target", m.entity_id),), why))
    return out


def _enumerated(ctx: Context, j: int, start: int) -> tuple[list[Mention], int]:
    """The names heading the items of an enumeration that begins at `start` in sentence
    `j`: inline ("such as A, B and C") or as bulleted lines after it. Also the index of the
    enumeration's last sentence."""
    sentences, text = ctx.doc.sentences, ctx.doc.text
    inline = sorted((m for m in ctx.by_sentence.get(j, []) if m.start >= start),
                    key=lambda m: m.start)
    items: list[Mention] = []
    if inline and len(text[start:inline[0].start].split()) <= 3:
        items = [inline[0], *continue_list(text, [inline[0]], inline, sentences[j].end)]
    last, line_start = j, None
    for k in range(j + 1, len(sentences)):
        s = sentences[k]
        head = bullet_head(s.text)
        if head is not None:
            line_start = s.start + head
            named = [m for m in ctx.by_sentence.get(k, []) if m.start - line_start <= 2]
            items += named[:1]
        elif line_start is None or "\n" in text[line_start:s.start]:
            break
        last = k
    return items, last


def _negated(ctx: Context, hits: list[tuple[Trigger, int, int]],
             negations: list[tuple[Trigger, int, int]]) -> list[tuple[Trigger, int, int]]:
    """The negations that rule out the triggers: not a denial reported after the claim in a
    clause of its own ("... from North Korea, which Pyongyang denied")."""
    if not negations:
        return []
    end = max(b for _t, _a, b in hits)
    return [n for n in negations
            if not (n[1] >= end and reported_after(ctx.fold(end, n[1])))]


def _apply(rule: Rule, ctx: Context, unit: Unit, mentions: list[Mention],
           chosen: list[Trigger] | None = None) -> list[AlertIntent]:
    wl, text = ctx.watchlist, ctx.doc.text

    def note(fired: bool, reason: str) -> None:
        record(ctx, unit, rule, fired, reason)

    targets = [m for m in mentions if meets(rule.target, wl.by_id[m.entity_id])]
    if not targets:
        note(False, f"no mention meets the target conditions ({rule.target.describe()})")
        return []
    if rule.type == "mention":
        return [make_intent(ctx, rule, unit, [m], (("target", m.entity_id),), f"{m.explanation}")
                for m in targets]
    if rule.type == "network_link":
        return _network_links(rule, ctx, unit, targets, mentions, note)
    hits = find_triggers(rule.triggers, unit, chosen)
    if not hits:
        note(False, "no trigger in scope")
        return []
    negated = _negated(ctx, hits, find_triggers(rule.negations, unit))
    if negated:
        t = negated[0][0]
        note(False, f"trigger «{text[hits[0][1]:hits[0][2]]}» found but negation "
                    f"«{text[negated[0][1]:negated[0][2]]}» ({t.lang}) rules it out")
        return []
    if rule.scope == "window":
        targets = [m for m in targets
                   if any(token_distance(text, m, a, b) <= rule.window for _, a, b in hits)]
        if not targets:
            note(False, f"trigger found but no target within {rule.window} words")
            return []
    if rule.type == "designation":
        return _designation(rule, ctx, unit, hits, targets, note)
    return support(rule, ctx, unit, hits, targets, mentions, note)


def _designation(rule, ctx, unit, hits, targets, note) -> list[AlertIntent]:
    """Targets on the trigger's object side: after an active trigger ("sanctions against X"),
    the subject before a passive one ("X, a ... official, was designated"), and the names
    listed with them ("sanctions on A, B and C")."""
    text = ctx.doc.text
    out: dict[str, AlertIntent] = {}
    for trig, a, b in hits:
        if trig.passive:
            chosen = _passive_subjects(text, unit, targets, a, b)
            # "Four individuals were designated: A, ...; B, ...": a subject written after
            # the verb heads a list that goes on after it
            pool = [m for m in targets if m.end <= a] if any(m.end <= a for m in chosen) \
                else [m for m in targets if m.start >= a]
        else:
            chosen = [m for m in targets if m.start >= a
                      and token_distance(text, m, a, b) <= rule.window
                      and not ctx.agent_before(max(unit.start, m.start - 40), m.start)
                      and not new_clause(ctx.fold(b, m.start) if m.start > b else "")]
            if trig.raw and chosen:
                # an Arabic or Chinese pattern governs the name nearest after it (and the
                # names listed with it): no clause word tells its reason apart ("متهمة إياه
                # بإدارة … «داعش»": accusing him of running ISIL's finances)
                chosen = [min(chosen, key=lambda m: m.start)]
            pool = [m for m in targets if m.start >= a]
        if not trig.passive:  # "waived the sanctions on those two parties"
            plural = _counted_plural(
                rule, ctx, unit, trig, a, b,
                lambda b=b: [m for m in _before(ctx, unit, b)
                             if meets(rule.target, ctx.watchlist.by_id[m.entity_id])])
            for intent in plural:
                out.setdefault(intent.role("target") or "", intent)
            if plural:
                continue
        listed = continue_list(text, chosen, pool, unit.end) if chosen else []
        for m in [*chosen, *listed]:
            if m.entity_id in out:
                continue
            roles = (("target", m.entity_id),)
            known = already(ctx, rule, roles, [m])
            if known is not None:
                out[m.entity_id] = known
                continue
            how = "listed with the target, " if m in listed else ""
            why = (f"trigger «{text[a:b]}» ({trig.lang}, {rule.phase}); {how}target "
                   f"{m.matched!r} = {m.entity_id} ({m.explanation})")
            note(True, why)
            out[m.entity_id] = make_intent(ctx, rule, unit, [m], roles, why)
    if not out:
        trig, a, b = hits[0]
        side = "before" if trig.passive else "after"
        note(False, f"trigger found, but no target on its object side ({side} «{text[a:b]}»)")
    return list(out.values())


def _passive_subjects(text: str, unit: Unit, targets: list[Mention], a: int,
                      b: int) -> list[Mention]:
    """The subject of a passive trigger: the mentions of the first clause segment (between
    commas, dashes, brackets) that has one, plus those in the trigger's own segment. An
    apposition ("X, appointed by Y and Z, was listed") does not make Y and Z subjects.
    German puts the subject inside the verb bracket ("war X ... hinzugefügt worden"), and
    many languages after the verb ("También fue blanco X"): with no subject before the
    trigger, those count."""
    before = [m for m in targets if m.end <= a]
    if not before:
        inside = [m for m in targets if a <= m.start and m.end <= b]
        after = [m for m in targets if m.start >= b
                 and token_distance(text, m, a, b) <= SUBJECT_AFTER]
        if inside or after:
            return inside or after[:1]
        # "Ebenfalls gelistet wurden fünf weitere Schiffe …: die Bella, die Bogatyr": the
        # subject announced after the verb, named after a colon
        colon = text.find(":", b, unit.end)
        if colon >= 0 and len(text[b:colon].split()) <= COLON_REACH:
            return [m for m in targets if m.start > colon][:1]
        return []
    cuts = [unit.start] + [unit.start + x.end() for x in
                           _CLAUSE_BREAK.finditer(text, unit.start, a)] + [a]

    def segment(m: Mention) -> int:
        return max(i for i, c in enumerate(cuts[:-1]) if c <= m.start)

    first = min(segment(m) for m in before)
    last = len(cuts) - 2
    return [m for m in before if segment(m) in (first, last)]


# words from a passive verb to its subject written after it ("Gelistet wurde auch der
# Geschäftsmann Khalid Qaddour", "Sont visés le ministre de la Défense, le colonel …")
SUBJECT_AFTER = 5
COLON_REACH = 15  # words from a passive trigger to the colon after which its subjects are named
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]| - ")


def _network_links(rule, ctx, unit, targets, mentions, note) -> list[AlertIntent]:
    """Each pair of mentioned entities linked on the watchlist, once per sentence."""
    wl = ctx.watchlist
    out = []
    neighbours = wl.neighbours
    pairs: dict[tuple[str, str], tuple[Mention, Mention]] = {}
    for t in targets:
        near = neighbours.get(t.entity_id)
        if near:
            for m in mentions:
                if m.entity_id < t.entity_id and m.entity_id in near:
                    pairs.setdefault((m.entity_id, t.entity_id), (m, t))
    for (mid, tid), (m, t) in pairs.items():
        roles = (("linked", mid), ("target", tid))
        known = already(ctx, rule, roles, [m, t])
        if known is not None:
            out.append(known)
            continue
        rel = wl.links.get(frozenset((tid, mid)))
        why = (f"{mid} and {tid} appear together and are linked "
               f"({rel.source} {rel.relation} {rel.target})" if rel else "linked")
        note(True, why)
        out.append(make_intent(ctx, rule, unit, [m, t], roles, why))
    return out


def _best_phase(intents: list[AlertIntent], rules: RuleSet) -> list[AlertIntent]:
    """One designation phase per target and sentence: the rule with the highest priority."""
    order = {r.id: r.priority for r in rules.rules}
    best: dict[tuple[str, int], AlertIntent] = {}
    rest: list[AlertIntent] = []
    for i in intents:
        if i.type != "designation":
            rest.append(i)
            continue
        k = (i.role("target") or "", i.evidence_start)
        if k not in best or order.get(i.rule_id, 0) > order.get(best[k].rule_id, 0):
            best[k] = i
    return sorted([*best.values(), *rest], key=lambda i: (i.evidence_start, i.type))
