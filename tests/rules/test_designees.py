"""Who a designation is about when the names come after a passive verb: after a colon, in a
list of described items, with an article before each name. Sentences written for the tests;
watchlist: entries as OFAC writes them."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Watchlist

WATCHLIST = Watchlist((
    Entity("ofac_sdn:37476", "person", "ODEH, Ahmed Sharif Abdallah", programs=("SDGT",)),
    Entity("ofac_sdn:37477", "person", "QAFISHEH, Hisham Younis Yahia", programs=("SDGT",)),
    Entity("ofac_sdn:37489", "person", "SABRI, Abdallah Yusuf Faisal", programs=("SDGT",)),
    Entity("ofac_sdn:24512", "vessel", "PARTIZAN", programs=("DPRK3",)),
    Entity("ofac_sdn:24511", "vessel", "BOGATYR", programs=("DPRK3",)),
    Entity("ofac_sdn:24509", "vessel", "NEPTUN", programs=("DPRK3",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def designated(analyzer, text: str) -> set[str]:
    return {i.role("target") for i in analyzer.analyze(text).intents
            if i.type == "designation" and i.phase == "effective"}


def test_described_items_after_a_colon_are_all_designated(analyzer):
    text = ("Three individuals were designated: Ahmed Sharif Abdallah Odeh, a Jordanian who ran "
            "the portfolio until 2017; his successor Hisham Younis Yahia Qafisheh, who sits on "
            "the council; and Abdallah Yusuf Faisal Sabri, an accountant in Kuwait.")
    assert designated(analyzer, text) == {"ofac_sdn:37476", "ofac_sdn:37477", "ofac_sdn:37489"}


def test_vessels_named_after_a_colon_with_their_articles(analyzer):
    text = ("Ebenfalls gelistet wurden drei weitere Schiffe unter russischer Flagge: die Partizan, "
            "die Bogatyr und die Neptun.")
    assert designated(analyzer, text) == {"ofac_sdn:24512", "ofac_sdn:24511", "ofac_sdn:24509"}


def test_a_colon_far_from_the_verb_names_no_subject(analyzer):
    text = ("Also listed were several tankers that the Treasury says carried fuel for months "
            "between ports of three countries in breach of the rules, the report said: the "
            "Partizan was seen in Busan.")
    assert designated(analyzer, text) == set()


RU_UK = Watchlist((
    Entity("ofac_sdn:41127", "organization", "GUILIN ALPHA RUBBER & PLASTICS TECHNOLOGY CO., LTD.",
           programs=("NPWMD",)),
    Entity("ofac_sdn:41134", "organization", "SHENZHEN CASPRO TECHNOLOGY CO., LTD.",
           programs=("NPWMD",)),
    Entity("ofac_sdn:26119", "organization", "GLOBAL VISION GROUP",
           programs=("SDGT", "SYRIA", "IRGC")),
    Entity("ofac_sdn:26118", "organization", "PROMSYRIOIMPORT", aliases=("ПРОМСЫРЬЕИМПОРТ",),
           programs=("SYRIA",)),
))


@pytest.fixture(scope="module")
def ru_uk(rules):
    return Analyzer(RU_UK, rules)


@pytest.mark.parametrize("text", [
    "Санкції також отримали Guilin Alpha Rubber & Plastics Technology і Shenzhen Caspro "
    "Technology, повідомило відомство.",
    "Санкции также получили Guilin Alpha Rubber & Plastics Technology и Shenzhen Caspro "
    "Technology, сообщило ведомство.",
])
def test_russian_and_ukrainian_name_the_designees_after_the_verb(ru_uk, text):
    assert designated(ru_uk, text) == {"ofac_sdn:41127", "ofac_sdn:41134"}


def test_the_same_words_without_a_designation_designate_nothing(ru_uk):
    text = ("Компания Guilin Alpha Rubber & Plastics Technology получила заказ, а "
            "Shenzhen Caspro Technology открыла завод.")
    assert designated(ru_uk, text) == set()


def test_a_relation_named_as_the_reason_is_no_second_designee(ru_uk):
    text = ("The Treasury imposed sanctions on Global Vision Group for its ties to "
            "Promsyrioimport.")
    assert designated(ru_uk, text) == {"ofac_sdn:26119"}


@pytest.mark.parametrize("text", [
    "Στη λίστα προστέθηκε η Promsyrioimport, σύμφωνα με το υπουργείο.",
    "Η Promsyrioimport βρίσκεται από το 2018 στον αμερικανικό κατάλογο κυρώσεων.",
])
def test_greek_lists_in_both_word_orders(ru_uk, text):
    assert designated(ru_uk, text) == {"ofac_sdn:26118"}


@pytest.mark.parametrize("text", [
    "The Treasury designated Global Vision Group for providing support to Promsyrioimport.",
    "OFAC sanctioned Global Vision Group, a trader who has funded Promsyrioimport for years.",
])
def test_the_reason_and_a_relative_clause_name_no_second_designee(ru_uk, text):
    assert designated(ru_uk, text) == {"ofac_sdn:26119"}


def test_a_polish_relative_clause_names_no_second_designee(ru_uk):
    text = ("W poniedziałek Departament Skarbu USA objął sankcjami Promsyrioimport, która "
            "według Waszyngtonu od lat pomagała finansować Shenzhen Caspro Technology, a "
            "decyzja zapadła po długim śledztwie.")
    analysis = ru_uk.analyze(text)
    assert {m.entity_id for m in analysis.mentions} >= {"ofac_sdn:26118", "ofac_sdn:41134"}
    assert designated(ru_uk, text) == {"ofac_sdn:26118"}
