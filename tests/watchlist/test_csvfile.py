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


BROKEN = Path(__file__).resolve().parents[1] / "data" / "watchlist-broken"


def test_real_rows_broken_as_a_spreadsheet_would_every_problem_listed():
    """Rows of the shipped watchlist, broken on purpose: every problem in one report."""
    with pytest.raises(WatchlistError) as info:
        load_watchlist(BROKEN)
    ent, rel = str(BROKEN / "entities.csv"), str(BROKEN / "relations.csv")
    msgs = [str(p) for p in info.value.problems]
    expected_starts = [
        f"{ent}:3:1: duplicate id 'wagner-group' (first on line 2)",
        f"{ent}:4:2: unknown type 'individual'",
        f"{ent}:5:6: bad country code 'XX'",
        f"{ent}:6:3: empty name",
        f"{ent}:7:40: broken quoting",
        f"{ent}:8:1: id 'rosneft trading'",
        f"{rel}:3:2: unknown relation 'commands'",
        f"{rel}:4:3: an entity cannot be related to itself",
        f"{rel}:5:3: target 'wagnergroup' is not an id in entities.csv",
    ]
    for start in expected_starts:
        assert any(m.startswith(start) for m in msgs), (start, msgs)
    # utkin-dmitriy's row is invalid (unknown type) but its id exists: not "unknown id" too
    assert not any("'utkin-dmitriy' is not an id" in m for m in msgs)


def test_broken_quoting_does_not_hide_later_problems(tmp_path):
    folder = _write(tmp_path, HEADER + 'x,person,"AC"ME",,,,,,,\n' + "y,ship,Y,,,,,,,\n")
    with pytest.raises(WatchlistError) as info:
        load_watchlist(folder)
    msgs = [str(p) for p in info.value.problems]
    assert any(":2:13: broken quoting" in m for m in msgs)
    assert any(":3:2: unknown type 'ship'" in m for m in msgs)


def test_windows_1252_message_says_how_to_convert(tmp_path):
    wl_dir = _write(tmp_path, HEADER + "concord,organization,Société Concord,,,RU,,,,\n",
                    encoding="cp1252")
    with pytest.raises(WatchlistError) as info:
        load_watchlist(wl_dir)
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 26)  # the "é" of "Société"
    assert "save it again as 'CSV UTF-8'" in p.message and "iconv -f cp1252" in p.message


def test_semicolon_export_of_the_real_watchlist_loads_the_same(tmp_path, repo, watchlist):
    import csv
    import io

    src = (repo / "watchlist" / "entities.csv").read_text(encoding="utf-8")
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(csv.reader(io.StringIO(src)))
    folder = tmp_path / "semi"
    folder.mkdir()
    (folder / "entities.csv").write_text(out.getvalue(), encoding="utf-8")
    wl = load_watchlist(folder)
    assert wl.entities == watchlist.entities


def test_duplicate_header_column_and_unknown_country(tmp_path):
    folder = _write(tmp_path, "id,type,name,notes,notes\nx,person,X,a,b\n"
                              "y,person,Y,,\n")
    with pytest.raises(WatchlistError, match=r"entities.csv:1:5: column 'notes' appears twice"):
        load_watchlist(folder)
    with pytest.raises(WatchlistError, match=r"bad country code 'Russia'.*did you mean RU"):
        load_watchlist(_write(tmp_path / "b", HEADER + "x,person,X,,,Russia,,,,\n"))


def test_validate_command_lists_every_problem_and_exits_non_zero():
    from typer.testing import CliRunner

    from sanctionwatch.cli import app

    result = CliRunner().invoke(app, ["watchlist", "validate", str(BROKEN)])
    assert result.exit_code == 1
    assert result.output.count("entities.csv:") == 6 and "10 problem(s)" in result.output
