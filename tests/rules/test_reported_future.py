"""The future of reported speech announces ("said it would designate X next week"), and a
designation that did not or will not happen raises nothing ("has not imposed sanctions on",
"would not designate", "has yet to sanction", "has no plans to list") while "not only …
but also" still designates. Each shape was measured wrong before: "would designate … as a
transnational criminal organisation" was a critical *effective* designation, and "has not
imposed sanctions on X" one too. Sentences written for the tests."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Watchlist

SOVCOMFLOT = "ofac_sdn:32540"
WATCHLIST = Watchlist((
    Entity(SOVCOMFLOT, "organization", "JOINT STOCK COMPANY SOVCOMFLOT",
           aliases=("SOVCOMFLOT",), programs=("RUSSIA-EO14024",)),
    Entity("kratol", "organization", "KRATOL AVIATION", programs=("CAR",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def phases(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target"), i.phase) for i in analyzer.analyze(text).intents
            if i.type == "designation"}


@pytest.mark.parametrize("text", [
    "London said on Monday that it would sanction Sovcomflot before the end of the month.",
    "Officials told reporters the government would impose sanctions on Sovcomflot soon.",
    "The minister said Sovcomflot would be designated within days.",
])
def test_would_announces(analyzer, text):
    assert phases(analyzer, text) == {(SOVCOMFLOT, "announced")}


@pytest.mark.parametrize("text", [
    "The European Union has not imposed sanctions on Kratol Aviation.",
    "The Treasury did not add Kratol Aviation to its list this time.",
    "Brussels said it would not designate Kratol Aviation for now.",
    "Britain has yet to sanction Kratol Aviation, diplomats said.",
    "Officials said they had no plans to sanction Kratol Aviation.",
    "Washington said it will never blacklist Kratol Aviation.",
])
def test_what_did_not_or_will_not_happen_designates_nobody(analyzer, text):
    assert phases(analyzer, text) == set()


def test_not_only_still_designates(analyzer):
    text = "The Treasury not only sanctioned Kratol Aviation but also froze its accounts."
    assert phases(analyzer, text) == {("kratol", "effective")}
