"""The watchlist lifecycle in a running app, on a real store (SQLite, and PostgreSQL when
configured): versions, live edits (good and broken), re-screening, official-list refreshes."""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sanctionwatch.app import make_app
from sanctionwatch.config import ListSettings, Settings
from sanctionwatch.errors import SourceError, WatchlistError
from sanctionwatch.lifecycle.download import fetch_list
from sanctionwatch.lifecycle.lists import apply_import
from sanctionwatch.sources.http import HttpSettings
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.store import AlertFilter
from sanctionwatch.types import ArticleData
from sanctionwatch.watchlist.importers import import_list
from sanctionwatch.watchlist.watch import Outcome, Step

DATA = Path(__file__).resolve().parents[1] / "data"
HISTORY = DATA / "ofac-history"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
ZARYA_ROW = ("zarya-logistics,organization,ZARYA FREIGHT LOGISTICS,Zarya Freight,RUSSIA-EO14024,"
             "RU,,,test entity added by an analyst,\n")
ZARYA_REL = "zarya-logistics,supports,wagner-group,flies Wagner fighters\n"
ZARYA_TEXT = ("Zarya Freight Logistics supplied fuel and trucks to the Wagner Group in Mali, "
              "officials said on Tuesday.")


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _settings(tmp_path: Path, repo: Path, db_url: str, **extra) -> Settings:
    folder = tmp_path / "watchlist"
    if not folder.exists():
        shutil.copytree(repo / "watchlist", folder)
    seeds = tmp_path / "seeds"
    if not seeds.exists():
        seeds.mkdir()
        shutil.copy(repo / "seeds" / "000_28478a00887480cc.txt", seeds)
    return Settings.model_validate({
        "base_dir": str(tmp_path), "database": {"url": db_url},
        "watchlist": {"path": str(folder)}, "rules": {"paths": [str(repo / "rules")]},
        "sources": [{"name": "seeds", "kind": "folder", "path": str(seeds)}], **extra})


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def test_a_valid_edit_is_versioned_and_swapped_in(tmp_path, repo, db_url):
    app = make_app(_settings(tmp_path, repo, db_url), clock=Clock(T0))
    try:
        app.start()
        first = wv.versions(app.store, wv.CURATED)
        assert len(first) == 1 and first[0].entities == len(app.analyzer.watchlist.entities)
        before = app.analyzer
        assert app.reload_watchlist() is Step.IDLE
        _append(tmp_path / "watchlist" / "entities.csv", ZARYA_ROW)
        _append(tmp_path / "watchlist" / "relations.csv", ZARYA_REL)
        assert app.reload_watchlist() is Step.WAIT      # settling
        assert app.analyzer is before
        assert app.reload_watchlist() is Outcome.SWAP
        assert app.analyzer is not before
        assert "zarya-logistics" in app.analyzer.watchlist.by_id
        assert app.analyzer.rules is before.rules
        history = wv.versions(app.store, wv.CURATED)
        assert [v.id for v in history][1:] == [first[0].id]
        assert history[0].changes.startswith("+1 entities, -0 entities, 0 changed, +1/-0")
        assert app.reload_watchlist() is Step.IDLE
    finally:
        app.close()


def test_a_broken_edit_keeps_the_last_good_version_running(tmp_path, repo, db_url):
    app = make_app(_settings(tmp_path, repo, db_url), clock=Clock(T0))
    try:
        good = app.analyzer
        entities = tmp_path / "watchlist" / "entities.csv"
        original = entities.read_bytes()
        entities.write_bytes(original + b"wagner-group,band,Wagner tribute band,,,,,,,\n")
        assert app.reload_watchlist(force=True) is Outcome.BROKEN
        assert app.analyzer is good and not app.watcher.healthy
        assert any("duplicate id 'wagner-group'" in p for p in app.watcher.problems)
        system = app.store.list_alerts(AlertFilter(type="system"))
        assert len(system) == 1
        assert "unknown type 'band'" in system[0].intent.evidence
        assert "stays in force" in system[0].intent.why
        # the daemon keeps working on the last good watchlist
        reports = app.run_once()
        designations = [a for r in reports for a in r.alerts if a.intent.type == "designation"]
        assert designations and designations[0].intent.entity_ids == ("wagner-group",)
        # polling again does not raise the same system alert twice
        app.reload_watchlist(force=True)
        app.reload_watchlist(force=True)
        assert len(app.store.list_alerts(AlertFilter(type="system"))) == 1
        # fixed: the same content as the version in force, nothing to swap
        entities.write_bytes(original)
        assert app.reload_watchlist(force=True) is Outcome.SAME
        assert app.watcher.healthy and app.watcher.problems == ()
        assert len(wv.versions(app.store, wv.CURATED)) == 1
    finally:
        app.close()


