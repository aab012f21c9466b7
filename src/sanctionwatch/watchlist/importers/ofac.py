"""OFAC's legacy CSV sets: the SDN list (`sdn.csv`, `alt.csv`, `add.csv`, `sdn_comments.csv`)
and the consolidated non-SDN list (`cons_prim.csv`, `cons_alt.csv`, `cons_add.csv`,
`cons_comments.csv`). Same layout, no header rows:

    primary  ent_num, name, type, programs, title, call sign, vessel type, tonnage, GRT,
             vessel flag, vessel owner, remarks
    alt      ent_num, alt_num, alt type (aka/fka/nka), alt name, alt remarks
    add      ent_num, add_num, address, city/state/postal, country, add remarks
    comments ent_num, the rest of remarks cut off in the primary file

`-0-` means empty; a trailing Ctrl-Z (0x1A) ends the file. Names are written "LAST, First"
for individuals (the matcher reads both orders). Programmes come joined as `TCO] [CAR`.
"Linked To: NAME" in the remarks becomes an `associate_of` relation to the entry of that name;
"a.k.a. 'NAME'" (and f.k.a., n.k.a.) in the remarks, an alias like those of `alt.csv`
(OFAC writes some aliases, "HESA" for Iran Aircraft Manufacturing Industrial Company, only
there).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sanctionwatch.errors import Problem, WatchlistError
from sanctionwatch.types import Entity, Relation
from sanctionwatch.watchlist.countries import country_code
from sanctionwatch.watchlist.importers.base import (
    ImportedList,
    Progress,
    date_from_path,
    entity_id,
    provenance,
    unique,
)

SDN_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONS_FILES = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
_TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "organization"}
_ALT_KINDS = {"aka": "a.k.a.", "fka": "f.k.a.", "nka": "n.k.a."}
_NATIONALITY = re.compile(r"^(?:alt\. )?(?:nationality|citizen)\s+(.+)$", re.I)
# aliases OFAC writes only in the remarks: "a.k.a. 'HESA'; a.k.a. 'IAMI'"
_REMARK_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'\.?$", re.I)


def clean(value: str | None) -> str:
    """A cell with OFAC's `-0-` (empty) marker and padding removed."""
    v = (value or "").strip()
    return "" if v == "-0-" else v


def split_programs(value: str) -> tuple[str, ...]:
    """`TCO] [UKRAINE-EO13660` (or `[TCO] [CAR]`) -> ("TCO", "UKRAINE-EO13660")."""
    return unique(p.strip(" []") for p in clean(value).split("] ["))


