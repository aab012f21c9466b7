"""The multilingual evaluation set (bench/eval) as a quality guard: the matching targets of
the matching issue hold, and no trap fires."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.evaluation import evaluate_set

EVAL = Path(__file__).resolve().parents[1] / "bench" / "eval"


@pytest.fixture(scope="module")
def report(rules):
    return evaluate_set(EVAL, rules)


def test_eval_set_is_large_and_multilingual(report):
    langs = {g for g in report.mentions if g != "all"}
    assert len(langs) >= 5
    docs = list((EVAL / "docs").glob("*.txt"))
    assert len(docs) >= 40


def test_mention_f1_overall_and_per_language(report):
    assert report.mentions["all"].f1 >= 0.95, report.errors
    for lang, counts in report.mentions.items():
        assert counts.f1 >= 0.90, (lang, counts)


def test_no_trap_fires(report):
    assert report.trap_firings == []
