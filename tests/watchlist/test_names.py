"""names.csv: the press's names of curated entities and of list entries, in the scripts the
lists do not carry (حزب الله, 哈马斯), added to the entity wherever it is merged; every bad
row named by file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import WatchlistError
from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.types import Entity, Watchlist
from sanctionwatch.watchlist.csvfile import load_watchlist
from sanctionwatch.watchlist.merge import ListSnapshot, merge

REPO = Path(__file__).resolve().parents[2]
ENTITIES = "id,type,name,aliases,programs,countries,context,exclude,notes\n" \
           "acme,organization,ACME TRADING,,,,,,\n"
SDN = Watchlist((
    Entity("ofac_sdn:4697", "organization", "HIZBALLAH", programs=("SDGT", "FTO"),
           origin="ofac_sdn"),
    Entity("ofac_sdn:4695", "organization", "HAMAS", programs=("SDGT", "FTO"),
           origin="ofac_sdn"),
))


def folder(tmp_path: Path, names: str) -> Path:
    (tmp_path / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    (tmp_path / "names.csv").write_text(names, encoding="utf-8")
    return tmp_path


def test_names_reach_curated_entities_and_list_entries(tmp_path):
    curated = load_watchlist(folder(tmp_path, "entity_id,name,lang,notes\n"
                                              "acme,أكمي للتجارة,ar,\n"
                                              "ofac_sdn:4697,حزب الله,ar,\n"
                                              "ofac_sdn:4695,哈马斯,zh,\n"))
    assert curated.by_id["acme"].aliases == ("أكمي للتجارة",)
    merged = merge(curated, [ListSnapshot("ofac_sdn", "ofac_sdn", SDN)])
    assert merged.by_id["ofac_sdn:4697"].aliases == ("حزب الله",)
    assert merged.by_id["ofac_sdn:4695"].aliases == ("哈马斯",)


def test_the_merged_names_are_found_in_arabic_and_chinese_text(tmp_path):
    curated = load_watchlist(folder(tmp_path, "entity_id,name,lang,notes\n"
                                              "ofac_sdn:4697,حزب الله,ar,\n"
                                              "ofac_sdn:4695,哈马斯,zh,\n"))
    matcher = Matcher(merge(curated, [ListSnapshot("ofac_sdn", "ofac_sdn", SDN)]))
    found = {m.entity_id for m in matcher.find(
        "فرضت وزارة الخزانة الأمريكية عقوبات على حزب الله اللبناني.")}
    assert found == {"ofac_sdn:4697"}
    assert {m.entity_id for m in matcher.find("美国财政部宣布制裁哈马斯的两名成员。")} \
        == {"ofac_sdn:4695"}
    # the same letters in other words are no name: "with great enthusiasm" (بحماس)
    assert matcher.find("استقبل الناس الخبر بحماس كبير.") == []


def test_bad_rows_are_named_by_line_and_column(tmp_path):
    with pytest.raises(WatchlistError) as err:
        load_watchlist(folder(tmp_path, "entity_id,name,lang,notes\n"
                                        "nobody,Some Name,en,\n"
                                        "acme,,en,\n"
                                        "bad id!,X,en,\n"))
    text = str(err.value)
    assert "names.csv:2:1" in text and "'nobody' is not an id in entities.csv" in text
    assert "names.csv:3:2: empty name" in text
    assert "names.csv:4:1" in text and "may only hold" in text


def test_a_missing_column_is_reported(tmp_path):
    with pytest.raises(WatchlistError, match="missing required column 'name'"):
        load_watchlist(folder(tmp_path, "entity_id,alias\nacme,X\n"))


def test_the_shipped_names_load_and_name_list_entries():
    wl = load_watchlist(REPO / "watchlist")
    assert len(wl.names) >= 30
    assert all(eid.startswith("ofac_sdn:") or eid in wl.by_id for eid, _name in wl.names)


def test_a_country_is_not_read_by_its_arabic_consonants():
    """روسيا (Russia) and الرئيس ("the president") share their consonants: a country's
    Arabic name is no skeleton form, or every president in Arabic news would be Russia."""
    matcher = Matcher(Watchlist((Entity("russia", "country", "Russia", countries=("RU",)),)))
    assert matcher.find("قال الرئيس إن رئيسة الوزراء وصلت إلى العاصمة.") == []
    assert [m.entity_id for m in matcher.find("Sanctions on Russia")] == ["russia"]
