"""Score what the engine finds in the corpus against its labels (the rules of bench/eval/README).

Mentions count per (document, entity); designation alerts per (document, target), with the
phase compared on the designations found; support alerts per (document, target, supporter).
An `also` id counts as the labelled one. A supporter named by string (not on the watchlist)
is compared folded and accepted when one contains the other. Trap rows are counted apart:
a trap entity found, or a mention whose span covers a trap string.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sanctionwatch.analysis import Analysis
from sanctionwatch.evaluation.corpus import Corpus, Document, Label
from sanctionwatch.text.normalize import fold

ALERT_TYPES = ("designation", "support_network")


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

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class Finding:
    """One disagreement with the labels, for the analyst to read."""

    kind: str        # missed_mention, extra_mention, missed_alert, extra_alert, wrong_phase, trap
    doc: str
    lang: str
    what: str        # entity id, or the alert's key
    detail: str = ""  # the text matched, the phases found, the label's note

    def __str__(self) -> str:
        return f"{self.kind:<15} {self.doc}: {self.what}" + (f"  ({self.detail})" if self.detail
                                                              else "")

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "doc": self.doc, "lang": self.lang, "what": self.what,
                "detail": self.detail}


@dataclass
class Report:
    mentions: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # (alert type, group) -> counts; group is "all" or a language
    alerts: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    phase_right: int = 0
    phase_total: int = 0
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0

    @property
    def phase_accuracy(self) -> float:
        return self.phase_right / self.phase_total if self.phase_total else 1.0

    @property
    def trap_firings(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "trap"]

    def alert_counts(self, group: str = "all") -> Counts:
        """Designation and support alerts together, for one group."""
        total = Counts()
        for t in ALERT_TYPES:
            c = self.alerts[(t, group)]
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total


def _canon(labels: Iterable[Label]) -> dict[str, str]:
    """Every id a label accepts -> the id the label names."""
    out: dict[str, str] = {}
    for lb in labels:
        if lb.present:
            for other in lb.also:
                out.setdefault(other, lb.entity_id)
    for lb in labels:
        if lb.present:
            out[lb.entity_id] = lb.entity_id
    return out


def _same_supporter(gold: str, found: str, canon: dict[str, str], ids: set[str],
                    names: Callable[[str], Iterable[str]]) -> bool:
    if gold in ids:
        return canon.get(found, found) == gold
    g = fold(gold).strip()
    candidates = [found] if found not in ids else list(names(found))
    return any(g and (g in (f := fold(c).strip()) or (f and f in g)) for c in candidates)


def score_document(doc: Document, analysis: Analysis, ids: set[str], report: Report,
                   names: Callable[[str], Iterable[str]] = lambda _id: ()) -> None:
    """Add one document's agreement with its labels to `report`."""
    report.documents += 1
    canon = _canon(doc.labels)
    groups = ("all", doc.lang)
    found: dict[str, list[str]] = defaultdict(list)
    for m in analysis.mentions:
        found[canon.get(m.entity_id, m.entity_id)].append(m.matched)
    gold = {lb.entity_id for lb in doc.present}
    for g in groups:
        c = report.mentions[g]
        c.tp += len(gold & found.keys())
        c.fp += len(found.keys() - gold)
        c.fn += len(gold - found.keys())
    notes = {lb.entity_id: lb.notes for lb in doc.present}
    for miss in sorted(gold - found.keys()):
        report.findings.append(Finding("missed_mention", doc.name, doc.lang, miss, notes[miss]))
    trap_ids = {lb.entity_id for lb in doc.traps if lb.entity_id}
    for extra in sorted(found.keys() - gold):
        kind = "trap" if extra in trap_ids else "extra_mention"
        report.findings.append(Finding(kind, doc.name, doc.lang, extra,
                                       " | ".join(dict.fromkeys(found[extra]))))
    _trap_strings(doc, analysis, gold, canon, report)
    _score_alerts(doc, analysis, ids, canon, report, names)


