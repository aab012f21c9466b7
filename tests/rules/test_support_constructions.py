"""Support links said in general constructions: supplies to a sanctioned country, an object
relative clause ("X, which Y supports"), the tool a listed group used to launder, a
relative clause or a semicolon between the parties, a country as an adjective, a bare
surname that stands for the person named in full, a group designated for supporting a
target whose members are named after. Each with the neighbour that must not fire.
Sentences written for the tests; watchlist: entries as OFAC writes them, the curated
countries."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Watchlist

HIZBALLAH = "ofac_sdn:4697"
DAQQOU = "ofac_sdn:41696"
ZAITAR = "ofac_sdn:41700"
LAZARUS = "ofac_sdn:27307"
TORNADO = "ofac_sdn:39796"
NAZEM = "ofac_sdn:28163"
FIRAS = "ofac_sdn:42157"
NASRALLAH = "ofac_sdn:2686"
SINALOA = "ofac_sdn:11440"
SAUL = "ofac_sdn:41899"
OVIDIO = "ofac_sdn:13149"
ALVARADO = "ofac_sdn:46108"
FOUBERT = "ofac_sdn:46109"
WATCHLIST = Watchlist((
    Entity(HIZBALLAH, "organization", "HIZBALLAH",
           aliases=("HEZBOLLAH", "HISBOLLAH", "HIZBULLAH", "HEZBOLÁ", "Хезболла", "حزب الله"),
           programs=("SDGT", "FTO")),
    Entity(DAQQOU, "person", "DAQQOU, Hassan Muhammad", aliases=("DAQQOU, Hassan", "حسن دقو"),
           programs=("SDGT",)),
    Entity(ZAITAR, "person", "ZAITAR, Nouh", aliases=("نوح زعيتر",), programs=("SDGT",)),
    Entity(LAZARUS, "organization", "LAZARUS GROUP", programs=("DPRK3",)),
    Entity(TORNADO, "organization", "TORNADO CASH", programs=("CYBER2", "DPRK3")),
    Entity(NAZEM, "person", "AHMAD, Nazem Said", programs=("SDGT",)),
    Entity(FIRAS, "person", "AHMAD, Firas Nazem", programs=("SDGT",)),
    Entity(NASRALLAH, "person", "NASRALLAH, Hasan", programs=("SDGT",)),
    Entity(SINALOA, "organization", "SINALOA CARTEL", aliases=("CARTEL DE SINALOA",),
           programs=("SDNTK",)),
    Entity(SAUL, "person", "PAEZ LOPEZ, Saul", programs=("ILLICIT-DRUGS-EO14059",)),
    Entity(OVIDIO, "person", "GUZMAN LOPEZ, Ovidio", programs=("SDNTK",)),
    Entity(ALVARADO, "person", "ALVARADO RUBIO, Teresa De Jesus",
           programs=("ILLICIT-DRUGS-EO14059",)),
    Entity(FOUBERT, "person", "FOUBERT CADENA, Manuel Alejandro",
           programs=("ILLICIT-DRUGS-EO14059",)),
    # the inflected and derived forms the sentences use (the matcher's own concern)
    Entity("iran", "country", "Iran", aliases=("Islamic Republic of Iran", "iranischer"),
           countries=("IR",)),
    Entity("russia", "country", "Russia", aliases=("Россия", "Россию", "Росія", "Росії"), countries=("RU",)),
    Entity("north-korea", "country", "North Korea", aliases=("DPRK",), countries=("KP",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def supports(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target"), i.role("supporter")) for i in analyzer.analyze(text).intents
            if i.type == "support_network"}


# --- supplies to a sanctioned country ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "Iran shipped hundreds of attack drones to Russia last autumn, the officials said.",
    "According to the report, Iran has sold artillery shells and drones to Russia.",
    "Der Iran hat nach Angaben der Regierung Hunderte Drohnen an Russland geliefert.",
    "L'Iran a livré des centaines de drones à la Russie, selon Washington.",
    "Irán envió cientos de drones a Rusia durante el invierno.",
    "L'Iran ha fornito centinaia di droni alla Russia, secondo il Tesoro.",
    "Иран поставлял беспилотники в Россию всю зиму.",
    "Іран постачав дрони до Росії всю зиму.",
])
def test_weapons_supplied_to_a_country_name_the_supplier(analyzer, text):
    assert ("russia", "iran") in supports(analyzer, text)


def test_the_origin_of_delivered_goods_supplies_the_country(analyzer):
    text = "Wegen der Lieferung iranischer Kampfdrohnen an Russland verschärften die USA ihre Maßnahmen."
    assert ("russia", "iran") in supports(analyzer, text)


@pytest.mark.parametrize("text", [
    # a ban on the supply is no supply
    "The new rules ban the export of drones and drone parts to Russia.",
    "Die EU-Sanktionen verbieten die Ausfuhr militärisch nutzbarer Güter nach Russland.",
    # the plain verbs of support say too little about a country
    "Iran supports Russia in the Security Council.",
    # a country named as the nationality of the recipient is not the recipient
    "Five firms shipped aircraft parts to the Iranian state manufacturer, the Treasury said.",
])
def test_the_neighbours_of_a_country_supply_raise_no_support(analyzer, text):
    found = supports(analyzer, text)
    assert not any(t in ("russia", "iran") for t, _s in found)


def test_a_turkish_participle_has_its_subject_after_it(analyzer):
    # "he sold engines to companies that pass them on to Iran": the companies, not the
    # party named before, pass them to Iran
    text = ("Hassan Daqqou'nun şirketi motorları büyük olasılıkla İran'a aktaran "
            "şirketlere sattı.")
    assert ("iran", DAQQOU) not in supports(analyzer, text)


# --- relative clauses -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Hezbollah, which Iran supports, fired rockets at a border post on Sunday.",
    "Hezbolá, al que apoya Irán desde hace décadas, lanzó cohetes contra la frontera.",
    "Die Hisbollah, die der Iran unterstützt, steht seit Jahren auf der Liste.",
])
def test_an_object_relative_makes_the_antecedent_the_target(analyzer, text):
    assert supports(analyzer, text) == {(HIZBALLAH, "iran")}


def test_a_subject_relative_keeps_its_antecedent_as_supporter(analyzer):
    text = "Hassan Daqqou, who financed Hezbollah for a decade, was arrested in Beirut."
    assert supports(analyzer, text) == {(HIZBALLAH, DAQQOU)}


def test_the_subject_of_a_passive_inside_a_relative_clause_is_its_antecedent(analyzer):
    text = ("Among them are Hassan Daqqou, an envoy of the group, and a charity in Gaza, "
            "which, according to Washington, is financed by Iran.")
    assert (DAQQOU, "iran") not in supports(analyzer, text)


def test_a_supporter_outside_the_relative_clause_of_the_trigger_is_not_its_subject(analyzer):
    # the people are accused of financing; the places they come from are not supporters
    text = ("El Tesoro sancionó a siete personas y empresas de Colombia, Venezuela y el "
            "Líbano a las que acusa de financiar a Hezbolá.")
    assert not any(s in ("Líbano", "Venezuela", "Colombia")
                   for _t, s in supports(analyzer, text))


# --- clause breaks and parties --------------------------------------------------------

def test_a_semicolon_ends_the_object_of_the_trigger(analyzer):
    text = ("Washington wirft Hassan Daqqou vor, die Hisbollah unterstützt zu haben; Nouh "
            "Zaitar unterhalte enge Beziehungen zur Miliz.")
    assert supports(analyzer, text) == {(HIZBALLAH, DAQQOU)}


@pytest.mark.parametrize("text, name", [
    # "the Wuhan firm": a place after "de" is no party
    ("Según la fiscalía, la firma de Wuhan vendía productos químicos al Cártel de Sinaloa.",
     "Wuhan"),
    # the speaker of a "że" clause supports nobody
    ("Zastępca sekretarza Wally Adeyemo zapowiedział, że każdy, kto pomaga Hezbollahowi, "
     "poniesie konsekwencje.", "Wally Adeyemo"),
    # German writes its nouns with a capital: "Truppen" is no name
    ("Nach dem Einmarsch der Truppen lieferte die Firma Drohnen an die Hisbollah.",
     "Truppen"),
])
def test_a_named_supporter_is_a_party(analyzer, text, name):
    assert not any(s == name for _t, s in supports(analyzer, text))


def test_a_bare_surname_stands_for_the_person_named_in_full(analyzer):
    text = ("The Treasury named Nazem Said Ahmad and his son Firas Nazem Ahmad. Years ago "
            "Ahmad delivered cash directly to Hasan Nasrallah, officials said.")
    assert (NASRALLAH, NAZEM) in supports(analyzer, text)
    assert (NASRALLAH, FIRAS) not in supports(analyzer, text)


# --- what was done for someone ----------------------------------------------------------

@pytest.mark.parametrize("text, pair", [
    ("The Lazarus Group used Tornado Cash to launder the proceeds of the theft.",
     (LAZARUS, TORNADO)),
    ("Secondo il Tesoro, il Lazarus Group aveva usato Tornado Cash per riciclare il bottino.",
     (LAZARUS, TORNADO)),
    ("Saúl Páez López organises drug consignments for his cousin Ovidio Guzmán López.",
     (OVIDIO, SAUL)),
    ("Hassan Daqqou trabajaba por cuenta de Hezbolá en el puerto.", (HIZBALLAH, DAQQOU)),
    ("Hassan Daqqou era al servizio di Hezbollah da anni.", (HIZBALLAH, DAQQOU)),
])
def test_work_done_for_a_listed_party(analyzer, text, pair):
    assert pair in supports(analyzer, text)


@pytest.mark.parametrize("text", [
    # tracing the tool is no laundering with it
    "Investigators used Tornado Cash records to trace the Lazarus Group.",
    # organising something against the party is not for it
    "Saúl Páez López organised a protest against Ovidio Guzmán López.",
])
def test_the_neighbours_of_work_done_for_a_party(analyzer, text):
    assert not supports(analyzer, text)


# --- a group designated for supporting a target -----------------------------------------

def test_the_designees_named_after_a_group_accused_of_support_are_its_supporters(analyzer):
    text = ("El Tesoro sancionó este martes a tres personas a las que acusa de financiar a "
            "Hezbolá. También fueron sancionados Teresa de Jesús Alvarado Rubio y Manuel "
            "Alejandro Foubert Cadena.")
    found = supports(analyzer, text)
    assert {(HIZBALLAH, ALVARADO), (HIZBALLAH, FOUBERT)} <= found


def test_designees_after_a_support_said_of_no_group_are_not_its_supporters(analyzer):
    text = ("Hezbolá recibe dinero de redes en América Latina. También fueron sancionados "
            "Teresa de Jesús Alvarado Rubio y Manuel Alejandro Foubert Cadena.")
    found = supports(analyzer, text)
    assert (HIZBALLAH, ALVARADO) not in found and (HIZBALLAH, FOUBERT) not in found


# --- a group noun for the target, the origin of goods, a regime ------------------------

def test_a_group_noun_on_the_object_side_stands_for_the_organisation_named_before(analyzer):
    text = ("The Treasury added three members of the Sinaloa Cartel to its list. Hassan "
            "Daqqou was designated for shipping precursors to members of the cartel.")
    assert (SINALOA, DAQQOU) in supports(analyzer, text)


def test_a_group_noun_is_not_the_supporter_of_its_own_clause(analyzer):
    # "the group" is Hezbollah, supported before, not Tornado Cash named in the clause
    text = ("The firms raise money for Hezbollah, and Hassan Daqqou and Tornado Cash have "
            "passed money directly to the group.")
    found = supports(analyzer, text)
    assert (TORNADO, DAQQOU) not in found and (HIZBALLAH, DAQQOU) in found


def test_helping_to_run_the_group_is_no_support_of_it(analyzer):
    text = ("Ovidio Guzmán López leads the Sinaloa Cartel. OFAC said Saúl Páez López helps "
            "to run the cartel's laboratories.")
    assert (SINALOA, SAUL) not in supports(analyzer, text)


def test_goods_taken_from_a_country_for_a_party_name_the_country(analyzer):
    text = "Вагоны вывозили из DPRK ракеты и снаряды для Hezbollah всю зиму."
    assert (HIZBALLAH, "north-korea") in supports(analyzer, text)


def test_a_country_named_by_its_regime_is_the_country(analyzer):
    text = ("Secondo il Tesoro, il Lazarus Group è al servizio del regime di DPRK da anni.")
    assert ("north-korea", LAZARUS) in supports(analyzer, text)


@pytest.mark.parametrize("text", [
    "Washington describe a Hassan Daqqou como un intermediario que conseguía químicos para "
    "el Cártel de Sinaloa.",
    "Selon le Trésor, Hassan Daqqou achetait des composants pour le Cartel de Sinaloa.",
])
def test_procuring_for_a_party(analyzer, text):
    assert (SINALOA, DAQQOU) in supports(analyzer, text)


def test_what_was_sold_to_a_party_is_no_supplier(analyzer):
    text = "Tornado Cash was sold to the Lazarus Group at an auction, the court heard."
    assert (LAZARUS, TORNADO) not in supports(analyzer, text)


# --- lists and word order of Arabic and Turkish -----------------------------------------

def test_an_arabic_list_joined_by_wa_manages_assets_for_the_group(analyzer):
    text = ("تتهم الوزارة «حزب الله» بتلقي الأموال. وأدرجت حسن دقو ونوح زعيتر، الذين "
            "يديرون أصولاً للحزب في تركيا.")
    found = supports(analyzer, text)
    assert {(HIZBALLAH, DAQQOU), (HIZBALLAH, ZAITAR)} <= found


@pytest.mark.parametrize("text, pair", [
    # the trigger begins at the target's case ending, inside its name
    ("Hassan Daqqou'nun şirketi uydu görüntülerini Tornado Cash'e sağladı.", (TORNADO, DAQQOU)),
    ("Hassan Daqqou, Hizbullah için kimyasal tespit cihazları gibi savunma amaçlı "
     "ürünlerin teminine aracılık etti.", (HIZBALLAH, DAQQOU)),
    ("Hassan Daqqou, şirketteki Hizbullah mülkiyetini gizleyen paravan ortak olarak "
     "listeye eklendi.", (HIZBALLAH, DAQQOU)),
])
def test_turkish_puts_the_target_before_its_verb(analyzer, text, pair):
    assert pair in supports(analyzer, text)


def test_a_turkish_target_without_a_verb_of_support_is_none(analyzer):
    text = "Hassan Daqqou, Hizbullah mülkiyetindeki şirketlerin listesini açıkladı."
    assert not supports(analyzer, text)


def test_a_bracket_after_the_antecedent_keeps_it_the_subject(analyzer):
    text = ("Hassan Daqqou (born 1985), who holds a Lebanese passport, moved money on behalf "
            "of Hezbollah.")
    assert (HIZBALLAH, DAQQOU) in supports(analyzer, text)


def test_a_polish_group_noun_after_an_adjective(analyzer):
    text = ("Hezbollah od lat otrzymuje pieniądze z Afryki. Hassan Daqqou był jednym z "
            "głównych darczyńców proirańskiego ugrupowania.")
    assert (HIZBALLAH, DAQQOU) in supports(analyzer, text)


def test_an_elided_article_and_its_group_noun_end_the_trigger(analyzer):
    text = ("Hezbollah ha ricevuto fondi dall'estero. Hassan Daqqou e Nouh Zaitar sono "
            "accusati di curare gli investimenti che fruttano denaro all'organizzazione.")
    assert {(HIZBALLAH, DAQQOU), (HIZBALLAH, ZAITAR)} <= supports(analyzer, text)


def test_money_earned_from_the_organisation_is_not_for_it(analyzer):
    text = ("Hezbollah ha ricevuto fondi dall'estero. Hassan Daqqou ha ricevuto denaro "
            "dall'organizzazione per anni.")
    assert (HIZBALLAH, DAQQOU) not in supports(analyzer, text)


def test_arabic_money_earned_for_a_group(analyzer):
    text = "وقالت الوزارة إن حسن دقو يجني المال لـ«حزب الله» من تجارة الفحم."
    assert (HIZBALLAH, DAQQOU) in supports(analyzer, text)
