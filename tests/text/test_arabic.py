"""Names in Arabic script meet the lists' Latin transliterations by their consonants.
Sentences written for the tests; entries as OFAC writes them."""

from __future__ import annotations

from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.text.arabic import skeleton_name_token, skeleton_word
from sanctionwatch.types import Entity, Watchlist


def test_a_word_and_a_listed_token_reduce_to_the_same_consonants():
    pairs = [("عامر", "amer"), ("محمد", "mohamed"), ("عقيل", "akil"), ("دودين", "dudin"),
             ("الشوا", "alshawa"), ("وسيم", "wassim")]
    for word, listed in pairs:
        assert skeleton_word(word) == skeleton_name_token(listed), (word, listed)
    assert skeleton_word("رضا") != skeleton_word("محمد")


WATCHLIST = Watchlist((
    Entity("ofac_sdn:44499", "person", "RADA, Amer Mohamed Akil", programs=("SDGT",)),
    Entity("ofac_sdn:45669", "person", "ALSHAWA, Amer Kamal Sharif", programs=("SDGT",)),
    Entity("ofac_sdn:9", "person", "ALI, Mohamed", programs=("SDGT",)),
    Entity("ofac_sdn:7", "person", "SMITH, John Robert", programs=("SDGT",)),
))


def found(text: str) -> list[tuple[str, str]]:
    return [(m.matched, m.entity_id) for m in Matcher(WATCHLIST).find(text)]


def test_full_names_in_arabic_script_are_found():
    assert found("فرضت وزارة الخزانة الأمريكية عقوبات على عامر محمد عقيل رضا وشقيقه.") == [
        ("عامر محمد عقيل رضا", "ofac_sdn:44499")]
    assert found("وأدرجت الخزانة عامر كمال شريف الشوا على القائمة.") == [
        ("عامر كمال شريف الشوا", "ofac_sdn:45669")]


def test_two_common_name_parts_alone_name_nobody():
    assert found("التقى محمد علي بأصدقائه في المقهى.") == []
    assert found("Amer Mohamed met friends in Beirut.") == []
