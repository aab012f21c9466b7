"""`scan` and `screen` match against the stored lists configured with `match: true`, as the
daemon does, and never create a database when there is none."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctionwatch.cli import app

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data"


def _config(tmp_path: Path, repo: Path) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{tmp_path / 'sw.db'}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        f"lists: [{{name: sdn, kind: ofac_sdn, path: '{DATA / 'ofac'}', match: true}}]\n"
        "sources: []\nchannels: []\n", encoding="utf-8")
    return cfg


def test_scan_and_screen_use_imported_lists(tmp_path, repo):
    cfg = _config(tmp_path, repo)
    doc = tmp_path / "news.txt"
    doc.write_text("The Lazarus Group stole crypto, OFAC said; it was sanctioned in 2019.",
                   encoding="utf-8")
    before = runner.invoke(app, ["scan", "--format", "jsonl", "--config", str(cfg), str(doc)])
    assert before.exit_code == 0, before.output
    assert not (tmp_path / "sw.db").exists(), "scan must not create the database"
    assert not [json.loads(x) for x in before.stdout.splitlines()
                if json.loads(x).get("matched") == "Lazarus Group"], "not on the curated list"
    imported = runner.invoke(app, ["lists", "import", "ofac_sdn", str(DATA / "ofac"),
                                   "--name", "sdn", "--config", str(cfg)])
    assert imported.exit_code == 0, imported.output
    after = runner.invoke(app, ["scan", "--format", "jsonl", "--config", str(cfg), str(doc)])
    mentions = [json.loads(x) for x in after.stdout.splitlines()]
    assert any(m.get("matched") == "Lazarus Group" for m in mentions), after.stdout
    screened = runner.invoke(app, ["screen", "--format", "json", "--config", str(cfg),
                                   "Lazarus Group"])
    assert json.loads(screened.stdout)[0]["match"] is True
