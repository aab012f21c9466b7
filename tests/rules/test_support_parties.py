"""Who supports whom when the sentence does not put both names next to the trigger: lists of
supporters and of targets, pronouns and nouns that stand for a supporter named before.
Sentences written for the tests; watchlist: entries as OFAC writes them."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Watchlist

WATCHLIST = Watchlist((
    Entity("ofac_sdn:4695", "organization", "HAMAS", aliases=("HARAKAT AL-MUQAWAMA AL-ISLAMIYA",),
           programs=("SDGT", "FTO")),
    Entity("ofac_sdn:37476", "person", "ODEH, Ahmed Sharif Abdallah", programs=("SDGT",)),
    Entity("ofac_sdn:37477", "person", "QAFISHEH, Hisham Younis Yahia", programs=("SDGT",)),
    Entity("ofac_sdn:37484", "organization", "SIDAR COMPANY", programs=("SDGT",)),
    Entity("ofac_sdn:37488", "organization", "ITQAN REAL ESTATE JSC", programs=("SDGT",)),
    Entity("ofac_sdn:44718", "person", "SEMENOV, Roman", programs=("CYBER2", "DPRK3")),
    Entity("ofac_sdn:39796", "organization", "TORNADO CASH", programs=("CYBER2", "DPRK3")),
    Entity("ofac_sdn:27307", "organization", "LAZARUS GROUP", programs=("DPRK3",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def supports(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target"), i.role("supporter")) for i in analyzer.analyze(text).intents
            if i.type == "support_network"}


def test_every_name_of_a_list_before_the_trigger_is_a_supporter(analyzer):
    text = ("The Treasury said Ahmed Sharif Abdallah Odeh and Hisham Younis Yahia Qafisheh had "
            "helped to move money to Hamas.")
    assert supports(analyzer, text) >= {("ofac_sdn:4695", "ofac_sdn:37476"),
                                        ("ofac_sdn:4695", "ofac_sdn:37477")}


def test_a_preposition_repeated_after_a_relative_clause_governs_a_second_target(analyzer):
    text = ("OFAC said Roman Semenov had given material support to Tornado Cash, which "
            "Washington blacklisted a year ago, and to the Lazarus Group.")
    assert supports(analyzer, text) >= {("ofac_sdn:39796", "ofac_sdn:44718"),
                                        ("ofac_sdn:27307", "ofac_sdn:44718")}


def test_a_pronoun_before_the_trigger_stands_for_the_person_named_before(analyzer):
    text = ("The Treasury designated Ahmed Sharif Abdallah Odeh on Tuesday. It accused him of "
            "financing Hamas for a decade.")
    assert supports(analyzer, text) == {("ofac_sdn:4695", "ofac_sdn:37476")}


def test_a_plural_noun_stands_for_every_company_named_before(analyzer):
    text = ("Six companies were added to the list, among them Sidar Company and Itqan Real "
            "Estate JSC. According to OFAC, the firms generate income for Hamas.")
    assert supports(analyzer, text) == {("ofac_sdn:4695", "ofac_sdn:37484"),
                                        ("ofac_sdn:4695", "ofac_sdn:37488")}


def test_a_pronoun_finds_no_supporter_of_the_wrong_kind(analyzer):
    """"him" is a person: the company named before it is not the supporter."""
    text = "OFAC listed Sidar Company. Prosecutors accused him of financing Hamas."
    assert ("ofac_sdn:4695", "ofac_sdn:37484") not in supports(analyzer, text)


def test_turkish_puts_the_target_before_the_verb(analyzer):
    text = ("ABD Hazine Bakanlığına göre Sidar Company, Hamas'a milyonlarca dolar aktardı.")
    assert supports(analyzer, text) == {("ofac_sdn:4695", "ofac_sdn:37484")}
    told = "Hazine Bakanı, Hamas için para toplayan ağları hedef aldıklarını söyledi."
    assert supports(analyzer, told) == set()
    other = "Sidar Company, Hamas'ın açıklamasını aktardı."  # passed on a statement: no money
    assert supports(analyzer, other) == set()
