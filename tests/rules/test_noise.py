"""Noise is a bug: business and arts news that merely contains words of listed names, or
verbs like "added" and "paid tribute", raises no alert. (Names below are real SDN-style
entries made of common words; sentences are ordinary news prose, written for the test.)"""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Relation, Watchlist

WL = Watchlist((
    Entity("art-house", "organization", "ART HOUSE LLC", programs=("SDGT",)),
    Entity("hotel-holdings", "organization", "CONFIFI HOTEL HOLDINGS", aliases=("HOTEL HOLDINGS",)),
    Entity("co-star", "organization", "CO-STAR FZE", programs=("IRAN",)),
    Entity("afric", "organization", "ASSOCIATION FOR FREE RESEARCH AND INTERNATIONAL COOPERATION",
           aliases=("AFRIC",), context=("Africa", "elections")),
    Entity("taylor", "person", "TAYLOR, Mark", programs=("SDNTK",)),
    Entity("wagner-group", "organization", "PRIVATE MILITARY COMPANY 'WAGNER'",
           aliases=("WAGNER GROUP",), programs=("TCO",), context=("mercenaries",)),
), (Relation("taylor", "associate_of", "wagner-group"),))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WL, rules)


@pytest.mark.parametrize("text", [
    "The chocolate maker added that sales held up well in Africa and Asia despite dear cocoa.",
    "Most of the festival's prizes went to art-house films from small studios.",
    "The actress paid tribute to her director and co-star at the awards dinner.",
    "Shares listed in spring have fallen since: Hotel Holdings, a tourism firm, lost half.",
    "The board will be joined by a retired banker and by the lawyer Mark Taylor.",
    "The African Union said the elections in Africa were free and fair.",
])
def test_ordinary_news_raises_no_alert(analyzer, text):
    result = analyzer.analyze(text)
    assert [i.type for i in result.intents if i.type in ("designation", "support_network")] == []


def test_the_same_names_in_sanctions_news_still_alert(analyzer):
    result = analyzer.analyze("The Treasury designated Art House LLC and Co-Star FZE on Monday.")
    assert {i.role("target") for i in result.intents if i.type == "designation"} == {
        "art-house", "co-star"}


def test_a_pronoun_or_the_group_stands_for_the_entity_just_named(analyzer):
    text = ("Wagner Group mercenaries fought in Bakhmut for months. It was designated a "
            "transnational criminal organization by the Treasury on Thursday.")
    designations = [i for i in analyzer.analyze(text).intents if i.type == "designation"]
    assert [(i.role("target"), i.phase) for i in designations] == [("wagner-group", "effective")]
    assert designations[0].evidence.startswith("It was designated")
    assert "stands for" in designations[0].why


def test_no_antecedent_no_alert(analyzer):
    text = "The weather was fine. It was designated a national holiday by the government."
    assert [i for i in analyzer.analyze(text).intents if i.type == "designation"] == []
