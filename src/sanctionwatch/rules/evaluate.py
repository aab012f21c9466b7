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
from dataclasses import dataclass

from sanctionwatch.rules.anaphora import (
    ANAPHORA_REACH,
    COUNTED_PLURAL,
    GROUP_NOUN,
    SUBJECT_PRONOUN,
    counted,
)
from sanctionwatch.rules.clauses import (
    agent_before,
    bullet_head,
    channel_gap,
    continue_list,
    enumeration_start,
    new_clause,
    reported_after,
)
from sanctionwatch.rules.document import Document, Unit
from sanctionwatch.rules.model import EntityCondition, Rule, RuleSet, Trigger
from sanctionwatch.rules.parties import named_party, quoted_names
from sanctionwatch.rules.prefilter import prefilter_for, scanner_for
from sanctionwatch.text.sentences import split_sentences
from sanctionwatch.types import AlertIntent, Entity, Mention, Sentence, Watchlist


@dataclass(frozen=True, slots=True)
class Trace:
    """Why a rule did or did not fire on a sentence."""

    sentence: int
    rule_id: str
    fired: bool
    reason: str


@dataclass(frozen=True, slots=True)
class _Context:
    """What every rule sees of one document."""

    doc: Document
    mentions: list[Mention]
    by_sentence: dict[int, list[Mention]]
    watchlist: Watchlist
    trace: list[Trace] | None
    intents: dict[str, AlertIntent]  # raised so far, by key: the first of a key is kept
    _openings: list[tuple[int, Unit, int]] | None = None
    _agents: dict[tuple[int, int], bool] | None = None

    def fold(self, start: int, end: int) -> str:
        return self.doc.fold(start, end)

    def agent_before(self, start: int, end: int) -> bool:
        """`agent_before` of the folded `text[start:end]`, worked out once per document
        (every trigger of every designation rule asks it of the same names)."""
        if self._agents is None:
            object.__setattr__(self, "_agents", {})
        known = self._agents.get((start, end))
        if known is None:
            known = self._agents[start, end] = agent_before(self.fold(start, end))
        return known

    def openings(self) -> list[tuple[int, Unit, int]]:
        """Sentences that open an enumeration ("Among them:") next to a mention: index,
        unit, and where in it the list begins (folded)."""
        if self._openings is None:
            found = []
            for j in range(1, len(self.doc.sentences)):
                if j not in self.by_sentence and j + 1 not in self.by_sentence:
                    continue
                unit = self.doc.unit("sentence", self.doc.sentences[j])
                at = enumeration_start(unit.folded)
                if at is not None:
                    found.append((j, unit, at))
            object.__setattr__(self, "_openings", found)
        return self._openings


def _meets(cond: EntityCondition, entity: Entity) -> bool:
    if cond.types and entity.type not in cond.types:
        return False
    if cond.programs and not any(p.upper().startswith(tuple(x.upper() for x in cond.programs))
                                 for p in entity.programs):
        return False
    return not (cond.curated and entity.origin != "curated")


def _find(triggers: tuple[Trigger, ...], unit: Unit,
          chosen: list[Trigger] | None = None) -> list[tuple[Trigger, int, int]]:
    """Where the triggers match in the unit; `chosen`: those its prefilter let through."""
    folded = unit.folded
    if chosen is None:
        chosen = prefilter_for(triggers).chosen(unit.found)
    return [(t, unit.orig(m.start()), unit.orig(m.end()))
            for t in chosen for m in t.pattern.finditer(folded)]


