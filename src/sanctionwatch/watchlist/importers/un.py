"""The UN Security Council consolidated list (XML, schema `sc-sanctions.xsd`).

Parsed with defusedxml (no entity expansion, no external references). Each INDIVIDUAL and
ENTITY becomes one entity whose list entry id is its REFERENCE_NUMBER (`CDi.001`): names from
FIRST_NAME .. FOURTH_NAME, aliases of quality a.k.a./f.k.a./Good plus the name in original
script (quality Low aliases are kept in `extra` as weak aliases, not matched), programme =
UN_LIST_TYPE, countries from nationality and addresses. A reference to another entry in the
comments ("Jamil Mukulu (CDi.015)") becomes an `associate_of` relation.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from sanctionwatch.errors import Problem, WatchlistError
from sanctionwatch.types import Entity, Relation
from sanctionwatch.watchlist.countries import country_codes
from sanctionwatch.watchlist.importers.base import (
    ImportedList,
    Progress,
    date_from_path,
    entity_id,
    provenance,
    unique,
)

_REF = re.compile(r"\(([A-Z]{2}[ie]\.\d{3})\)")
_STRONG = {"a.k.a.", "f.k.a.", "good", ""}


def _text(node: Element | None, tag: str) -> str:
    child = node.find(tag) if node is not None else None
    return (child.text or "").strip() if child is not None and child.text else ""


def _values(node: Element, tag: str) -> list[str]:
    return [(v.text or "").strip() for parent in node.findall(tag)
            for v in parent.findall("VALUE") if v.text and v.text.strip()]


def _entry(node: Element, person: bool, name: str, date: str) -> tuple[Entity, list[str]]:
    ref = _text(node, "REFERENCE_NUMBER") or _text(node, "DATAID")
    parts = [_text(node, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                      "FOURTH_NAME")]
    primary = " ".join(p for p in parts if p)
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    strong, weak = [], []
    for a in node.findall(alias_tag):
        alias = _text(a, "ALIAS_NAME")
        if alias:
            (strong if _text(a, "QUALITY").lower() in _STRONG else weak).append(alias)
    original = _text(node, "NAME_ORIGINAL_SCRIPT")
    countries = _values(node, "NATIONALITY")
    addr_tag = "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"
    countries += [_text(a, "COUNTRY") for a in node.findall(addr_tag)]
    comments = _text(node, "COMMENTS1")
    designations = _values(node, "DESIGNATION")
    entity = Entity(
        id=entity_id(name, ref), type="person" if person else "organization", name=primary,
        aliases=tuple(a for a in unique([*strong, original]) if a != primary),
        programs=unique([_text(node, "UN_LIST_TYPE")]),
        countries=country_codes([c for c in countries if c]),
        notes=comments,
        extra=provenance(name, ref, date, ("listed_on", _text(node, "LISTED_ON")),
                         ("weak_aliases", "|".join(unique(weak))),
                         ("designation", "|".join(designations))),
        origin=name,
    )
    return entity, [r for r in _REF.findall(comments) if r != ref]


def import_un(path: Path, name: str = "un", date: str = "",
              progress: Progress | None = None) -> ImportedList:
    """The UN consolidated list from its XML file."""
    if not path.is_file():
        raise WatchlistError([Problem(str(path), 0, 0, "file not found")])
    try:
        root = SafeET.parse(str(path)).getroot()
    except SafeET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise WatchlistError([Problem(str(path), line, col + 1, f"invalid XML: {exc}")]) from exc
    except DefusedXmlException as exc:
        raise WatchlistError([Problem(str(path), 0, 0, f"unsafe XML refused: {exc}")]) from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise WatchlistError([Problem(str(path), 1, 1, f"root element is <{root.tag}>, not "
                                      "<CONSOLIDATED_LIST> (the UN consolidated list)")])
    date = date or (root.get("dateGenerated") or "")[:10] or date_from_path(path)
    nodes = [(n, True) for n in root.iter("INDIVIDUAL")] + \
            [(n, False) for n in root.iter("ENTITY")]
    entities: list[Entity] = []
    refs: list[tuple[str, list[str]]] = []
    problems: list[Problem] = []
    for i, (node, person) in enumerate(nodes, 1):
        entity, mentioned = _entry(node, person, name, date)
        if not entity.name:
            problems.append(Problem(str(path), 0, 0, f"entry {entity.id}: no name; skipped"))
            continue
        entities.append(entity)
        refs.append((entity.id, mentioned))
        if progress and i % 500 == 0:
            progress(i, len(nodes))
    ids = {e.id for e in entities}
    relations = []
    for source, mentioned in refs:
        for ref in dict.fromkeys(mentioned):
            target = entity_id(name, ref)
            if target in ids:
                relations.append(Relation(source, "associate_of", target,
                                          f"named in the comments as {ref}"))
    if progress:
        progress(len(nodes), len(nodes))
    return ImportedList(name, "un", date, str(path), tuple(entities), tuple(relations),
                        tuple(problems))
