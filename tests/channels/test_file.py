"""The file channel (JSON Lines and CSV) and the console digest, on real files."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from sanctionwatch.channels.console import ConsoleChannel
from sanctionwatch.channels.file import CSV_COLUMNS, FileChannel
from sanctionwatch.channels.render import evidence_html, segments
from sanctionwatch.errors import ChannelError

START = datetime(2022, 12, 22, 12, tzinfo=UTC)


def test_jsonl_appends_one_record_per_alert(tmp_path, make_alert):
    path = tmp_path / "out" / "alerts.jsonl"
    channel = FileChannel("f", path)
    channel.send([make_alert(1)])
    channel.send([make_alert(2, delivery_id=5, reason="update")])
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [1, 2]
    assert recs[1]["reason"] == "update" and recs[1]["delivery_id"] == 5
    assert recs[0]["evidence"].startswith("Les États-Unis")


def test_csv_has_one_header_and_readable_columns(tmp_path, make_alert):
    path = tmp_path / "alerts.csv"
    channel = FileChannel("f", path)
    assert channel.format == "csv"
    channel.send([make_alert(1), make_alert(2)])
    channel.send_digest([make_alert(3)], START, START + timedelta(hours=1))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["entity_ids"] == "north-korea|wagner-group"
    assert rows[0]["matched"] == "Corée du Nord|groupe Wagner"
    assert rows[2]["digest_period"].startswith("2022-12-22T12:00:00+00:00/")


def test_unwritable_path_and_bad_format_are_channel_errors(tmp_path, make_alert):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ChannelError, match="cannot write"):
        FileChannel("f", blocker / "alerts.jsonl").send([make_alert()])
    with pytest.raises(ChannelError, match="format must be one of jsonl, csv"):
        FileChannel("f", tmp_path / "a.txt", "xml")


def test_console_digest_is_one_table(make_alert):
    console = Console(file=io.StringIO(), width=200)
    ConsoleChannel("c", console).send_digest([make_alert(1), make_alert(2)], START,
                                             START + timedelta(hours=1))
    text = console.file.getvalue()
    assert "2 alert(s), 2022-12-22 12:00" in text and "sanctionwatch alerts show ID" in text


def test_spans_cut_the_evidence_exactly(make_alert):
    a = make_alert()
    assert "".join(t for t, _ in segments(a)) == a.intent.evidence
    assert [t for t, hit in segments(a) if hit] == ["Corée du Nord", "groupe Wagner"]
    assert evidence_html(a).count("<mark>") == 2


def test_csv_cells_a_spreadsheet_would_evaluate_are_quoted(tmp_path, make_alert):
    """Evidence is text strangers write: "=HYPERLINK(...)" must stay text (OWASP's rule)."""
    from dataclasses import replace

    from sanctionwatch.text.cells import safe_cell

    a = make_alert(1)
    hostile = replace(a, intent=replace(a.intent, evidence='=HYPERLINK("http://x.test","Wagner")',
                                        why="+1+cmd|' /C calc'!A0"))
    path = tmp_path / "alerts.csv"
    FileChannel("f", path).send([hostile])
    (row,) = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    assert row["evidence"] == "'=HYPERLINK(\"http://x.test\",\"Wagner\")"
    assert row["why"].startswith("'+1")
    assert [safe_cell(v) for v in ("-2", "@x", "\tx", "ok", 0.5, -1)] == \
        ["'-2", "'@x", "'\tx", "ok", 0.5, -1]


def test_the_audit_export_quotes_formulas_in_notes_and_actors():
    from sanctionwatch.cli.alerts_admin import _csv_rows

    record = {"id": 1, "type": "designation", "phase": "effective", "severity": "high",
              "status": "dismissed", "assignee": None, "entity_ids": ["x"], "target": "x",
              "supporter": "", "created": "t", "updated": "t", "evidence": "-5 killed",
              "mentions": [], "why": "w", "rule_id": "r", "rule_version": 1, "sources": [],
              "events": [{"at": "t", "actor": "@mallory", "from_status": None,
                          "to_status": "dismissed", "note": "=WEBSERVICE(\"x\")"}]}
    (row,) = _csv_rows([record])
    assert (row["evidence"], row["event_actor"], row["event_note"]) == \
        ("'-5 killed", "'@mallory", "'=WEBSERVICE(\"x\")")