def evaluate(rules: RuleSet, text: str, mentions: list[Mention], watchlist: Watchlist,
             sentences: list[Sentence] | None = None,
             trace: list[Trace] | None = None) -> list[AlertIntent]:
    """The alert intents the rules raise on one document, one per alert key, first kept."""
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
    ctx = _Context(Document(text, sentences, scanner_for(rules.rules)), mentions, by_sentence,
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
            for intent in _apply(rule, ctx, unit, ms, chosen):
                intents.setdefault(intent.key, intent)
        if rule.type == "designation" and rule.scope == "sentence":
            # "Evguéni Prigojine ... . Il fait l'objet de sanctions": a sentence without a
            # name of its own may designate the one just named
            for idx in following:
                unit = ctx.doc.unit("sentence", sentences[idx])
                for intent in _anaphoric(rule, ctx, unit):
                    intents.setdefault(intent.key, intent)
            # "... eight people were listed. Among them: - A ...; - B ..."
            for intent in _enumerations(rule, ctx):
                intents.setdefault(intent.key, intent)
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


def _before(ctx: _Context, unit: Unit, end: int) -> list[Mention]:
    """Mentions from ANAPHORA_REACH sentences before the unit up to `end`."""
    first = ctx.doc.sentences[max(0, unit.sentence.index - ANAPHORA_REACH)].start
    return [m for m in ctx.mentions if first <= m.start and m.end <= end]


def _anaphoric(rule: Rule, ctx: _Context, unit: Unit) -> list[AlertIntent]:
    """A designation whose target is a pronoun or "the group" standing for the entity
    named in the last sentences: the subject of a passive trigger, or a group noun on the
    object side of an active one."""
    wl = ctx.watchlist
    hits = _find(rule.triggers, unit)
    if not hits:
        return []
    candidates = [m for m in _before(ctx, unit, unit.start)
                  if _meets(rule.target, wl.by_id[m.entity_id])]
    if not candidates or _negated(ctx, hits, _find(rule.negations, unit)):
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
        _note(ctx, unit, rule, True, why)
        return [_intent(ctx, rule, unit, [target], (("target", target.entity_id),),
                        why)]
    return []


def _counted_plural(rule: Rule, ctx: _Context, unit: Unit, trig: Trigger, a: int, b: int,
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
        _note(ctx, unit, rule, True, why)
        out.append(_intent(ctx, rule, unit, [target], (("target", target.entity_id),),
                           why))
    return out


def _enumerations(rule: Rule, ctx: _Context) -> list[AlertIntent]:
    """A sentence that designates ("eight people were listed", "a number of companies came
    under restrictions") followed by an enumeration ("Among them:", "These are companies
    such as A, B", or bulleted lines "- A, ...") designates each name heading an item."""
    sentences, text = ctx.doc.sentences, ctx.doc.text
    out: list[AlertIntent] = []
    for j, opening, at in ctx.openings():
        prev = ctx.doc.unit("sentence", sentences[j - 1])
        hits = _find(rule.triggers, prev)
        if not hits or _negated(ctx, hits, _find(rule.negations, prev)):
            continue
        items, last = _enumerated(ctx, j, opening.orig(at))
        trig, a, b = hits[0]
        span = ctx.doc.unit("sentence", sentences[j - 1], sentences[last])
        for m in items:
            if not _meets(rule.target, ctx.watchlist.by_id[m.entity_id]):
                continue
            why = (f"trigger «{text[a:b]}» ({trig.lang}, {rule.phase}); the next sentence "
                   f"lists what it designates: «{text[opening.start:opening.orig(at)]}»; "
                   f"target {m.matched!r} = {m.entity_id} ({m.explanation})")
            _note(ctx, prev, rule, True, why)
            out.append(_intent(ctx, rule, span, [m], (("target", m.entity_id),), why))
    return out


def _enumerated(ctx: _Context, j: int, start: int) -> tuple[list[Mention], int]:
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


def _note(ctx: _Context, unit: Unit, rule: Rule, fired: bool, reason: str) -> None:
    if ctx.trace is not None:
        ctx.trace.append(Trace(unit.sentence.index, rule.id, fired, reason))


def _negated(ctx: _Context, hits: list[tuple[Trigger, int, int]],
             negations: list[tuple[Trigger, int, int]]) -> list[tuple[Trigger, int, int]]:
    """The negations that rule out the triggers: not a denial reported after the claim in a
    clause of its own ("... from North Korea, which Pyongyang denied")."""
    if not negations:
        return []
    end = max(b for _t, _a, b in hits)
    return [n for n in negations
            if not (n[1] >= end and reported_after(ctx.fold(end, n[1])))]


def _apply(rule: Rule, ctx: _Context, unit: Unit, mentions: list[Mention],
           chosen: list[Trigger] | None = None) -> list[AlertIntent]:
    wl, text = ctx.watchlist, ctx.doc.text

    def note(fired: bool, reason: str) -> None:
        _note(ctx, unit, rule, fired, reason)

    targets = [m for m in mentions if _meets(rule.target, wl.by_id[m.entity_id])]
    if not targets:
        note(False, f"no mention meets the target conditions ({rule.target.describe()})")
        return []
    if rule.type == "mention":
        return [_intent(ctx, rule, unit, [m], (("target", m.entity_id),), f"{m.explanation}")
                for m in targets]
    if rule.type == "network_link":
        return _network_links(rule, ctx, unit, targets, mentions, note)
    hits = _find(rule.triggers, unit, chosen)
    if not hits:
        note(False, "no trigger in scope")
        return []
    negated = _negated(ctx, hits, _find(rule.negations, unit))
    if negated:
        t = negated[0][0]
        note(False, f"trigger «{text[hits[0][1]:hits[0][2]]}» found but negation "
                    f"«{text[negated[0][1]:negated[0][2]]}» ({t.lang}) rules it out")
        return []
    if rule.scope == "window":
        targets = [m for m in targets
                   if any(_token_distance(text, m, a, b) <= rule.window for _, a, b in hits)]
        if not targets:
            note(False, f"trigger found but no target within {rule.window} words")
            return []
    if rule.type == "designation":
        return _designation(rule, ctx, unit, hits, targets, note)
    return _support(rule, ctx, unit, hits, targets, mentions, note)


def _designation(rule, ctx, unit, hits, targets, note) -> list[AlertIntent]:
    """Targets on the trigger's object side: after an active trigger ("sanctions against X"),
    the subject before a passive one ("X, a ... official, was designated"), and the names
    listed with them ("sanctions on A, B and C")."""
    text = ctx.doc.text
    out: dict[str, AlertIntent] = {}
    for trig, a, b in hits:
        if trig.passive:
            chosen = _passive_subjects(text, unit, targets, a, b)
            pool = [m for m in targets if m.end <= a]
        else:
            chosen = [m for m in targets if m.start >= a
                      and _token_distance(text, m, a, b) <= rule.window
                      and not ctx.agent_before(max(unit.start, m.start - 40), m.start)
                      and not new_clause(ctx.fold(b, m.start) if m.start > b else "")]
            pool = [m for m in targets if m.start >= a]
        if not trig.passive:  # "waived the sanctions on those two parties"
            plural = _counted_plural(
                rule, ctx, unit, trig, a, b,
                lambda b=b: [m for m in _before(ctx, unit, b)
                             if _meets(rule.target, ctx.watchlist.by_id[m.entity_id])])
            for intent in plural:
                out.setdefault(intent.role("target") or "", intent)
            if plural:
                continue
        listed = continue_list(text, chosen, pool, unit.end) if chosen else []
        for m in [*chosen, *listed]:
            if m.entity_id in out:
                continue
            how = "listed with the target, " if m in listed else ""
            why = (f"trigger «{text[a:b]}» ({trig.lang}, {rule.phase}); {how}target "
                   f"{m.matched!r} = {m.entity_id} ({m.explanation})")
            note(True, why)
            out[m.entity_id] = _intent(ctx, rule, unit, [m], (("target", m.entity_id),), why)
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
        after = [m for m in targets if m.start >= b and _token_distance(text, m, a, b) <= 3]
        return inside or after[:1]
    cuts = [unit.start] + [unit.start + x.end() for x in
                           _CLAUSE_BREAK.finditer(text, unit.start, a)] + [a]

    def segment(m: Mention) -> int:
        return max(i for i, c in enumerate(cuts[:-1]) if c <= m.start)

    first = min(segment(m) for m in before)
    last = len(cuts) - 2
    return [m for m in before if segment(m) in (first, last)]


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]| - ")


def _support(rule, ctx, unit, hits, targets, mentions, note) -> list[AlertIntent]:
    """For each target, the nearest supporter entity on the supplying side of any trigger;
    failing that, a party named before an active trigger. Names the supporter acted through
    ("through companies he controlled, A and B") support the target too; a network trigger
    ("the global network of X") makes the names after its target supporters."""
    text, wl = ctx.doc.text, ctx.watchlist
    network = [h for h in hits if h[0].network]
    hits = [h for h in hits if not h[0].network]
    out = _network_support(rule, ctx, unit, network, targets, mentions, note) if network else []
    nearest: set[int] = set()
    for _trig, a, b in hits:
        side = _side(targets, a, b, after=not _trig.passive)
        if side:
            near = min(side, key=lambda m, a=a, b=b: min(abs(m.start - b), abs(m.end - a)))
            nearest.add(id(near))
    for target in targets:
        if not hits or (nearest and id(target) not in nearest):
            continue
        others = [m for m in mentions if m.entity_id != target.entity_id
                  and _supports(rule, wl, m, target)]
        found = False
        for trig, a, b in hits:
            if not _side([target], a, b, after=not trig.passive):
                continue
            side = _side(others, a, b, after=trig.passive)
            supporter = min(side, key=lambda m, a=a, b=b: min(abs(m.start - a), abs(m.end - b)),
                            default=None)
            if supporter is not None:
                roles = (("target", target.entity_id), ("supporter", supporter.entity_id))
                why = (f"trigger «{text[a:b]}» ({trig.lang}); supporter {supporter.matched!r} = "
                       f"{supporter.entity_id}; target {target.matched!r} = {target.entity_id}")
                note(True, why)
                out.append(_intent(ctx, rule, unit, [supporter, target], roles, why))
                out += _channels(rule, ctx, unit, target, others, trig, note)
                found = True
                break
        if found or not rule.supporter_names:
            continue
        for trig, a, b in hits:
            if trig.passive or not _side([target], a, b, after=True):
                continue
            name = named_party(text, unit.start, a, mentions)
            if name:
                roles = (("target", target.entity_id), ("supporter", name))
                why = (f"trigger «{text[a:b]}» ({trig.lang}); supporter named {name!r} (not on "
                       f"the watchlist); target {target.matched!r} = {target.entity_id}")
                note(True, why)
                out.append(_intent(ctx, rule, unit, [target], roles, why))
                out += _channels(rule, ctx, unit, target, others, trig, note)
                found = True
                break
        if not found:
            note(False, f"trigger and target {target.matched!r} found, but no supporter named "
                        "on the supplying side of a trigger")
    return out


def _supports(rule: Rule, wl: Watchlist, m: Mention, target: Mention) -> bool:
    cond = rule.supporter
    if cond is None:
        return True
    return _meets(cond, wl.by_id[m.entity_id]) and (
        not cond.related_to_target or wl.related(m.entity_id, target.entity_id))


def _channels(rule, ctx, unit, target, others, trig, note) -> list[AlertIntent]:
    """"X funded Y through companies he controlled, A and B": A and B support Y too."""
    text = ctx.doc.text
    after = sorted((m for m in others if m.start >= target.end), key=lambda m: m.start)
    if not after or not channel_gap(ctx.fold(target.end, after[0].start)):
        return []
    out = []
    for m in [after[0], *continue_list(text, [after[0]], after, unit.end)]:
        roles = (("target", target.entity_id), ("supporter", m.entity_id))
        why = (f"trigger «{trig.source}» ({trig.lang}); supporter {m.matched!r} = "
               f"{m.entity_id}, the channel «{text[target.end:after[0].start].strip()}»; "
               f"target {target.matched!r} = {target.entity_id}")
        note(True, why)
        out.append(_intent(ctx, rule, unit, [m, target], roles, why))
    return out


def _network_support(rule, ctx, unit, hits, targets, mentions, note) -> list[AlertIntent]:
    """A network trigger governs the name right after it ("«глобальной сети» группировки
    «Вагнер»", "liées aux activités militaires du groupe Wagner"); the names written after
    that target, on the list or in quotes, are its supporters."""
    text, wl = ctx.doc.text, ctx.watchlist
    out = []
    for trig, a, b in hits:
        governed = [m for m in targets if m.start >= a and _token_distance(text, m, a, b) <= 2]
        if not governed:
            continue
        target = min(governed, key=lambda m: m.start)
        found = [m for m in mentions if m.start >= target.end
                 and m.entity_id != target.entity_id and _supports(rule, wl, m, target)]
        names = quoted_names(text, target.end, unit.end, mentions) if rule.supporter_names else []
        for sup in [*found, *names]:
            sid = sup if isinstance(sup, str) else sup.entity_id
            shown = sup if isinstance(sup, str) else f"{sup.matched!r} = {sid}"
            roles = (("target", target.entity_id), ("supporter", sid))
            why = (f"network trigger «{text[a:b]}» ({trig.lang}) governs target "
                   f"{target.matched!r} = {target.entity_id}; supporter {shown} named after it")
            note(True, why)
            ms = [target] if isinstance(sup, str) else [sup, target]
            out.append(_intent(ctx, rule, unit, ms, roles, why))
    return out


def _side(ms: list[Mention], a: int, b: int, after: bool) -> list[Mention]:
    """Mentions after the trigger's start (a trigger may end inside the name it governs:
    "funded the Internet Research Agency"), or wholly before it."""
    return [m for m in ms if (m.start >= a if after else m.end <= a)]


def _token_distance(text: str, m: Mention, a: int, b: int) -> int:
    lo, hi = (m.end, a) if m.end <= a else (b, m.start)
    return len(text[lo:hi].split()) if hi > lo else 0


def _network_links(rule, ctx, unit, targets, mentions, note) -> list[AlertIntent]:
    wl = ctx.watchlist
    out = []
    neighbours = wl.neighbours
    for t in targets:
        near = neighbours.get(t.entity_id)
        if not near:
            continue
        for m in mentions:
            if m.entity_id < t.entity_id and m.entity_id in near:
                rel = wl.links.get(frozenset((t.entity_id, m.entity_id)))
                why = (f"{m.entity_id} and {t.entity_id} appear together and are linked "
                       f"({rel.source} {rel.relation} {rel.target})" if rel else "linked")
                note(True, why)
                out.append(_intent(ctx, rule, unit, [m, t],
                                   (("linked", m.entity_id), ("target", t.entity_id)), why))
    return out


def _key(rule: Rule, roles: tuple[tuple[str, str], ...], entity_ids: tuple[str, ...]) -> str:
    """`AlertIntent.key` of the intent `_intent` would build."""
    joined = ",".join(f"{r}={v}" for r, v in sorted(roles))
    return f"{rule.type}|{rule.phase or ''}|{joined}|{','.join(sorted(entity_ids))}"


def _intent(ctx: _Context, rule: Rule, unit: Unit, ms: list[Mention],
            roles: tuple[tuple[str, str], ...], why: str) -> AlertIntent:
    """The intent for `ms` in `roles`; when the document already raised one under the same
    key, that one (`evaluate` keeps the first of a key, so building another is wasted)."""
    entity_ids = tuple(dict.fromkeys(m.entity_id for m in ms))
    raised = ctx.intents.get(_key(rule, roles, entity_ids)) if ctx.intents else None
    if raised is not None:
        return raised
    text = ctx.doc.text
    values = {r: v for r, v in roles}
    message = rule.message.format_map(_Default(values, phase=rule.phase or "")) \
        if rule.message else ""
    return AlertIntent(
        type=rule.type, severity=rule.severity, entity_ids=entity_ids, roles=roles,
        evidence=text[unit.start:unit.end], evidence_start=unit.start, evidence_end=unit.end,
        rule_id=rule.id, rule_version=rule.version, why=why, phase=rule.phase,
        message=message, mentions=tuple(ms),
    )


class _Default(dict):
    def __init__(self, values: dict[str, str], **more: str):
        super().__init__(values, **more)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
