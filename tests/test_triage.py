"""Triage on SQLite and PostgreSQL: grouping within a window, suppressions, status changes
appended to an audit trail that is never rewritten, and the `alerts` commands."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.errors import SuppressionError
from sanctionwatch.storage import alerts as tr
from sanctionwatch.storage.deliveries import OutboxRoute
from sanctionwatch.storage.store import AlertFilter, Store
from sanctionwatch.types import AlertIntent, ArticleData, Mention

NOW = datetime(2022, 12, 22, 12, 0, tzinfo=UTC)
runner = CliRunner()


def intent(severity="medium", entity="wagner-group", evidence="Wagner was designated today.",
           rule="designation.announced") -> AlertIntent:
    return AlertIntent(type="designation", severity=severity, entity_ids=(entity,),
                       roles=(("target", entity),), evidence=evidence, evidence_start=0,
                       evidence_end=len(evidence), rule_id=rule, rule_version=2,
                       why="trigger «designated»", phase="announced",
                       mentions=(Mention(entity, 0, 6, evidence[:6], 1.0, "Wagner", "short"),))


def ingest(store, key, intents, now=NOW, source="wire", url=""):
    return store.ingest(ArticleData(source, key, f"text {key}", url=url), (), intents, now)


@pytest.fixture
def store(db_url):
    s = Store(db_url, routes=[OutboxRoute("c", lambda a: True)],
              group_window=timedelta(hours=24))
    yield s
    s.close()


def deliveries(store, alert_id):
    return [(d.reason, d.status) for d in tr.get_alert(store, alert_id).deliveries]


def test_same_alert_within_the_window_is_updated_not_raised_again(store):
    _, (first,) = ingest(store, "a", [intent("medium")])
    # Another story, same type and entities, 3 hours later: one more source, no new alert.
    _, created = ingest(store, "b", [intent("medium")], NOW + timedelta(hours=3))
    assert created == []
    detail = tr.get_alert(store, first.id)
    assert [s.external_id for s in detail.sources] == ["a", "b"]
    assert deliveries(store, first.id) == [("new", "pending")]
    # A higher severity is material: evidence replaced, audit event, one re-notification.
    stronger = "Wagner was designated today by the Treasury."
    _, created = ingest(store, "c", [intent("high", evidence=stronger)], NOW + timedelta(hours=5))
    assert created == []
    detail = tr.get_alert(store, first.id)
    assert detail.alert.intent.severity == "high" and detail.alert.intent.evidence == stronger
    assert len(detail.sources) == 3
    assert "severity medium → high" in detail.events[-1].note
    assert detail.events[-1].from_status == detail.events[-1].to_status == "new"
    # A lower severity later changes nothing material.
    ingest(store, "d", [intent("low")], NOW + timedelta(hours=6))
    assert tr.get_alert(store, first.id).alert.intent.severity == "high"
    assert len(store.list_alerts()) == 1
    # Past the window a new alert is raised.
    _, created = ingest(store, "e", [intent("medium")], NOW + timedelta(hours=25))
    assert len(created) == 1 and created[0].id != first.id


def test_status_changes_append_to_an_audit_trail_that_is_never_rewritten(store):
    _, (a,) = ingest(store, "a", [intent()])
    t1, t2, t3 = (NOW + timedelta(minutes=m) for m in (1, 2, 3))
    tr.change_status(store, a.id, "acknowledged", actor="alice", note="looking", now=t1)
    before = tr.get_alert(store, a.id).events
    tr.change_status(store, a.id, "escalated", actor="alice", note="OFAC match", now=t2,
                     assignee="bob")
    tr.add_note(store, a.id, actor="bob", note="called the desk", now=t3)
    after = tr.get_alert(store, a.id)
    assert after.events[:len(before)] == before
    assert [(e.actor, e.from_status, e.to_status) for e in after.events] == [
        ("sanctionwatch", None, "new"), ("alice", "new", "acknowledged"),
        ("alice", "acknowledged", "escalated"), ("bob", "escalated", "escalated")]
    assert after.events[2].note == "OFAC match [assigned to bob]" and after.events[2].at == t2
    assert after.alert.status == "escalated" and after.assignee == "bob"
    with pytest.raises(tr.TriageError, match="already escalated"):
        tr.change_status(store, a.id, "escalated", actor="x", note="", now=t3)
    with pytest.raises(tr.TriageError, match="needs a note"):
        tr.change_status(store, a.id, "dismissed", actor="x", note=" ", now=t3)
    with pytest.raises(tr.TriageError, match="alert 999: no such alert"):
        tr.change_status(store, 999, "acknowledged", actor="x", note="", now=t3)
    with pytest.raises(tr.TriageError, match="status 'closed'"):
        tr.change_status(store, a.id, "closed", actor="x", note="", now=t3)
    assert len(tr.get_alert(store, a.id).events) == 4, "refused changes must leave no event"


def test_dismissal_with_suppression_keeps_the_noise_out_until_removed(store):
    _, (a,) = ingest(store, "a", [intent(evidence="Wagner opera premiere in Bayreuth.")])
    tr.change_status(store, a.id, "dismissed", actor="alice", note="the composer", now=NOW,
                     suppress={"entity_id": "wagner-group", "pattern": r"opera|bayreuth",
                               "source": None, "expires": NOW + timedelta(days=30),
                               "reason": "the composer"})
    (s,) = tr.list_suppressions(store, NOW)
    assert (s.entity_id, s.pattern, s.alert_id, s.created_by) == \
        ("wagner-group", "opera|bayreuth", a.id, "alice")
    # Same noise in another story: stored dismissed, explained, not delivered, not returned.
    _, created = ingest(store, "b", [intent(evidence="A Wagner Opera gala.")],
                        NOW + timedelta(days=2))
    assert created == []
    noise = store.list_alerts(AlertFilter(status="dismissed"))[-1]
    assert noise.id != a.id
    detail = tr.get_alert(store, noise.id)
    assert f"suppressed by suppression #{s.id}" in detail.events[-1].note
    assert detail.deliveries == []
    # Real news about the entity still comes through.
    _, created = ingest(store, "c", [intent(evidence="Wagner fighters were designated.")],
                        NOW + timedelta(days=2))
    assert len(created) == 1
    # Removed: kept for the audit, no longer applied.
    tr.remove_suppression(store, s.id, "bob", NOW + timedelta(days=3))
    assert tr.list_suppressions(store, NOW + timedelta(days=3)) == []
    (kept,) = tr.list_suppressions(store, NOW + timedelta(days=3), include_inactive=True)
    assert kept.removed_by == "bob"
    with pytest.raises(SuppressionError, match="already removed"):
        tr.remove_suppression(store, s.id, "bob", NOW + timedelta(days=3))
    _, created = ingest(store, "d", [intent(evidence="Wagner opera night two.")],
                        NOW + timedelta(days=4))
    assert len(created) == 1


def test_source_suppressions_expire_and_bad_ones_are_refused(store):
    tr.add_suppression(store, entity_id="wagner-group", pattern=None, source="satire.example",
                       actor="alice", now=NOW, expires=NOW + timedelta(days=1))
    _, created = ingest(store, "a", [intent()], url="https://news.satire.example/x")
    assert created == []
    _, created = ingest(store, "b", [intent(entity="prigozhin")], url="https://satire.example/y")
    assert len(created) == 1, "another entity is not covered"
    _, created = ingest(store, "c", [intent(rule="other")], NOW + timedelta(days=2),
                        url="https://satire.example/z")
    assert len(created) == 1, "an expired suppression no longer applies"
    with pytest.raises(SuppressionError, match="not a valid regular expression"):
        tr.add_suppression(store, entity_id="e", pattern="(", source=None, actor="a", now=NOW,
                           expires=None)
    with pytest.raises(SuppressionError, match="give a pattern or a source"):
        tr.add_suppression(store, entity_id="e", pattern=None, source=None, actor="a", now=NOW,
                           expires=None)
    with pytest.raises(SuppressionError, match="not in the future"):
        tr.add_suppression(store, entity_id="e", pattern="x", source=None, actor="a", now=NOW,
                           expires=NOW)


def _cli(*args: str):
    result = runner.invoke(app, list(args))
    return result


def test_alerts_commands_from_list_to_export(db_url, repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SANCTIONWATCH_ANALYST", "carol")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: '{db_url}'}}\n"
        f"watchlist: {{path: '{repo / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{repo / 'rules'}']}}\n"
        f"sources: [{{name: seeds, kind: folder, path: '{repo / 'seeds'}'}}]\n"
        "channels: [{name: csv, kind: file, path: out.csv}]\n", encoding="utf-8")
    c = ["--config", str(cfg)]
    assert _cli("run", "--once", *c).exit_code == 0
    listed = [json.loads(x) for x in _cli("alerts", "list", "--format", "jsonl", *c)
              .stdout.splitlines()]
    (designation,) = [a for a in listed if a["type"] == "designation"]
    aid = str(designation["id"])
    table = _cli("alerts", "list", "--type", "designation", *c)
    assert table.exit_code == 0 and "1 alert(s)" in table.stdout
    assert f"│ {aid} " in table.stdout
    shown = _cli("alerts", "show", aid, *c)
    assert shown.exit_code == 0, shown.output
    assert "Evidence: « Des sanctions plus sévères" in shown.stdout
    assert "'groupe Wagner' → wagner-group" in shown.stdout
    assert "Audit trail" in shown.stdout and "raised by rule" in shown.stdout
    assert "csv" in shown.stdout and "sent" in shown.stdout  # its delivery
    assert _cli("alerts", "ack", aid, "--note", "reviewing", *c).exit_code == 0
    r = _cli("alerts", "dismiss", aid, "--note", "already listed", "--by", "dave",
             "--suppress-source", "seeds", "--suppress-days", "7", *c)
    assert r.exit_code == 0, r.output
    assert "suppressed: wagner-group seeds for 7 day(s)" in r.stdout
    again = _cli("alerts", "dismiss", aid, "--note", "x", *c)
    assert again.exit_code == 1 and "already dismissed" in again.output
    missing = _cli("alerts", "show", "9999", *c)
    assert missing.exit_code == 1 and "alert 9999: no such alert" in missing.output
    sups = _cli("alerts", "suppressions", "list", *c)
    assert "wagner-group" in sups.stdout and "dave" in sups.stdout
    exported = _cli("alerts", "export", "--format", "csv", *c)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    trail = [(r["event_actor"], r["event_from"], r["event_to"], r["event_note"])
             for r in rows if r["alert_id"] == aid]
    assert trail[1:] == [("carol", "new", "acknowledged", "reviewing"),
                         ("dave", "acknowledged", "dismissed", "already listed")]
    assert {r["alert_id"] for r in rows} == {str(a["id"]) for a in listed}
    out = tmp_path / "audit.jsonl"
    assert _cli("alerts", "export", "--format", "jsonl", "-o", str(out), *c).exit_code == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    (rec,) = [x for x in recs if x["id"] == designation["id"]]
    assert rec["status"] == "dismissed" and [e["to_status"] for e in rec["events"]] == \
        ["new", "acknowledged", "dismissed"]
    assert rec["sources"][0]["source"] == "seeds"
    removed = _cli("alerts", "suppressions", "remove", "1", *c)
    assert removed.exit_code == 0 and "removed suppression #1" in removed.stdout
    status = _cli("deliver", "--status", *c)
    assert status.exit_code == 0 and "csv" in status.stdout
