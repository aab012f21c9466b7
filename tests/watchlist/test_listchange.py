"""List-change events on the real SDN snapshots of 2023-01-24 and 2023-01-26 (sliced): the
day OFAC designated PMC Wagner a Transnational Criminal Organization."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.types import Entity, Watchlist
from sanctionwatch.watchlist.diff import diff_watchlists
from sanctionwatch.watchlist.importers import import_list
from sanctionwatch.watchlist.listchange import change_report, list_changes

HISTORY = Path(__file__).resolve().parents[1] / "data" / "ofac-history"
WAGNER_LINKED_NEW = {"39618", "39756", "39757", "39758", "39760", "40573"}


@pytest.fixture(scope="module")
def snapshots():
    old = import_list("ofac_sdn", HISTORY / "2023-01-24" / "sdn.csv")
    new = import_list("ofac_sdn", HISTORY / "2023-01-26" / "sdn.csv")
    return old, new


def _changes(snapshots, curated):
    old, new = snapshots
    d = diff_watchlists(old.watchlist, new.watchlist)
    return d, list_changes(d, "ofac_sdn", "ofac_sdn", new.date, old.watchlist, new.watchlist,
                           curated)


def test_diff_of_the_two_snapshots(snapshots):
    d, _ = _changes(snapshots, None)
    assert len(d.added) == 61 and not d.removed
    assert {c.id for c in d.changed} == {"ofac_sdn:22543", "ofac_sdn:15892", "ofac_sdn:16865"}
    wagner = next(c for c in d.changed if c.id == "ofac_sdn:22543")
    assert wagner.added("programs") == ("TCO", "CAR") and not wagner.removed("programs")


def test_wagner_tco_and_car_and_new_linked_entities_with_the_repo_watchlist(snapshots,
                                                                           watchlist):
    _, changes = _changes(snapshots, watchlist)
    tco = [c for c in changes if c.kind == "program_added" and c.entry_id == "22543"]
    assert [(c.detail, c.severity, c.curated) for c in tco] == [
        ("TCO", "critical", ("wagner-group",)), ("CAR", "critical", ("wagner-group",))]
    new_linked = {c.entry_id: c for c in changes if c.kind == "new_designation"
                  and "PRIVATE MILITARY COMPANY 'WAGNER'" in c.detail}
    assert set(new_linked) == WAGNER_LINKED_NEW
    # each of them the analysts already curated: on the watchlist, critical
    assert all(c.severity == "critical" and c.curated for c in new_linked.values())
    # most severe first; the unrelated Russia designations come after
    assert changes[0].severity == "critical"
    assert [c.severity for c in changes] == sorted(
        (c.severity for c in changes), key=["critical", "high", "medium", "low"].index)


def test_linked_entities_rank_above_unrelated_ones(snapshots):
    """With only Wagner curated, entities linked to it come out high, others medium."""
    curated = Watchlist((Entity("wagner-group", "organization", "PMC Wagner",
                                extra=(("ofac_uid", "22543"),)),))
    _, changes = _changes(snapshots, curated)
    by_entry = {(c.kind, c.entry_id): c for c in changes}
    for entry in WAGNER_LINKED_NEW:
        c = by_entry[("new_designation", entry)]
        assert c.severity == "high" and c.linked == ("wagner-group",) and not c.curated
        assert "linked to curated wagner-group" in c.line
    assert by_entry[("new_designation", "35999")].severity == "medium"  # MINNIKHANOV
    assert by_entry[("program_added", "15892")].severity == "medium"    # PROKOPENKO
    renamed = by_entry[("alias_added", "16865")]                        # ALMAZ-ANTEY
    assert renamed.severity == "low" and "AEROSPACE DEFENSE CONCERN" in renamed.detail


def test_delisting_and_programme_removed_the_other_way_round(snapshots):
    old, new = snapshots
    d = diff_watchlists(new.watchlist, old.watchlist)
    changes = list_changes(d, "ofac_sdn", "ofac_sdn", old.date, new.watchlist, old.watchlist)
    kinds = {c.kind for c in changes}
    assert {"delisting", "program_removed"} <= kinds
    assert len([c for c in changes if c.kind == "delisting"]) == 61


def test_new_link_between_existing_entries():
    a = Watchlist((Entity("l:1", "organization", "ALPHA"), Entity("l:2", "organization", "BETA")))
    from sanctionwatch.types import Relation

    b = Watchlist(a.entities, (Relation("l:1", "associate_of", "l:2"),))
    changes = list_changes(diff_watchlists(a, b), "l", "ftm", "2024-01-01", a, b)
    assert [(c.kind, c.name, c.detail, c.related) for c in changes] == [
        ("new_link", "ALPHA", "associate of BETA", ("l:2",))]


def test_change_report_evidence_points_into_the_report(snapshots, watchlist):
    _, changes = _changes(snapshots, watchlist)
    text, intents = change_report(changes, "ofac_sdn changes")
    assert len(intents) == len(changes) and text.startswith("ofac_sdn changes\n")
    for i in intents:
        assert text[i.evidence_start:i.evidence_end] == i.evidence
        assert i.type == "list_change" and i.phase in {
            "new_designation", "program_added", "alias_added"}
    keys = [i.key for i in intents]
    assert len(set(keys)) == len(keys), "TCO and CAR are two alerts, not one"
    wagner_tco = next(i for i in intents if i.phase == "program_added" and "TCO" in i.evidence)
    assert wagner_tco.entity_ids == ("ofac_sdn:22543", "wagner-group")
