"""Official-list importers on small real slices of the lists (tests/data)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sanctionwatch.errors import WatchlistError
from sanctionwatch.watchlist.importers import KINDS, import_list
from sanctionwatch.watchlist.importers.base import entry_id_of
from sanctionwatch.watchlist.importers.ofac import split_programs

DATA = Path(__file__).resolve().parents[1] / "data"


def test_sdn_set_names_programmes_aliases_countries_and_provenance():
    lst = import_list("ofac_sdn", DATA / "ofac", date="2023-12-28")
    by = lst.watchlist.by_id
    assert lst.name == "ofac_sdn" and lst.date == "2023-12-28"
    wagner = by["ofac_sdn:22543"]
    assert wagner.type == "organization" and wagner.name == "PRIVATE MILITARY COMPANY 'WAGNER'"
    assert wagner.programs == ("TCO", "UKRAINE-EO13660", "CAR", "RUSSIA-EO14024")
    assert set(wagner.aliases) == {"PMC WAGNER", "CHASTNAYA VOENNAYA KOMPANIYA 'VAGNER'",
                                   "CHVK VAGNER", "WAGNER GROUP"}
    assert wagner.origin == "ofac_sdn"
    assert dict(wagner.extra)["list_entry_id"] == "22543" and entry_id_of(wagner) == "22543"
    assert dict(wagner.extra)["list_date"] == "2023-12-28"
    prigozhin = by["ofac_sdn:21171"]
    assert prigozhin.type == "person" and prigozhin.name == "PRIGOZHIN, Yevgeniy Viktorovich"
    assert "RU" in prigozhin.countries
    # -0- is empty: no title, no vessel fields kept
    assert "title" not in dict(wagner.extra) and "call_sign" not in dict(wagner.extra)
    assert by["ofac_sdn:36"].countries == ("CU",)  # from add.csv "Cuba"


def test_sdn_linked_to_remarks_become_relations_and_comments_are_joined():
    lst = import_list("ofac_sdn", DATA / "ofac" / "sdn.csv")
    rel = {(r.source, r.relation, r.target) for r in lst.relations}
    assert ("ofac_sdn:22544", "associate_of", "ofac_sdn:22543") in rel  # Utkin -> Wagner
    assert ("ofac_sdn:39618", "associate_of", "ofac_sdn:22543") in rel  # SEWA -> Wagner
    # 28263's "Linked To" sits in sdn_comments.csv, the overflow of its remarks
    assert any(r.source == "ofac_sdn:28263" for r in lst.relations)
    assert lst.watchlist.by_id["ofac_sdn:28263"].notes.endswith(
        "a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP.")
    assert ("ofac_sdn:28263", "associate_of", "ofac_sdn:27307") in rel
    # the orphan comment row (12300, not in this SDN) adds no entity
    assert "ofac_sdn:12300" not in lst.watchlist.by_id
    assert split_programs("TCO] [UKRAINE-EO13660") == ("TCO", "UKRAINE-EO13660")
    assert split_programs("-0- ") == ()


def test_sdn_alias_kinds_are_kept():
    lst = import_list("ofac_sdn", DATA / "ofac")
    kinds = {k for e in lst.entities for k, _v in e.extra}
    fka = [e for e in lst.entities if dict(e.extra).get("fka")]
    assert "fka" in kinds and fka
    e = fka[0]
    assert set(dict(e.extra)["fka"].split("|")) <= set(e.aliases)


def test_aliases_written_only_in_the_remarks_are_aliases():
    lst = import_list("ofac_sdn", DATA / "ofac")
    by = {e.id: e for e in lst.entities}
    assert "BNC" in by["ofac_sdn:306"].aliases           # "a.k.a. 'BNC'." (final full stop)
    lazarus = by["ofac_sdn:27307"].aliases
    assert {"HIDDEN COBRA", "OFFICE 91", "GUARDIANS OF PEACE"} <= set(lazarus)
    assert not any("Digital Currency" in a or "'" in a for a in lazarus)


def test_ofac_consolidated_set():
    lst = import_list("ofac_consolidated", DATA / "ofac-consolidated")
    assert lst.kind == "ofac_consolidated" and len(lst.entities) == 10
    rshb = lst.watchlist.by_id["ofac_consolidated:17014"]
    assert rshb.programs == ("UKRAINE-EO13662", "RUSSIA-EO14024")
    assert "a.k.a. 'RUSAG'" in rshb.notes  # the remark continued in cons_comments.csv
    haniya = lst.watchlist.by_id["ofac_consolidated:9639"]
    assert haniya.type == "person" and "HANIYA, Ismail" in haniya.aliases


def test_missing_primary_file_is_a_clear_error(tmp_path):
    with pytest.raises(WatchlistError, match=r"sdn.csv:0:0: file not found"):
        import_list("ofac_sdn", tmp_path)


def test_short_rows_are_reported_with_their_line(tmp_path):
    (tmp_path / "sdn.csv").write_bytes(
        (DATA / "ofac" / "sdn.csv").read_bytes().replace(b"\x1a", b"") + b'99999,"BROKEN"\r\n')
    lst = import_list("ofac_sdn", tmp_path)
    assert any("expected 12 cells" in p.message and p.line > 1 for p in lst.problems)
    assert "ofac_sdn:99999" not in lst.watchlist.by_id


def test_un_consolidated_xml():
    lst = import_list("un", DATA / "un" / "UN_consolidated.xml")
    by = lst.watchlist.by_id
    assert lst.date == "2026-02-27"
    adf = by["un:CDe.001"]
    assert adf.type == "organization" and adf.programs == ("DRC",)
    assert "Allied Democratic Forces" in adf.aliases and "ADF/NALU" in adf.aliases  # a.k.a./f.k.a.
    assert adf.countries == ("CD",)
    # "Jamil Mukulu (CDi.015)" in the comments links the entry to that individual
    assert ("un:CDe.001", "associate_of", "un:CDi.015") in {
        (r.source, r.relation, r.target) for r in lst.relations}
    musab = by["un:LYi.024"]
    assert musab.type == "person" and musab.name == "Mus’ab Mustafa Abu al Qassim Omar"
    assert "Mus’ab Abu Qarin" in musab.aliases            # quality Good: matched
    assert "مصعب مصطفى ابو القاسم عمر" in musab.aliases     # original script
    assert "The Doctor" not in musab.aliases               # quality Low: kept, not matched
    assert "The Doctor" in dict(musab.extra)["weak_aliases"]
    assert musab.countries == ("LY",)


def test_un_xml_with_entity_expansion_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                    "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>", encoding="utf-8")
    with pytest.raises(WatchlistError, match="unsafe XML refused"):
        import_list("un", bomb)
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST><INDIVIDUALS>", encoding="utf-8")
    with pytest.raises(WatchlistError, match=r"broken.xml:1:\d+: invalid XML"):
        import_list("un", broken)


def test_consolidated_screening_list_csv():
    lst = import_list("csl", DATA / "us-csl" / "csl.csv")
    by = lst.watchlist.by_id
    telecom = by["csl:30882"]
    assert telecom.programs == ("CMIC", "CMIC-EO13959") and telecom.countries == ("CN",)
    assert "CHINA TELECOM CO., LTD" in telecom.aliases
    # the second header row is skipped, the repeated _id reported with its line
    assert "csl:_id" not in by
    assert any("duplicate _id '17014'" in p.message for p in lst.problems)
    persons = [e for e in lst.entities if e.type == "person"]
    assert persons and all(e.origin == "csl" for e in lst.entities)
    # every record is read, including one whose cells span several lines
    with (DATA / "us-csl" / "csl.csv").open(encoding="utf-8", newline="") as fh:
        ids = {row["_id"] for row in csv.DictReader(fh)} - {"_id"}
    assert {e.id for e in lst.entities} == {f"csl:{i}" for i in ids}


def test_followthemoney_entities_and_links():
    lst = import_list("ftm", DATA / "opensanctions" / "yente_zala_entities.ftm.json")
    types = {e.type for e in lst.entities}
    assert types == {"person", "organization"}
    assert len([e for e in lst.entities if e.type == "person"]) == 6
    rels = {r.relation for r in lst.relations}
    assert {"owns", "leads", "family_of"} <= rels
    assert all(r.source in lst.watchlist.by_id and r.target in lst.watchlist.by_id
               for r in lst.relations)
    osetrova = lst.watchlist.by_id["ftm:NK-2Tbri3s6GgNtAwsSXh4qpL"]
    assert osetrova.name == "Maria Aleksandrovna Osetrova"  # the caption comes first
    assert "Мария Александровна Осетрова" in osetrova.aliases
    sanctioned = [e for e in lst.entities if e.programs]
    assert sanctioned, "Sanction objects give their programme to the entity"


def test_followthemoney_delta_and_multilingual_files(tmp_path):
    delta = import_list("ftm", DATA / "opensanctions" /
                        "yente_t2_20240527194702_entities.delta.json")
    assert len(delta.entities) == 2
    assert delta.date == "2024-05-30"  # no date in the path: the latest `last_seen`
    t1 = import_list("ftm", DATA / "opensanctions" / "yente_t1_entities.ftm.json", name="eu")
    assert all(e.id.startswith("eu:") for e in t1.entities)
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "schema": "Person", "properties": {"name": ["A B"]}}\n'
                   "{not json\n", encoding="utf-8")
    lst = import_list("ftm", bad)
    assert len(lst.entities) == 1
    assert [(p.line, p.message.split(":")[0]) for p in lst.problems] == [(2, "invalid JSON")]


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(ValueError, match="one of " + ", ".join(KINDS)):
        import_list("eu", DATA)


def test_aliases_from_the_remarks_are_marked_weak():
    lst = import_list("ofac_sdn", DATA / "ofac")
    lazarus = lst.watchlist.by_id["ofac_sdn:27307"]
    weak = dict(lazarus.extra)["weak_aliases"].split("|")
    assert "HIDDEN COBRA" in weak and "LAZARUS GROUP" not in weak
