"""Screening with what a query knows besides the name (matching/facts.py): the type narrows,
a contradicting birth date makes a candidate no match, a country is compared and said."""

from __future__ import annotations

import pytest

from sanctionwatch.matching import facts
from sanctionwatch.matching.screen import Screener
from sanctionwatch.types import Entity, Watchlist

# Invented entries, written in the style of an official list's remarks.
WL = Watchlist((
    Entity("p1", "person", "KORVAN, Dmitri Olegovich", countries=("RU",),
           notes="DOB 14 Mar 1961; POB Tula, Russia; nationality Russia."),
    Entity("p2", "person", "KORVAN, Dmitri", notes="DOB circa 1975; Gender Male."),
    Entity("p3", "person", "KORVAN, Dmitry", notes="DOB 1980 to 1982."),
    Entity("o1", "organization", "KORVAN DMITRI TRADING LLC", countries=("AE",)),
    Entity("p4", "person", "KORVANOV, Dmitri", extra=(("birth_date", "1990-07-01"),)),
))


@pytest.fixture(scope="module")
def screener():
    return Screener(WL, 0.85)


def _by_id(cands):
    return {c.entity_id: c for c in cands}


def test_without_facts_nothing_changes(screener):
    plain = screener.screen("Dmitri Korvan", 10)
    assert all(c.checks == () for c in plain)
    assert {"p1", "p2", "p3", "o1"} <= {c.entity_id for c in plain}


def test_the_type_leaves_other_types_out(screener):
    people = _by_id(screener.screen("Dmitri Korvan", 10, entity_type="person"))
    assert "o1" not in people and "p2" in people
    assert dict(people["p2"].checks)["type"] == "match"
    orgs = _by_id(screener.screen("Dmitri Korvan", 10, entity_type="organization"))
    assert set(orgs) == {"o1"}


def test_a_contradicting_birth_date_is_no_match_but_keeps_its_score(screener):
    plain = _by_id(screener.screen("Dmitri Korvan", 10))
    dated = _by_id(screener.screen("Dmitri Korvan", 10, birth_date="1961-03-14"))
    assert dict(dated["p1"].checks)["birth_date"] == "match"
    assert dict(dated["p2"].checks)["birth_date"] == "conflict"   # circa 1975
    assert dated["p2"].match is False and dated["p2"].score == plain["p2"].score
    assert dict(dated["o1"].checks)["birth_date"] == "unknown"
    assert dated["o1"].match == plain["o1"].match


@pytest.mark.parametrize(("query", "entity", "outcome"), [
    ("1976", "p2", "match"),            # circa: one year either side
    ("1977", "p2", "conflict"),
    ("1981-05", "p3", "match"),         # within a range
    ("1983", "p3", "conflict"),
    ("1961", "p1", "match"),            # a year against a full date
    ("1961-04", "p1", "conflict"),
    ("1961-03-15", "p1", "conflict"),
    ("1990-07-01", "p4", "match"),      # a curated birth_date column
])
def test_birth_date_forms(query, entity, outcome):
    e = WL.by_id[entity]
    assert facts.compare_birth_date(e, *facts.parse_query_date(query)) == outcome


def test_the_country_is_compared_and_never_decisive(screener):
    got = _by_id(screener.screen("Dmitri Korvan", 10, country="Russia"))
    assert dict(got["p1"].checks)["country"] == "match"
    assert dict(got["o1"].checks)["country"] == "conflict"
    assert dict(got["p2"].checks)["country"] == "unknown"
    plain = _by_id(screener.screen("Dmitri Korvan", 10))
    assert all(got[k].match == plain[k].match for k in got)
    assert facts.query_country("ru") == "RU"


@pytest.mark.parametrize("bad", ["1961-13", "1961-02-30", "14/03/1961", "soon"])
def test_unreadable_birth_dates_are_refused(bad):
    with pytest.raises(ValueError):
        facts.parse_query_date(bad)


def test_unknown_countries_are_refused():
    with pytest.raises(ValueError):
        facts.query_country("Atlantis")
