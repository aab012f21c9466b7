"""OpenSanctions / FollowTheMoney entities, one JSON object per line (`entities.ftm.json`).

Persons, organisations, companies, vessels and aircraft become entities (names from `name`,
`alias`, `previousName`; `weakAlias` kept in `extra`, not matched); `Sanction` objects add
their programme to the entity they sanction; interval schemata become relations:

    Ownership owner -> asset            owns        Directorship director -> organization  leads
    Family person -> relative           family_of   Associate person -> associate  associate_of
    Membership member -> organization   member_of   Employment employee -> employer  acts_for
    Representation agent -> client      acts_for    UnknownLink subject -> object  associate_of
    Succession predecessor -> successor associate_of

Lines of the OpenSanctions delta feed (`{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`) are read
too: ADD and MOD carry an entity, DEL is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

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

THINGS = {"Person": "person", "Organization": "organization", "Company": "organization",
          "LegalEntity": "organization", "PublicBody": "organization", "Vessel": "vessel",
          "Airplane": "aircraft"}
LINKS = {  # schema: (source property, target property, relation)
    "Ownership": ("owner", "asset", "owns"),
    "Directorship": ("director", "organization", "leads"),
    "Family": ("person", "relative", "family_of"),
    "Associate": ("person", "associate", "associate_of"),
    "Membership": ("member", "organization", "member_of"),
    "Employment": ("employee", "employer", "acts_for"),
    "Representation": ("agent", "client", "acts_for"),
    "UnknownLink": ("subject", "object", "associate_of"),
    "Succession": ("predecessor", "successor", "associate_of"),
}
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry",
                  "registrationCountry")


def _read(path: Path, problems: list[Problem]) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise WatchlistError([Problem(str(path), 0, 0, "file not found")])
    out = []
    with path.open(encoding="utf-8") as fh:
        for line, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(path), line, exc.colno, f"invalid JSON: {exc.msg}"))
                continue
            if isinstance(obj, dict) and "op" in obj and "entity" in obj:
                if obj["op"] == "DEL":
                    continue
                obj = obj["entity"]
            if not isinstance(obj, dict) or "schema" not in obj or "id" not in obj:
                problems.append(Problem(str(path), line, 1, "not a FollowTheMoney entity "
                                        "(needs 'id' and 'schema'); skipped"))
                continue
            out.append((line, obj))
    return out


def import_ftm(path: Path, name: str = "ftm", date: str = "",
               progress: Progress | None = None) -> ImportedList:
    """FollowTheMoney entities and their links from a JSON lines file."""
    problems: list[Problem] = []
    objs = _read(path, problems)
    if not date:
        seen = [str(o.get("last_seen") or "")[:10] for _l, o in objs]
        date = date_from_path(path) or max((s for s in seen if s), default="")
    programs: dict[str, list[str]] = {}
    for _line, o in objs:
        if o["schema"] == "Sanction":
            props = o.get("properties") or {}
            for target in props.get("entity", []):
                programs.setdefault(target, []).extend(
                    props.get("programId") or props.get("program") or [])
    entities: list[Entity] = []
    for n, (_line, o) in enumerate(objs, 1):
        etype = THINGS.get(o["schema"])
        if etype is None:
            continue
        props = o.get("properties") or {}
        names = unique([*props.get("name", []), *props.get("alias", []),
                        *props.get("previousName", [])])
        caption = (o.get("caption") or "").strip()
        if caption in names:  # the caption is the name OpenSanctions shows first
            names = (caption, *(n for n in names if n != caption))
        if not names:
            continue
        countries = [c for p in _COUNTRY_PROPS for c in props.get(p, [])]
        entities.append(Entity(
            id=entity_id(name, o["id"]), type=etype, name=names[0], aliases=names[1:],
            programs=unique(programs.get(o["id"], [])),
            countries=country_codes(countries),
            notes="; ".join(props.get("notes", [])),
            extra=provenance(name, o["id"], date,
                             ("datasets", "|".join(o.get("datasets") or [])),
                             ("topics", "|".join(props.get("topics", []))),
                             ("weak_aliases", "|".join(props.get("weakAlias", []))),
                             ("schema", o["schema"])),
            origin=name,
        ))
        if progress and n % 1000 == 0:
            progress(n, len(objs))
    ids = {e.id for e in entities}
    relations: list[Relation] = []
    for line, o in objs:
        link = LINKS.get(o["schema"])
        if link is None:
            continue
        props = o.get("properties") or {}
        role = "; ".join(props.get("role", []) + props.get("relationship", []))
        for s in props.get(link[0], []):
            for t in props.get(link[1], []):
                sid, tid = entity_id(name, s), entity_id(name, t)
                if sid in ids and tid in ids:
                    relations.append(Relation(sid, link[2], tid, role or o["schema"]))
                else:
                    problems.append(Problem(str(path), line, 1, f"{o['schema']} {o['id']} links "
                                            "an entity that is not in the file; not imported"))
    if progress:
        progress(len(objs), len(objs))
    return ImportedList(name, "ftm", date, str(path), tuple(entities),
                        tuple(dict.fromkeys(relations)), tuple(problems))
