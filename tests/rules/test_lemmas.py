"""Rules written by meaning: lemma patterns match every inflected form, only in the
document's own languages, and a named supporter is never the authority that reports it.
Sentences written for the tests; watchlist: entries as OFAC writes them."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.errors import RuleError
from sanctionwatch.rules.loader import load_rules
from sanctionwatch.text.lemmas import LemmaText, expand_gaps, languages_of
from sanctionwatch.types import Entity, Watchlist

WATCHLIST = Watchlist((
    Entity("ofac_sdn:32746", "organization", "BELARUSKALI OAO", programs=("BELARUS-EO14038",)),
    Entity("ofac_sdn:32682", "organization", "CLOSED JOINT STOCK COMPANY ABSOLUTBANK",
           aliases=("ABSOLUTBANK",), programs=("BELARUS-EO14038",)),
    Entity("ofac_sdn:11195", "organization", "IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY",
           aliases=("HESA",), programs=("NPWMD", "IFSR")),
    Entity("ofac_sdn:41123", "organization", "HANGZHOU FUYANG KOTO MACHINERY CO., LTD",
           programs=("NPWMD",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def found(analyzer, text: str) -> set[tuple[str, str, str]]:
    return {(i.type, i.role("target") or "", i.phase or i.role("supporter") or "")
            for i in analyzer.analyze(text).intents
            if i.type in ("designation", "support_network")}


@pytest.mark.parametrize("text", [
    "Departament Skarbu USA nałożył w poniedziałek sankcje na Belaruskali.",
    "Sankcje nałożone przez Waszyngton objęły także Belaruskali.",
    "Belaruskali została objęta sankcjami amerykańskiego resortu finansów.",
    "Koncern Belaruskali znalazł się na liście SDN w sierpniu 2021 roku.",
])
def test_one_polish_pattern_covers_every_inflected_form(analyzer, text):
    assert ("designation", "ofac_sdn:32746", "effective") in found(analyzer, text)


@pytest.mark.parametrize("text", [
    "Opozycja wzywa do nałożenia sankcji na Belaruskali.",
    "Belaruskali nie została objęta sankcjami.",
])
def test_polish_calls_and_denials_designate_nothing(analyzer, text):
    assert found(analyzer, text) == set()


def test_a_lifting_in_dutch_and_portuguese(analyzer):
    nl = "Washington heeft de sancties tegen Belaruskali dinsdag opgeheven, meldt de krant."
    assert ("designation", "ofac_sdn:32746", "lifted") in found(analyzer, nl)
    pt = "O Tesouro americano suspendeu as sanções contra a Belaruskali nesta terça-feira."
    assert ("designation", "ofac_sdn:32746", "lifted") in found(analyzer, pt)


def test_a_supplier_in_lemma_form_and_the_authority_that_reports_it(analyzer):
    text = ("According to OFAC, Hangzhou Fuyang Koto Machinery Co. sold aircraft engines to "
            "HESA, the Iranian drone maker.")
    assert ("support_network", "ofac_sdn:11195", "ofac_sdn:41123") in found(analyzer, text)
    told = "Według Departamentu Skarbu przekazywano drony dla HESA przez pośredników."
    assert not any(kind == "support_network" for kind, _t, _s in found(analyzer, told))


def test_lemma_patterns_read_only_the_documents_own_languages():
    assert "de" in languages_of("Die Regierung hat die Sanktionen gegen die Firma verhängt.")
    assert "pl" in languages_of("Belaruskali została objęta sankcjami.")  # by its dictionary
    assert languages_of("The Treasury said on Monday that the sanctions were lifted.") == {"en"}
    assert languages_of("12345 --- !!!") == frozenset()


def test_the_lemma_text_maps_back_to_the_words_it_covers():
    text = "Resort nałożył w czwartek sankcje, a potem objął sankcjami spółkę."
    lt = LemmaText.of(text, 0, len(text), "pl")
    assert lt.text.startswith("resort nalozyc w czwartek sankcja ,")
    a = lt.text.index("objac")
    start, end = lt.orig(a, a + len("objac sankcja"))
    assert text[start:end] == "objął sankcjami"
    # a gap of up to N words never crosses a comma
    import re
    gap = re.compile(expand_gaps("nalozyc <3> sankcja <3> objac"))
    assert gap.search(lt.text) is None


def test_a_lemma_pattern_needs_a_language_the_lemmatizer_knows(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "type: designation\nrules:\n  - id: d.x\n    phase: effective\n"
        "    triggers: {en: [\"designated\"]}\n"
        "    lemma_triggers: {zh: [\"制裁\"]}\n", encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path])
    assert "no lemmatizer for 'zh'" in str(exc.value) and "bad.yaml:3:" in str(exc.value)


def test_letters_tell_a_language_from_its_neighbours():
    """Polish and Slovak share most of their commonest words; "ł", "ż" are Polish only."""
    text = ("W poniedziałek Departament Skarbu USA objął sankcjami firmę, która według "
            "Waszyngtonu pomagała Rosji.")
    assert languages_of(text) == frozenset({"pl"})
    assert "en" in languages_of("According to OFAC, the firm sold engines to the drone maker.")
