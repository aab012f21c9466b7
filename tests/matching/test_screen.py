"""`screen`: the list-search contract and the behaviour of a good list-search tool."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.matching.screen import Screener

runner = CliRunner()


@pytest.fixture(scope="module")
def screener(watchlist):
    return Screener(watchlist)


def best(screener, name):
    cands = screener.screen(name)
    return (cands[0].entity_id, cands[0].score, cands[0].match) if cands else None


@pytest.mark.parametrize("query", [
    "Yevgeniy Prigozhin", "PRIGOZHIN, Yevgeniy Viktorovich", "Prigozhin Yevgeniy",
    "Evgeny Prigozhin", "Jewgeni Prigoschin", "Евгений Пригожин", "yevgeniy   PRIGOZHIN",
])
def test_order_transliteration_and_case(screener, query):
    assert best(screener, query)[0] == "prigozhin-yevgeniy"
    assert best(screener, query)[2] is True


def test_missing_middle_name_and_legal_forms(screener):
    assert best(screener, "Dmitriy Utkin")[:1] == ("utkin-dmitriy",)
    with_form = screener.screen("Kratol Aviation LLC")[0]
    without = screener.screen("Kratol Aviation")[0]
    assert with_form.entity_id == without.entity_id == "kratol-aviation"
    assert with_form.score == without.score, "a legal form neither adds nor costs"


def test_joined_tokens(screener):
    assert best(screener, "KratolAviation")[0] == "kratol-aviation"


def test_short_common_name_does_not_match_long_unrelated(screener):
    for c in screener.screen("Sewa"):
        assert not c.match
    assert all(not c.match for c in screener.screen("Security Services"))


def test_cli_json_for_one_name(watchlist, repo):
    out = runner.invoke(app, ["screen", "--format", "json", "--watchlist",
                              str(repo / "watchlist"), "Wagner Group"])
    assert out.exit_code == 0, out.output
    cands = json.loads(out.stdout)
    assert cands[0]["entity_id"] == "wagner-group" and cands[0]["match"] is True
    for c in cands:
        assert set(c) >= {"entity_id", "name", "matched_alias", "score", "match"}
        assert 0 <= c["score"] <= 1
    assert [c["score"] for c in cands] == sorted((c["score"] for c in cands), reverse=True)


def test_cli_jsonl_keeps_input_order(tmp_path, repo):
    names = tmp_path / "names.txt"
    names.write_text("Kratol Aviation\nNobody Atall\nYevgeniy Prigozhin\n", encoding="utf-8")
    out = runner.invoke(app, ["screen", "--format", "jsonl", "--input", str(names)])
    assert out.exit_code == 0, out.output
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["query"] for x in lines] == ["Kratol Aviation", "Nobody Atall",
                                           "Yevgeniy Prigozhin"]
    assert lines[1]["candidates"] == [] or not any(c["match"] for c in lines[1]["candidates"])
    assert lines[2]["candidates"][0]["entity_id"] == "prigozhin-yevgeniy"


def test_cli_json_refuses_several_names():
    out = runner.invoke(app, ["screen", "--format", "json", "A B", "C D"])
    assert out.exit_code == 2
