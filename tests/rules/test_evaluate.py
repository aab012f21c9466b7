"""Evaluation skips work only where nothing can fire: the quick path (no trace) raises the
same alerts as the traced one, which looks at every rule on every sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.rules.evaluate import evaluate
from sanctionwatch.rules.loader import load_rules
from sanctionwatch.watchlist.csvfile import load_watchlist

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(load_watchlist(DATA / "watchlist-wagner"), rules)


def test_quick_and_traced_evaluation_raise_the_same_alerts(analyzer, rules):
    fired = 0
    for path in sorted((DATA / "articles").glob("*.txt")):
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
    assert fired >= 5


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


def test_the_key_checked_before_building_an_intent_is_the_intent_key(analyzer, rules):
    """`make_intent` returns the intent already raised under a key instead of building another;
    the key it checks must be exactly `AlertIntent.key`, and the first intent of each key is
    the one kept (as when every intent was built)."""
    from sanctionwatch.rules import context as ev

    by_id = {r.id: r for r in rules.rules}
    checked = 0
    for path in sorted((DATA / "articles").glob("*.txt")):
        result = analyzer.analyze(path.read_text(encoding="utf-8"))
        for i in result.intents:
            assert ev._key(by_id[i.rule_id], i.roles, i.entity_ids) == i.key
            checked += 1
    assert checked >= 5
    rule = by_id["network.link"]
    odd = (("target", "a,b=c"), ("linked", "x|y"))
    assert ev._key(rule, odd, ("x|y", "a,b=c")) == ev.AlertIntent(
        type=rule.type, severity="low", entity_ids=("x|y", "a,b=c"), roles=odd, evidence="",
        evidence_start=0, evidence_end=0, rule_id=rule.id, rule_version=1, why="").key


def test_a_repeated_network_link_keeps_the_first_sentence(analyzer, rules):
    from sanctionwatch.types import Relation, Watchlist

    wl = analyzer.watchlist
    linked = Watchlist(wl.entities, (Relation("prigozhin-yevgeniy", "founder", "wagner-group"),))
    text = ("The Wagner Group and Yevgeniy Prigozhin were in the news. "
            "Later the Wagner Group and Yevgeniy Prigozhin were in the news again.")
    result = Analyzer(linked, rules).analyze(text)
    links = [i for i in result.intents if i.type == "network_link"]
    assert len(links) == 1
    assert links[0].evidence_start == 0
    assert links[0].roles == (("linked", "prigozhin-yevgeniy"), ("target", "wagner-group"))


def test_a_pair_named_twice_in_a_sentence_is_traced_once(analyzer, rules):
    """`rules test` shows one line per linked pair and sentence, however often the pair's
    names repeat in it; the alert keeps the first mentions."""
    from sanctionwatch.types import Relation, Watchlist

    wl = analyzer.watchlist
    linked = Watchlist(wl.entities, (Relation("prigozhin-yevgeniy", "founder", "wagner-group"),))
    text = ("Yevgeniy Prigozhin said the Wagner Group, which Prigozhin founded, "
            "would stay; the Wagner Group is his.")
    an = Analyzer(linked, rules)
    trace: list = []
    result = an.analyze(text, trace)
    fired = [t for t in trace if t.rule_id == "network.link" and t.fired]
    assert len(fired) == 1
    assert fired[0].reason.endswith("are linked (prigozhin-yevgeniy founder wagner-group)")
    link = next(i for i in result.intents if i.type == "network_link")
    assert [m.start for m in link.mentions] == [0, text.index("the Wagner Group") + 4]