def test_new_names_re_screen_stored_articles_of_the_window(tmp_path, repo, db_url):
    clock = Clock(T0)
    app = make_app(_settings(tmp_path, repo, db_url), clock=clock)
    try:
        def store(text: str, ext: str, when: datetime) -> int:
            result = app.analyzer.analyze(text)
            article, _ = app.store.ingest(ArticleData("news", ext, text), result.mentions,
                                          result.intents, when)
            return article.id

        recent = store(ZARYA_TEXT, "recent", T0 - timedelta(days=3))
        old = store(ZARYA_TEXT + " Archive copy.", "old", T0 - timedelta(days=45))
        before = {a.id for a in app.store.list_alerts()}
        _append(tmp_path / "watchlist" / "entities.csv", ZARYA_ROW)
        _append(tmp_path / "watchlist" / "relations.csv", ZARYA_REL)
        assert app.reload_watchlist(force=True) is Outcome.SWAP
        version = wv.latest_version(app.store, wv.CURATED)
        found = [a for a in app.store.list_alerts() if a.id not in before]
        assert found, "re-screening found the new entity in the recent article"
        assert {a.article_id for a in found} == {recent}      # the 45-day-old one is outside
        assert all("zarya-logistics" in a.intent.entity_ids for a in found)
        assert all(a.intent.why.startswith(f"found by re-screening (watchlist version "
                                           f"{version.id}") for a in found)
        assert wv.rescreen_versions(app.store, [a.id for a in found]) == {
            a.id: version.id for a in found}
        support = [a for a in found if a.intent.type == "support_network"]
        assert support and support[0].intent.role("supporter") == "zarya-logistics"
        assert any(m.entity_id == "zarya-logistics" for m in app.store.mentions_of(recent))
        assert not any(m.entity_id == "zarya-logistics" for m in app.store.mentions_of(old))
    finally:
        app.close()


def test_importing_two_sdn_snapshots_raises_list_change_alerts(db_url, watchlist):
    from sanctionwatch.storage.store import Store

    store = Store(db_url)
    try:
        first = apply_import(store, import_list("ofac_sdn", HISTORY / "2023-01-24"), T0,
                             watchlist)
        assert first.created and first.diff is None and not first.alerts
        second = apply_import(store, import_list("ofac_sdn", HISTORY / "2023-01-26"),
                              T0 + timedelta(days=2), watchlist)
        assert second.created and len(second.alerts) == len(second.changes) == 66
        alerts = store.list_alerts(AlertFilter(type="list_change", entity_id="wagner-group"))
        wagner = {(a.intent.phase, a.intent.role("detail"), a.intent.severity) for a in alerts}
        assert {("program_added", "TCO", "critical"), ("program_added", "CAR", "critical")} <= \
            wagner
        every = store.list_alerts(AlertFilter(type="list_change"))
        new = {a.intent.entity_ids: a.intent.severity for a in every
               if a.intent.phase == "new_designation"}
        assert new[("ofac_sdn:39618", "sewa-security-services")] == "critical"
        assert new[("ofac_sdn:39757", "kratol-aviation")] == "critical"
        assert new[("ofac_sdn:35999",)] == "medium"  # MINNIKHANOV: not linked to the watchlist
        tco = next(a for a in alerts if a.intent.role("detail") == "TCO")
        assert "PRIVATE MILITARY COMPANY 'WAGNER': programme added TCO" in tco.intent.evidence
        history = wv.versions(store, "ofac_sdn")
        assert [v.list_date for v in history] == ["2023-01-26", "2023-01-24"]
        assert history[0].changes.startswith("+61 entities, -0 entities, 3 changed")
        # the same snapshot again: no new version, no alert
        again = apply_import(store, import_list("ofac_sdn", HISTORY / "2023-01-26"),
                             T0 + timedelta(days=3), watchlist)
        assert not again.created and not again.alerts
        assert len(store.list_alerts(AlertFilter(type="list_change"))) == 66
    finally:
        store.close()


