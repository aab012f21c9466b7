"""Rules on real sentences: each behaviour on the sentence of the evaluation document that
motivated it (copied as written), next to a negative neighbour that must not alert (a denial,
a hypothetical, a call for sanctions, a name that is not on the list, a support verb
without a listed entity). Watchlist: bench/eval/watchlist (names as OFAC writes them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.watchlist.csvfile import load_watchlist

WATCHLIST = Path(__file__).resolve().parents[1] / "data" / "watchlist-wagner"


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(load_watchlist(WATCHLIST), rules)


def designations(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target") or "", i.phase or "") for i in analyzer.analyze(text).intents
            if i.type == "designation"}


def supports(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target") or "", i.role("supporter") or "")
            for i in analyzer.analyze(text).intents if i.type == "support_network"}


# --- designation phases, one real sentence per language, and negatives ------------------

@pytest.mark.parametrize("text, expected", [
    ("The Treasury Department is set to designate the Wagner Group, a Russian mercenary "
     "organization, as a “transnational criminal organization,” the National Security Council "
     "announced on Friday.", ("wagner-group", "announced")),                              # 001
    ("Les Etats-Unis ont imposé jeudi de nouvelles sanctions au groupe paramilitaire russe "
     "Wagner pour ses activités en Ukraine aux côtés de l'armée régulière russe et en Afrique.",
     ("wagner-group", "effective")),                                                         # 012
    ("Im Februar war die Gruppe Wagner bereits wegen Menschenrechtsverletzungen und die "
     "„Destabilisierung“ afrikanischer Länder einer anderen Sanktionsliste hinzugefügt worden.",
     ("wagner-group", "effective")),                                                         # 024
    ("Европейский союз ввел санкции против принадлежащих Евгению Пригожину ЧВК «Вагнер» и "
     "РИА «Фан».", ("wagner-group", "effective")),                                           # 036
    ("Міністерство фінансів США визнало російську «ПВК Вагнера» транснаціональною злочинною "
     "організацією.", ("wagner-group", "effective")),                                        # 038
    ("Estados Unidos anunció este viernes que impondrá sanciones adicionales al grupo "
     "paramilitar privado Wagner Group, al que declarará como una «significativa organización "
     "criminal trasnacional» en un esfuerzo por dificultar sus operaciones internacionales, en "
     "respuesta a sus «atrocidades» en Ucrania.", ("wagner-group", "announced")),           # 049
    ("Via libera del Consiglio Affari Esteri Ue, a quanto si apprende, al pacchetto di sanzioni "
     "contro l'organizzazione paramilitare russa \"Wagner Group”, che secondo l'Ue è coinvolta "
     "in attività di \"destabilizzazione\" e violazione dei diritti umani in Libia, Mali, Siria "
     "e Ucraina.", ("wagner-group", "effective")),                                           # 054
    ("- \"La decisione dell'amministrazione di rinunciare alle sanzioni che hanno imposto a "
     "Nord Stream 2 AG e al Ceo della società Matthias Warnig è semplicemente sbagliata\", ha "
     "spiegato Risch, definendo l'iniziativa \"un regalo a Putin\".",
     ("nord-stream-2", "lifted")),                                                           # 057
])
def test_designation_phase_in_each_language(analyzer, text, expected):
    assert expected in designations(analyzer, text)


@pytest.mark.parametrize("text", [
    "Senators called for sanctions against the Wagner Group after the massacre.",
    "Si l'UE sanctionnait le groupe Wagner, Moscou répliquerait.",
    "Die Opposition fordert Sanktionen gegen die Gruppe Wagner.",
    "США отложат новые санкции против ЧВК Вагнера — СМИ",                                     # 039
    "Депутати закликали запровадити санкції проти ПВК Вагнера.",
    "La oposición pide sanciones contra el grupo Wagner.",
    "L'opposizione chiede sanzioni contro il gruppo Wagner.",
    "The Treasury designated three Myanmar officials on Monday.",   # not on the list
])
def test_no_designation_on_calls_hypotheticals_and_other_names(analyzer, text):
    assert designations(analyzer, text) == set()


# --- lists ----------------------------------------------------------------------------

SENTENCE_014 = (
    "Le Conseil européen – l’organe exécutif de l’UE – a donc adopté des « mesures restrictives "
    "» contre Wagner, mais surtout contre « huit personnes et trois entités qui lui sont liées » "
    ": Aleksandr Kuznetsov (commandant, blessé en Libye en 2019), Dimitri Outkin (fondateur, "
    "ex-officier du renseignement militaire russe), Stanyslas Dychko (mercenaire en Syrie), "
    "Valery Zakharov (considéré comme le représentant de Wagner en Centrafrique), Denis "
    "Kharitonov (commandant dans le Donbass, en Ukraine), Serge Shcherbakov (combattant dans le "
    "Donbass), Andrey Troshev (chef d’état-major en Syrie), Andrey Bogatov (commandant en "
    "Syrie), Velada LLC, Mercury LLC et Evro Polis LLC (sociétés pétrolières et gazières "
    "opérant en Syrie).")


def test_a_list_after_the_trigger_is_designated_to_its_last_item(analyzer):
    found = designations(analyzer, SENTENCE_014)
    assert {("utkin-dmitriy", "effective"), ("zakharov-valery", "effective"),
            ("evro-polis", "effective")} <= found


def test_a_relative_clause_ends_the_list(analyzer):
    text = "L'UE a adopté des sanctions contre Dimitri Outkin, qui dirige Evro Polis LLC."
    assert designations(analyzer, text) == {("utkin-dmitriy", "effective")}


SENTENCES_040 = (
    "Кроме того, под ограничения попали ряд компаний, относящихся к Пригожину. Это такие "
    "компании, как М Инвест, Lobaye Invest SARLU, Meroe Gold, и другие.")
SENTENCES_035 = (
    "Под санкции подпали, в частности, восемь лиц. Среди них:\n"
    "- Александр Кузнецов, которого в ЕС считают \"ответственным за деятельность группы "
    "\"Вагнера\", которая подрывает мир, стабильность и безопасность в Ливии;\n"
    "- Дмитрий Уткин, названный там основателем ЧВК \"Вагнер\". Под его командованием, как "
    "полагают в ЕС, осуществлялись действия, \"подрывающие территориальную целостность, "
    "суверенитет и независимость Украины\";\n"
    "- Сергей Щербаков - внештатный сотрудник ГРУ и наемник ЧВК \"Вагнера\";\n")


def test_an_enumeration_after_a_designation_names_what_it_designates(analyzer):
    assert designations(analyzer, SENTENCES_040) == {
        ("m-invest", "effective"), ("lobaye-invest", "effective"), ("meroe-gold", "effective")}
    # only the name heading each bulleted item: not Wagner, named inside the items
    assert designations(analyzer, SENTENCES_035) == {("utkin-dmitriy", "effective")}


def test_an_enumeration_after_postponed_sanctions_designates_nothing(analyzer):
    text = ("США отложат санкции против восьми лиц. Среди них:\n"
            "- Дмитрий Уткин, названный основателем ЧВК \"Вагнер\".\n")
    assert designations(analyzer, text) == set()


# --- who is not the object -------------------------------------------------------------

def test_names_in_a_relative_clause_or_owners_are_not_designated(analyzer):
    text_040 = ("Великобритания ввела санкции в отношении восьми россиян, которые якобы связаны "
                "с деятельностью ЧВК «Вагнер».")
    assert designations(analyzer, text_040) == set()
    text_051 = ("sancionó a Ivan Maslov, jefe del grupo Wagner en Mali, donde la agencia acusó al "
                "grupo Wagner de “intentar ocultar sus esfuerzos para adquirir equipamiento "
                "militar para su uso en Ucrania”.")
    assert designations(analyzer, text_051) == {("maslov-ivan", "effective")}
    text_036 = ("Европейский союз ввел санкции против принадлежащих Евгению Пригожину ЧВК "
                "«Вагнер» и РИА «Фан».")
    assert designations(analyzer, text_036) == {("wagner-group", "effective")}


def test_those_two_parties_stand_for_the_last_two_named(analyzer):
    text = ("A State Department report to be delivered to Congress as early as Wednesday "
            "concludes that Nord Stream 2 AG and its CEO, Matthias Warnig, an ally of Russian "
            "President Vladimir Putin, engaged in sanctionable activity but that it was in the "
            "U.S. national interest to waive the sanctions, the source said.\n\n"
            "German Foreign Minister Heiko Maas said the administration had waived the "
            "sanctions on those two parties but also imposed sanctions on Russian entities and "
            "ships linked to the construction of Nord Stream 2.")
    assert {("warnig-matthias", "lifted"), ("nord-stream-2", "lifted")} <= designations(
        analyzer, text)
    assert designations(analyzer, "Those two parties met in Geneva with Matthias Warnig.") == set()


# --- support networks ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The US has accused North Korea of supplying missiles and rockets to the Russian "
     "mercenary group Wagner to be used in the war in Ukraine.\n"
     "On Thursday, the White House said Wagner was searching for arms suppliers to support its "
     "military operations in Ukraine.\n“We can confirm that North Korea has completed an "
     "initial arms delivery to Wagner, which paid for that equipment,” White House national "
     "security spokesman John Kirby told reporters, as per Reuters.",
     ("wagner-group", "north-korea")),                                                     # 003 en
    ("Selon la Maison Blanche, la Corée du Nord aurait livré des armes au groupe Wagner, afin "
     "d’aider l’organisation paramilitaire russe dans ses actions en Ukraine.",
     ("wagner-group", "north-korea")),                                                     # 015 fr
    ("Derzeit sollen etwa 50.000 Söldner der russischen »Wagner«-Kampfgruppe in der Ukraine "
     "stationiert sein. Der Kommunikationsdirektor des Weißen Hauses, John Kirby, gab am "
     "Donnerstag an, dass "
     "»Nordkorea eine erste Waffenlieferung an Wagner abgeschlossen« habe – die Söldnergruppe "
     "habe dafür bezahlt.", ("wagner-group", "north-korea")),                              # 027 de
    ("У Сполучених Штатах оприлюднили нещодавно розсекречені фотографії вагонів, які прямували "
     "в Росію з Північної Кореї і ймовірно перевозили зброю для російської армії, зокрема для "
     "приватної військової компанії \"Вагнер\".", None),                                   # 044 uk
    ("Gli Stati Uniti hanno diffuso foto satellitari recentemente declassificate di vagoni "
     "ferroviari russi in viaggio dalla Corea del Nord, scattate a novembre, in quella che "
     "Washington ritiene sia stata la consegna iniziale di razzi e missili per l’uso in Ucraina "
     "da parte della milizia paramilitare Gruppo Wagner.",
     ("wagner-group", "north-korea")),                                                     # 058 it
    ("Kirby además reveló fotografías que prueban que el grupo Wagner recibió un cargamento de "
     "armas provenientes de Corea del Norte para su uso en la invasión de Rusia a algo que "
     "Pyongyang había desmentido y el director del Wagner Group, Evgueni Prigozhin, descalificó "
     "como «rumores».", ("wagner-group", "north-korea")),                                  # 049 es
    ("Il Wagner Group, si diceva, è un'organizzazione paramilitare russa che fornisce mercenari, "
     "o contractors, attiva in diversi Paesi, finanziata da Yevgeny Prigozhin, un oligarca noto "
     "come “il cuoco di Putin”.", ("wagner-group", "prigozhin-yevgeniy")),                 # 054 it
])
def test_support_in_each_language(analyzer, text, expected):
    found = supports(analyzer, text)
    if expected is None:  # the document's support is in its headline; this sentence is prose
        assert all(t == "wagner-group" for t, _s in found)
    else:
        assert expected in found


@pytest.mark.parametrize("text", [
    "Основатель ЧВК «Вагнера» Евгений Пригожин опроверг поставки вооружения из КНДР.",  # 043 ru
    "Pyongyang desmintió que el grupo Wagner recibiera un cargamento de armas de Corea del "
    "Norte.",
    "Pyongyang ha smentito la consegna di razzi e missili al Gruppo Wagner.",
    "Nordkorea bestreitet jede Waffenlieferung an Wagner.",
    "La Corée du Nord dément avoir livré des armes au groupe Wagner.",
    "Пiвнiчна Корея заперечує, що постачала зброю ПВК \"Вагнер\".",
    "The ministry funded the research agency through companies it controlled.",
    "Any company that supplies weapons to the Wagner Group will be sanctioned.",
])
def test_no_support_on_denials_and_without_a_listed_target(analyzer, text):
    assert supports(analyzer, text) == set()


def test_a_noun_phrase_names_the_support(analyzer):
    text = ("The US has accused North Korea of supplying missiles and rockets to the Russian "
            "mercenary group Wagner to be used in the war in Ukraine.\n"
            "“We can confirm that North Korea has completed an initial arms delivery to Wagner, "
            "which paid for that equipment,” White House national security spokesman John Kirby "
            "told reporters, as per Reuters.")                                             # 003
    trace: list = []
    analyzer.analyze(text, trace)
    fired = [t.reason for t in trace if t.fired and t.rule_id == "support.supply"
             and t.sentence == 1]
    assert fired and "«arms delivery to»" in fired[0] and "= north-korea" in fired[0]


def test_a_denial_before_the_claim_still_rules_it_out(analyzer):
    text = ("Pyongyang denied that North Korea had delivered rockets and missiles to the Wagner "
            "Group.")
    assert supports(analyzer, text) == set()


def test_channels_the_supporter_acted_through_support_too(analyzer):
    text = ("The other individual defendant, Yevgeniy Viktorovich Prigozhin, allegedly funded "
            "the Internet Research Agency through companies he controlled, Concord Management "
            "and Consulting LLC, Concord Catering, often distributing the funds through "
            "affiliates.")                                                                 # 006
    assert supports(analyzer, text) == {
        ("internet-research-agency", "prigozhin-yevgeniy"),
        ("internet-research-agency", "concord-management"),
        ("internet-research-agency", "concord-catering")}
    plain = ("Yevgeniy Viktorovich Prigozhin met the Internet Research Agency staff through "
             "Concord Catering.")
    assert supports(analyzer, plain) == set()


def test_a_possessive_financier_supports_what_it_owns(analyzer):
    text = ("Initiées par la diplomatie française et Jean-Yves Le Drian, les sanctions de l’Union "
            "européenne contre le groupe Wagner et plusieurs personnalités liées à son financier "
            "présumé, Evgueni Prigojine, relancent le bras de fer entre la France et la "
            "Russie.")                                                                     # 014
    assert supports(analyzer, text) == {("wagner-group", "prigozhin-yevgeniy")}
    assert ("prigozhin-yevgeniy", "effective") not in designations(analyzer, text)


def test_the_network_of_an_entity_names_its_supporters(analyzer):
    text_012 = ("Les autorités américaines ciblent aussi d'autres entités qu'elles disent liées "
                "aux activités militaires du groupe Wagner, dont une société chinoise, Changsha "
                "Tianyi Space Science and Technology Research Institute, qui commercialise "
                "notamment des microsatellites.")
    assert supports(analyzer, text_012) == {("wagner-group", "changsha-tianyi")}
    text_037 = ("Под санкции против «глобальной сети» группировки «Вагнер» попала российская "
                "технологическая фирма «Терра Тех», поставляющая космические и аэрофотоснимки, "
                "а также китайская Changsha Tianyi Space Science and Technology Research "
                "Institute Co. LTD.")
    assert supports(analyzer, text_037) == {("wagner-group", "changsha-tianyi"),
                                            ("wagner-group", "Терра Тех")}
    # the network named, but nobody in it
    text_040 = ("Великобритания ввела санкции в отношении восьми россиян, которые якобы связаны "
                "с деятельностью ЧВК «Вагнер».")
    assert supports(analyzer, text_040) == set()
