"""The seed article, end to end: scan contract, and the daemon's store after two cycles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app

runner = CliRunner()


def _scan(repo: Path) -> list[dict]:
    result = runner.invoke(app, ["scan", "--format", "jsonl", str(repo / "seeds")])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_scan_lines_follow_the_contract(repo, seed_text):
    lines = _scan(repo)
    assert lines, "scan printed nothing"
    for rec in lines:
        assert rec["kind"] in ("mention", "alert")
        assert rec["document"].endswith("000_28478a00887480cc.txt")
        if rec["kind"] == "mention":
            assert set(rec) >= {"entity_id", "matched", "start", "end", "score"}
            assert seed_text[rec["start"]:rec["end"]] == rec["matched"]
            assert 0.0 <= rec["score"] <= 1.0
        else:
            assert set(rec) >= {"type", "entity_ids", "severity", "evidence"}
            assert rec["evidence"] in seed_text
            if rec["type"] == "designation":
                assert rec["phase"] in ("announced", "effective", "lifted")
            if rec["type"] == "support_network":
                assert rec["target"] and rec["supporter"]


def test_seed_raises_announced_designation_of_wagner(repo):
    alerts = [r for r in _scan(repo) if r["kind"] == "alert" and r["type"] == "designation"]
    assert [(a["entity_ids"], a["phase"]) for a in alerts] == [(["wagner-group"], "announced")]
    assert alerts[0]["evidence"].startswith("Des sanctions plus sévères seront également")
    assert alerts[0]["evidence"].endswith("(TCO), a ajouté M. Kirby.")


def test_seed_raises_support_network_north_korea_to_wagner(repo):
    alerts = [r for r in _scan(repo) if r["kind"] == "alert" and r["type"] == "support_network"]
    assert len(alerts) == 1
    a = alerts[0]
    assert (a["supporter"], a["target"]) == ("north-korea", "wagner-group")
    assert a["evidence"].startswith("Les États-Unis ont déclaré que la Corée du Nord continuerait")
    assert a["evidence"].endswith("en cours de collecte.")


def test_seed_mentions_every_form_of_wagner_and_prigozhin_but_not_wagons(repo, seed_text):
    mentions = [r for r in _scan(repo) if r["kind"] == "mention"]
    wagner = [m["matched"] for m in mentions if m["entity_id"] == "wagner-group"]
    assert "groupe Wagner" in wagner
    assert "Wagner" in wagner
    assert "wagnériens" in wagner
    assert seed_text.count("Wagner") + seed_text.count("wagnériens") == \
        sum(m.count("Wagner") + m.count("wagnériens") for m in wagner)
    centre = seed_text.index("Centre Wagner") + len("Centre ")
    assert any(m["start"] == centre for m in mentions if m["entity_id"] == "wagner-group")
    assert [m["matched"] for m in mentions if m["entity_id"] == "prigozhin-yevgeniy"] == \
        ["Yevgeny Prigozhin"]
    assert not any("wagons" in m["matched"] for m in mentions)
    wagons = seed_text.index("wagons")
    assert not any(m["start"] <= wagons < m["end"] for m in mentions)


def test_run_once_twice_stores_each_alert_once(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "sw.db"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{db}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        f"sources: [{{name: seeds, kind: folder, path: '{repo / 'seeds'}'}}]\n"
        f"channels: [{{name: out, kind: file, path: '{tmp_path / 'alerts.jsonl'}'}}]\n",
        encoding="utf-8")
    for _ in range(2):
        result = runner.invoke(app, ["run", "--once", "--config", str(cfg)])
        assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["alerts", "list", "--format", "jsonl", "--config", str(cfg)])
    alerts = [json.loads(x) for x in listed.stdout.splitlines()]
    keys = [(a["type"], a.get("phase"), tuple(a["entity_ids"])) for a in alerts]
    assert len(keys) == len(set(keys))
    assert ("designation", "announced", ("wagner-group",)) in keys
    assert any(a["type"] == "support_network" and a["supporter"] == "north-korea"
               and a["target"] == "wagner-group" for a in alerts)
    for a in alerts:
        assert set(a) >= {"id", "type", "status", "severity", "entity_ids", "created"}
        assert a["status"] == "new"
    delivered = (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(delivered) == len(alerts), "the second cycle delivered alerts again"


def test_console_script_runs_from_another_folder_on_defaults(tmp_path):
    """The installed command works outside the repo, on the embedded defaults."""
    exe = Path(sys.executable).with_name("sanctionwatch")
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    proc = subprocess.run([str(exe), "run", "--once"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "designation (announced)" in proc.stdout
    assert "support_network" in proc.stdout
    assert (tmp_path / "sanctionwatch.db").is_file()