def test_a_configured_list_refresh_merges_it_into_matching(tmp_path, repo, db_url):
    sdn = tmp_path / "sdn"
    sdn.mkdir()
    shutil.copy(HISTORY / "2023-01-24" / "sdn.csv", sdn / "sdn.csv")
    settings = _settings(tmp_path, repo, db_url, lists=[
        {"name": "ofac_sdn", "kind": "ofac_sdn", "path": str(sdn), "schedule": "1d"}])
    clock = Clock(T0)
    app = make_app(settings, clock=clock)
    try:
        assert "ofac_sdn:15892" not in app.analyzer.watchlist.by_id
        text = "Rustam Minnikhanov, the head of Tatarstan, met Ivan Prokopenko on Monday."
        result = app.analyzer.analyze(text)
        article, _ = app.store.ingest(ArticleData("news", "tatar", text), result.mentions,
                                      result.intents, T0 - timedelta(days=1))
        report = app.refresh_list("ofac_sdn")
        assert report.created and report.diff is None
        wl = app.analyzer.watchlist
        assert "ofac_sdn:15892" in wl.by_id                    # PROKOPENKO, from the list
        assert "ofac_sdn:22543" not in wl.by_id and "wagner-group" in wl.by_id  # curated
        # a first import adds names too: the stored article is screened for them
        assert "ofac_sdn:15892" in {m.entity_id for m in app.store.mentions_of(article.id)}
        shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", sdn / "sdn.csv")
        clock.now = T0 + timedelta(days=2)
        report = app.refresh_list("ofac_sdn")
        assert len(report.alerts) == 66
        assert "ofac_sdn:35999" in app.analyzer.watchlist.by_id   # MINNIKHANOV, new
        mentioned = {m.entity_id for m in app.store.mentions_of(article.id)}
        assert "ofac_sdn:35999" in mentioned, "re-screened for the newly listed name"
    finally:
        app.close()


def test_a_list_is_fetched_by_url(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", served / "sdn.csv")
    handler = partial(_QuietHandler, directory=str(served))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sdn.csv"
        cfg = ListSettings(name="sdn_web", kind="ofac_sdn", url=url)
        settings = Settings(base_dir=tmp_path)
        path = fetch_list(cfg, settings)
        assert path == tmp_path / ".cache" / "lists" / "sdn_web"
        assert (path / "sdn.csv").read_bytes() == (served / "sdn.csv").read_bytes()
        assert not (path / "alt.csv").exists()          # optional companions: 404 is fine
        lst = import_list("ofac_sdn", path, name="sdn_web")
        assert "sdn_web:22543" in lst.watchlist.by_id
        bad = ListSettings(name="gone", kind="un", url=url.replace("sdn.csv", "un.xml"))
        with pytest.raises(Exception, match="cannot fetch"):
            fetch_list(bad, settings)
        # the download obeys the caps every HTTP exchange obeys (sources/http.py)
        with pytest.raises(SourceError, match=r"list 'sdn_web': cannot fetch .*too large"):
            fetch_list(cfg, settings, http=HttpSettings(max_bytes=1024))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_a_restart_with_a_broken_folder_runs_on_the_last_good_version(tmp_path, repo, db_url):
    settings = _settings(tmp_path, repo, db_url)
    with make_app(settings, clock=Clock(T0)) as first:    # version 1 stored
        first.start()
    entities = tmp_path / "watchlist" / "entities.csv"
    entities.write_bytes(entities.read_bytes().replace(b",organization,", b",organisation,", 1))
    app = make_app(settings, clock=Clock(T0 + timedelta(hours=1)))
    try:
        app.start()
        assert not app.watcher.healthy and app.watcher.version.id == 1
        assert "wagner-group" in app.analyzer.watchlist.by_id
        (alert,) = app.store.list_alerts(AlertFilter(type="system"))
        assert "unknown type 'organisation'" in alert.intent.evidence
        assert any(a.intent.type == "designation" for r in app.run_once() for a in r.alerts)
    finally:
        app.close()
    # a database without any stored version: nothing to run on, starting fails loudly
    other = tmp_path / "other"
    other.mkdir()
    shutil.copytree(tmp_path / "watchlist", other / "watchlist")   # the broken folder
    with pytest.raises(WatchlistError, match="unknown type 'organisation'"), \
            make_app(_settings(other, repo, f"sqlite:///{other / 'empty.db'}")) as empty:
        empty.start()