def _trap_strings(doc: Document, analysis: Analysis, gold: set[str], canon: dict[str, str],
                  report: Report) -> None:
    """A mention of an entity the document does not name, whose span covers a trap string."""
    spans = []
    for lb in doc.traps:
        if lb.trap:
            for m in re.finditer(re.escape(lb.trap), doc.text, re.IGNORECASE):
                spans.append((m.start(), m.end(), lb.trap))
    fired = set()
    for m in analysis.mentions:
        if canon.get(m.entity_id, m.entity_id) in gold:
            continue
        for s, e, trap in spans:
            if m.start < e and s < m.end and (trap, m.entity_id) not in fired:
                fired.add((trap, m.entity_id))
                if not any(f.kind == "trap" and f.doc == doc.name and f.what == m.entity_id
                           for f in report.findings):
                    report.findings.append(Finding("trap", doc.name, doc.lang, m.entity_id,
                                                   f"{m.matched!r} on trap {trap!r}"))


def _score_alerts(doc: Document, analysis: Analysis, ids: set[str], canon: dict[str, str],
                  report: Report, names: Callable[[str], Iterable[str]]) -> None:
    groups = ("all", doc.lang)
    gold_des = {lb.entity_id: lb for lb in doc.present if lb.alert_type == "designation"}
    gold_sup = [lb for lb in doc.present if lb.alert_type == "support_network"]
    found_des: dict[str, set[str]] = defaultdict(set)
    found_sup: set[tuple[str, str]] = set()
    for i in analysis.intents:
        target = canon.get(i.role("target") or "", i.role("target") or "")
        if i.type == "designation":
            found_des[target].add(i.phase or "")
        elif i.type == "support_network":
            found_sup.add((target, i.role("supporter") or ""))
    c = [report.alerts[("designation", g)] for g in groups]
    for target, phases in sorted(found_des.items()):
        hit = target in gold_des
        for x in c:
            x.tp += hit
            x.fp += not hit
        if not hit:
            report.findings.append(Finding("extra_alert", doc.name, doc.lang,
                                           f"designation {target}", "/".join(sorted(phases))))
            continue
        report.phase_total += 1
        want = gold_des[target].phase
        if phases == {want}:
            report.phase_right += 1
        else:
            report.findings.append(Finding("wrong_phase", doc.name, doc.lang,
                                           f"designation {target}",
                                           f"labelled {want}, found {'/'.join(sorted(phases))}"))
    for target in sorted(gold_des.keys() - found_des.keys()):
        for x in c:
            x.fn += 1
        report.findings.append(Finding("missed_alert", doc.name, doc.lang,
                                       f"designation {target} ({gold_des[target].phase})",
                                       gold_des[target].notes))
    c = [report.alerts[("support_network", g)] for g in groups]
    matched_gold: set[int] = set()
    for target, supporter in sorted(found_sup):
        k = next((n for n, lb in enumerate(gold_sup) if n not in matched_gold
                  and lb.entity_id == target
                  and _same_supporter(lb.supporter, supporter, canon, ids, names)), None)
        for x in c:
            x.tp += k is not None
            x.fp += k is None
        if k is None:
            already = any(lb.entity_id == target and _same_supporter(
                lb.supporter, supporter, canon, ids, names) for lb in gold_sup)
            if already:  # a second alert for a link already counted: not noise, not a hit
                for x in c:
                    x.fp -= 1
                continue
            report.findings.append(Finding("extra_alert", doc.name, doc.lang,
                                           f"support {supporter} -> {target}"))
        else:
            matched_gold.add(k)
    for n, lb in enumerate(gold_sup):
        if n not in matched_gold:
            for x in c:
                x.fn += 1
            report.findings.append(Finding("missed_alert", doc.name, doc.lang,
                                           f"support {lb.supporter} -> {lb.entity_id}",
                                           lb.notes))


def score_corpus(corpus: Corpus, analyze: Callable[[str], Analysis], ids: set[str],
                 languages: Iterable[str] | None = None,
                 names: Callable[[str], Iterable[str]] = lambda _id: ()) -> Report:
    """Run `analyze` on every document (of `languages`, when given) and score it."""
    wanted = set(languages or ())
    report = Report()
    for doc in corpus.documents:
        if wanted and doc.lang not in wanted:
            continue
        score_document(doc, analyze(doc.text), ids, report, names)
    return report
