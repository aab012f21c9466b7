"""Rules as frozen values with their patterns compiled once.

A rule fires on a scope of text (a sentence, a window of tokens or a paragraph) when one of
its trigger patterns matches there, a watchlist mention in the same scope satisfies its target
conditions, and none of its negation patterns matches. Patterns are written in any language
and script; they are folded like the text they run on (`text.normalize.fold`), so "внесён",
"vnesen" and "désigné"/"designe" are written as the analyst would write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCOPES = ("sentence", "window", "paragraph")
RULE_TYPES = ("designation", "support_network", "network_link", "mention")
PHASES = ("announced", "effective", "lifted")


# Arabic and Han letters: patterns written in them run on the original text (Trigger.raw)
RAW_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger pattern: its language, its source text and its compiled, folded form."""

    lang: str
    source: str
    pattern: re.Pattern[str]
    passive: bool = False  # "Y receives arms from X": the target comes before the trigger
    # groups of strings: every match contains one string of each (prefilter); most selective
    # first
    required: tuple[tuple[str, ...], ...] = ()
    network: bool = False  # "the global network of X": X right after, supporters after X
    lemma: bool = False    # matched on the words' dictionary forms in `lang` (text.lemmas)
    # written in a script the fold transliterates (Arabic, Han): matched on the original
    # text, where "对…实施制裁" and "فرضت عقوبات على" keep the letters they are written in
    raw: bool = False


@dataclass(frozen=True, slots=True)
class EntityCondition:
    """Conditions a mention's entity must meet to take a role."""

    types: tuple[str, ...] = ()          # empty: any type
    programs: tuple[str, ...] = ()       # prefixes; empty: any
    curated: bool | None = None          # True: only the curated watchlist
    related_to_target: bool = False      # supporter must be related to the target

    def describe(self) -> str:
        parts = []
        if self.types:
            parts.append("type " + "/".join(self.types))
        if self.programs:
            parts.append("programme " + "/".join(self.programs))
        if self.curated:
            parts.append("on the curated list")
        return ", ".join(parts) or "any entity"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    version: int
    type: str
    severity: str
    file: str
    line: int
    phase: str | None = None
    priority: int = 0
    scope: str = "sentence"
    window: int = 12
    triggers: tuple[Trigger, ...] = ()
    negations: tuple[Trigger, ...] = ()
    target: EntityCondition = field(default_factory=EntityCondition)
    supporter: EntityCondition | None = None      # support rules: who supports
    supporter_names: bool = True                  # accept a supporter not on the list
    message: str = ""
    enabled: bool = True
    description: str = ""


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    files: tuple[str, ...] = ()

    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)
