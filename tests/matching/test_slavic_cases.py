"""Slavic cases of names (issue 14): the a-declension ("Rosja" -> "Rosji", "Moskwa" ->
"Moskwie"), the Polish -ski adjective in all its cases, Polish sanctions words, and a long
given name spelled as one listed person's and meant as another's. Sentences written for the
tests; entries as the lists write them."""

from __future__ import annotations

from sanctionwatch.matching.index import NameIndex, match_key
from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.text.normalize import name_key
from sanctionwatch.types import Entity, Watchlist

WATCHLIST = Watchlist((
    Entity("russia", "country", "Russia", countries=("RU",)),
    Entity("iran", "country", "Iran", countries=("IR",)),
    Entity("syria", "country", "Syria", countries=("SY",)),
    Entity("ofac_sdn:1", "vessel", "ANGLIA"),
    Entity("ofac_sdn:2", "organization", "MOSKVA RIVER SHIPPING"),
    Entity("ofac_sdn:3", "person", "LUKASHENKA, Alyaksandr Ryhorovich", programs=("BELARUS",)),
    Entity("ofac_sdn:4", "person", "KOVALEU, Alaksandr", programs=("BELARUS",)),
))


def found(text: str) -> list[tuple[str, str]]:
    return [(m.entity_id, m.matched) for m in Matcher(WATCHLIST).find(text)]


def test_the_a_declension_of_a_country_s_name():
    assert found("Firma działała w Rosji od dawna.") == [("russia", "Rosji")]
    assert found("Ministrowie spotkali się w Syrii.") == [("syria", "Syrii")]
    assert found("Delegacja wróciła z Rosji i z Iranu.") == [
        ("russia", "Rosji"), ("iran", "Iranu")]


def test_the_polish_ski_adjective_links_to_a_country_the_text_names():
    assert found("Rosja wysłała sprzęt; rosyjskiej armii brakuje amunicji.") == [
        ("russia", "Rosja"), ("russia", "rosyjskiej")]
    assert found("Iran dostarczył drony, a irańskich inżynierów widziano na froncie.") == [
        ("iran", "Iran"), ("iran", "irańskich")]


def test_a_final_a_is_replaced_by_i_or_ie_only():
    # "Moskvie", "Moskvi" are cases of "Moskva"; "-e" is no ending here ("Rosie" is no
    # case of "Rosja"), only a typo
    assert match_key(name_key("Moskwie"), "moskva") is not None
    assert match_key(name_key("Moskwy"), "moskva") is not None
    assert match_key(name_key("Moskwe"), "moskva", fuzzy=False) is None


def test_an_inflected_dictionary_word_is_no_case_of_a_name():
    # Polish "Anglii" is England's genitive, not a case of the vessel ANGLIA
    assert found("Statek wypłynął z Anglii w piątek, donoszą sankcje.") == []
    # an English given name is no Polish case of "Rosja"
    assert found("Rosie Jones said the match was over.") == []


def test_a_korean_name_of_a_country_is_not_reached_through_a_cyrillic_plural():
    index = NameIndex(WATCHLIST)
    # 시리아 (Syria in Korean) is read "silia"; Ukrainian "Сили" ("forces") is no case of it
    assert all(m.key != "silia" for m in index.lookup("Сили"))


def test_polish_sanctions_words_support_a_surname():
    assert ("ofac_sdn:3", "Łukaszenki") in found(
        "USA nałożyły sankcje na otoczenie Łukaszenki i Białoruś.")
    assert found("Łukaszenki nie było na spotkaniu z rolnikami.") == []


def test_a_long_given_name_listed_as_spelled_may_still_be_another_s_variant():
    # "Alaksandr" is KOVALEU's listed given name and a spelling of LUKASHENKA's "Alyaksandr"
    assert found("Pośrednikiem był Alaksandr Łukaszenka, który przyjął gości.") == [
        ("ofac_sdn:3", "Alaksandr Łukaszenka")]
    assert found("Alaksandr Nowak otworzył sklep w Grodnie.") == []
