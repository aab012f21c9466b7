"""The watchlist loader on real files, good and deliberately broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import WatchlistError
from sanctionwatch.watchlist.csvfile import load_watchlist

HEADER = "id,type,name,aliases,programs,countries,context,exclude,notes,ofac_uid\n"


def _write(folder: Path, entities: str, relations: str | None = None,
           encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.csv").write_bytes(entities.encode(encoding))
    if relations is not None:
        (folder / "relations.csv").write_text(relations, encoding="utf-8")
    return folder


def test_repo_watchlist_is_valid_and_curated(watchlist):
    ids = {e.id for e in watchlist.entities}
    assert {"wagner-group", "prigozhin-yevgeniy", "north-korea", "concord-management",
            "utkin-dmitriy"} <= ids
    wagner = watchlist.by_id["wagner-group"]
    assert "WAGNER GROUP" in wagner.aliases and "TCO" in wagner.programs
    assert dict(wagner.extra)["ofac_uid"] == "22543"
    assert watchlist.by_id["north-korea"].type == "country"
    linked = {r.source for r in watchlist.relations if r.target == "wagner-group"}
    assert len(linked) >= 10, "the SDN entities 'Linked To' Wagner are related to it"


def test_bom_extra_columns_and_quoting(tmp_path):
    wl = load_watchlist(_write(tmp_path, "\ufeff" + HEADER +
                               'x1,organization,"ACME, Ltd","A|B",,RU,,,"say ""hi""",9\n'))
    (e,) = wl.entities
    assert e.name == "ACME, Ltd" and e.aliases == ("A", "B") and e.notes == 'say "hi"'
    assert dict(e.extra) == {"ofac_uid": "9"}


def test_every_problem_is_reported_with_file_line_and_column(tmp_path):
    folder = _write(tmp_path, HEADER +
                    "a,person,Alpha,,,,,,,\n"
                    "a,person,Alpha again,,,,,,,\n"
                    "b,ship,Bravo,,,,,,,\n"
                    "c,person,,,,,,,,\n"
                    "d,person,Delta,,,RUS,,,,\n"
                    "e f,person,Echo,,,,,,,\n",
                    "source,relation,target,notes\na,employs,zzz,\n")
    with pytest.raises(WatchlistError) as info:
        load_watchlist(folder)
    msgs = [str(p) for p in info.value.problems]
    path = str(folder / "entities.csv")
    assert f"{path}:3:1: duplicate id 'a' (first on line 2)" in msgs
    assert any(m.startswith(f"{path}:4:2: unknown type 'ship'") for m in msgs)
    assert f"{path}:5:3: empty name" in msgs
    assert any(m.startswith(f"{path}:6:6: bad country code 'RUS'") for m in msgs)
    assert any(m.startswith(f"{path}:7:1: id 'e f'") for m in msgs)
    rel = str(folder / "relations.csv")
    assert any(m.startswith(f"{rel}:2:2: unknown relation 'employs'") for m in msgs)
    assert f"{rel}:2:3: target 'zzz' is not an id in entities.csv" in msgs


def test_missing_required_column(tmp_path):
    with pytest.raises(WatchlistError, match=r"entities.csv:1:1: missing required column 'type'"):
        load_watchlist(_write(tmp_path, "id,name\nx,Y\n"))


def test_windows_1252_file_says_what_to_do(tmp_path):
    with pytest.raises(WatchlistError, match=r"entities.csv:2:\d+: not valid UTF-8.*Windows-1252"):
        load_watchlist(_write(tmp_path, HEADER + "x,person,Gérard,,,,,,,\n", encoding="cp1252"))


def test_semicolon_separated_file_is_accepted(tmp_path):
    wl = load_watchlist(_write(tmp_path, "id;type;name;aliases\nx;person;Jean Dupont;J. Dupont\n"))
    assert wl.entities[0].aliases == ("J. Dupont",)


def test_broken_quoting_is_reported(tmp_path):
    with pytest.raises(WatchlistError, match="broken quoting"):
        load_watchlist(_write(tmp_path, HEADER + 'x,person,"Unclosed,,,,,,,\n'))


def test_unquoted_separator_inside_a_value(tmp_path):
    with pytest.raises(WatchlistError, match=r":2:\d+: 11 cells but the header has 10"):
        load_watchlist(_write(tmp_path, HEADER + "x,organization,ACME, Ltd,,,,,,,\n"))
