"""Sentences that name designees without a designation verb of their own ("Parmi les personnes
visées figurent A et B", "Las personas señaladas son A", "Unter den Firmen, die … auf seine
Sanktionsliste setzte, ist auch A", "Of the three other men listed on Tuesday, A …") and a
passive verb's subject written after it ("Gelistet wurde auch der Geschäftsmann A"), each
with a neighbour that must not fire. Sentences written for the tests."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.types import Entity, Watchlist

SAMER = "ofac_sdn:41678"
WASSIM = "ofac_sdn:41676"
QADDOUR = "ofac_sdn:41697"
WATCHLIST = Watchlist((
    Entity(SAMER, "person", "AL-ASSAD, Samer Kamal", programs=("ILLICIT-DRUGS-EO14059",)),
    Entity(WASSIM, "person", "AL-ASSAD, Wassim Badi", programs=("ILLICIT-DRUGS-EO14059",)),
    Entity(QADDOUR, "person", "QADDOUR, Khalid", programs=("ILLICIT-DRUGS-EO14059",)),
    Entity("ofac_sdn:40478", "organization", "SPACETY LUXEMBOURG S.A.",
           programs=("RUSSIA-EO14024",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def designated(analyzer, text: str) -> set[str]:
    return {i.role("target") for i in analyzer.analyze(text).intents
            if i.type == "designation" and i.phase == "effective"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Parmi les personnes visées figurent Samer Kamal al-Assad et Wassim Badi al-Assad.",
     {SAMER, WASSIM}),
    ("Las personas señaladas son Samer Kamal al-Assad y Wassim Badi al-Assad.", {SAMER, WASSIM}),
    ("Unter den Firmen, die das Finanzministerium am Donnerstag auf seine Sanktionsliste "
     "setzte, ist auch die Spacety Luxembourg S.A.", {"ofac_sdn:40478"}),
    ("Aus Syrien traf es unter anderem Samer Kamal al-Assad.", {SAMER}),
    ("Of the three other men listed on Tuesday, Samer Kamal al-Assad runs the workshops.",
     {SAMER}),
    ("The Treasury also listed Khalid Qaddour.", {QADDOUR}),
    ("Gelistet wurde auch der Geschäftsmann Khalid Qaddour.", {QADDOUR}),
    ("Con él quedaron en la lista negra su socio Khalid Qaddour y Samer Kamal al-Assad.",
     {QADDOUR, SAMER}),
])
def test_sentences_that_name_designees(analyzer, text, expected):
    assert designated(analyzer, text) == expected


@pytest.mark.parametrize("text", [
    "Among the many guests who attended the dinner, Samer Kamal al-Assad spoke first.",
    "The company listed Samer Kamal al-Assad as one of its directors.",
    "Parmi les invités de la soirée figurent Samer Kamal al-Assad et Wassim Badi al-Assad.",
    "Las personas invitadas son Samer Kamal al-Assad y Wassim Badi al-Assad.",
])
def test_their_neighbours_designate_nobody(analyzer, text):
    assert designated(analyzer, text) == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Nell'elenco compaiono anche Samer Kamal al-Assad e Wassim Badi al-Assad.", {SAMER, WASSIM}),
    ("Nella lista è finito Khalid Qaddour.", {QADDOUR}),
    ("Completano il gruppo Samer Kamal al-Assad e Khalid Qaddour.", {SAMER, QADDOUR}),
    ("Το OFAC κατονόμασε επίσης τον επιχειρηματία Khalid Qaddour.", {QADDOUR}),
])
def test_italian_and_greek_sentences_that_name_designees(analyzer, text, expected):
    assert designated(analyzer, text) == expected


@pytest.mark.parametrize("text", [
    "Nell'elenco degli ospiti compaiono Samer Kamal al-Assad e Khalid Qaddour.",
    "Nella lista dei relatori della conferenza figura Khalid Qaddour.",
])
def test_a_list_of_guests_designates_nobody(analyzer, text):
    assert designated(analyzer, text) == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Yaptırım uygulananlar arasında Samer Kamal al-Assad ile Khalid Qaddour da bulunuyor.",
     {SAMER, QADDOUR}),
    ("Listeye giren sekiz kişi arasında Khalid Qaddour da yer alıyor.", {QADDOUR}),
    ("Khalid Qaddour de daha önce listeye alınan isimler arasında.", {QADDOUR}),
])
def test_turkish_among_those_listed(analyzer, text, expected):
    assert designated(analyzer, text) == expected


def test_turkish_among_the_guests_designates_nobody(analyzer):
    assert designated(analyzer, "Toplantıya katılanlar arasında Khalid Qaddour da vardı.") == set()
