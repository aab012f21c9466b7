"""Evaluation skips work only where nothing can fire: the quick path (no trace) raises the
same alerts as the traced one, which looks at every rule on every sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.rules.evaluate import evaluate
from sanctionwatch.rules.loader import load_rules
from sanctionwatch.watchlist.csvfile import load_watchlist

EVAL = Path(__file__).resolve().parents[2] / "bench" / "eval"


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(load_watchlist(EVAL / "watchlist"), rules)


def test_quick_and_traced_evaluation_raise_the_same_alerts(analyzer, rules):
    fired = 0
    for path in sorted((EVAL / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        result = analyzer.analyze(text)
        if not result.mentions:
            continue
        trace: list = []
        traced = evaluate(rules, text, list(result.mentions), analyzer.watchlist,
                          list(result.sentences), trace)
        assert list(result.intents) == traced, path.name
        assert trace, path.name
        fired += len(traced)
    assert fired > 50


def test_a_paragraph_rule_sees_a_trigger_in_another_sentence(analyzer, tmp_path):
    f = tmp_path / "para.yaml"
    f.write_text(
        "rules:\n"
        "  - id: para.rule\n"
        "    type: designation\n"
        "    phase: effective\n"
        "    scope: paragraph\n"
        "    triggers: {en: ['sanctioned']}\n", encoding="utf-8")
    rules = load_rules([f])
    text = "Officials said the Treasury sanctioned. The Wagner Group is named."
    result = Analyzer(analyzer.watchlist, rules).analyze(text)
    assert [(i.rule_id, i.role("target")) for i in result.intents] == [
        ("para.rule", "wagner-group")]
