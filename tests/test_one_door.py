"""One door (issue 16): what a command does, it does through the same App as the daemon, so its
alerts reach the channels and its versions are re-screened, whoever made them. Each test runs
the commands (the real Typer app, in this process: one interpreter start for all) on a real
SQLite file with real watchlist, rule and list files."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from sanctionwatch.cli import app

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_28478a00887480cc.txt"
HISTORY = REPO / "tests" / "data" / "ofac-history"

ZARYA_ROW = ("zarya-logistics,organization,ZARYA FREIGHT LOGISTICS,Zarya Freight,RUSSIA-EO14024,"
             "RU,,,test entity added by an analyst,\n")
# Our own sentence: a fictitious firm supplying the Wagner Group.
ZARYA_TEXT = ("Zarya Freight Logistics supplied fuel and trucks to the Wagner Group in Mali, "
              "officials said on Tuesday.\n")


def _config(folder: Path, channels: str, rules: Path | None = None) -> Path:
    shutil.copytree(REPO / "watchlist", folder / "watchlist")
    (folder / "drop").mkdir()
    cfg = folder / "config.yaml"
    cfg.write_text(
        f"database:\n  url: sqlite:///{folder / 'sw.db'}\n"
        "watchlist:\n  path: watchlist\n  rescreen_days: 30\n"
        f"rules:\n  paths: [{rules or REPO / 'rules'}]\n"
        "sources:\n  - name: drop\n    kind: folder\n    path: drop\n"
        + (f"channels:\n{channels}" if channels else ""), encoding="utf-8")
    return cfg


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def sw(cfg: Path, *args: str) -> Done:
    result = CliRunner().invoke(app, [*args, "--config", str(cfg)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Done(result.exit_code, result.stdout, result.stderr)


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _alerts(cfg: Path) -> list[dict]:
    listed = sw(cfg, "alerts", "list", "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    return [json.loads(x) for x in listed.stdout.splitlines()]


def test_list_change_alerts_of_lists_import_reach_the_channels(tmp_path):
    cfg = _config(tmp_path, "  - name: each\n    kind: file\n    path: each.jsonl\n")
    for day in ("2023-01-24", "2023-01-26"):
        done = sw(cfg, "lists", "import", "ofac_sdn", str(HISTORY / day))
        assert done.returncode == 0, done.stderr
    assert "66 list_change alert(s) raised (queued for the channels" in done.stdout
    delivered = sw(cfg, "deliver")
    assert delivered.returncode == 0, delivered.stderr
    assert "sent 66 (each: 66)" in delivered.stderr
    sent = _lines(tmp_path / "each.jsonl")
    assert len(sent) == 66 and {r["type"] for r in sent} == {"list_change"}
    tco = [r for r in sent if "programme added TCO" in r["evidence"]]
    assert tco and "wagner-group" in tco[0]["entity_ids"] and tco[0]["severity"] == "critical"


def test_an_escalation_from_the_command_line_notifies_the_escalation_channel(tmp_path):
    cfg = _config(tmp_path, "  - name: each\n    kind: file\n    path: each.jsonl\n"
                            "  - name: duty\n    kind: file\n    path: duty.jsonl\n"
                            "    events: [escalated]\n")
    shutil.copy(SEED, tmp_path / "drop" / SEED.name)
    ran = sw(cfg, "run", "--once")
    assert ran.returncode == 0, ran.stderr
    assert _lines(tmp_path / "duty.jsonl") == []      # only escalations go there
    target = next(a for a in _alerts(cfg) if a["type"] == "designation")
    esc = sw(cfg, "alerts", "escalate", str(target["id"]), "--by", "ana", "-m", "board today")
    assert esc.returncode == 0, esc.stderr
    assert sw(cfg, "deliver").returncode == 0
    (duty,) = _lines(tmp_path / "duty.jsonl")
    assert duty["id"] == target["id"] and duty["status"] == "escalated"
    assert duty["reason"] == "escalated" and "board today" in duty["note"]


def test_a_watchlist_edit_made_while_no_daemon_ran_is_re_screened_by_the_next_run(tmp_path):
    cfg = _config(tmp_path, "  - name: each\n    kind: file\n    path: each.jsonl\n")
    (tmp_path / "drop" / "zarya.txt").write_text(ZARYA_TEXT, encoding="utf-8")
    assert sw(cfg, "run", "--once").returncode == 0
    assert not any("zarya-logistics" in a["entity_ids"] for a in _alerts(cfg))
    # The analyst adds the firm while the daemon is stopped, and looks at the history.
    with (tmp_path / "watchlist" / "entities.csv").open("a", encoding="utf-8") as fh:
        fh.write(ZARYA_ROW)
    history = sw(cfg, "watchlist", "history")
    assert history.returncode == 0, history.stderr
    status = sw(cfg, "status", "--format", "json")
    (job,) = [j for j in json.loads(status.stdout)["rescreens"] if j["status"] == "pending"]
    assert job["kind"] == "watchlist"
    # The next run completes the pending re-screening before reading the sources.
    ran = sw(cfg, "run", "--once")
    assert ran.returncode == 0, ran.stderr
    found = [a for a in _alerts(cfg) if "zarya-logistics" in a["entity_ids"]]
    assert found and all(a["why"].startswith("found by re-screening (watchlist version")
                         for a in found)
    assert any(a["type"] == "support_network" and a.get("supporter") == "zarya-logistics"
               for a in found)
    assert any("zarya-logistics" in r["entity_ids"] for r in _lines(tmp_path / "each.jsonl"))
    jobs = json.loads(sw(cfg, "status", "--format", "json").stdout)["rescreens"]
    assert all(j["status"] == "done" for j in jobs) and jobs[0]["articles"] == 1
    # Nothing is raised twice when re-screening is asked for again.
    again = sw(cfg, "rescreen", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["alerts"] == []


def test_a_rule_change_re_checks_stored_articles(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(REPO / "rules" / "designation.yaml", rules)
    cfg = _config(tmp_path, "  - name: each\n    kind: file\n    path: each.jsonl\n", rules)
    (tmp_path / "drop" / "zarya.txt").write_text(ZARYA_TEXT.replace(
        "Zarya Freight Logistics", "North Korea"), encoding="utf-8")
    assert sw(cfg, "run", "--once").returncode == 0
    assert not any(a["type"] == "support_network" for a in _alerts(cfg))
    # The rule author adds the support rules: the stored article is checked again.
    shutil.copy(REPO / "rules" / "support_network.yaml", rules)
    done = sw(cfg, "rescreen", "--pending", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [j["kind"] for j in report["jobs"]] == ["rules"] and report["articles"] == 1
    support = [a for a in _alerts(cfg) if a["type"] == "support_network"]
    assert support and support[0]["why"].startswith("found by re-screening (rule files changed)")
    assert support[0]["target"] == "wagner-group"


def test_rescreen_on_demand_counts_the_stored_articles_and_raises_nothing_twice(tmp_path):
    cfg = _config(tmp_path, "  - name: each\n    kind: file\n    path: each.jsonl\n")
    shutil.copy(SEED, tmp_path / "drop" / SEED.name)
    assert sw(cfg, "run", "--once").returncode == 0
    before = len(_alerts(cfg))
    done = sw(cfg, "rescreen", "--since", "2000-01-01", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["articles"] == 1 and report["alerts"] == [] and not report["interrupted"]
    assert len(_alerts(cfg)) == before
    listed = sw(cfg, "rescreen", "--list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [(j["kind"], j["status"], j["articles"]) for j in json.loads(listed.stdout)] == [
        ("manual", "done", 1)]


def test_a_broken_jsonl_line_is_reported_and_skipped_by_scan_and_by_the_folder_source(tmp_path):
    cfg = _config(tmp_path, "")
    lines = [json.dumps({"id": "a", "text": "Wagner Group fighters were seen in Mali."}),
             "{not json",
             json.dumps({"id": "c", "text": "The Wagner Group recruited in prisons."})]
    export = tmp_path / "drop" / "export.jsonl"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scanned = sw(cfg, "scan", str(export), "--format", "jsonl")
    assert scanned.returncode == 1
    assert f"{export}:2:2: invalid JSON" in scanned.stderr
    docs = {json.loads(x)["document"] for x in scanned.stdout.splitlines()}
    assert docs == {f"{export}#a", f"{export}#c"}
    ran = sw(cfg, "run", "--once")
    assert f"{export}:2:2: invalid JSON" in ran.stderr
    status = json.loads(sw(cfg, "status", "--format", "json").stdout)
    (drop,) = status["sources"]
    assert drop["articles_new"] == 2