def read_csv_text(path: Path) -> str:
    """The file's text: UTF-8 if it is, else Windows-1252 (older OFAC files); Ctrl-Z cut."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\x1a", "")


def _rows(path: Path, problems: list[Problem], width: int):
    """(line, cells) of a headerless OFAC file; short or broken rows become problems."""
    reader = csv.reader(io.StringIO(read_csv_text(path), newline=""))
    line = 0
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(str(path), reader.line_num, 1, f"broken quoting: {exc}"))
            return
        line = reader.line_num
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) < width or not cells[0].strip().isdigit():
            problems.append(Problem(str(path), start, 1, f"expected {width} cells starting "
                                    f"with an entry number, got {len(cells)}; row skipped"))
            continue
        yield start, cells


def _find(path: Path, files: tuple[str, ...]) -> tuple[Path, dict[str, Path | None]]:
    """The primary file and its companions, given the folder or the primary file."""
    folder = path if path.is_dir() else path.parent
    primary = path if path.is_file() else folder / files[0]
    if not primary.is_file():
        raise WatchlistError([Problem(str(primary), 0, 0, "file not found (an OFAC set needs "
                                      f"{files[0]}; {', '.join(files[1:])} are optional)")])
    stem = primary.name.removesuffix(files[0])  # e.g. a prefixed copy "x_sdn.csv"
    others = {}
    for f in files[1:]:
        p = folder / (stem + f)
        others[f] = p if p.is_file() else None
    return primary, others


def _split_remarks(remarks: str) -> list[str]:
    parts = [p.strip() for p in remarks.split("; ")]
    return [p for p in parts if p]


def _import(path: Path, files: tuple[str, ...], kind: str, name: str, date: str,
            progress: Progress | None) -> ImportedList:
    primary, others = _find(path, files)
    date = date or date_from_path(primary)
    problems: list[Problem] = []
    remarks_more: dict[str, str] = {}
    if others[files[3]]:
        for _line, cells in _rows(others[files[3]], problems, 2):
            remarks_more[cells[0].strip()] = remarks_more.get(cells[0].strip(), "") + cells[1]
    alts: dict[str, list[tuple[str, str]]] = {}
    if others[files[1]]:
        for _line, cells in _rows(others[files[1]], problems, 4):
            alt = clean(cells[3])
            if alt:
                alts.setdefault(cells[0].strip(), []).append((clean(cells[2]).lower(), alt))
    countries: dict[str, list[str]] = {}
    if others[files[2]]:
        for _line, cells in _rows(others[files[2]], problems, 5):
            code = country_code(clean(cells[4]))
            if code:
                countries.setdefault(cells[0].strip(), []).append(code)

    rows = list(_rows(primary, problems, 12))
    total = len(rows)
    entities: list[Entity] = []
    links: list[tuple[str, str, str, int]] = []  # (source id, target name, path, line)
    for n, (line, cells) in enumerate(rows, 1):
        entry = cells[0].strip()
        ename = clean(cells[1])
        if not ename:
            problems.append(Problem(str(primary), line, 2, f"entry {entry}: empty name; "
                                    "row skipped"))
            continue
        remarks = clean(cells[11]) + remarks_more.get(entry, "")
        parts = _split_remarks(remarks)
        nationalities = []
        for p in parts:
            m = _NATIONALITY.match(p)
            if m:
                code = country_code(m.group(1))
                if code:
                    nationalities.append(code)
            if p.startswith("Linked To: "):
                links.append((entity_id(name, entry), p[len("Linked To: "):], str(primary),
                              line))
        entry_alts = list(alts.get(entry, []))
        in_remarks: list[str] = []
        for p in parts:
            m = _REMARK_ALIAS.match(p)
            if m and (alias := clean(m.group(2))):
                alt_kind = m.group(1).lower().replace(".", "")
                if (alt_kind, alias) not in entry_alts:
                    entry_alts.append((alt_kind, alias))
                    in_remarks.append(alias)
        alias_kinds = tuple(
            (k, "|".join(a for t, a in entry_alts if t == k)) for k in ("fka", "nka")
        )
        etype = _TYPES.get(clean(cells[2]).lower(), "other")
        vessel = tuple((k, clean(cells[i])) for k, i in
                       (("call_sign", 5), ("vessel_type", 6), ("vessel_flag", 9),
                        ("vessel_owner", 10)))
        entities.append(Entity(
            id=entity_id(name, entry), type=etype, name=ename,
            aliases=unique(a for _t, a in entry_alts if a != ename),
            programs=split_programs(cells[3]),
            countries=tuple(dict.fromkeys(countries.get(entry, []) + nationalities)),
            notes=remarks,
            extra=provenance(name, entry, date, ("title", clean(cells[4])), *alias_kinds,
                             *vessel, ("weak_aliases", "|".join(in_remarks))),
            origin=name,
        ))
        if progress and n % 2000 == 0:
            progress(n, total)
    relations = _resolve_links(entities, links, problems)
    if progress:
        progress(total, total)
    return ImportedList(name, kind, date, str(primary), tuple(entities), tuple(relations),
                        tuple(problems))


def _resolve_links(entities: list[Entity], links: list[tuple[str, str, str, int]],
                   problems: list[Problem]) -> list[Relation]:
    """"Linked To: NAME" -> a relation to the one entry whose primary name is NAME."""
    by_name: dict[str, list[str]] = {}
    for e in entities:
        by_name.setdefault(e.name.upper(), []).append(e.id)
    relations: list[Relation] = []
    seen: set[tuple[str, str]] = set()
    for source, target_name, path, line in links:
        ids = by_name.get(target_name.upper())
        if ids is None and target_name.endswith("."):
            target_name = target_name[:-1]
            ids = by_name.get(target_name.upper())
        if not ids or len(ids) > 1:
            why = "no entry" if not ids else f"{len(ids)} entries"
            problems.append(Problem(path, line, 12, f"'Linked To: {target_name}': {why} of "
                                    "that name in the list; link not imported"))
            continue
        if ids[0] != source and (source, ids[0]) not in seen:
            seen.add((source, ids[0]))
            relations.append(Relation(source, "associate_of", ids[0],
                                      f"Linked To: {target_name}"))
    return relations


def import_sdn(path: Path, name: str = "ofac_sdn", date: str = "",
               progress: Progress | None = None) -> ImportedList:
    """The OFAC SDN list from `sdn.csv` (a file, or the folder holding the set)."""
    return _import(path, SDN_FILES, "ofac_sdn", name, date, progress)


def import_consolidated(path: Path, name: str = "ofac_consolidated", date: str = "",
                        progress: Progress | None = None) -> ImportedList:
    """OFAC's consolidated (non-SDN) list from `cons_prim.csv` and its companions."""
    return _import(path, CONS_FILES, "ofac_consolidated", name, date, progress)


__all__ = ["clean", "import_consolidated", "import_sdn", "split_programs"]
