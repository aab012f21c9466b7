"""Reports of an evaluation run, for people (`format_text`) and for machines (`as_json`)."""

from __future__ import annotations

from collections import Counter

from sanctionwatch.evaluation.bbc import PairReport
from sanctionwatch.evaluation.corpus import Corpus
from sanctionwatch.evaluation.scoring import ALERT_TYPES, Counts, Report


def _row(group: str, c: Counts) -> str:
    return (f"  {group:<6} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
            f" {c.tp:5d} {c.fp:5d} {c.fn:5d}")


def _groups(report: Report) -> list[str]:
    return ["all", *sorted(g for g in report.mentions if g != "all")]


def corpus_summary(corpus: Corpus) -> str:
    langs = Counter(d.lang for d in corpus.documents)
    kinds = Counter(d.kind for d in corpus.documents)
    other = sum(1 for d in corpus.documents if d.programme not in ("RUSSIA", "NONE"))
    return (f"corpus: {len(corpus.documents)} documents in {len(langs)} languages ("
            + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())) + "); "
            + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
            + f"; {other} about programmes other than Russia")


def format_text(report: Report, pairs: PairReport | None = None, errors: bool = True) -> str:
    head = f"  {'group':<6} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
    lines = ["mentions (document, entity)", head]
    lines += [_row(g, report.mentions[g]) for g in _groups(report)]
    for t in ALERT_TYPES:
        lines += [f"{t} alerts", head]
        lines += [_row(g, report.alerts[(t, g)]) for g in _groups(report)]
    lines.append(f"designation phase correct: {report.phase_right}/{report.phase_total}"
                 f" = {report.phase_accuracy:.3f}")
    traps = report.trap_firings
    lines.append(f"trap firings: {len(traps)}")
    if pairs is not None:
        lines.append(f"BBC pairs: {pairs.found} found, {pairs.labelled_found} labelled, "
                     f"{pairs.true_found} true: precision {pairs.precision:.3f}; "
                     f"true pairs no longer found: {len(pairs.true_missed)}; "
                     f"unlabelled: {len(pairs.unlabelled)}")
    if errors:
        lines.append("")
        lines += [str(f) for f in sorted(report.findings, key=lambda f: (f.kind, f.doc))]
        if pairs is not None:
            lines += [f"bbc_false_pair   {p.article}: {p.entity_id} ({p.matched}; {p.note})"
                      for p in pairs.false_found]
            lines += [f"bbc_true_missed  {p.article}: {p.entity_id} ({p.matched})"
                      for p in pairs.true_missed]
            lines += [f"bbc_unlabelled   {a}: {e} ({m})" for a, e, m in pairs.unlabelled]
    return "\n".join(lines)


def as_json(report: Report, corpus: Corpus, pairs: PairReport | None = None) -> dict:
    groups = _groups(report)
    return {
        "documents": report.documents,
        "languages": sorted(g for g in groups if g != "all"),
        "mentions": {g: report.mentions[g].as_dict() for g in groups},
        "alerts": {t: {g: report.alerts[(t, g)].as_dict() for g in groups}
                   for t in ALERT_TYPES},
        "phase": {"right": report.phase_right, "total": report.phase_total,
                  "accuracy": round(report.phase_accuracy, 4)},
        "trap_firings": [f.as_dict() for f in report.trap_firings],
        "findings": [f.as_dict() for f in report.findings],
        "bbc": pairs.as_dict() if pairs is not None else None,
        "corpus": corpus_summary(corpus),
    }
