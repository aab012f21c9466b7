"""Benchmark of rule evaluation (issue: rule engine): what it adds to matching time.

    python bench/bench_rules.py [--docs N] [--folds K]

Prints, measured in one run on the same articles and watchlist (full OFAC SDN of 2023-12-28
plus the curated list, read from ../shared/data at run time), what sentence splitting and rule
evaluation add to the matching stage's CPU time per article (target <= 20 %):

- on the BBC corpus, read again and again (best of 5 passes);
- on the evaluation articles, which all name listed entities, read as the daemon reads news:
  each article once, by an analyzer that has already read the BBC corpus and the other
  evaluation articles (K folds, each in a fresh process forked before any article was read).
  An article's own new words (names, rare words in seven languages) are then looked up for
  the first time, as they are in production;
- on the evaluation articles read 20 times over: every word of each article is then known to
  the matcher, a state no new article is in; shown as the bound it is.

Alert quality is measured by bench/eval/run_eval.py.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time

from bench_matching import ROOT, load_docs, sdn_watchlist

from sanctionwatch.analysis import Analyzer
from sanctionwatch.evaluation.corpus import load_corpus
from sanctionwatch.rules.evaluate import evaluate
from sanctionwatch.rules.loader import load_rules
from sanctionwatch.text.sentences import split_sentences


def cpu_seconds(fn, docs: list[str]) -> float:
    """CPU time of this process for one pass of `fn` over the articles (wall time on the
    shared two-core machine swings by a third)."""
    start = time.process_time()
    for d in docs:
        fn(d)
    return time.process_time() - start


def added(analyzer: Analyzer, docs: list[str], passes: int = 5) -> tuple[float, float]:
    """Best-of-`passes` CPU seconds of matching alone and of matching + sentence splitting +
    rules, alternating so both see the same machine load."""
    best_match = best_all = float("inf")
    for _ in range(passes):
        best_match = min(best_match, cpu_seconds(analyzer.matcher.find, docs))
        best_all = min(best_all, cpu_seconds(analyzer.analyze, docs))
    return best_match, best_all


def first_sight(analyzer: Analyzer, seen: list[str], articles: list[str]) -> tuple[float, float]:
    """CPU seconds of matching, and of sentence splitting + rules, for each of `articles`
    read once by `analyzer` after it has read `seen`."""
    for d in seen:
        analyzer.analyze(d)
    match = rules = 0.0
    for d in articles:
        start = time.process_time()
        mentions = analyzer.matcher.find(d)
        mid = time.process_time()
        if mentions:
            evaluate(analyzer.rules, d, mentions, analyzer.watchlist, split_sentences(d))
        match += mid - start
        rules += time.process_time() - mid
    return match, rules


def _fold(analyzer, seen, articles, out) -> None:
    out.put(first_sight(analyzer, seen, articles))


def first_sight_folds(analyzer: Analyzer, bbc: list[str], articles: list[str],
                      folds: int) -> tuple[float, float]:
    """`first_sight` of each fold of the evaluation articles after the BBC corpus and the
    other folds, each fold in a process forked from `analyzer` before it read anything (the
    word caches are per process), one after the other."""
    ctx = multiprocessing.get_context("fork")
    match = rules = 0.0
    for k in range(folds):
        others = [d for i, d in enumerate(articles) if i % folds != k]
        out = ctx.Queue()
        child = ctx.Process(target=_fold, args=(analyzer, bbc + others, articles[k::folds], out))
        child.start()
        m, r = out.get()
        child.join()
        match, rules = match + m, rules + r
    return match, rules


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=2225)
    ap.add_argument("--folds", type=int, default=4)
    args = ap.parse_args()
    docs = load_docs(args.docs)
    rules = load_rules([ROOT / "rules"])
    analyzer = Analyzer(sdn_watchlist(), rules)
    # the corpus documents that name listed entities: mention-dense articles
    eval_docs = [d.text for d in load_corpus(ROOT / "bench" / "eval").documents if d.present]
    match, added_cpu = first_sight_folds(analyzer, docs, eval_docs, args.folds)
    for d in docs:
        analyzer.analyze(d)  # the matcher's word caches filled: its steady state
    best_match, best_all = added(analyzer, docs)
    alerts = sum(len(analyzer.analyze(d).intents) for d in docs)
    print(f"{len(docs):,} BBC articles, {len(rules.rules)} rules (CPU time, best of 5)")
    print(f"matching only:          {len(docs) / best_match:,.0f} articles/s")
    print(f"matching + rules:       {len(docs) / best_all:,.0f} articles/s ({alerts} alerts)")
    print(f"rules add {100 * (best_all - best_match) / best_match:.1f} % per article "
          "(target <= 20 %)")
    # the evaluation articles all name listed entities, so rules run on nearly every sentence
    print(f"evaluation articles ({len(eval_docs)}), every one naming listed entities, each read "
          f"once after the BBC corpus and the other articles ({args.folds} folds): matching "
          f"{1000 * match / len(eval_docs):.2f} ms per article; rules add "
          f"{100 * added_cpu / match:.1f} % per article (target <= 20 %)")
    best_match, best_all = added(analyzer, eval_docs * 20)
    print(f"the same articles read 20 times over (every word known to the matcher): matching "
          f"{1000 * best_match / len(eval_docs) / 20:.2f} ms per article; rules add "
          f"{100 * (best_all - best_match) / best_match:.1f} %")
    print("alert quality on the evaluation corpus: python bench/eval/run_eval.py")


if __name__ == "__main__":
    main()
