"""Score sanctionwatch on the team's evaluation corpus and on the BBC precision set.

    python bench/eval/run_eval.py [--lang xx ...] [--errors] [--json] [--no-bbc]

The watchlist is the one an analyst runs: the full OFAC SDN list of 2023-12-28 from
../shared/data/ofac (imported by the `ofac_sdn` importer, ids `ofac_sdn:<uid>`) merged with
the curated file bench/eval/watchlist/. Prints entity P/R/F1 overall and per language, alert
P/R per type and per language, designation phase agreement, trap firings, the BBC pair
precision, and (with --errors, or always in --json) every false positive and negative.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sanctionwatch.analysis import Analyzer
from sanctionwatch.evaluation import eval_watchlist
from sanctionwatch.evaluation.bbc import load_pairs, score_pairs
from sanctionwatch.evaluation.corpus import load_corpus
from sanctionwatch.evaluation.report import as_json, corpus_summary, format_text
from sanctionwatch.evaluation.scoring import score_corpus
from sanctionwatch.matching.cache import load_or_build
from sanctionwatch.rules.loader import load_rules

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared" / "data"
BBC = SHARED / "news-corpus" / "bbc" / "bbc_news_2225.jsonl"


def bbc_found(analyzer: Analyzer) -> dict[tuple[str, str], str]:
    """(article id, entity id) -> the spans matched, for every pair found in the BBC corpus."""
    found: dict[tuple[str, str], list[str]] = {}
    with BBC.open(encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            for m in analyzer.analyze(art["text"]).mentions:
                spans = found.setdefault((str(art["id"]), m.entity_id), [])
                if m.matched not in spans:
                    spans.append(m.matched)
    return {k: " | ".join(v) for k, v in found.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", action="append", help="only these languages (repeatable)")
    ap.add_argument("--errors", action="store_true", help="list every miss and extra")
    ap.add_argument("--json", action="store_true", help="one JSON object, for machines")
    ap.add_argument("--no-bbc", action="store_true", help="skip the BBC precision set")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder")
    args = ap.parse_args()
    sdn = args.shared / "ofac"
    if not (sdn / "sdn.csv").is_file():
        print(f"error: the OFAC SDN list is not at {sdn} (it comes with ../shared/data)",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    corpus = load_corpus(HERE, args.lang)
    watchlist = eval_watchlist(HERE / "watchlist", sdn)
    matcher = load_or_build(watchlist, cache_dir=ROOT / ".cache" / "eval-index")
    analyzer = Analyzer(watchlist, load_rules([args.rules]), matcher=matcher)
    ids = {e.id for e in watchlist.entities}
    by_id = {e.id: e for e in watchlist.entities}
    unknown = sorted(corpus.entity_ids() - ids)
    if unknown:
        print(f"error: labels name ids that are not on the watchlist: {unknown}",
              file=sys.stderr)
        return 2
    report = score_corpus(corpus, analyzer.analyze, ids, args.lang,
                          names=lambda i: by_id[i].names if i in by_id else ())
    pairs = None
    if not args.no_bbc and BBC.is_file():
        pairs = score_pairs(bbc_found(analyzer), load_pairs(HERE / "bbc_pairs.csv"))
    if args.json:
        print(json.dumps(as_json(report, corpus, pairs), ensure_ascii=False, indent=1))
    else:
        print(corpus_summary(corpus))
        print(f"watchlist: {len(watchlist.entities):,} entities "
              f"({sum(len(e.names) for e in watchlist.entities):,} names); "
              f"{time.perf_counter() - t0:.1f} s")
        print(format_text(report, pairs, errors=args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
