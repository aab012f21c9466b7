"""Load and validate the curated watchlist folder (`entities.csv`, `relations.csv`).

The contract is in DESIGN.md §5. Every problem is collected and reported as
`file:line:column: message`; nothing is loaded unless the whole folder is valid.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from sanctionwatch.errors import Problem, WatchlistError
from sanctionwatch.text.clean import clean_text
from sanctionwatch.types import ENTITY_TYPES, RELATION_KINDS, Entity, Relation, Watchlist
from sanctionwatch.watchlist.countries import country_code, is_country_code

ENTITY_COLUMNS = ("id", "type", "name", "aliases", "programs", "countries", "context",
                  "exclude", "notes")
REQUIRED_ENTITY_COLUMNS = ("id", "type", "name")
RELATION_COLUMNS = ("source", "relation", "target", "notes")
_ID = re.compile(r"^[A-Za-z0-9_.:\-]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def split_multi(value: str | None) -> tuple[str, ...]:
    """Split a `|`-separated cell into its trimmed, non-empty parts."""
    if not value:
        return ()
    return tuple(p.strip() for p in value.split("|") if p.strip())


def read_text(path: Path, problems: list[Problem], raw: bytes | None = None) -> str | None:
    """Read a UTF-8 file (BOM tolerated); report any other encoding with what to do."""
    if raw is None:
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            raw.decode("cp1252")
            hint = (" — it looks like Windows-1252 (a spreadsheet's 'CSV' export); "
                    "save it again as 'CSV UTF-8', or convert it with "
                    f"`iconv -f cp1252 -t utf-8 {path.name}`")
        except UnicodeDecodeError:
            pass
        problems.append(Problem(str(path), line, column,
                                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}){hint}"))
        return None


def _sniff_delimiter(text: str) -> str:
    """Comma by contract; a semicolon-separated file (European spreadsheets) is accepted."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _rows(path: Path, text: str, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; report rows with the wrong number of cells
    and broken quoting, then go on with the next row so every problem is listed."""
    delimiter = _sniff_delimiter(text)
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(str(path), 1, 1, "empty file: a header row is required"))
        return
    except csv.Error as exc:
        problems.append(Problem(str(path), 1, _quote_column(lines[0] if lines else "",
                                                             delimiter), f"broken quoting: {exc}"))
        return
    header = [h.strip() for h in header]
    for i, name in enumerate(header):
        if name and name in header[:i]:
            problems.append(Problem(str(path), 1, i + 1, f"column {name!r} appears twice in "
                                    "the header; its cells would be lost"))
    yield 1, {"__header__": "\x1f".join(header)}
    line = reader.line_num
    while True:
        start_line = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            first = lines[start_line - 1] if start_line - 1 < len(lines) else ""
            if "unexpected end of data" in str(exc):
                problems.append(Problem(str(path), start_line, _open_quote_column(first),
                                        "broken quoting: a quote opened here is never closed"))
                return
            problems.append(Problem(str(path), reader.line_num,
                                    _quote_column(lines[reader.line_num - 1]
                                                  if reader.line_num - 1 < len(lines) else "",
                                                  delimiter),
                                    f"broken quoting: {exc} (a quote inside a value must be "
                                    "doubled: \"\")"))
            line = reader.line_num
            continue
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(str(path), start_line, _column_at(cells, len(header)),
                                    f"{len(cells)} cells but the header has {len(header)} "
                                    "(an unquoted comma or '|' inside a value?)"))
            continue
        cells += [""] * (len(header) - len(cells))
        yield start_line, dict(zip(header, cells, strict=True))


def _quote_column(line: str, delimiter: str) -> int:
    """1-based column of the first quote that closes a value too early (`"AC"ME"`)."""
    quoted, at_start = False, True
    for i, ch in enumerate(line):
        if quoted:
            if ch == '"':
                nxt = line[i + 1: i + 2]
                if nxt == '"':
                    continue
                if nxt not in ("", delimiter, "\r", "\n"):
                    return i + 1
                quoted = False
        elif ch == '"' and at_start:
            quoted = True
        elif ch == '"':
            return i + 1
        at_start = ch == delimiter
    return 1


def _open_quote_column(line: str) -> int:
    """1-based column of the last quote that opens a value on this line."""
    idx = line.rfind('"')
    return idx + 1 if idx >= 0 else 1


def _column_at(cells: list[str], index: int) -> int:
    """1-based character column where cell `index` starts (approximate for quoted cells)."""
    return sum(len(c) + 1 for c in cells[:index]) + 1


def _col(header: list[str], name: str) -> int:
    return header.index(name) + 1 if name in header else 1


def load_entities(path: Path, problems: list[Problem], raw: bytes | None = None,
                  ids_seen: set[str] | None = None) -> list[Entity]:
    """Valid entities of entities.csv; every problem goes to `problems`, and every id
    written in the file (valid row or not) to `ids_seen`, so that relations to a row with
    another problem are not reported as unknown ids as well."""
    text = read_text(path, problems, raw)
    if text is None:
        return []
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    header: list[str] = []
    for line, row in _rows(path, text, problems):
        if "__header__" in row:
            header = row["__header__"].split("\x1f")
            missing = [c for c in REQUIRED_ENTITY_COLUMNS if c not in header]
            for c in missing:
                problems.append(Problem(str(path), 1, 1, f"missing required column '{c}'"))
            if missing:
                return []
            continue
        ok = True
        for col in REQUIRED_ENTITY_COLUMNS:
            if not row[col].strip():
                problems.append(Problem(str(path), line, _col(header, col), f"empty {col}"))
                ok = False
        eid, etype = row["id"].strip(), row["type"].strip().lower()
        if eid and not _ID.match(eid):
            problems.append(Problem(
                str(path), line, _col(header, "id"),
                f"id {eid!r} may only hold letters, digits, '-', '_', '.', ':'"))
            ok = False
        if eid in seen:
            problems.append(Problem(str(path), line, _col(header, "id"),
                                    f"duplicate id {eid!r} (first on line {seen[eid]})"))
            ok = False
        elif eid:
            seen[eid] = line
            if ids_seen is not None:
                ids_seen.add(eid)
        if etype and etype not in ENTITY_TYPES:
            problems.append(Problem(str(path), line, _col(header, "type"),
                                    f"unknown type {etype!r} (one of {', '.join(ENTITY_TYPES)})"))
            ok = False
        countries = split_multi(row.get("countries"))
        for c in countries:
            if not _COUNTRY.match(c.upper()) or not is_country_code(c):
                hint = country_code(c) if len(c) > 2 else ""
                problems.append(Problem(
                    str(path), line, _col(header, "countries"),
                    f"bad country code {c!r} (ISO 3166-1 alpha-2, e.g. RU)"
                    + (f"; did you mean {hint}?" if hint else "")))
                ok = False
        if not ok:
            continue
        extra = tuple((k, v) for k, v in row.items() if k not in ENTITY_COLUMNS)
        entities.append(Entity(
            id=eid, type=etype, name=row["name"].strip(),
            aliases=split_multi(row.get("aliases")),
            programs=split_multi(row.get("programs")),
            countries=tuple(c.upper() for c in countries),
            context=split_multi(row.get("context")),
            exclude=split_multi(row.get("exclude")),
            notes=(row.get("notes") or "").strip(),
            extra=extra,
        ))
    return entities


def load_relations(path: Path, ids: set[str], problems: list[Problem],
                   raw: bytes | None = None) -> list[Relation]:
    text = read_text(path, problems, raw)
    if text is None:
        return []
    relations: list[Relation] = []
    header: list[str] = []
    for line, row in _rows(path, text, problems):
        if "__header__" in row:
            header = row["__header__"].split("\x1f")
            missing = [c for c in ("source", "relation", "target") if c not in header]
            for c in missing:
                problems.append(Problem(str(path), 1, 1, f"missing required column '{c}'"))
            if missing:
                return []
            continue
        ok = True
        for col in ("source", "target"):
            value = row[col].strip()
            if not value:
                problems.append(Problem(str(path), line, _col(header, col), f"empty {col}"))
                ok = False
            elif value not in ids:
                problems.append(Problem(str(path), line, _col(header, col),
                                        f"{col} {value!r} is not an id in entities.csv"))
                ok = False
        if ok and row["source"].strip() == row["target"].strip():
            problems.append(Problem(str(path), line, _col(header, "target"),
                                    "an entity cannot be related to itself"))
            ok = False
        kind = row["relation"].strip().lower()
        if kind not in RELATION_KINDS:
            problems.append(Problem(
                str(path), line, _col(header, "relation"),
                f"unknown relation {kind!r} (one of {', '.join(RELATION_KINDS)})"))
            ok = False
        if ok:
            relations.append(Relation(row["source"].strip(), kind, row["target"].strip(),
                                      (row.get("notes") or "").strip()))
    return relations


def load_names(path: Path, ids: set[str], problems: list[Problem],
               raw: bytes | None = None) -> list[tuple[str, str]]:
    """(entity id, name) rows of names.csv: names the press uses for an entity of
    entities.csv or an entry of an imported list (written `<list>:<uid>`), in the scripts and
    spellings the list does not carry."""
    text = read_text(path, problems, raw)
    if text is None:
        return []
    out: list[tuple[str, str]] = []
    header: list[str] = []
    for line, row in _rows(path, text, problems):
        if "__header__" in row:
            header = row["__header__"].split("\x1f")
            missing = [c for c in ("entity_id", "name") if c not in header]
            for c in missing:
                problems.append(Problem(str(path), 1, 1, f"missing required column '{c}'"))
            if missing:
                return []
            continue
        eid, name = row["entity_id"].strip(), clean_text(row["name"]).strip()
        if not eid or not name:
            problems.append(Problem(str(path), line, _col(header, "entity_id" if not eid
                                                          else "name"),
                                    f"empty {'entity_id' if not eid else 'name'}"))
            continue
        if not _ID.match(eid):
            problems.append(Problem(
                str(path), line, _col(header, "entity_id"),
                f"id {eid!r} may only hold letters, digits, '-', '_', '.', ':'"))
            continue
        if ":" not in eid and eid not in ids:
            problems.append(Problem(
                str(path), line, _col(header, "entity_id"),
                f"entity_id {eid!r} is not an id in entities.csv (an entry of an imported list "
                "is written <list>:<uid>, e.g. ofac_sdn:4695)"))
            continue
        out.append((eid, name))
    return out


def with_names(entities: Iterable[Entity], names: Iterable[tuple[str, str]],
               redirect: dict[str, str] | None = None) -> list[Entity]:
    """`entities` with the names of `names` that belong to them added as aliases (an id of
    `redirect` stands for the entity it maps to)."""
    extra: dict[str, list[str]] = {}
    for eid, name in names:
        extra.setdefault((redirect or {}).get(eid, eid), []).append(name)
    out = []
    for e in entities:
        more = [n for n in extra.get(e.id, ()) if n not in e.aliases and n != e.name]
        out.append(replace(e, aliases=e.aliases + tuple(dict.fromkeys(more))) if more else e)
    return out


WATCHLIST_FILES = ("entities.csv", "relations.csv", "names.csv")


def read_folder(folder: Path) -> dict[str, bytes]:
    """The raw bytes of the watchlist files that exist in `folder` (relations.csv is
    optional). Reading once and parsing those bytes lets a watcher hash exactly what it
    validates."""
    out = {}
    for name in WATCHLIST_FILES:
        p = folder / name
        try:
            out[name] = p.read_bytes()
        except FileNotFoundError:
            continue
    return out


def parse_watchlist(folder: Path, files: dict[str, bytes]) -> Watchlist:
    """A watchlist from the raw files of `folder` (see `read_folder`), or `WatchlistError`
    listing every problem."""
    problems: list[Problem] = []
    entities_path = folder / "entities.csv"
    if "entities.csv" not in files:
        raise WatchlistError([Problem(str(entities_path), 0, 0, "file not found")])
    ids: set[str] = set()
    entities = load_entities(entities_path, problems, files["entities.csv"], ids)
    relations: list[Relation] = []
    if "relations.csv" in files and (entities or ids):
        relations = load_relations(folder / "relations.csv", ids, problems,
                                   files["relations.csv"])
    names: list[tuple[str, str]] = []
    if "names.csv" in files and (entities or ids):
        names = load_names(folder / "names.csv", ids, problems, files["names.csv"])
    if problems:
        raise WatchlistError(problems)
    return Watchlist(tuple(with_names(entities, names)), tuple(relations), tuple(names))


def load_watchlist(folder: Path) -> Watchlist:
    """Load `folder/entities.csv` and the optional `folder/relations.csv`, or raise
    `WatchlistError` listing every problem."""
    return parse_watchlist(folder, read_folder(folder))
