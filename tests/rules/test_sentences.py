"""Rules on sentences written by the team in the way each language's press writes them, one
per behaviour (a phase in each language, an enumeration after the trigger, an owner kept
apart, an anaphora, a noun-phrase support, a possessive financier), next to a negative
neighbour that must not alert (a denial, a hypothetical, a call for sanctions, a name that is
not on the list, a support verb without a listed entity). The facts are those of the Wagner
story of 2020-2023; no sentence is taken from an article. Watchlist:
tests/data/watchlist-wagner (names as OFAC writes them)."""

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


# --- designation phases, one sentence per language, and negatives ----------------------

@pytest.mark.parametrize("text, expected", [
    ("On Friday the National Security Council said the Treasury Department is set to designate "
     "the Wagner Group, the private military company run from Russia, a “transnational "
     "criminal organization”.", ("wagner-group", "announced")),
    ("Washington a frappé jeudi le groupe paramilitaire russe Wagner de nouvelles sanctions, en "
     "raison de son rôle en Ukraine et en Afrique.", ("wagner-group", "effective")),
    ("Auf eine Sanktionsliste der EU war die Söldnertruppe Wagner schon 2021 wegen Verbrechen in "
     "Libyen und Syrien gesetzt worden.", ("wagner-group", "effective")),
    ("Брюссель ввел ограничительные меры против подконтрольных Евгению Пригожину ЧВК «Вагнер» "
     "и агентства РИА «ФАН».", ("wagner-group", "effective")),
    ("Американське міністерство фінансів визнало «ПВК Вагнера» транснаціональною злочинною "
     "організацією ще в січні.", ("wagner-group", "effective")),
    ("La Casa Blanca anunció el viernes que impondrá nuevas sanciones al grupo Wagner, al que "
     "declarará «organización criminal transnacional» por sus crímenes en Ucrania.",
     ("wagner-group", "announced")),
    ("I ministri degli Esteri dell'Ue hanno approvato un pacchetto di sanzioni contro la "
     "compagnia militare privata russa Wagner, accusata di abusi in Libia, Siria e Ucraina.",
     ("wagner-group", "effective")),
    ("Per il senatore Jim Risch la scelta della Casa Bianca di rinunciare alle sanzioni su Nord "
     "Stream 2 AG e sul suo amministratore delegato Matthias Warnig è «un errore».",
     ("nord-stream-2", "lifted")),
])
def test_designation_phase_in_each_language(analyzer, text, expected):
    assert expected in designations(analyzer, text)


@pytest.mark.parametrize("text", [
    "Senators called for sanctions against the Wagner Group after the massacre.",
    "Si l'UE sanctionnait le groupe Wagner, Moscou répliquerait.",
    "Die Opposition fordert Sanktionen gegen die Gruppe Wagner.",
    "Вашингтон решил отложить новые санкции против ЧВК Вагнера",
    "Депутати закликали запровадити санкції проти ПВК Вагнера.",
    "La oposición pide sanciones contra el grupo Wagner.",
    "L'opposizione chiede sanzioni contro il gruppo Wagner.",
    "The Treasury designated three Myanmar officials on Monday.",   # not on the list
])
def test_no_designation_on_calls_hypotheticals_and_other_names(analyzer, text):
    assert designations(analyzer, text) == set()


# --- lists ----------------------------------------------------------------------------

EU_LIST_FR = (
    "Les Vingt-Sept ont adopté des « mesures restrictives » contre Wagner et « huit personnes "
    "et trois entités » liées au groupe : Dimitri Outkin (fondateur présumé, ancien "
    "du renseignement militaire), Valery Zakharov (décrit comme son représentant à Bangui), "
    "Andreï Trochev (chef d’état-major en Syrie), ainsi que les sociétés Velada LLC, Mercury "
    "LLC et Evro Polis LLC (hydrocarbures syriens).")


def test_a_list_after_the_trigger_is_designated_to_its_last_item(analyzer):
    found = designations(analyzer, EU_LIST_FR)
    assert {("utkin-dmitriy", "effective"), ("zakharov-valery", "effective"),
            ("evro-polis", "effective")} <= found


