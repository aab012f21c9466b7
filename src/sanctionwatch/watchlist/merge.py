"""The watchlist in force: the curated CSV plus the official lists used for matching.

Curated entities keep their ids and `origin="curated"`; imported ones come in with their
list-prefixed ids. An imported entry that the analysts already curated — the curated row
names its entry id in an extra column (`ofac_uid` for OFAC lists, or `<list name>_id`) — is
not added twice: the curated entity stands for it, and the list's relations to that entry are
redirected to the curated id. So "Linked To: PRIVATE MILITARY COMPANY 'WAGNER'" in the SDN
list relates the new entry to `wagner-group`, and the support-network rules see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sanctionwatch.types import Relation, Watchlist
from sanctionwatch.watchlist.csvfile import with_names

OFAC_KINDS = ("ofac_sdn", "ofac_consolidated")


@dataclass(frozen=True)
class ListSnapshot:
    """One official list's latest content, as the merge needs it."""

    name: str
    kind: str
    watchlist: Watchlist


def id_columns(list_name: str, kind: str) -> tuple[str, ...]:
    """Extra columns of entities.csv that may hold this list's entry id."""
    cols = [f"{list_name}_id", f"{list_name}_uid"]
    if kind in OFAC_KINDS:
        cols.append("ofac_uid")
    return tuple(cols)


def curated_ids(curated: Watchlist, list_name: str, kind: str) -> dict[str, str]:
    """Imported entity id (`<list>:<entry>`) -> the curated entity that stands for it."""
    cols = id_columns(list_name, kind)
    out: dict[str, str] = {}
    for e in curated.entities:
        for k, v in e.extra:
            if k in cols:
                for entry in v.replace(";", "|").split("|"):
                    if entry.strip():
                        out.setdefault(f"{list_name}:{entry.strip()}", e.id)
    return out


def merge(curated: Watchlist, lists: Sequence[ListSnapshot]) -> Watchlist:
    """Curated entities first, then every list entity the curated list does not cover;
    relations of all, with endpoints redirected to curated ids and repeats dropped."""
    if not lists:
        return curated
    entities = list(curated.entities)
    relations: list[Relation] = list(curated.relations)
    seen_rel = {(r.source, r.relation, r.target) for r in relations}
    taken = {e.id for e in entities}
    redirect: dict[str, str] = {}
    for snap in lists:
        mapping = curated_ids(curated, snap.name, snap.kind)
        redirect.update(mapping)
        for e in snap.watchlist.entities:
            if e.id not in mapping and e.id not in taken:
                entities.append(e)
                taken.add(e.id)
        for r in _redirect(snap.watchlist.relations, mapping):
            key = (r.source, r.relation, r.target)
            if key not in seen_rel and r.source in taken and r.target in taken:
                seen_rel.add(key)
                relations.append(r)
    if curated.names:  # the press's names of list entries (names.csv)
        entities = with_names(entities, curated.names, redirect)
    return Watchlist(tuple(entities), tuple(relations), curated.names)


def _redirect(relations: Iterable[Relation], mapping: dict[str, str]) -> Iterable[Relation]:
    for r in relations:
        s, t = mapping.get(r.source, r.source), mapping.get(r.target, r.target)
        if s != t:
            yield r if (s, t) == (r.source, r.target) else Relation(s, r.relation, t, r.notes)
