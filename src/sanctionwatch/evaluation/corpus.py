"""The evaluation corpus on disk (bench/eval/README.md): documents, their sources and labels.

`load_corpus(folder)` reads `docs/*.txt`, `sources/<lang>.csv` and `labels/<lang>.csv`
and checks them against each other; every problem is reported as `file:line:column`, and
nothing is returned unless the whole corpus is consistent. Pure apart from reading files.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from sanctionwatch.errors import DataFileError, Problem

SOURCE_COLUMNS = ("doc", "lang", "programme", "kind", "event", "event_date", "facts_checked",
                  "author", "reviewer")
LABEL_COLUMNS = ("doc", "entity_id", "present", "alert_type", "phase", "supporter", "also",
                 "trap", "notes")
KINDS = frozenset({"event", "background", "negative", "trap"})
ALERT_TYPES = frozenset({"", "designation", "support_network"})
PHASES = frozenset({"announced", "effective", "lifted"})


@dataclass(frozen=True)
class Label:
    """One row of `labels/<lang>.csv`."""

    doc: str
    entity_id: str
    present: bool
    alert_type: str = ""
    phase: str = ""
    supporter: str = ""
    also: tuple[str, ...] = ()
    trap: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Document:
    """One document with what `sources/<lang>.csv` says of it and its labels."""

    name: str
    lang: str
    programme: str
    kind: str
    text: str
    labels: tuple[Label, ...] = ()
    event: str = ""
    event_date: str = ""
    facts_checked: str = ""
    author: str = ""
    reviewer: str = ""

    @property
    def present(self) -> tuple[Label, ...]:
        return tuple(lb for lb in self.labels if lb.present)

    @property
    def traps(self) -> tuple[Label, ...]:
        return tuple(lb for lb in self.labels if not lb.present)


@dataclass(frozen=True)
class Corpus:
    folder: Path
    documents: tuple[Document, ...]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({d.lang for d in self.documents}))

    def entity_ids(self) -> set[str]:
        """Every entity id the labels name (present, trap or `also`)."""
        out: set[str] = set()
        for d in self.documents:
            for lb in d.labels:
                out.update(i for i in (lb.entity_id, *lb.also) if i)
                if lb.alert_type == "support_network" and ":" in lb.supporter:
                    out.add(lb.supporter)  # a list entry's id; a name as written has no ':'
        return out


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split("|") if p.strip())


def _rows(path: Path, columns: Iterable[str], problems: list[Problem]):
    """(line, row) of a CSV file with a header; a missing column is one problem."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            problems.append(Problem(str(path), 1, 1, f"missing columns: {', '.join(missing)}"))
            return
        for row in reader:
            if None in row:
                problems.append(Problem(str(path), reader.line_num, 1,
                                        "more cells than the header has columns"))
                continue
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def _label(path: Path, line: int, row: dict[str, str], problems: list[Problem]) -> Label | None:
    def bad(column: str, message: str) -> None:
        problems.append(Problem(str(path), line, LABEL_COLUMNS.index(column) + 1, message))

    if row["present"] not in ("0", "1"):
        bad("present", f"present must be 0 or 1, not {row['present']!r}")
        return None
    present = row["present"] == "1"
    kind, phase = row["alert_type"], row["phase"]
    if kind not in ALERT_TYPES:
        bad("alert_type", f"unknown alert_type {kind!r}")
    elif not present and (kind or phase):
        bad("alert_type", "a trap row (present=0) carries no alert")
    elif not present and not (row["entity_id"] or row["trap"]):
        bad("entity_id", "a trap row names an entity id, a trap string, or both")
    elif present and not row["entity_id"]:
        bad("entity_id", "a present row names the entity")
    elif kind == "designation" and phase not in PHASES:
        bad("phase", f"a designation needs a phase ({', '.join(sorted(PHASES))})")
    elif kind != "designation" and phase:
        bad("phase", "only designation rows have a phase")
    elif kind == "support_network" and not row["supporter"]:
        bad("supporter", "a support row names its supporter")
    else:
        return Label(row["doc"], row["entity_id"], present, kind, phase, row["supporter"],
                     _split(row["also"]), row["trap"], row["notes"])
    return None


def load_corpus(folder: Path, langs: Collection[str] | None = None) -> Corpus:
    """The corpus in `folder` (only the documents of `langs` when given), checked; raises
    DataFileError listing every problem."""
    problems: list[Problem] = []

    def wanted(name: str) -> bool:
        return langs is None or name.split("_", 1)[0].split(".", 1)[0] in langs

    texts = {p.name: p for p in sorted((folder / "docs").glob("*.txt")) if wanted(p.name)}
    meta: dict[str, tuple[str, dict[str, str]]] = {}
    for path in sorted(p for p in (folder / "sources").glob("*.csv") if wanted(p.name)):
        for line, row in _rows(path, SOURCE_COLUMNS, problems):
            where = f"{path}:{line}"
            if row["doc"] in meta:
                problems.append(Problem(str(path), line, 1, f"{row['doc']} listed twice"))
            elif row["doc"] not in texts:
                problems.append(Problem(str(path), line, 1, f"no file docs/{row['doc']}"))
            elif row["kind"] not in KINDS:
                problems.append(Problem(str(path), line, SOURCE_COLUMNS.index("kind") + 1,
                                        f"kind must be one of {', '.join(sorted(KINDS))}"))
            elif not row["doc"].startswith(f"{row['lang']}_"):
                problems.append(Problem(str(path), line, 2,
                                        f"{row['doc']} is not named after its language"))
            else:
                meta[row["doc"]] = (where, row)
    for name in texts.keys() - meta.keys():
        problems.append(Problem(str(folder / "docs" / name), 1, 1, "no row in sources/"))
    labels: dict[str, list[Label]] = {}
    for path in sorted(p for p in (folder / "labels").glob("*.csv") if wanted(p.name)):
        for line, row in _rows(path, LABEL_COLUMNS, problems):
            if row["doc"] not in meta:
                problems.append(Problem(str(path), line, 1, f"unknown document {row['doc']!r}"))
                continue
            label = _label(path, line, row, problems)
            if label is not None:
                labels.setdefault(label.doc, []).append(label)
    if problems:
        raise DataFileError(problems)
    docs = []
    for name, (_, row) in sorted(meta.items()):
        docs.append(Document(
            name=name, lang=row["lang"], programme=row["programme"], kind=row["kind"],
            text=texts[name].read_text(encoding="utf-8"), labels=tuple(labels.get(name, ())),
            event=row["event"], event_date=row["event_date"],
            facts_checked=row["facts_checked"], author=row["author"],
            reviewer=row["reviewer"]))
    return Corpus(folder, tuple(docs))