def test_a_relative_clause_ends_the_list(analyzer):
    text = "L'UE a adopté des sanctions contre Dimitri Outkin, qui dirige Evro Polis LLC."
    assert designations(analyzer, text) == {("utkin-dmitriy", "effective")}


FIRMS_RU = (
    "Ограничения коснулись также нескольких фирм из окружения Пригожина. В их числе "
    "М Инвест, Lobaye Invest SARLU, Meroe Gold и другие.")
BULLETS_RU = (
    "Санкционный список пополнили восемь человек. Среди них:\n"
    "- Дмитрий Уткин, которого в Брюсселе называют основателем ЧВК \"Вагнер\" и чьи бойцы, "
    "по данным ЕС, \"подрывают суверенитет Украины\";\n"
    "- Андрей Трошев, начальник штаба группы \"Вагнера\" в Сирии;\n")


def test_an_enumeration_after_a_designation_names_what_it_designates(analyzer):
    assert designations(analyzer, FIRMS_RU) == {
        ("m-invest", "effective"), ("lobaye-invest", "effective"), ("meroe-gold", "effective")}
    # only the name heading each bulleted item: not Wagner, named inside the items
    assert designations(analyzer, BULLETS_RU) == {("utkin-dmitriy", "effective")}


def test_an_enumeration_after_postponed_sanctions_designates_nothing(analyzer):
    text = ("США отложат санкции против восьми лиц. Среди них:\n"
            "- Дмитрий Уткин, названный основателем ЧВК \"Вагнер\".\n")
    assert designations(analyzer, text) == set()


# --- who is not the object -------------------------------------------------------------

EIGHT_RUSSIANS = ("Лондон ввел санкции в отношении восьми граждан России, которые, по его "
                  "данным, связаны с деятельностью ЧВК «Вагнер».")


def test_names_in_a_relative_clause_or_owners_are_not_designated(analyzer):
    assert designations(analyzer, EIGHT_RUSSIANS) == set()
    maslov = ("El Tesoro sancionó además a Ivan Maslov, que dirige al grupo Wagner en Malí, "
              "donde según la agencia el grupo Wagner “intenta ocultar” sus compras de armamento "
              "para la guerra en Ucrania.")
    assert designations(analyzer, maslov) == {("maslov-ivan", "effective")}
    owner = ("Брюссель ввел ограничительные меры против подконтрольных Евгению Пригожину ЧВК "
             "«Вагнер» и агентства РИА «ФАН».")
    assert designations(analyzer, owner) == {("wagner-group", "effective")}


def test_those_two_parties_stand_for_the_last_two_named(analyzer):
    text = ("A State Department report due in Congress this week finds that Nord Stream 2 AG "
            "and its chief executive, Matthias Warnig, a long-time associate of Russian "
            "President Vladimir Putin, engaged in sanctionable conduct, but that waiving the "
            "sanctions serves the U.S. national interest, a person who has read it said.\n\n"
            "Germany's foreign minister Heiko Maas welcomed the decision to waive the sanctions "
            "on those two parties, while Washington imposed sanctions on several Russian "
            "entities and ships tied to the building of Nord Stream 2.")
    assert {("warnig-matthias", "lifted"), ("nord-stream-2", "lifted")} <= designations(
        analyzer, text)
    assert designations(analyzer, "Those two parties met in Geneva with Matthias Warnig.") == set()


# --- support networks ------------------------------------------------------------------

KIRBY_EN = (
    "Washington accuses North Korea of sending rockets and missiles to the Russian mercenary "
    "group Wagner for use in Ukraine.\n"
    "“North Korea has completed a first arms delivery to Wagner, and Wagner paid for it,” "
    "said John Kirby, a White House spokesman.")


