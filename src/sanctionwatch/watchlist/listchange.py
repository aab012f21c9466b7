"""Official-list changes as events: what a refresh of a list changed, ranked for analysts.

Each refresh of a list is diffed against its previous version. The events are:

    new_designation   an entry appeared            delisting        an entry disappeared
    program_added     an entry gained a programme  program_removed  it lost one
    alias_added       an entry gained a name       new_link         two existing entries linked

An event ranks higher when its entry is on the curated watchlist (+2 severity levels) or is
linked to an entry that is (+1): the day OFAC added TCO to the Wagner Group, Wagner itself
(curated) gives a critical alert and each newly listed entity "Linked To" Wagner a high one.
Pure: the diff, the list and the curated watchlist in, events and alert intents out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sanctionwatch.types import SEVERITIES, AlertIntent, Entity, Watchlist
from sanctionwatch.watchlist.diff import WatchlistDiff
from sanctionwatch.watchlist.importers.base import entry_id_of
from sanctionwatch.watchlist.merge import curated_ids

KINDS = ("new_designation", "program_added", "delisting", "program_removed", "alias_added",
         "new_link")
_BASE = {"new_designation": 1, "program_added": 1, "delisting": 1, "program_removed": 0,
         "alias_added": 0, "new_link": 0}
_LABEL = {"new_designation": "new designation", "program_added": "programme added",
          "delisting": "delisted", "program_removed": "programme removed",
          "alias_added": "alias added", "new_link": "new link"}
RULE_ID = "list_change"


@dataclass(frozen=True, slots=True)
class ListChange:
    kind: str
    list_name: str
    date: str
    entity_id: str
    entry_id: str
    name: str
    detail: str
    severity: str
    curated: tuple[str, ...] = ()   # curated entities this entry is
    linked: tuple[str, ...] = ()    # curated entities this entry is linked to
    related: tuple[str, ...] = ()   # other list entries involved (a link's other end)

    @property
    def line(self) -> str:
        """One line for people and for the alert's evidence."""
        text = f"{self.date or 'undated'} {self.list_name} {self.entry_id} {self.name}: " \
               f"{_LABEL[self.kind]}"
        if self.detail:
            text += f" {self.detail}"
        if self.curated:
            text += f" — on the curated watchlist as {', '.join(self.curated)}"
        elif self.linked:
            text += f" — linked to curated {', '.join(self.linked)}"
        return text

    def record(self) -> dict:
        return {"kind": "list_change", "change": self.kind, "list": self.list_name,
                "date": self.date, "entity_id": self.entity_id, "entry_id": self.entry_id,
                "name": self.name, "detail": self.detail, "severity": self.severity,
                "curated": list(self.curated), "linked": list(self.linked),
                "related": list(self.related)}


def list_changes(diff: WatchlistDiff, list_name: str, kind: str, date: str,
                 old: Watchlist, new: Watchlist,
                 curated: Watchlist | None = None) -> list[ListChange]:
    """Every change event of one refresh, most severe first."""
    mapping = curated_ids(curated, list_name, kind) if curated is not None else {}
    out: list[ListChange] = []

    def event(k: str, e: Entity, detail: str, wl: Watchlist, related=()) -> None:
        mine = (mapping[e.id],) if e.id in mapping else ()
        near = () if mine else tuple(dict.fromkeys(
            mapping[n] for n in (*sorted(wl.neighbours.get(e.id, ())), *related)
            if n in mapping))
        level = _BASE[k] + (2 if mine else 1 if near else 0)
        out.append(ListChange(k, list_name, date, e.id, entry_id_of(e), e.name, detail,
                              SEVERITIES[min(level, 3)], mine, near, tuple(related)))

    added_ids = {e.id for e in diff.added}
    for e in diff.added:
        links = [new.by_id[n].name for n in sorted(new.neighbours.get(e.id, ()))
                 if n in new.by_id]
        detail = f"({', '.join(e.programs)})" if e.programs else ""
        if links:
            detail += f", linked to {'; '.join(links)}"
        event("new_designation", e, detail.lstrip(", "), new)
    for e in diff.removed:
        event("delisting", e, f"(was {', '.join(e.programs)})" if e.programs else "", old)
    for c in diff.changed:
        for p in c.added("programs"):
            event("program_added", c.new, p, new)
        for p in c.removed("programs"):
            event("program_removed", c.new, p, new)
        names = c.added("names")
        if names:
            event("alias_added", c.new, "; ".join(names), new)
    for r in diff.relations_added:
        if r.source in added_ids or r.target in added_ids:
            continue  # told with the new designation
        if r.source in new.by_id and r.target in new.by_id:
            event("new_link", new.by_id[r.source],
                  f"{r.relation.replace('_', ' ')} {new.by_id[r.target].name}", new,
                  (r.target,))
    out.sort(key=lambda c: (-SEVERITIES.index(c.severity), KINDS.index(c.kind), c.name))
    return out


def change_report(changes: Sequence[ListChange], title: str) -> tuple[str, list[AlertIntent]]:
    """The text of a change report (title, then one line per change) and one `list_change`
    alert intent per change, whose evidence is its line (offsets into the text)."""
    text = title + "\n"
    intents = []
    for c in changes:
        start = len(text)
        text += c.line + "\n"
        why = f"{c.list_name} refresh: {_LABEL[c.kind]}"
        if c.curated:
            why += "; the entry is on the curated watchlist"
        elif c.linked:
            why += "; the entry is linked to the curated watchlist"
        intents.append(AlertIntent(
            type="list_change", severity=c.severity,
            entity_ids=tuple(dict.fromkeys((c.entity_id, *c.curated, *c.linked))),
            roles=(("entity", c.entity_id), *(("curated", e) for e in c.curated),
                   ("list", c.list_name), ("change", c.kind), ("detail", c.detail[:200])),
            evidence=c.line, evidence_start=start, evidence_end=start + len(c.line),
            rule_id=RULE_ID, rule_version=1, why=why, phase=c.kind, message=c.line,
        ))
    return text, intents
