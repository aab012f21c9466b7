"""What every rule sees of one document, and the small pieces all rule families share:
where triggers match, which entities meet a condition, the trace, and building an alert
intent (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctionwatch.rules.clauses import agent_before, enumeration_start
from sanctionwatch.rules.document import Document, Unit
from sanctionwatch.rules.model import RAW_SCRIPT, EntityCondition, Rule, Trigger
from sanctionwatch.rules.prefilter import prefilter_for
from sanctionwatch.types import AlertIntent, Entity, Mention, Watchlist


@dataclass(frozen=True, slots=True)
class Trace:
    """Why a rule did or did not fire on a sentence."""

    sentence: int
    rule_id: str
    fired: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Context:
    """What every rule sees of one document."""

    doc: Document
    mentions: list[Mention]
    by_sentence: dict[int, list[Mention]]
    watchlist: Watchlist
    trace: list[Trace] | None
    intents: dict[str, AlertIntent]  # raised so far, by key: the first of a key is kept
    _openings: list[tuple[int, Unit, int]] | None = None
    _agents: dict[tuple[int, int], bool] | None = None
    # support links whose supporter no name before the trigger gave: (rule id, unit,
    # target, trigger start), for the document-level reading of support.collective
    unsupported: list = field(default_factory=list)

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


def meets(cond: EntityCondition, entity: Entity) -> bool:
    if cond.types and entity.type not in cond.types:
        return False
    if cond.programs and not any(p.upper().startswith(tuple(x.upper() for x in cond.programs))
                                 for p in entity.programs):
        return False
    return not (cond.curated and entity.origin != "curated")


def find_triggers(triggers: tuple[Trigger, ...], unit: Unit,
          chosen: list[Trigger] | None = None) -> list[tuple[Trigger, int, int]]:
    """Where the triggers match in the unit; `chosen`: those its prefilter let through."""
    folded = unit.folded
    if chosen is None:
        chosen = prefilter_for(triggers).chosen(unit.found)
    out = []
    raw_text: str | None = None
    langs = unit.folding.languages()
    for t in chosen:
        if t.raw:
            if raw_text is None:
                raw_text = unit.folding.text[unit.start:unit.end]
                if not RAW_SCRIPT.search(raw_text):
                    raw_text = ""  # no letter of those scripts: none of these can match
            out += [(t, unit.start + m.start(), unit.start + m.end())
                    for m in t.pattern.finditer(raw_text)] if raw_text else []
        elif t.lemma:
            if t.lang not in langs:
                continue  # lemma patterns read only the document's own languages
            lemmas = unit.lemmas(t.lang)
            out += [(t, *lemmas.orig(m.start(), m.end()))
                    for m in t.pattern.finditer(lemmas.text)]
        else:
            out += [(t, unit.orig(m.start()), unit.orig(m.end()))
                    for m in t.pattern.finditer(folded)]
    return out


def record(ctx: Context, unit: Unit, rule: Rule, fired: bool, reason: str) -> None:
    if ctx.trace is not None:
        ctx.trace.append(Trace(unit.sentence.index, rule.id, fired, reason))


def side_of(ms: list[Mention], a: int, b: int, after: bool) -> list[Mention]:
    """Mentions after the trigger's start (a trigger may end inside the name it governs:
    "funded the Internet Research Agency"), or wholly before it."""
    return [m for m in ms if (m.start >= a if after else m.end <= a)]


def token_distance(text: str, m: Mention, a: int, b: int) -> int:
    lo, hi = (m.end, a) if m.end <= a else (b, m.start)
    return len(text[lo:hi].split()) if hi > lo else 0


def _key(rule: Rule, roles: tuple[tuple[str, str], ...], entity_ids: tuple[str, ...]) -> str:
    """`AlertIntent.key` of the intent `make_intent` would build."""
    joined = ",".join(f"{r}={v}" for r, v in sorted(roles))
    return f"{rule.type}|{rule.phase or ''}|{joined}|{','.join(sorted(entity_ids))}"


def already(ctx: Context, rule: Rule, roles: tuple[tuple[str, str], ...],
            ms: list[Mention]) -> AlertIntent | None:
    """The intent the document already raised under the key `ms` in `roles` would have,
    when no trace is kept: nothing is left to work out for it, not even why."""
    if ctx.trace is not None or not ctx.intents:
        return None
    return ctx.intents.get(_key(rule, roles, tuple(dict.fromkeys(m.entity_id for m in ms))))


def make_intent(ctx: Context, rule: Rule, unit: Unit, ms: list[Mention],
            roles: tuple[tuple[str, str], ...], why: str) -> AlertIntent:
    """The intent for `ms` in `roles`, kept in `ctx.intents` under its key; when the
    document already raised one under that key, that one (the first of a key is kept)."""
    entity_ids = tuple(dict.fromkeys(m.entity_id for m in ms))
    key = _key(rule, roles, entity_ids)
    raised = ctx.intents.get(key)
    if raised is not None:
        return raised
    text = ctx.doc.text
    # the message names entities as the list does ("PMC Wagner"), not by id ("wagner-group")
    by_id = ctx.watchlist.by_id
    values = {r: by_id[v].name if v in by_id else v for r, v in roles}
    message = rule.message.format_map(_Default(values, phase=rule.phase or "")) \
        if rule.message else ""
    intent = ctx.intents[key] = AlertIntent(
        type=rule.type, severity=rule.severity, entity_ids=entity_ids, roles=roles,
        evidence=text[unit.start:unit.end], evidence_start=unit.start, evidence_end=unit.end,
        rule_id=rule.id, rule_version=rule.version, why=why, phase=rule.phase,
        message=message, mentions=tuple(ms),
    )
    return intent


class _Default(dict):
    def __init__(self, values: dict[str, str], **more: str):
        super().__init__(values, **more)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