@pytest.mark.parametrize("text, expected", [
    (KIRBY_EN, ("wagner-group", "north-korea")),
    ("La Corée du Nord aurait fourni des roquettes au groupe Wagner pour épauler la milice "
     "russe en Ukraine, selon la Maison Blanche.", ("wagner-group", "north-korea")),
    ("In der Ukraine sollen rund 50.000 »Wagner«-Söldner kämpfen. Nordkorea habe »eine erste "
     "Waffenlieferung an Wagner abgeschlossen«, sagte John Kirby am Donnerstag in Washington – "
     "die Truppe habe dafür bezahlt.", ("wagner-group", "north-korea")),
    ("Американська сторона показала розсекречені знімки вагонів, що йшли з Північної Кореї до "
     "Росії, ймовірно зі зброєю для російських військових і для ПВК \"Вагнер\".", None),
    ("Washington ha reso pubbliche immagini satellitari di vagoni russi partiti a novembre dalla "
     "Corea del Nord: per gli Stati Uniti era la prima consegna di razzi e missili al Gruppo "
     "Wagner per la guerra in Ucraina.", ("wagner-group", "north-korea")),
    ("Kirby mostró además fotografías que, según él, prueban que el grupo Wagner recibió armas "
     "procedentes de Corea del Norte, algo que Pyongyang había negado y que el jefe del Wagner "
     "Group, Evgueni Prigozhin, tachó de «rumores».", ("wagner-group", "north-korea")),
    ("Il Wagner Group, compagnia militare privata russa attiva in vari Paesi, è finanziato da "
     "Yevgeny Prigozhin, l'imprenditore soprannominato «il cuoco di Putin».",
     ("wagner-group", "prigozhin-yevgeniy")),
])
def test_support_in_each_language(analyzer, text, expected):
    found = supports(analyzer, text)
    if expected is None:  # a supply that is only likely, to the army and to Wagner: if any,
        assert all(t == "wagner-group" for t, _s in found)  # Wagner is the target
    else:
        assert expected in found


@pytest.mark.parametrize("text", [
    "Евгений Пригожин, основатель ЧВК «Вагнер», опроверг поставки вооружения из КНДР.",
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
    trace: list = []
    analyzer.analyze(KIRBY_EN, trace)
    fired = [t.reason for t in trace if t.fired and t.rule_id == "support.supply"
             and t.sentence == 1]
    assert fired and "«arms delivery to»" in fired[0] and "= north-korea" in fired[0]


def test_a_denial_before_the_claim_still_rules_it_out(analyzer):
    text = ("Pyongyang denied that North Korea had delivered rockets and missiles to the Wagner "
            "Group.")
    assert supports(analyzer, text) == set()


def test_channels_the_supporter_acted_through_support_too(analyzer):
    text = ("The second individual defendant, Yevgeniy Viktorovich Prigozhin, is accused of "
            "financing the Internet Research Agency through companies under his control, "
            "Concord Management and Consulting LLC, Concord Catering, often moving the money "
            "through affiliates.")
    assert supports(analyzer, text) == {
        ("internet-research-agency", "prigozhin-yevgeniy"),
        ("internet-research-agency", "concord-management"),
        ("internet-research-agency", "concord-catering")}
    plain = ("Yevgeniy Viktorovich Prigozhin met the Internet Research Agency staff through "
             "Concord Catering.")
    assert supports(analyzer, plain) == set()


def test_a_possessive_financier_supports_what_it_owns(analyzer):
    text = ("Voulues par Paris, les sanctions européennes contre le groupe Wagner et plusieurs "
            "proches de son financier présumé, Evgueni Prigojine, ravivent la tension entre la "
            "France et la Russie.")
    assert supports(analyzer, text) == {("wagner-group", "prigozhin-yevgeniy")}
    assert ("prigozhin-yevgeniy", "effective") not in designations(analyzer, text)


def test_the_network_of_an_entity_names_its_supporters(analyzer):
    tianyi = ("Washington vise aussi d'autres entités liées aux activités militaires du groupe "
              "Wagner, parmi lesquelles une société chinoise, Changsha Tianyi Space Science and "
              "Technology Research Institute, qui vend des microsatellites.")
    assert supports(analyzer, tianyi) == {("wagner-group", "changsha-tianyi")}
    terra = ("В санкционный список в рамках удара по «глобальной сети» группировки «Вагнер» "
             "попали российская фирма «Терра Тех», которая поставляет спутниковые снимки, а "
             "также китайская Changsha Tianyi Space Science and Technology Research Institute "
             "Co. LTD.")
    assert supports(analyzer, terra) == {("wagner-group", "changsha-tianyi"),
                                         ("wagner-group", "Терра Тех")}
    # the network named, but nobody in it
    assert supports(analyzer, EIGHT_RUSSIANS) == set()
