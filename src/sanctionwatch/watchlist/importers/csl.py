"""The US Consolidated Screening List (trade.gov CSV: one row per entry, with a header).

Each row names its source list (SDN, Entity List, DPL ...), so the programmes of an entity
are its source list's abbreviation ("EL", "DPL" ...) plus the row's `programs` (`; `-joined).
`alt_names` are `; `-joined aliases; countries come from nationalities, citizenships and the
country code ending each address. Cells may span lines: a real CSV parser is used. A second
header row (seen in real exports) is skipped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sanctionwatch.errors import Problem, WatchlistError
from sanctionwatch.types import Entity
from sanctionwatch.watchlist.countries import country_code, country_codes
from sanctionwatch.watchlist.importers.base import (
    ImportedList,
    Progress,
    date_from_path,
    entity_id,
    provenance,
    unique,
)
from sanctionwatch.watchlist.importers.ofac import read_csv_text

_TYPES = {"individual": "person", "entity": "organization", "vessel": "vessel",
          "aircraft": "aircraft", "": "organization"}
_ABBREV = re.compile(r"\(([A-Z][A-Za-z-]*(?: List)?)\)")
REQUIRED = ("_id", "source", "name")


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def _source_tag(source: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' -> 'EL'."""
    m = _ABBREV.search(source)
    return m.group(1).removesuffix(" List") if m else source.split(" - ")[0].strip()


def import_csl(path: Path, name: str = "csl", date: str = "",
               progress: Progress | None = None) -> ImportedList:
    """The Consolidated Screening List from its CSV file."""
    if not path.is_file():
        raise WatchlistError([Problem(str(path), 0, 0, "file not found")])
    reader = csv.DictReader(io.StringIO(read_csv_text(path), newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise WatchlistError([Problem(str(path), 1, 1, f"missing required column {c!r} (is this "
                                      "the Consolidated Screening List CSV?)") for c in missing])
    date = date or date_from_path(path)
    entities: list[Entity] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    line = 1
    try:
        for i, row in enumerate(reader, 1):
            start, line = line + 1, reader.line_num
            if row.get("_id") == "_id":
                continue
            entry, ename = (row.get("_id") or "").strip(), (row.get("name") or "").strip()
            if not entry or not ename:
                problems.append(Problem(str(path), start, 1, "row without _id or name; skipped"))
                continue
            if entry in seen:
                problems.append(Problem(str(path), start, 1, f"duplicate _id {entry!r}; skipped"))
                continue
            seen.add(entry)
            addresses = _split(row.get("addresses"))
            countries = country_codes(_split(row.get("nationalities")) +
                                      _split(row.get("citizenships")))
            countries += tuple(c for c in (country_code(a.rsplit(",", 1)[-1]) for a in addresses)
                               if c and c not in countries)
            entities.append(Entity(
                id=entity_id(name, entry),
                type=_TYPES.get((row.get("type") or "").strip().lower(), "other"),
                name=ename,
                aliases=tuple(a for a in unique(_split(row.get("alt_names"))) if a != ename),
                programs=unique([_source_tag(row.get("source") or ""),
                                 *_split(row.get("programs"))]),
                countries=countries,
                notes=(row.get("remarks") or "").strip(),
                extra=provenance(name, entry, date, ("source_list", row.get("source") or ""),
                                 ("start_date", row.get("start_date") or ""),
                                 ("entity_number", row.get("entity_number") or "")),
                origin=name,
            ))
            if progress and i % 1000 == 0:
                progress(i, None)
    except csv.Error as exc:
        problems.append(Problem(str(path), reader.line_num, 1, f"broken quoting: {exc}; "
                                "the rest of the file was not read"))
    if progress:
        progress(len(entities), len(entities))
    return ImportedList(name, "csl", date, str(path), tuple(entities), (), tuple(problems))
