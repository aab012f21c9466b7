"""Frozen domain types shared by every layer. No I/O here.

What came in (`ArticleData`) is kept apart from what was stored (`Article`), and what the
rules decided (`AlertIntent`) from what the store holds (`Alert`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Literal

from sanctionwatch.text.clean import clean_text
from sanctionwatch.text.spans import cut

EntityType = Literal["person", "organization", "vessel", "aircraft", "country", "other"]
ENTITY_TYPES: tuple[str, ...] = ("person", "organization", "vessel", "aircraft", "country", "other")

RelationKind = Literal[
    "owns", "controls", "leads", "member_of", "acts_for",
    "supplies", "supports", "finances", "associate_of", "family_of",
]
RELATION_KINDS: tuple[str, ...] = (
    "owns", "controls", "leads", "member_of", "acts_for",
    "supplies", "supports", "finances", "associate_of", "family_of",
)

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")

AlertStatus = Literal["new", "acknowledged", "escalated", "dismissed"]
ALERT_STATUSES: tuple[str, ...] = ("new", "acknowledged", "escalated", "dismissed")


def severity_rank(severity: str) -> int:
    """Order of severities, low first; unknown values rank lowest."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


@dataclass(frozen=True, slots=True)
class Entity:
    """One watchlist entity, curated or imported from an official list."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    notes: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    origin: str = "curated"  # "curated" or the official list it came from

    def __post_init__(self) -> None:
        # a NUL or zero-width character inside a listed name would never match again
        object.__setattr__(self, "name", clean_text(self.name))
        if self.aliases:
            object.__setattr__(self, "aliases", tuple(clean_text(a) for a in self.aliases))

    @property
    def names(self) -> tuple[str, ...]:
        """The primary name followed by every alias, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link between two watchlist entities."""

    source: str
    relation: str
    target: str
    notes: str = ""


@dataclass(frozen=True)
class Watchlist:
    """The entities and relations in force, with lookups derived once."""

    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()
    # (entity id, name) from the curated names.csv: the press's names of curated entities and
    # of list entries ("ofac_sdn:4695", حماس), added to the entity wherever it is merged
    names: tuple[tuple[str, str], ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    @cached_property
    def neighbours(self) -> dict[str, frozenset[str]]:
        """Entity id -> ids related to it in either direction."""
        links: dict[str, set[str]] = {}
        for r in self.relations:
            links.setdefault(r.source, set()).add(r.target)
            links.setdefault(r.target, set()).add(r.source)
        return {k: frozenset(v) for k, v in links.items()}

    def related(self, a: str, b: str) -> bool:
        return b in self.neighbours.get(a, frozenset())

    @cached_property
    def links(self) -> dict[frozenset[str], Relation]:
        """The first relation between two entities, either way round."""
        out: dict[frozenset[str], Relation] = {}
        for r in self.relations:
            out.setdefault(frozenset((r.source, r.target)), r)
        return out


@dataclass(frozen=True, slots=True)
class ArticleData:
    """An article as a source delivered it, before anything is stored."""

    source: str
    external_id: str
    text: str
    title: str = ""
    url: str = ""
    published: datetime | None = None

    def __post_init__(self) -> None:
        # cleaned once where it enters (NUL, zero-width and bidi controls, piled-up marks):
        # what is stored is what is matched, and evidence offsets refer to it
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "title", clean_text(self.title))

    @property
    def content_hash(self) -> str:
        """Stable hash of the title and text, used to recognise an article seen before."""
        h = hashlib.sha256()
        h.update(self.title.strip().encode("utf-8"))
        h.update(b"\x00")
        h.update(self.text.strip().encode("utf-8"))
        return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """An article as stored: what came in plus its store id."""

    id: int
    data: ArticleData
    fetched: datetime


STORED = "stored"  # the feature a mention read back from the store carries: its explanation


@dataclass(frozen=True, slots=True)
class Feature:
    """One scoring feature of a mention: its name, its value and what it means."""

    name: str
    value: float
    why: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A watchlist entity found in a text, with the reasons it was accepted."""

    entity_id: str
    start: int
    end: int
    matched: str
    score: float
    alias: str
    kind: str  # "name", "short", "derived", "inflected", "fuzzy"
    features: tuple[Feature, ...] = ()
    support: tuple[str, ...] = ()  # context that confirmed an ambiguous form

    @property
    def explanation(self) -> str:
        if len(self.features) == 1 and self.features[0].name == STORED:
            return self.features[0].why  # read back from the store: the whole explanation
        parts = [f"alias {self.alias!r}", f"{self.kind}", f"score {self.score:.2f}"]
        parts += [f.why for f in self.features]
        if self.support:
            parts.append("confirmed by " + ", ".join(self.support))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document, with character offsets into the document's text."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class AlertIntent:
    """What a rule decided should be alerted, before the store has seen it."""

    type: str
    severity: str
    entity_ids: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]  # (role, entity id or name as written)
    evidence: str
    evidence_start: int
    evidence_end: int
    rule_id: str
    rule_version: int
    why: str
    phase: str | None = None
    message: str = ""
    mentions: tuple[Mention, ...] = ()

    def role(self, name: str) -> str | None:
        for role, value in self.roles:
            if role == name:
                return value
        return None

    @property
    def key(self) -> str:
        """What makes two intents the same alert within one story."""
        roles = ",".join(f"{r}={v}" for r, v in sorted(self.roles))
        return f"{self.type}|{self.phase or ''}|{roles}|{','.join(sorted(self.entity_ids))}"


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert as stored."""

    id: int
    intent: AlertIntent
    article_id: int
    status: str
    created: datetime
    updated: datetime
    document: str = ""
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    def record(self) -> dict:
        """The JSON form of an alert shared by the file and webhook channels, `alerts list`
        and `alerts show --format json`."""
        i = self.intent
        rec: dict = {
            "id": self.id, "type": i.type, "status": self.status, "severity": i.severity,
            "entity_ids": list(i.entity_ids), "created": self.created.isoformat(),
            "updated": self.updated.isoformat(),
        }
        if i.phase:
            rec["phase"] = i.phase
        for role, value in i.roles:
            if role in ("target", "supporter"):
                rec[role] = value
        rec.update({
            "message": i.message, "evidence": i.evidence, "evidence_start": i.evidence_start,
            "evidence_end": i.evidence_end, "document": self.document,
            "rule_id": i.rule_id, "rule_version": i.rule_version, "why": i.why,
            "mentions": [{"entity_id": m.entity_id, "matched": m.matched, "start": m.start,
                          "end": m.end, "score": m.score} for m in i.mentions],
        })
        # Set by the store (assignee) and by the outbox (why this delivery, its sources).
        for key in ("assignee", "reason", "note", "delivery_id", "sources"):
            if self.extra.get(key) not in (None, ""):
                rec[key] = self.extra[key]
        if "sources" in rec:
            rec["sources"] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                               for k, v in s.items()} for s in rec["sources"]]
        return rec

    def segments(self) -> list[tuple[str, bool]]:
        """The evidence sentence cut into (text, is_matched_span) pieces, in order."""
        i = self.intent
        return cut(i.evidence, ((m.start - i.evidence_start, m.end - i.evidence_start)
                                for m in i.mentions))


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which stored alerts to list (`alerts list`, the triage queue, the API)."""

    status: str | None = None
    type: str | None = None
    entity_id: str | None = None
    severity: str | None = None
    since: datetime | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """The triage page's queue filter (storage/alert_queue.py)."""

    status: str | None = None
    type: str | None = None
    severity: str | None = None
    entity_id: str | None = None
    source: str | None = None
    since: datetime | None = None   # created at or after
    until: datetime | None = None   # created before
    assignee: str | None = None     # assigned to this name; "" for the unassigned ones
    entity_any: tuple[str, ...] = ()  # any of these entity ids (a name's matches)


CURATED_LIST = "curated"  # the list name of the curated watchlist's versions

ROLES: tuple[str, ...] = ("viewer", "analyst")


@dataclass(frozen=True, slots=True)
class User:
    """Someone who signs in to the web page."""

    id: int
    name: str
    role: str
    created: datetime
    disabled: bool

    @property
    def can_triage(self) -> bool:
        """Only analysts change alerts; viewers read."""
        return self.role == "analyst" and not self.disabled


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A client of the JSON API (`sanctionwatch tokens add`): its name is the actor of what
    it does in the audit trail; the token itself is never stored, only its hash."""

    id: int
    name: str
    role: str
    created: datetime
    last_used: datetime | None = None
    revoked: datetime | None = None
    prefix: str = ""  # the token's first characters, to tell tokens apart in `tokens list`

    @property
    def can_triage(self) -> bool:
        return self.role == "analyst" and self.revoked is None


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf: str
    expires: datetime
