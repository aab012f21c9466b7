"""Evaluate rules on one document: pure, `evaluate(rules, text, mentions, watchlist)`.

Each rule looks at its scope (the sentence by default) around every mention of an entity that
meets its target conditions. It fires when a trigger pattern matches there and no negation
does. Support rules also need a supporter: another watchlist entity on the supplying side of
the trigger (before an active trigger, after a passive one), or a named party written there.
Every decision, fired or not, can be traced with the reason (`Trace`), for `rules test`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanctionwatch.rules.model import EntityCondition, Rule, RuleSet, Trigger
from sanctionwatch.rules.parties import named_party
from sanctionwatch.rules.prefilter import prefilter_for
from sanctionwatch.text.normalize import fold_with_offsets
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
class _Unit:
    """A scope of text a rule looks at, folded once."""

    start: int
    end: int
    sentence: Sentence
    folded: str
    offsets: list[int]

    def orig(self, folded_index: int) -> int:
        return self.start + self.offsets[min(folded_index, len(self.offsets) - 1)]


def _meets(cond: EntityCondition, entity: Entity) -> bool:
    if cond.types and entity.type not in cond.types:
        return False
    if cond.programs and not any(p.upper().startswith(tuple(x.upper() for x in cond.programs))
                                 for p in entity.programs):
        return False
    return not (cond.curated and entity.origin != "curated")


def _find(triggers: tuple[Trigger, ...], unit: _Unit) -> list[tuple[Trigger, int, int]]:
    folded = unit.folded
    return [(t, unit.orig(m.start()), unit.orig(m.end()))
            for t in prefilter_for(triggers).candidates(folded)
            for m in t.pattern.finditer(folded)]


def evaluate(rules: RuleSet, text: str, mentions: list[Mention], watchlist: Watchlist,
             sentences: list[Sentence] | None = None,
             trace: list[Trace] | None = None) -> list[AlertIntent]:
    """The alert intents the rules raise on one document, one per alert key, first kept."""
    if not mentions:
        return []
    sentences = sentences if sentences is not None else split_sentences(text)
    units: dict[tuple[str, int], _Unit] = {}
    intents: dict[str, AlertIntent] = {}
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        s = _sentence_of(sentences, m.start)
        if s is not None:
            by_sentence.setdefault(s.index, []).append(m)
    for rule in rules.enabled():
        for idx, ms in sorted(by_sentence.items()):
            sentence = sentences[idx]
            unit = _unit(units, rule, text, sentences, sentence)
            scoped = [m for m in mentions if unit.start <= m.start < unit.end]
            for intent in _apply(rule, unit, scoped or ms, watchlist, text, trace):
                intents.setdefault(intent.key, intent)
        if rule.type == "designation" and rule.scope == "sentence":
            # "Evguéni Prigojine ... . Il fait l'objet de sanctions": a sentence without a
            # name of its own may designate the one just named
            for idx in _following(by_sentence, len(sentences)):
                unit = _unit(units, rule, text, sentences, sentences[idx])
                before = [m for m in mentions
                          if sentences[max(0, idx - ANAPHORA_REACH)].start <= m.start < unit.start]
                for intent in _anaphoric(rule, unit, text, before, watchlist, trace):
                    intents.setdefault(intent.key, intent)
    return _best_phase(list(intents.values()), rules)


ANAPHORA_REACH = 2  # sentences back in which "it", "il", "the group" find what they stand for
_SUBJECT_PRONOUN = re.compile(
    r"^\W*(?:he|she|it|they|il|elle|ils|elles|er|sie|es|on|ona|ono|oni|vin|vona|vono|voni|"
    r"el|ella|ellos|ellas|lui|lei|loro|esso|essa)(?![a-z0-9])")
_GROUP_NOUN = re.compile(
    r"(?<![a-z0-9])(?:(?:the|this|le|la|ce|cette|der|die|das|el|la|il|lo|questo|questa) "
    r"(?:[\w'-]+ ){0,2}(?:group|company|firm|organi[sz]ation|militia|mercenar\w*|groupe|"
    r"societe|entreprise|milice|gruppe|truppe|soldner\w*|privatarmee|firma|unternehmen|"
    r"grupo|empresa|compania|organizacion|gruppo|azienda|organizzazione|milizia)"
    r"|(?:gruppirovk|kompani|organizatsi|chvk|pvk|grup|hrup|orhanizatsi)\w*)(?![a-z0-9])")


def _following(by_sentence: dict[int, list[Mention]], n: int) -> list[int]:
    """Sentences without mentions that follow one with mentions, within ANAPHORA_REACH."""
    out = set()
    for idx in by_sentence:
        for k in range(idx + 1, min(n, idx + 1 + ANAPHORA_REACH)):
            if k not in by_sentence:
                out.add(k)
    return sorted(out)


def _anaphoric(rule: Rule, unit: _Unit, text: str, before: list[Mention], wl: Watchlist,
               trace: list[Trace] | None) -> list[AlertIntent]:
    """A designation whose target is a pronoun or "the group" standing for the entity
    named in the last sentences: the subject of a passive trigger, or a group noun on the
    object side of an active one."""
    candidates = [m for m in before if _meets(rule.target, wl.by_id[m.entity_id])]
    if not candidates:
        return []
    hits = _find(rule.triggers, unit)
    if not hits or _find(rule.negations, unit):
        return []
    for trig, a, b in hits:
        if trig.passive:
            head, _ = fold_with_offsets(text[unit.start:a])
            pronoun = _SUBJECT_PRONOUN.search(head)
            group = _GROUP_NOUN.search(head)
        else:
            tail, _ = fold_with_offsets(text[b:min(unit.end, b + 80)])
            pronoun, group = None, _GROUP_NOUN.search(tail)
        anaphor = pronoun or group
        if anaphor is None:
            continue
        pool = candidates if pronoun else [
            m for m in candidates if wl.by_id[m.entity_id].type in ("organization", "other")]
        if not pool:
            continue
        target = pool[-1]
        why = (f"trigger «{text[a:b]}» ({trig.lang}, {rule.phase}); «{anaphor.group().strip()}» "
               f"stands for {target.matched!r} = {target.entity_id}, named just before")
        if trace is not None:
            trace.append(Trace(unit.sentence.index, rule.id, True, why))
        return [_intent(rule, unit, text, [target], (("target", target.entity_id),), why)]
    return []


def _sentence_of(sentences: list[Sentence], offset: int) -> Sentence | None:
    lo, hi = 0, len(sentences) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sentences[mid]
        if offset < s.start:
            hi = mid - 1
        elif offset >= s.end:
            lo = mid + 1
        else:
            return s
    return None


def _unit(cache: dict, rule: Rule, text: str, sentences: list[Sentence], s: Sentence) -> _Unit:
    scope = "paragraph" if rule.scope == "paragraph" else "sentence"
    key = (scope, s.index)
    if key not in cache:
        if scope == "paragraph":
            same = [x for x in sentences if x.paragraph == s.paragraph]
            start, end = same[0].start, same[-1].end
        else:
            start, end = s.start, s.end
        folded, offsets = fold_with_offsets(text[start:end])
        cache[key] = _Unit(start, end, s, folded, offsets)
    return cache[key]


def _apply(rule: Rule, unit: _Unit, mentions: list[Mention], wl: Watchlist, text: str,
           trace: list[Trace] | None) -> list[AlertIntent]:
    def note(fired: bool, reason: str) -> None:
        if trace is not None:
            trace.append(Trace(unit.sentence.index, rule.id, fired, reason))

    targets = [m for m in mentions if _meets(rule.target, wl.by_id[m.entity_id])]
    if not targets:
        note(False, f"no mention meets the target conditions ({rule.target.describe()})")
        return []
    if rule.type == "mention":
        return [_intent(rule, unit, text, [m], (("target", m.entity_id),), f"{m.explanation}")
                for m in targets]
    if rule.type == "network_link":
        return _network_links(rule, unit, text, targets, mentions, wl, note)
    hits = _find(rule.triggers, unit)
    if not hits:
        note(False, "no trigger in scope")
        return []
    negated = _find(rule.negations, unit)
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
        return _designation(rule, unit, text, hits, targets, note)
    return _support(rule, unit, text, hits, targets, mentions, wl, note)


def _designation(rule, unit, text, hits, targets, note) -> list[AlertIntent]:
    """Targets on the trigger's object side: after an active trigger ("sanctions against X"),
    the subject before a passive one ("X, a ... official, was designated")."""
    out: dict[str, AlertIntent] = {}
    for trig, a, b in hits:
        chosen = _passive_subjects(text, unit, targets, a, b) if trig.passive else [
            m for m in targets if m.start >= a and _token_distance(text, m, a, b) <= rule.window
            and not _agent_before(text, unit, m) and not _new_clause(text, b, m)]
        for m in chosen:
            if m.entity_id in out:
                continue
            why = (f"trigger «{text[a:b]}» ({trig.lang}, {rule.phase}); target "
                   f"{m.matched!r} = {m.entity_id} ({m.explanation})")
            note(True, why)
            out[m.entity_id] = _intent(rule, unit, text, [m], (("target", m.entity_id),), why)
    if not out:
        trig, a, b = hits[0]
        side = "before" if trig.passive else "after"
        note(False, f"trigger found, but no target on its object side ({side} «{text[a:b]}»)")
    return list(out.values())


_AGENT = re.compile(
    r"(?:\b(?:by|par|von|por|da|dal|dalla|de su|del su)|founded|led|owned|created|controlled|"
    r"headed|run|financed|chief|leader|founder|owner|boss|head|financier|patron|chef|"
    r"fondateur|dirigeant|proprietaire|leiter|grunder|besitzer|lider|jefe|fundador|capo|"
    r"fondatore|proprietario|sozdan\w*|vozglavl\w*|osnovatel\w*|rukovodi\w*|vladel\w*|"
    r"linked|associated|affiliated|connected|lie(?:e|s|es)?|verbunden\w*|vinculad\w*|"
    r"legat\w*|sv[iy]{0,2}azan\w*|pov'?[iy]{0,2}azan\w*|afiliad\w*|"
    r"finansist\w*|glav\w*|zasnovnik\w*|ochil\w*|kerivnik\w*|stvoren\w*)"
    r"(?:\W+\w+){0,2}\W*$")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]| - ")


_CLAUSE_WORD = re.compile(
    r"(?<![a-z0-9])(?:(?:in order )?to (?:finance|fund|supply|arm|support)|pour (?:financer|"
    r"soutenir|armer|approvisionner)|para (?:financiar|apoyar|armar|abastecer)|per (?:finanziare|"
    r"sostenere|armare)|zu (?:finanzieren|unterst[uü]tzen|beliefern)|chtoby|shchob)"
    r"(?![a-z0-9])")


def _new_clause(text: str, b: int, m: Mention) -> bool:
    """A purpose clause between an active trigger and a mention ("sanctions against
    companies ... to finance Wagner"): the mention is not the trigger's object."""
    if m.start <= b:
        return False
    folded, _ = fold_with_offsets(text[b:m.start])
    return _CLAUSE_WORD.search(folded) is not None


def _agent_before(text: str, unit: _Unit, m: Mention) -> bool:
    """A mention introduced as someone's founder, leader or owner ("Wagner, founded by X")
    is not the object of the trigger before it."""
    lo = max(unit.start, m.start - 40)
    folded, _ = fold_with_offsets(text[lo:m.start])
    return _AGENT.search(folded) is not None


def _passive_subjects(text: str, unit: _Unit, targets: list[Mention], a: int,
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


def _support(rule, unit, text, hits, targets, mentions, wl, note) -> list[AlertIntent]:
    """For each target, the nearest supporter entity on the supplying side of any trigger;
    failing that, a party named before an active trigger."""
    out = []
    nearest: set[int] = set()
    for _trig, a, b in hits:
        side = _side(targets, a, b, after=not _trig.passive)
        if side:
            near = min(side, key=lambda m, a=a, b=b: min(abs(m.start - b), abs(m.end - a)))
            nearest.add(id(near))
    for target in targets:
        if nearest and id(target) not in nearest:
            continue
        others = [m for m in mentions if m.entity_id != target.entity_id
                  and (rule.supporter is None or _meets(rule.supporter, wl.by_id[m.entity_id]))
                  and (not (rule.supporter and rule.supporter.related_to_target)
                       or wl.related(m.entity_id, target.entity_id))]
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
                out.append(_intent(rule, unit, text, [supporter, target], roles, why))
                found = True
                break
        if found or not rule.supporter_names:
            continue
        for trig, a, b in hits:
            if trig.passive or not _side([target], a, b, after=True):
                continue
            name = named_party(text, unit.start, a, [target])
            if name:
                roles = (("target", target.entity_id), ("supporter", name))
                why = (f"trigger «{text[a:b]}» ({trig.lang}); supporter named {name!r} (not on "
                       f"the watchlist); target {target.matched!r} = {target.entity_id}")
                note(True, why)
                out.append(_intent(rule, unit, text, [target], roles, why))
                found = True
                break
        if not found:
            note(False, f"trigger and target {target.matched!r} found, but no supporter named "
                        "on the supplying side of a trigger")
    return out


def _side(ms: list[Mention], a: int, b: int, after: bool) -> list[Mention]:
    """Mentions after the trigger's start (a trigger may end inside the name it governs:
    "funded the Internet Research Agency"), or wholly before it."""
    return [m for m in ms if (m.start >= a if after else m.end <= a)]


def _token_distance(text: str, m: Mention, a: int, b: int) -> int:
    lo, hi = (m.end, a) if m.end <= a else (b, m.start)
    return len(text[lo:hi].split()) if hi > lo else 0


def _network_links(rule, unit, text, targets, mentions, wl, note) -> list[AlertIntent]:
    out = []
    for t in targets:
        for m in mentions:
            if m.entity_id < t.entity_id and wl.related(t.entity_id, m.entity_id):
                rel = wl.links.get(frozenset((t.entity_id, m.entity_id)))
                why = (f"{m.entity_id} and {t.entity_id} appear together and are linked "
                       f"({rel.source} {rel.relation} {rel.target})" if rel else "linked")
                note(True, why)
                out.append(_intent(rule, unit, text, [m, t],
                                   (("linked", m.entity_id), ("target", t.entity_id)), why))
    return out


def _intent(rule: Rule, unit: _Unit, text: str, ms: list[Mention],
            roles: tuple[tuple[str, str], ...], why: str) -> AlertIntent:
    entity_ids = tuple(dict.fromkeys(m.entity_id for m in ms))
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
