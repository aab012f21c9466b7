"""The precision set from real news: (BBC article, entity) pairs labelled true or false.

`bench/eval/bbc_pairs.csv` holds `article,entity_id,label,matched,note`: the article's id in
the BBC corpus (the corpus stays in ../shared and is read at run time; no article text is
kept here), the entity `scan` found, `true` or `false` as judged by reading the article, the
span(s) matched, and why. Scoring: precision of the pairs found over the labelled ones, which
true pairs are no longer found, and which found pairs are not labelled yet.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sanctionwatch.errors import DataFileError, Problem

COLUMNS = ("article", "entity_id", "label", "matched", "note")


@dataclass(frozen=True)
class PairLabel:
    article: str
    entity_id: str
    true: bool
    matched: str = ""
    note: str = ""


def load_pairs(path: Path) -> dict[tuple[str, str], PairLabel]:
    """The labelled pairs; raises DataFileError naming every bad row."""
    problems: list[Problem] = []
    out: dict[tuple[str, str], PairLabel] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise DataFileError([Problem(str(path), 1, 1, f"missing columns: {missing}")])
        for row in reader:
            label = (row["label"] or "").strip().lower()
            key = ((row["article"] or "").strip(), (row["entity_id"] or "").strip())
            if label not in ("true", "false"):
                problems.append(Problem(str(path), reader.line_num, 3,
                                        f"label must be true or false, not {label!r}"))
            elif not all(key):
                problems.append(Problem(str(path), reader.line_num, 1,
                                        "article and entity_id are required"))
            elif key in out:
                problems.append(Problem(str(path), reader.line_num, 1, f"{key} labelled twice"))
            else:
                out[key] = PairLabel(*key, label == "true", row["matched"] or "",
                                     row["note"] or "")
    if problems:
        raise DataFileError(problems)
    return out


@dataclass
class PairReport:
    found: int = 0
    true_found: int = 0
    false_found: list[PairLabel] = field(default_factory=list)
    true_missed: list[PairLabel] = field(default_factory=list)
    unlabelled: list[tuple[str, str, str]] = field(default_factory=list)  # article, id, matched

    @property
    def labelled_found(self) -> int:
        return self.true_found + len(self.false_found)

    @property
    def precision(self) -> float:
        return self.true_found / self.labelled_found if self.labelled_found else 1.0

    def as_dict(self) -> dict:
        return {"pairs_found": self.found, "labelled_found": self.labelled_found,
                "true_found": self.true_found, "precision": round(self.precision, 4),
                "false_found": [(p.article, p.entity_id, p.matched) for p in self.false_found],
                "true_missed": [(p.article, p.entity_id, p.matched) for p in self.true_missed],
                "unlabelled": self.unlabelled}


def score_pairs(found: dict[tuple[str, str], str],
                labels: dict[tuple[str, str], PairLabel]) -> PairReport:
    """`found`: (article, entity id) -> the text matched, for every pair the engine found."""
    report = PairReport(found=len(found))
    for key, matched in sorted(found.items()):
        label = labels.get(key)
        if label is None:
            report.unlabelled.append((*key, matched))
        elif label.true:
            report.true_found += 1
        else:
            report.false_found.append(label)
    report.true_missed = [lb for key, lb in sorted(labels.items())
                          if lb.true and key not in found]
    return report
