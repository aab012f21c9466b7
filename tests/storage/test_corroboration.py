"""Corroboration on a real store (SQLite, and PostgreSQL when configured), with the real SDN
snapshots that bracket the Wagner Group's TCO designation (2023-01-24 and 2023-01-26): a
designation announced in the news is confirmed when the list change arrives, and one reported
after the change is confirmed when it is raised; dates far apart, a phase the change does not
confirm and an entry merely linked to the entity confirm nothing. News sentences written for
the test."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from sanctionwatch.app import make_app
from sanctionwatch.config import Settings
from sanctionwatch.storage import corroboration
from sanctionwatch.storage import schema as t
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.alerts import get_alert
from sanctionwatch.storage.store import AlertFilter
from sanctionwatch.types import AlertIntent, ArticleData

HISTORY = Path(__file__).resolve().parents[1] / "data" / "ofac-history"
ANNOUNCED = ("Washington said on Friday that it would designate the Wagner Group as a "
             "transnational criminal organization next week.")
EFFECTIVE = ("The Treasury on Thursday designated the Wagner Group as a transnational criminal "
             "organization, freezing whatever it holds in American banks.")
EARLIER = "The Treasury sanctioned the Wagner Group over its fighters' role in Libya."
LIFTED = "The Treasury lifted its sanctions on the Wagner Group on Monday."


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _app(tmp_path: Path, repo: Path, db_url: str, clock: Clock):
    sdn = tmp_path / "sdn"
    sdn.mkdir()
    shutil.copy(HISTORY / "2023-01-24" / "sdn.csv", sdn / "sdn.csv")
    settings = Settings.model_validate({
        "base_dir": str(tmp_path), "database": {"url": db_url},
        "watchlist": {"path": str(repo / "watchlist")}, "rules": {"paths": [str(repo / "rules")]},
        "channels": [{"name": "desk", "kind": "file", "path": str(tmp_path / "alerts.jsonl")}],
        "lists": [{"name": "ofac_sdn", "kind": "ofac_sdn", "path": str(sdn)}]})
    return make_app(settings, clock=clock), sdn


def _news(app, key: str, text: str, published: datetime):
    result = app.analyzer.analyze(text)
    _, alerts = app.store.ingest(ArticleData("wire", key, text, published=published),
                                 result.mentions, result.intents, app.clock())
    [alert] = [a for a in alerts if a.intent.type == "designation"]
    return alert


def _links(app, alert_id: int) -> list[corroboration.Link]:
    return get_alert(app.store, alert_id).links


def test_news_and_list_changes_confirm_each_other(tmp_path, repo, db_url):
    clock = Clock(datetime(2023, 1, 20, 18, 0, tzinfo=UTC))
    app, sdn = _app(tmp_path, repo, db_url, clock)
    try:
        announced = _news(app, "announced", ANNOUNCED, clock.now)
        assert announced.intent.phase == "announced" and not _links(app, announced.id)
        far = _news(app, "old", EARLIER, datetime(2022, 5, 2, tzinfo=UTC))
        lifted = _news(app, "lifted", LIFTED, clock.now)
        assert not app.deliver().errors                  # the desk has read them
        app.refresh_list("ofac_sdn")                     # first import: no changes yet
        shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", sdn / "sdn.csv")
        clock.now = datetime(2023, 1, 26, 20, 0, tzinfo=UTC)
        report = app.refresh_list("ofac_sdn")
        wagner = {a.id: a for a in report.alerts if a.intent.role("entity") == "ofac_sdn:22543"}
        assert {a.intent.phase for a in wagner.values()} == {"program_added"}
        [tco] = [a for a in wagner.values() if a.intent.role("detail") == "TCO"]

        # the announced designation is confirmed by the changes, and says so
        links = _links(app, announced.id)
        assert {lk.list_id for lk in links} == set(wagner)
        assert {(lk.list_name, lk.list_date, lk.change) for lk in links} == \
            {("ofac_sdn", "2023-01-26", "program_added")}
        shown = get_alert(app.store, announced.id)
        assert "confirmed by ofac_sdn 2023-01-26: programme added TCO" in \
            shown.alert.intent.message
        assert any("confirmed by ofac_sdn 2023-01-26" in e.note for e in shown.events)
        assert any(f"alert #{announced.id}" in e.note
                   for e in get_alert(app.store, tco.id).events)
        # ... and analysts are told: an `update` delivery in the transaction of the change
        with app.store.transaction() as conn:
            reasons = {r.reason for r in conn.execute(sa.select(t.deliveries).where(
                t.deliveries.c.alert_id == announced.id))}
        assert reasons == {"new", "update"}
        app.deliver()
        sent = (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
        assert any(f'"id": {announced.id},' in ln and "confirmed by ofac_sdn" in ln
                   for ln in sent)

        # eight months earlier, or a lifting: the change confirms neither
        assert not _links(app, far.id) and not _links(app, lifted.id)
        # an entry newly designated and *linked to* Wagner says nothing of Wagner's designation
        text = "ofac_sdn changes: an entry linked to the Wagner Group\n"
        linked = AlertIntent(
            type="list_change", severity="high", entity_ids=("ofac_sdn:99001", "wagner-group"),
            roles=(("entity", "ofac_sdn:99001"), ("list", "ofac_sdn"),
                   ("change", "new_designation"), ("detail", "linked to WAGNER")),
            evidence=text.strip(), evidence_start=0, evidence_end=len(text) - 1,
            rule_id="list_change", rule_version=1, why="test", phase="new_designation")
        [only_linked] = wv.raise_report(app.store, ArticleData("list:ofac_sdn", "version:x",
                                                               text), [linked], clock.now)
        assert not _links(app, only_linked.id)

        # a report written after the change is confirmed as it is raised
        clock.now = datetime(2023, 1, 27, 9, 0, tzinfo=UTC)
        effective = _news(app, "effective", EFFECTIVE, clock.now)
        assert {lk.list_id for lk in _links(app, effective.id)} == set(wagner)
        assert "confirmed by ofac_sdn 2023-01-26: programme added TCO" in \
            effective.intent.message
        assert only_linked.id not in {lk.list_id for lk in _links(app, effective.id)}
        # the same pair is never linked twice
        assert {lk.news_id for lk in _links(app, tco.id)} == {announced.id, effective.id}
        assert len(_links(app, tco.id)) == 2
    finally:
        app.close()


def test_every_list_change_alert_names_the_curated_entity_it_is(tmp_path, repo, db_url):
    clock = Clock(datetime(2023, 1, 24, 12, 0, tzinfo=UTC))
    app, sdn = _app(tmp_path, repo, db_url, clock)
    try:
        app.refresh_list("ofac_sdn")
        shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", sdn / "sdn.csv")
        clock.now += timedelta(days=2)
        app.refresh_list("ofac_sdn")
        alerts = app.store.list_alerts(AlertFilter(type="list_change"))
        wagner = [a for a in alerts if a.intent.role("entity") == "ofac_sdn:22543"]
        assert wagner and all(("curated", "wagner-group") in a.intent.roles for a in wagner)
        others = [a for a in alerts if a.intent.role("entity") != "ofac_sdn:22543"]
        assert all(("curated", "wagner-group") not in a.intent.roles for a in others)
    finally:
        app.close()
