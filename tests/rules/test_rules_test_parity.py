"""`rules test` shows exactly what `scan` raises (issue 15, item 5): run through the real
console script on the same files, the alerts of `rules test --format jsonl` are the alerts
of `scan --format jsonl`, its text output has one ALERT line per alert, and a phase that
gave way to another on the same target says so instead of firing too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).with_name("sanctionwatch")

# our own sentences, in several languages, about entities of the repo's watchlist
DOCS = {
    "en.txt": "OFAC lifted sanctions on Kratol Aviation on Friday.\n\n"
              "The EU has not imposed sanctions on Kratol Aviation.\n\n"
              "The Treasury will sanction the Wagner Group next week.\n\n"
              "The Treasury imposed sanctions on Sewa Security Services and Lobaye Invest.",
    "fr.txt": "Le Trésor a levé les sanctions contre Kratol Aviation.\n\n"
              "Les États-Unis ont sanctionné le groupe Wagner et Lobaye Invest.",
    "de.txt": "Die USA haben die Sanktionen gegen Kratol Aviation aufgehoben.\n\n"
              "Das Finanzministerium verhängte Sanktionen gegen die Wagner-Gruppe.",
    "ru.txt": "Минфин США снял санкции с Kratol Aviation.\n\n"
              "США ввели санкции против ЧВК «Вагнер» и Евгения Пригожина.",
    "es.txt": "Washington levantó las sanciones a Kratol Aviation.\n\n"
              "El Tesoro impuso sanciones contra el Grupo Wagner.",
}


def _run(*args: str, cwd: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("SANCTIONWATCH_CONFIG", None)
    proc = subprocess.run([str(EXE), *args, "--watchlist", str(ROOT / "watchlist"),
                           "--rules", str(ROOT / "rules")], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity")
    docs = folder / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    scan = [json.loads(x) for x in _run("scan", "--format", "jsonl", str(docs),
                                        cwd=folder).splitlines()]
    test = [json.loads(x) for x in _run("rules", "test", "--format", "jsonl", str(docs),
                                        cwd=folder).splitlines()]
    text = _run("rules", "test", str(docs), cwd=folder)
    return scan, test, text


def _alerts(records):
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records
                   if r["kind"] == "alert")


def test_rules_test_raises_the_alerts_scan_raises(outputs):
    scan, test, _text = outputs
    assert _alerts(scan)  # the sentences do raise alerts
    assert _alerts(test) == _alerts(scan)
    assert [r for r in test if r["kind"] == "mention"] == \
           [r for r in scan if r["kind"] == "mention"]


def test_the_text_output_has_one_alert_line_per_alert(outputs):
    scan, _test, text = outputs
    alert_lines = [x for x in text.splitlines() if ": ALERT " in x]
    assert len(alert_lines) == len(_alerts(scan))
    for r in (r for r in scan if r["kind"] == "alert"):
        phase = f" ({r['phase']})" if r.get("phase") else ""
        assert any(f"FIRED {r['rule_id']}: ALERT {r['type']}{phase}" in x
                   and f"target={r['target']}" in x for x in alert_lines)


def test_one_phase_per_target_and_sentence_and_the_other_says_why(outputs):
    scan, test, text = outputs
    phases: dict[tuple[str, int, str], set[str]] = {}
    for r in scan:
        if r["kind"] == "alert" and r["type"] == "designation":
            phases.setdefault((r["document"], r["evidence_start"], r["target"]),
                              set()).add(r["phase"])
    assert all(len(p) == 1 for p in phases.values())
    # "OFAC lifted sanctions on Kratol Aviation": lifted, and effective gave way to it
    kratol = [r for r in scan if r["kind"] == "alert" and r["target"] == "kratol-aviation"]
    assert {(Path(r["document"]).name, r["phase"]) for r in kratol} >= {
        ("en.txt", "lifted"), ("fr.txt", "lifted"), ("de.txt", "lifted"), ("es.txt", "lifted")}
    assert not any(r["phase"] == "effective" for r in kratol)
    block = text.split("en.txt")[1].split("[1]")[0]
    assert "ALERT designation (lifted)" in block
    assert "ALERT designation (effective)" not in block
    assert "designation.effective: fired on kratol-aviation, but designation.lifted" in block
    gave_way = [r for r in test if r["kind"] == "trace" and r["document"].endswith("en.txt")
                and r["sentence"] == 0 and r["rule_id"] == "designation.effective"]
    assert gave_way and "wins over priority 0" in gave_way[0]["reason"]


def test_a_rule_that_did_not_fire_says_why(outputs):
    _scan, test, _text = outputs
    negated = [r for r in test if r["kind"] == "trace" and r["document"].endswith("en.txt")
               and r["sentence"] == 1 and r["rule_id"] == "designation.effective"]
    assert negated and "negation" in negated[0]["reason"]
    assert all(r["status"] in ("no", "same") for r in test if r["kind"] == "trace")
