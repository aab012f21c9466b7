"""End-to-end throughput of one `run --once` over the BBC corpus given as a JSONL source.

    python bench/bench_pipeline.py [--corpus PATH] [--profile]

Reads ../shared/data/news-corpus/bbc/bbc_news_2225.jsonl at run time (never copied), stores
into a fresh SQLite file in a temporary folder, and prints: articles/s end to end for the first
run (fetch, dedupe, match, evaluate, store), the second run's time as a share of the first (it
must add nothing), and how the first run's time splits between matching/evaluation (the
analyser) and everything else. Targets (issue 6): >= 300 articles/s; second run <= 10 %.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

from sanctionwatch.app import make_app
from sanctionwatch.config import load_settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "news-corpus" / "bbc" / "bbc_news_2225.jsonl"


class TimedAnalyzer:
    """Wraps the app's analyser to measure the time spent matching and evaluating."""

    def __init__(self, inner):
        self.inner = inner
        self.seconds = 0.0
        self.calls = 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def analyze(self, text, trace=None):
        t = time.perf_counter()
        try:
            return self.inner.analyze(text, trace)
        finally:
            self.seconds += time.perf_counter() - t
            self.calls += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--profile", action="store_true", help="print the top functions")
    ap.add_argument("--scope", choices=("mentions", "all"), default="mentions",
                    help="which articles get near-duplicate signatures (dedupe.scope)")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    with args.corpus.open(encoding="utf-8") as fh:
        expected = sum(1 for line in fh if line.strip())
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config.yaml"
        cfg.write_text(json.dumps({
            "database": {"url": f"sqlite:///{Path(tmp) / 'bench.db'}"},
            "watchlist": {"path": str(REPO / "watchlist")},
            "rules": {"paths": [str(REPO / "rules")]},
            "sources": [{"name": "bbc", "kind": "jsonl", "path": str(args.corpus)}],
            "channels": [],
            "dedupe": {"scope": args.scope},
        }), encoding="utf-8")
        t = time.perf_counter()
        app = make_app(load_settings(cfg))
        startup = time.perf_counter() - t
        timed = TimedAnalyzer(app.analyzer)
        app.analyzer = timed
        profiler = cProfile.Profile() if args.profile else None
        t = time.perf_counter()
        if profiler:
            profiler.enable()
        first = app.run_once()
        if profiler:
            profiler.disable()
        first_s = time.perf_counter() - t
        stored = app.store.count_articles()
        t = time.perf_counter()
        second = app.run_once()
        second_s = time.perf_counter() - t
        app.close()
    new1 = sum(r.articles_new for r in first)
    new2 = sum(r.articles_new for r in second)
    joined = sum(r.joined for r in first)
    known = sum(r.articles_known for r in first)
    alerts = sum(len(r.alerts) for r in first)
    problems = [p for r in first + second for p in r.problems]
    rate = expected / first_s
    other = first_s - timed.seconds
    print(f"corpus: {args.corpus} ({expected} articles), dedupe.scope={args.scope}")
    print(f"startup (make_app): {startup:.2f} s")
    print(f"first run:  {first_s:.2f} s, {rate:.0f} articles/s end to end "
          f"({new1} stored, {known} exact duplicates, {joined} joined a story, "
          f"{alerts} alerts; {stored} rows)")
    print(f"  analyser (matching + rules): {timed.seconds:.2f} s "
          f"({timed.seconds / first_s:.0%}, {timed.calls / timed.seconds:.0f} articles/s alone)")
    print(f"  everything else (read, dedupe, store): {other:.2f} s ({other / first_s:.0%}, "
          f"{1000 * other / max(new1, 1):.2f} ms/article)")
    print(f"second run: {second_s:.3f} s = {second_s / first_s:.1%} of the first "
          f"({new2} new articles)")
    print(f"targets: >= 300 articles/s -> {'met' if rate >= 300 else 'NOT met'}; "
          f"second run <= 10 % -> {'met' if second_s <= 0.1 * first_s else 'NOT met'}")
    if problems:
        print("problems:", *problems[:10], sep="\n  ")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0 if new2 == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
