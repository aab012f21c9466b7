"""Names in Arabic script meet the lists' Latin transliterations by their consonants.
Sentences written for the tests; entries as OFAC writes them."""

from __future__ import annotations

from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.text.arabic import skeleton_name_token, skeleton_word
from sanctionwatch.types import Entity, Watchlist


def test_a_word_and_a_listed_token_reduce_to_the_same_consonants():
    pairs = [("عامر", "amer"), ("محمد", "mohamed"), ("عقيل", "akil"), ("دودين", "dudin"),
             ("الشوا", "alshawa"), ("وسيم", "wassim"), ("الجمل", "aljamal"), ("جعفر", "jafar"),
             ("حجازي", "hijazi")]
    for word, listed in pairs:
        assert skeleton_word(word) == skeleton_name_token(listed), (word, listed)
    assert skeleton_word("رضا") != skeleton_word("محمد")
    # ج is a consonant of its own: الجمل is not المال
    assert skeleton_word("الجمل") != skeleton_word("المال")


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


# --- the article with its particles, letters checked for names written in Arabic (issue 14)

from sanctionwatch.text.arabic import bare, same_word  # noqa: E402


def test_the_article_goes_with_the_particles_written_before_it():
    assert bare("والأسد") == bare("بالأسد") == bare("للأسد") == bare("الأسد") == "أسد"
    # a word that only begins with the same letters keeps them
    assert bare("بشار") == "بشار"
    assert bare("وليد") == "وليد"
    assert bare("والي") == "والي"


def test_a_name_written_in_arabic_is_checked_letter_by_letter():
    assert same_word("روسيا", "روسيا")
    assert same_word("لروسيا", "روسيا")
    assert same_word("وسوريا", "سوريا")
    assert same_word("الإيرانية", "إيران")     # the relative adjective of a place
    assert same_word("والسوريين", "سوريا")
    assert same_word("ونوح", "نوح")            # "and" before a short name
    assert not same_word("بشار", "شار")        # a name that begins with ب
    assert not same_word("رئيس", "روسيا")      # same consonants, another word
    assert not same_word("إيرانيات", "روسيا")


COUNTRIES = Watchlist((
    Entity("iran", "country", "Iran", countries=("IR",)),
    Entity("russia", "country", "Russia", countries=("RU",)),
    Entity("syria", "country", "Syria", countries=("SY",)),
))


def countries(text: str) -> list[tuple[str, str]]:
    return [(m.matched, m.entity_id) for m in Matcher(COUNTRIES).find(text)]


def test_a_country_is_found_by_its_arabic_name_and_its_adjective():
    assert countries("زار الوفد إيران الأسبوع الماضي.") == [("إيران", "iran")]
    assert countries("وصل الوزير إلى روسيا ثم سافر بعدها إلى سوريا.") == [
        ("روسيا", "russia"), ("سوريا", "syria")]
    assert countries("انتقد المسؤول السياسة الإيرانية في المنطقة.") == [("الإيرانية", "iran")]
    assert countries("التقى الرئيس السوري بنظيره.") == [("السوري", "syria")]
    assert countries("أرسلت طهران شحنة لروسيا وللشركات الروسية.") == [
        ("لروسيا", "russia"), ("الروسية", "russia")]


def test_words_sharing_a_country_s_consonants_are_no_country():
    # رئيس ("president") and روسيا, أسرار ("secrets") and سوريا share consonants
    assert countries("قال رئيس الوزراء إن الاجتماع سيعقد غداً.") == []
    assert countries("كشف الصحافي أسرار الصفقة وسرية المفاوضات.") == []


PEOPLE = Watchlist((
    Entity("ofac_sdn:1", "person", "QADDOUR, Khalid", programs=("SDGT",)),
))


def test_a_two_word_arabic_name_counts_with_sanctions_and_programme_words_near():
    people = Matcher(PEOPLE)
    hit = [(m.matched, m.entity_id) for m in people.find(
        "فرضت واشنطن عقوبات على رجل الأعمال خالد قدور بتهمة تمويل الإرهاب.")]
    assert hit == [("خالد قدور", "ofac_sdn:1")]
    # the same name in a sentence about something else: a namesake, not a mention
    assert people.find("فاز اللاعب خالد قدور بالمباراة النهائية.") == []


def test_a_two_word_name_of_five_consonants_with_support():
    people = Matcher(Watchlist((
        Entity("ofac_sdn:2", "person", "NOFAL, Ayman", programs=("SDGT",)),)))
    hit = [(m.matched, m.entity_id) for m in people.find(
        "فرضت واشنطن عقوبات على القيادي أيمن نوفل بتهمة دعم الإرهاب.")]
    assert hit == [("أيمن نوفل", "ofac_sdn:2")]
    assert people.find("التقى أيمن نوفل بأصدقائه في المقهى.") == []
