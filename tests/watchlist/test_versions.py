"""Watchlist versions: canonical content hash, snapshots, diffs, merging official lists."""

from __future__ import annotations

import shutil
from pathlib import Path

from sanctionwatch.types import Entity, Relation, Watchlist
from sanctionwatch.watchlist.csvfile import load_watchlist
from sanctionwatch.watchlist.diff import carry_first_seen, diff_watchlists
from sanctionwatch.watchlist.importers import import_list
from sanctionwatch.watchlist.merge import ListSnapshot, merge
from sanctionwatch.watchlist.versions import content_hash, pack, unpack

DATA = Path(__file__).resolve().parents[1] / "data"


def test_same_content_in_another_layout_has_the_same_hash(tmp_path, repo):
    a = load_watchlist(repo / "watchlist")
    folder = tmp_path / "wl"
    folder.mkdir()
    lines = (repo / "watchlist" / "entities.csv").read_text(encoding="utf-8").splitlines()
    # rows in another order, CRLF line endings, a BOM: the same content
    body = "\r\n".join([lines[0], *reversed(lines[1:])]) + "\r\n"
    (folder / "entities.csv").write_text("\ufeff" + body, encoding="utf-8", newline="")
    shutil.copy(repo / "watchlist" / "relations.csv", folder / "relations.csv")
    b = load_watchlist(folder)
    assert content_hash(a) == content_hash(b)
    c = Watchlist(a.entities[1:], a.relations)
    assert content_hash(c) != content_hash(a)


def test_snapshot_round_trip_keeps_extra_columns(repo):
    wl = load_watchlist(repo / "watchlist")
    blob, digest = pack(wl)
    back = unpack(blob)
    assert digest == content_hash(wl) == content_hash(back)
    assert back.by_id["wagner-group"] == wl.by_id["wagner-group"]
    assert dict(back.by_id["wagner-group"].extra)["ofac_uid"] == "22543"


def test_diff_reports_names_added_for_rescreening():
    old = Watchlist((Entity("a", "person", "Anna Alpha", aliases=("A. Alpha",)),
                     Entity("b", "organization", "Bravo Ltd")))
    new = Watchlist((Entity("a", "person", "Anna Alpha", aliases=("A. Alpha", "Anya Alfa")),
                     Entity("c", "organization", "Charlie Corp", aliases=("CharlieCo",))),
                    (Relation("a", "leads", "c"),))
    d = diff_watchlists(old, new)
    assert [e.id for e in d.added] == ["c"] and [e.id for e in d.removed] == ["b"]
    assert d.new_names() == {"c": ("Charlie Corp", "CharlieCo"), "a": ("Anya Alfa",)}
    assert d.changed[0].describe() == "aliases +'Anya Alfa'"
    assert d.summary() == ("+1 entities, -1 entities, 1 changed, +2/-0 aliases, +1/-0 "
                           "relations")


def test_list_date_is_carried_over_so_an_unchanged_refresh_is_the_same_version():
    a = import_list("ofac_sdn", DATA / "ofac-history" / "2023-01-24" / "sdn.csv")
    again = import_list("ofac_sdn", DATA / "ofac-history" / "2023-01-24" / "sdn.csv",
                        date="2023-02-01")
    assert content_hash(again.watchlist) != content_hash(a.watchlist)
    assert diff_watchlists(a.watchlist, again.watchlist).empty
    carried = carry_first_seen(a.watchlist, again.watchlist)
    assert content_hash(carried) == content_hash(a.watchlist)


def test_merge_lets_the_curated_entity_stand_for_its_list_entry(repo):
    curated = load_watchlist(repo / "watchlist")
    sdn = import_list("ofac_sdn", DATA / "ofac")
    merged = merge(curated, [ListSnapshot("ofac_sdn", "ofac_sdn", sdn.watchlist)])
    ids = {e.id for e in merged.entities}
    assert "wagner-group" in ids and "ofac_sdn:22543" not in ids  # curated stands for it
    assert "ofac_sdn:36" in ids and merged.by_id["ofac_sdn:36"].origin == "ofac_sdn"
    assert merged.by_id["wagner-group"].origin == "curated"
    # the list's "Linked To" relations now point at the curated ids
    rels = {(r.source, r.relation, r.target) for r in merged.relations}
    assert ("prigozhin-yevgeniy", "associate_of", "internet-research-agency") in rels
    assert ("ofac_sdn:28263", "associate_of", "ofac_sdn:27307") in rels  # neither curated
    assert all(r.source in ids and r.target in ids for r in merged.relations)
    assert merge(curated, []) is curated
