"""`sanctionwatch watchlist history|diff` and `sanctionwatch lists import|show|diff` on real
files and a real SQLite store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sanctionwatch.cli import app

DATA = Path(__file__).resolve().parents[1] / "data"
HISTORY = DATA / "ofac-history"
runner = CliRunner()


def _config(tmp_path: Path, repo: Path) -> Path:
    shutil.copytree(repo / "watchlist", tmp_path / "watchlist")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"database:\n  url: sqlite:///{tmp_path / 'sw.db'}\n"
                   f"watchlist:\n  path: watchlist\nrules:\n  paths: [{repo / 'rules'}]\n",
                   encoding="utf-8")
    return cfg


def test_lists_import_twice_then_show(tmp_path, repo):
    cfg = str(_config(tmp_path, repo))
    first = runner.invoke(app, ["lists", "import", "ofac_sdn", str(HISTORY / "2023-01-24"),
                                "--config", cfg])
    assert first.exit_code == 0, first.output
    assert "ofac_sdn: new version 2" in first.output and "first import" in first.output
    second = runner.invoke(app, ["lists", "import", "ofac_sdn", str(HISTORY / "2023-01-26"),
                                 "--config", cfg, "--limit", "100"])
    assert second.exit_code == 0, second.output
    assert "+61 entities, -0 entities, 3 changed" in second.output
    assert "66 list_change alert(s) raised" in second.output
    assert ("[critical] 2023-01-26 ofac_sdn 22543 PRIVATE MILITARY COMPANY 'WAGNER': "
            "programme added TCO — on the curated watchlist as wagner-group") in second.output
    again = runner.invoke(app, ["lists", "import", "ofac_sdn", str(HISTORY / "2023-01-26"),
                                "--config", cfg])
    assert "unchanged, version 3" in again.output
    alerts = runner.invoke(app, ["alerts", "list", "--format", "jsonl", "--type",
                                 "list_change", "--config", cfg])
    records = [json.loads(line) for line in alerts.stdout.splitlines()]
    assert len(records) == 66
    shown = runner.invoke(app, ["lists", "show", "--config", cfg])
    assert shown.exit_code == 0 and "official lists" in shown.output
    (row,) = [json.loads(line) for line in runner.invoke(
        app, ["lists", "show", "--config", cfg, "--format", "jsonl"]).stdout.splitlines()]
    assert (row["list"], row["version"], row["list_date"]) == ("ofac_sdn", 3, "2023-01-26")
    # the aliases are those OFAC writes only in the remarks ("a.k.a. '...'"); no alt.csv here
    assert row["summary"] == "116 entities, 22 aliases, 76 relations"
    one = runner.invoke(app, ["lists", "show", "ofac_sdn", "--search", "kratol", "--config",
                              cfg, "--format", "jsonl"])
    (kratol,) = [json.loads(line) for line in one.stdout.splitlines()]
    assert kratol["name"] == "KRATOL AVIATION" and kratol["programs"] == ["CAR"]
    assert kratol["extra"]["list_date"] == "2023-01-26"  # first listed in this snapshot
    missing = runner.invoke(app, ["lists", "show", "nope", "--config", cfg])
    assert missing.exit_code == 1


def test_lists_diff_prints_the_same_changes_as_jsonl(tmp_path, repo):
    cfg = str(_config(tmp_path, repo))
    result = runner.invoke(app, ["lists", "diff", str(HISTORY / "2023-01-24" / "sdn.csv"),
                                 str(HISTORY / "2023-01-26" / "sdn.csv"), "--format", "jsonl",
                                 "--config", cfg])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 66
    wagner = [(r["change"], r["detail"], r["severity"]) for r in rows if r["entry_id"] == "22543"]
    assert wagner == [("program_added", "TCO", "critical"), ("program_added", "CAR", "critical")]
    assert not (tmp_path / "sw.db").exists(), "lists diff stores nothing"


def test_lists_import_of_an_unknown_kind_or_missing_file(tmp_path, repo):
    cfg = str(_config(tmp_path, repo))
    bad_kind = runner.invoke(app, ["lists", "import", "eu", str(DATA), "--config", cfg])
    assert bad_kind.exit_code == 2 and "unknown list kind 'eu'" in bad_kind.output
    missing = runner.invoke(app, ["lists", "import", "un", str(tmp_path / "no.xml"),
                                  "--config", cfg])
    assert missing.exit_code == 1 and "no.xml:0:0: file not found" in missing.output


def test_watchlist_history_and_diff(tmp_path, repo):
    cfg = str(_config(tmp_path, repo))
    h1 = runner.invoke(app, ["watchlist", "history", "--config", cfg, "--format", "jsonl"])
    assert h1.exit_code == 0, h1.output
    (v1,) = [json.loads(line) for line in h1.stdout.splitlines()]
    entities = tmp_path / "watchlist" / "entities.csv"
    text = entities.read_text(encoding="utf-8")
    # an analyst adds an alias to Wagner and a new entity
    text = text.replace("|WAGNER GROUP|", "|WAGNER GROUP|Vagner Group|", 1)
    entities.write_text(text + "zarya-logistics,organization,ZARYA FREIGHT LOGISTICS,,,RU,,,,\n",
                        encoding="utf-8")
    d = runner.invoke(app, ["watchlist", "diff", "--config", cfg])
    assert d.exit_code == 0, d.output
    assert "+ zarya-logistics 'ZARYA FREIGHT LOGISTICS'" in d.output
    assert "~ wagner-group: aliases +'Vagner Group'" in d.output
    h2 = runner.invoke(app, ["watchlist", "history", "--config", cfg, "--format", "jsonl"])
    versions = [json.loads(line) for line in h2.stdout.splitlines()]
    assert [v["id"] for v in versions] == [v1["id"] + 1, v1["id"]]
    assert versions[0]["content_hash"] != v1["content_hash"]
    between = runner.invoke(app, ["watchlist", "diff", str(v1["id"]), str(versions[0]["id"]),
                                  "--config", cfg, "--format", "jsonl"])
    changes = [json.loads(line) for line in between.stdout.splitlines()]
    assert {"change": "added", "entity_id": "zarya-logistics",
            "name": "ZARYA FREIGHT LOGISTICS", "aliases": []} in changes
    assert any(c["change"] == "changed" and c["aliases_added"] == ["Vagner Group"]
               for c in changes)
    bad = runner.invoke(app, ["watchlist", "diff", "999", "--config", cfg])
    assert bad.exit_code == 2 and "no stored version '999'" in bad.output


def test_lists_refresh_imports_the_configured_lists(tmp_path, repo):
    cfg = _config(tmp_path, repo)
    sdn = tmp_path / "sdn"
    sdn.mkdir()
    shutil.copy(HISTORY / "2023-01-24" / "sdn.csv", sdn / "sdn.csv")
    cfg.write_text(cfg.read_text(encoding="utf-8") +
                   "lists:\n  - {name: sdn, kind: ofac_sdn, path: sdn, schedule: 1d}\n"
                   "  - {name: un, kind: un, path: missing.xml, match: false}\n",
                   encoding="utf-8")
    first = runner.invoke(app, ["lists", "refresh", "sdn", "--config", str(cfg)])
    assert first.exit_code == 0, first.output
    assert "sdn: version 2 (new), 0 list_change alert(s)" in first.output
    shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", sdn / "sdn.csv")
    every = runner.invoke(app, ["lists", "refresh", "--config", str(cfg)])
    assert every.exit_code == 1, "the missing UN file fails, the SDN refresh still happens"
    assert "sdn: version 3 (new), 66 list_change alert(s)" in every.output
    assert "missing.xml:0:0: file not found" in every.output
    rows = [json.loads(line) for line in runner.invoke(
        app, ["lists", "show", "--config", str(cfg), "--format", "jsonl"]).stdout.splitlines()]
    assert [(r["list"], r["version"], r["matching"]) for r in rows] == [
        ("sdn", 3, True), ("un", None, False)]
    unknown = runner.invoke(app, ["lists", "refresh", "eu", "--config", str(cfg)])
    assert unknown.exit_code == 2 and "not configured: eu" in unknown.output
