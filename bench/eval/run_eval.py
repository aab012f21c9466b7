"""Print precision, recall and F1 of mentions and alerts on the evaluation set, overall and
per language: `python bench/eval/run_eval.py [--errors] [--lang fr]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from sanctionwatch.evaluation import evaluate_set, format_report
from sanctionwatch.rules.loader import load_rules

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list every miss and extra")
    ap.add_argument("--lang", action="append", help="only these languages")
    ap.add_argument("--rules", type=Path, default=HERE.parents[1] / "rules")
    args = ap.parse_args()
    report = evaluate_set(HERE, load_rules([args.rules]), args.lang)
    print(format_report(report))
    if args.errors:
        print("\n".join(report.errors))


if __name__ == "__main__":
    main()
