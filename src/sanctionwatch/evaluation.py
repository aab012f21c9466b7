"""Evaluate matching and rules against a labelled set (bench/eval/ layout).

A set is a folder with `docs/*.txt`, `labels.csv` (doc, lang, entity_id, present, alert_type,
phase, supporter, notes) and `watchlist/entities.csv`. Mentions are scored per (document,
entity); alerts per (document, type, target[, supporter]), and designation phases on the
designation alerts found. Labels with present=0 are traps: the entity must not be found.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sanctionwatch.analysis import Analyzer
from sanctionwatch.rules.model import RuleSet
from sanctionwatch.watchlist.csvfile import load_watchlist


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set, found: set) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)


@dataclass
class Report:
    mentions: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    alerts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    trap_firings: list[str] = field(default_factory=list)
    phase_right: int = 0
    phase_total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def phase_accuracy(self) -> float:
        return self.phase_right / self.phase_total if self.phase_total else 1.0


def _labels(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def evaluate_set(folder: Path, rules: RuleSet, languages: Iterable[str] | None = None) -> Report:
    watchlist = load_watchlist(folder / "watchlist")
    analyzer = Analyzer(watchlist, rules)
    labels = _labels(folder / "labels.csv")
    by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in labels:
        by_doc[row["doc"]].append(row)
    report = Report()
    for doc, rows in sorted(by_doc.items()):
        lang = rows[0]["lang"]
        if languages and lang not in languages:
            continue
        text = (folder / "docs" / doc).read_text(encoding="utf-8")
        result = analyzer.analyze(text)
        found = {m.entity_id for m in result.mentions}
        gold = {r["entity_id"] for r in rows if r["present"] == "1"}
        traps = {r["entity_id"] for r in rows if r["present"] == "0"}
        for group in ("all", lang):
            report.mentions[group].add(gold, found)
        for t in sorted(traps & found):
            report.trap_firings.append(f"{doc}: {t}")
        gold_alerts = _gold_alerts(rows)
        found_alerts, phases = _found_alerts(result.intents)
        for group in ("all", lang):
            report.alerts[group].add(gold_alerts, found_alerts)
        for key, phase in _gold_phases(rows).items():
            if key in phases:
                report.phase_total += 1
                report.phase_right += phase in phases[key]
        for miss in sorted(gold - found):
            report.errors.append(f"missed mention  {doc}: {miss}")
        for extra in sorted(found - gold - traps):
            report.errors.append(f"extra mention   {doc}: {extra}")
        for miss in sorted(gold_alerts - found_alerts):
            report.errors.append(f"missed alert    {doc}: {miss}")
        for extra in sorted(found_alerts - gold_alerts):
            report.errors.append(f"extra alert     {doc}: {extra}")
    return report


def _gold_alerts(rows: list[dict[str, str]]) -> set[tuple[str, ...]]:
    out = set()
    for r in rows:
        if r["present"] != "1" or r["alert_type"] not in ("designation", "support_network"):
            continue
        if r["alert_type"] == "designation":
            out.add(("designation", r["entity_id"]))
        else:
            out.add(("support_network", r["entity_id"], r["supporter"]))
    return out


def _gold_phases(rows: list[dict[str, str]]) -> dict[tuple[str, ...], str]:
    return {("designation", r["entity_id"]): r["phase"] for r in rows
            if r["present"] == "1" and r["alert_type"] == "designation"}


def _found_alerts(intents) -> tuple[set[tuple[str, ...]], dict[tuple[str, ...], set[str]]]:
    found: set[tuple[str, ...]] = set()
    phases: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for i in intents:
        if i.type == "designation":
            key = ("designation", i.role("target") or "")
            found.add(key)
            phases[key].add(i.phase or "")
        elif i.type == "support_network":
            found.add(("support_network", i.role("target") or "", i.role("supporter") or ""))
    return found, phases


def format_report(report: Report) -> str:
    lines = ["mentions (document, entity)", f"  {'group':<6} {'P':>6} {'R':>6} {'F1':>6}"
             f" {'tp':>4} {'fp':>4} {'fn':>4}"]
    for group, c in sorted(report.mentions.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        lines.append(f"  {group:<6} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
                     f" {c.tp:4d} {c.fp:4d} {c.fn:4d}")
    lines.append("alerts (document, type, target[, supporter])")
    for group, c in sorted(report.alerts.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        lines.append(f"  {group:<6} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
                     f" {c.tp:4d} {c.fp:4d} {c.fn:4d}")
    lines.append(f"designation phase correct: {report.phase_right}/{report.phase_total}"
                 f" = {report.phase_accuracy:.3f}")
    lines.append(f"trap firings: {len(report.trap_firings)}")
    lines += [f"  {t}" for t in report.trap_firings]
    return "\n".join(lines)
