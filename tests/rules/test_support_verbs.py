"""Support said with the plain verbs of support ("backed", "unterstützte", "a soutenu",
"steunde"), in hyphenated compounds ("Iran-backed") and with the participle last ("heeft …
gesteund", "hat … finanziert"), each with the neighbour that must not fire: a measure that
is supported, a claim ("ha sostenuto che"), help with an action against a name, a speaker.
Sentences written for the tests; watchlist: entries as OFAC writes them."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Watchlist

HIZBALLAH = "ofac_sdn:4697"
DAQQOU = "ofac_sdn:41696"
WATCHLIST = Watchlist((
    Entity(HIZBALLAH, "organization", "HIZBALLAH",
           aliases=("HEZBOLLAH", "HIZBULLAH", "HISBOLLAH", "HEZBOLA"), programs=("SDGT", "FTO")),
    Entity(DAQQOU, "person", "DAQQOU, Hassan Muhammad", aliases=("DAQQOU, Hassan",),
           programs=("SDGT", "ILLICIT-DRUGS-EO14059")),
    Entity("ofac_sdn:44718", "person", "SEMENOV, Roman", programs=("CYBER2", "DPRK3")),
    Entity("ofac_sdn:39796", "organization", "TORNADO CASH", programs=("CYBER2", "DPRK3")),
    Entity("ofac_sdn:27307", "organization", "LAZARUS GROUP", programs=("DPRK3",)),
    Entity("iran", "country", "Iran", countries=("IR",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def supports(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target"), i.role("supporter")) for i in analyzer.analyze(text).intents
            if i.type == "support_network"}


@pytest.mark.parametrize("text", [
    "Hassan Daqqou supported Hizballah for years, according to the department.",
    "Hassan Daqqou a soutenu le Hezbollah pendant des années.",
    "Hassan Daqqou unterstützte die Hisbollah seit Jahren.",
    "Hassan Daqqou apoyó a Hezbolá durante años.",
    "Hassan Daqqou ha sostenuto Hezbollah per anni.",
    "Segundo o Tesouro, Hassan Daqqou apoiou o Hezbollah durante anos e não foi o único.",
    "Hassan Daqqou steunde Hezbollah jarenlang.",
    "Hassan Daqqou heeft Hezbollah jarenlang gesteund.",
    "Hassan Daqqou hat die Hisbollah über Jahre finanziert.",
    "Washington wirft Hassan Daqqou vor, die Hisbollah unterstützt zu haben.",
    "Hassan Daqqou wspierał Hezbollah przez lata.",
])
def test_the_verbs_of_support_name_the_subject_as_supporter(analyzer, text):
    assert supports(analyzer, text) == {(HIZBALLAH, DAQQOU)}


def test_a_hyphenated_compound_names_its_first_part_as_supporter(analyzer):
    assert supports(analyzer, "Iran-backed Hizballah fired rockets across the border.") \
        == {(HIZBALLAH, "iran")}


@pytest.mark.parametrize("text", [
    # a measure against the name is what is supported
    "Hassan Daqqou supported the sanctions on Hizballah announced by the Treasury.",
    # "sostenere che": to claim, not to support
    "Hassan Daqqou ha sostenuto che navi come questa servono a Hezbollah.",
    # help with an action against the name
    "Hassan Daqqou hielp bij het onderzoek naar Hezbollah.",
    # a name far after the verb is not its object
    "Hassan Daqqou said the tool would help cut the flow of forged papers, an aide told "
    "Hizballah television.",
    # a place word qualifies the name before the trigger: Hebei is no supporter
    "A trader from Hebei province whose sales teams sold to Hizballah was named on Tuesday.",
    # the speaker supports nobody
    "Wally Adeyemo warned that mixers helping groups such as Hizballah face consequences.",
])
def test_the_neighbours_of_support_raise_no_support(analyzer, text):
    assert (HIZBALLAH, DAQQOU) not in supports(analyzer, text)
    assert not any(s in ("Wally Adeyemo", "Hebei") for _t, s in supports(analyzer, text))


def test_for_years_is_not_by_someone(analyzer):
    """Polish "przez lata" (for years) after a verb is no passive agent: the direction stays."""
    found = supports(analyzer, "Hassan Daqqou wspierał Hezbollah przez lata.")
    assert (DAQQOU, HIZBALLAH) not in found


def test_a_second_target_after_a_repeated_preposition_and_an_article(analyzer):
    text = ("Het ministerie verwijt Roman Semenov dat hij materiële steun heeft verleend aan "
            "Tornado Cash en aan de Lazarus Group.")
    assert supports(analyzer, text) == {("ofac_sdn:39796", "ofac_sdn:44718"),
                                        ("ofac_sdn:27307", "ofac_sdn:44718")}
