"""Finding entities in running text: forms, inflections, scripts, and the traps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.types import Entity, Watchlist


@pytest.fixture(scope="module")
def matcher(watchlist):
    return Matcher(watchlist)


def found(matcher, text):
    return [(m.entity_id, m.matched) for m in matcher.find(text)]


@pytest.mark.parametrize("text, matched", [
    ("Евгений Пригожин заявил, что ЧВК «Вагнер» уходит из Бахмута.", "Евгений Пригожин"),
    ("Jewgeni Prigoschin hat die Wagner-Söldner nach Bachmut geschickt.", "Jewgeni Prigoschin"),
    ("Evgueni Prigojine, le patron du groupe Wagner, a parlé.", "Evgueni Prigojine"),
    ("PRIGOZHIN, Yevgeniy Viktorovich was designated.", "PRIGOZHIN, Yevgeniy Viktorovich"),
    ("Yevgeniy Prigozhin founded the group.", "Yevgeniy Prigozhin"),
    ("Yevgeny Prigozhyn spoke today about his mercenaries.", "Yevgeny Prigozhyn"),
])
def test_person_name_forms_and_transliterations(matcher, text, matched):
    assert ("prigozhin-yevgeniy", matched) in found(matcher, text)


@pytest.mark.parametrize("text, matched", [
    ("Бойцы ЧВК «Вагнер» штурмуют город, сообщил Пригожин.", "ЧВК «Вагнер"),
    ("Наёмники «Вагнера» воюют в Африке.", "Вагнера"),
    ("Wagner's mercenaries were seen in Mali.", "Wagner"),
    ("Les mercenaires du groupe Wagner combattent en Ukraine.", "groupe Wagner"),
    ("Die Gruppe Wagner kämpft in der Ukraine.", "Gruppe Wagner"),
    ("PMC Wagner fighters crossed the border.", "PMC Wagner"),
])
def test_organisation_forms_inflections_and_designators(matcher, text, matched):
    assert ("wagner-group", matched) in found(matcher, text)


def test_inflected_surname_after_a_strong_mention(matcher):
    text = ("Евгений Пригожин выступил с заявлением. Позже сторонники Пригожина и "
            "сам Пригожиным недовольные... ")
    hits = [m for e, m in found(matcher, text) if e == "prigozhin-yevgeniy"]
    assert "Пригожина" in hits and "Пригожиным" in hits


def test_german_genitive(matcher):
    text = "Jewgeni Prigoschin ist tot. Prigoschins Söldner trauern."
    assert ("prigozhin-yevgeniy", "Prigoschins") in found(matcher, text)


@pytest.mark.parametrize("text", [
    "Richard Wagner composed the Ring cycle; the opera premiered in Bayreuth.",
    "L'opéra de Wagner, Tristan und Isolde, a été donné hier soir.",
    "Die Walküre von Richard Wagner wurde in der Oper gespielt.",
    "Les wagons de marchandises sont arrivés en gare.",
    "The Concorde was a supersonic aircraft flown by British Airways.",
    "Sandro Wagner scored twice for the club on Saturday, the footballer said.",
    "Wagner won the regional cooking prize in Ohio.",
])
def test_traps_do_not_fire(matcher, text):
    assert not [e for e, _ in found(matcher, text) if e in ("wagner-group",
                                                            "concord-management")]


def test_short_form_needs_support_or_a_strong_mention(matcher):
    assert found(matcher, "Wagner said nothing.") == []
    assert ("wagner-group", "Wagner") in found(
        matcher, "Wagner mercenaries said nothing.")


def test_another_given_name_rules_out_a_surname(matcher):
    hits = found(matcher, "Pavel Prigozhin, his son, was sanctioned, not Anna Prigozhin.")
    assert ("prigozhin-pavel", "Pavel Prigozhin") in hits
    assert not [m for e, m in hits if e == "prigozhin-yevgeniy"]


def test_country_and_demonyms(matcher):
    hits = found(matcher, "North Korean shells and weapons from the DPRK reached Russia.")
    assert ("north-korea", "North Korean") in hits
    assert ("north-korea", "DPRK") in hits


def test_explanations_are_present(matcher, seed_text):
    for m in matcher.find(seed_text):
        assert m.alias and m.explanation and 0 <= m.score <= 1
        assert seed_text[m.start:m.end] == m.matched


NAMES = st.sampled_from([
    "Yevgeniy Prigozhin", "Dmitry Utkin", "Kratol Aviation", "Sewa Security Services",
    "Corée du Nord", "Internet Research Agency", "Officer's Union for International Security",
])


@settings(max_examples=60, deadline=None)
@given(NAMES, st.sampled_from(["", "Le ", "Reports say "]), st.booleans())
def test_an_exact_alias_always_matches(matcher, name, prefix, upper):
    text = f"{prefix}{name.upper() if upper else name} was sanctioned by OFAC today."
    ms = matcher.find(text)
    assert any(m.matched.casefold() == name.casefold() and m.score >= 0.97 for m in ms), ms


@settings(max_examples=40, deadline=None)
@given(NAMES)
def test_case_and_accents_never_change_a_score(matcher, name):
    import unicodedata
    base = [m.score for m in matcher.find(f"{name} was sanctioned.")]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name)
                       if not unicodedata.combining(c))
    for variant in (name.upper(), name.lower(), stripped):
        assert [m.score for m in matcher.find(f"{variant} was sanctioned.")] == base


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_scores_in_range_and_spans_exact(matcher, text):
    for m in matcher.find(text):
        assert 0.0 <= m.score <= 1.0
        assert text[m.start:m.end] == m.matched


def test_tiny_names_are_exact_only():
    wl = Watchlist((Entity("x", "organization", "ABC Holdings"),
                    Entity("y", "person", "Li Na")))
    m = Matcher(wl)
    assert m.find("ABD Holdings, ABC sanctioned") == [] or all(
        x.matched != "ABD" for x in m.find("ABD Holdings, ABC sanctioned"))


def test_names_with_a_short_first_word_are_found_from_their_long_word():
    wl = Watchlist((Entity("pak", "person", "PAK, To-Chun", programs=("DPRK",)),
                    Entity("kim", "person", "KIM IL SUNG"),
                    Entity("li", "person", "LI NA")))
    m = Matcher(wl)
    found = {(x.entity_id, x.matched) for x in m.find(
        "To-Chun Pak and Kim Il Sung met in Pyongyang; Li Na played tennis.")}
    assert ("pak", "To-Chun Pak") in found
    assert ("kim", "Kim Il Sung") in found
    assert not [e for e, _ in found if e == "li"], "a name of short words only is for screen"
    assert m.find("He said it was to be in a new market for it.") == []


def test_acronyms_are_organisation_names_not_shouted_words():
    """'PDVSA' in capitals is the company; 'STARS' in a headline and a surname in capitals
    ('USTA', the tennis association) are not acronyms of listed names."""
    wl = Watchlist((Entity("pdvsa", "organization", "PDVSA", programs=("VENEZUELA",)),
                    Entity("stars", "organization", "STARS GROUP HOLDING", programs=("SDGT",)),
                    Entity("usta", "person", "USTA, Ali", programs=("SDGT",))))
    m = Matcher(wl)
    assert [x.entity_id for x in m.find("PDVSA shipped crude to Cuba last week.")] == ["pdvsa"]
    assert m.find("OSCARS STARS: the stars arrived on the red carpet.") == []
    assert m.find("The USTA said the US Open would start on time.") == []


def test_a_common_word_is_not_read_as_a_typo_of_a_name():
    """'golden' is a word, one letter from 'Holden'; 'Holdem' is a typo of it."""
    m = Matcher(Watchlist((Entity("holden", "person", "HOLDEN, Mark", programs=("SDGT",)),)))
    assert m.find("Mark golden retrievers won the show.") == []
    assert [x.matched for x in m.find("Mark Holdem was named in the report.")] == ["Mark Holdem"]


def _overlap_reference(cands):
    """The plain quadratic statement of `_non_overlapping`, for the property test."""
    ordered = sorted(cands, key=lambda c: (-(c.name_last - c.name_first), -c.score, c.start))
    taken = []
    for c in ordered:
        if all(not (c.first <= t.last and t.first <= c.last)
               or ((c.name_first, c.name_last) == (t.name_first, t.name_last)
                   and c.form.entity_id != t.form.entity_id) for t in taken):
            taken.append(c)
    best = {}
    for c in taken:
        k = (c.form.entity_id, c.start, c.end)
        if k not in best or c.score > best[k].score:
            best[k] = c
    return sorted(best.values(), key=lambda c: c.start)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), st.integers(0, 1),
                          st.integers(0, 1), st.sampled_from("abc"),
                          st.sampled_from([0.86, 0.9, 1.0])), max_size=25))
def test_overlap_resolution_agrees_with_its_plain_statement(specs):
    """Longest name first, shared spans kept for different entities: the indexed version
    gives what the quadratic statement gives, whatever the candidates."""
    from sanctionwatch.matching.forms import NameForm
    from sanctionwatch.matching.matcher import _non_overlapping
    from sanctionwatch.matching.resolve import Candidate

    cands = []
    for first, length, before, after, entity, score in specs:
        form = NameForm(entity, entity, ("k",), ("k",), False, "short")
        lo, hi = max(0, first - before), first + length + after
        cands.append(Candidate(form, lo, hi, lo * 10, hi * 10 + 5, score, "exact",
                               bool(before or after), first, first + length))
    assert _non_overlapping(cands) == _overlap_reference(cands)


def test_an_acronym_the_text_defines_names_the_entity_afterwards():
    """A name defined in the text, "the Internet Research Agency (IRA)", makes the
    later 'the IRA' a mention; initials that do not fit, or the letters before the
    definition, do not."""
    wl = Watchlist((Entity("ira", "organization", "INTERNET RESEARCH AGENCY LLC"),))
    m = Matcher(wl)
    text = ("The IRA was not yet known. Mueller charged the Internet Research Agency (IRA), a "
            "Russian company. The charge alleged the company \u201coversaw\u201d the IRA.")
    found = [(x.matched, x.kind) for x in m.find(text)]
    assert found == [("Internet Research Agency", "exact"), ("IRA", "acronym")]
    acronym = next(x for x in m.find(text) if x.kind == "acronym")
    assert text[acronym.start:acronym.end] == "IRA" and acronym.start > text.index("(IRA)")
    assert "acronym the text defines" in acronym.explanation
    wrong = "Mueller charged the Internet Research Agency (FBI). The FBI said nothing."
    assert [x.kind for x in m.find(wrong)] == ["exact"]


def test_support_words_learnt_while_reading_equal_a_fresh_search(matcher):
    """The matcher notes the sanctions and programme words as it walks the words; what it
    notes is what a search of the whole document finds (articles written for the tests,
    seven languages)."""
    from pathlib import Path

    from sanctionwatch.matching.vocab import SUPPORT_WORDS
    from sanctionwatch.text.folded import FoldedWords
    from sanctionwatch.text.tokens import tokenize

    docs = sorted((Path(__file__).resolve().parents[1] / "data" / "articles").glob("*.txt"))
    assert len(docs) >= 12
    for path in docs:
        text = path.read_text(encoding="utf-8")
        walked = FoldedWords(text, tokenize(text))
        matcher.candidates(walked)
        fresh = FoldedWords(text, tokenize(text))
        assert walked.prefixes_present(SUPPORT_WORDS) == fresh.prefixes_present(SUPPORT_WORDS)


def test_a_short_first_word_whose_key_is_longer_than_its_spelling():
    """'Xia' is keyed 'ksia' (longer than its three letters): the anchored form is found
    through the first word's look-up, and another short word before the anchor starts
    nothing."""
    m = Matcher(Watchlist((Entity("xia", "person", "XIA LONGHAI", programs=("SDGT",)),)))
    assert [x.matched for x in m.find("Xia Longhai was sanctioned on Monday.")] == [
        "Xia Longhai"]
    assert m.find("Mr Xi Longhai was sanctioned on Monday.") == []
