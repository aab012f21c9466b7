"""A shift at the triage page over real HTTP (uvicorn on 127.0.0.1, a real SQLite file): the
queue in triage order (critical first) with counts by severity, bulk acknowledge and dismiss
with a note, assignees, entities by name, the entity index, list entries with their list
data and history, and failed actions shown at the address the analyst was on."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sanctionwatch.storage import alerts as tr
from sanctionwatch.storage.store import Store
from sanctionwatch.types import SEVERITIES, AlertIntent, ArticleData, Mention

from .conftest import PASSWORD, REPO, Site, fill, serve, sign_in, write_config

IDS = re.compile(r'class="open" href="/alerts/(\d+)')
T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


def _intent(kind, severity, roles, entity_ids, evidence) -> AlertIntent:
    return AlertIntent(type=kind, severity=severity, entity_ids=entity_ids, roles=roles,
                       evidence=evidence, evidence_start=0, evidence_end=len(evidence),
                       rule_id=f"{kind}.test", rule_version=1, why="made for the test",
                       mentions=(Mention(entity_ids[0], 0, 5, entity_ids[0], 1.0,
                                         entity_ids[0], "exact"),))


@pytest.fixture(scope="module")
def shift(tmp_path_factory):
    """The real cycle's alerts, then nine critical designations and, newer than all of
    them, 57 low list changes (the morning the issue describes)."""
    folder = tmp_path_factory.mktemp("shift")
    settings = fill(write_config(folder))
    store = Store(settings.database_url)
    critical, low = [], []
    try:
        for n in range(9):
            text = f"Officials said the group would be designated, report number {n}."
            _, [a] = store.ingest(ArticleData("wire", f"c{n}", text), [], [_intent(
                "designation", "critical", (("target", "wagner-group"),), ("wagner-group",),
                text)], T0 + timedelta(minutes=n))
            critical.append(a.id)
        for n in range(57):
            text = f"list entry {n} changed"
            _, [a] = store.ingest(ArticleData("lists", f"l{n}", text), [], [_intent(
                "list_change", "low", (("entity", "north-korea"), ("list", "ofac_sdn"),
                                       ("change", "alias added")), ("north-korea",), text)],
                T0 + timedelta(hours=1, minutes=n))
            low.append(a.id)
    finally:
        store.close()
    with serve(settings) as base:
        site = Site(settings, base, folder)
        site.critical, site.low = critical, low
        yield site


def _ids(html: str) -> list[int]:
    return [int(i) for i in IDS.findall(html)]


def _events(site, alert_id):
    store = Store(site.settings.database_url)
    try:
        return tr.get_alert(store, alert_id)
    finally:
        store.close()


def test_critical_alerts_come_first_and_severities_are_counted(shift, login):
    client, _ = login(shift.base)
    page = client.get("/")
    assert page.status_code == 200
    first = _ids(page.text)[:9]
    assert first == sorted(shift.critical, reverse=True)
    every = shift.alerts()
    order = [a.id for a in sorted(every, key=lambda a: (SEVERITIES.index(a.intent.severity),
                                                       a.id), reverse=True)]
    # counts by severity, each a link that selects that severity
    for s in SEVERITIES:
        n = sum(1 for a in every if a.intent.severity == s)
        assert re.search(rf'id="count-{s}">{s} <span>{n}</span>', page.text), s
    assert 'href="/?severity=critical' in page.text
    # the sort control; newest first on request: the low list changes first
    assert 'name="sort"' in page.text
    newest = client.get("/", params={"sort": "newest", "size": 100})
    assert _ids(newest.text)[:57] == sorted(shift.low, reverse=True)
    assert client.get("/", params={"sort": "bogus"}).status_code == 400
    # keyset pages in triage order walk every alert once, and "previous" comes back
    seen, url, pages = [], "/?size=10", []
    while url:
        page = client.get(url.replace("&amp;", "&"))
        pages.append(_ids(page.text))
        seen += pages[-1]
        m = re.search(r'href="([^"]+)" id="older"', page.text)
        url = m.group(1) if m else ""
    assert seen == order
    prev = re.search(r'href="([^"]+)" id="newer"', page.text).group(1).replace("&amp;", "&")
    assert _ids(client.get(prev).text) == pages[-2]
    assert client.get("/", params={"before": "x.1"}).status_code == 400


def test_bulk_acknowledge_and_dismiss_with_a_note(shift, login, csrf):
    client, _ = login(shift.base)
    where = "/?type=list_change&sort=newest"
    page = client.get(where)
    token = csrf(page.text)
    picked = shift.low[-3:]
    # a dismissal without a note: nothing changes, the queue is shown again with the error
    r = client.post(where, data={"csrf": token, "bulk": "dismissed", "note": " ",
                                 "id": [str(i) for i in picked]})
    assert r.status_code == 400 and "needs a note" in r.text
    assert str(r.url).endswith(where) and 'id="error"' in r.text
    assert all(f'value="{i}" class="pick" aria-label="select alert {i}" checked' in r.text
               for i in picked)
    assert {a.status for a in shift.alerts() if a.id in picked} == {"new"}
    r = client.post(where, data={"csrf": token, "bulk": "acknowledged",
                                 "note": "routine alias changes, seen", "id": picked[:2]})
    assert r.status_code == 303 and r.headers["location"] == where
    r = client.post(where, data={"csrf": token, "bulk": "dismissed",
                                 "note": "not our client base", "id": picked})
    # the two acknowledged ones are dismissed too; nothing is skipped
    assert r.status_code == 303
    for i in picked:
        d = _events(shift, i)
        assert d.alert.status == "dismissed"
        assert d.events[-1].actor == "alice" and d.events[-1].note == "not our client base"
    assert [e.note for e in _events(shift, picked[0]).events[1:]] == [
        "routine alias changes, seen", "not our client base"]
    # an alert already in the status is reported, the others done
    r = client.post(where, data={"csrf": token, "bulk": "dismissed", "note": "again",
                                 "id": [picked[0], shift.low[0]]})
    assert r.status_code == 200 and "already dismissed" in r.text
    assert _events(shift, shift.low[0]).alert.status == "dismissed"
    # no selection, a forged form, a viewer
    r = client.post(where, data={"csrf": token, "bulk": "acknowledged", "note": "x"})
    assert r.status_code == 400 and "select at least one" in r.text
    assert client.post(where, data={"csrf": "forged", "bulk": "acknowledged",
                                    "id": shift.low[1]}).status_code == 403
    viewer, _ = login(shift.base, "victor")
    page = viewer.get(where)
    assert 'id="bulk-acknowledged"' not in page.text
    assert viewer.post(where, data={"csrf": csrf(page.text), "bulk": "acknowledged",
                                    "id": shift.low[1]}).status_code == 403
    assert _events(shift, shift.low[1]).alert.status == "new"


def test_assign_from_the_alert_page_shown_and_filtered_in_the_queue(shift, login, csrf):
    client, _ = login(shift.base)
    one, two = shift.critical[0], shift.critical[1]
    address = f"/alerts/{one}?back=%2F%3Fsort%3Dseverity"
    page = client.get(address)
    assert 'id="assign"' in page.text and f'action="{address}"' in page.text
    token = csrf(page.text)
    r = client.post(address, data={"csrf": token, "action": "assign", "assignee": "bob"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/alerts/{one}?back=")
    page = client.get(f"/alerts/{one}")
    assert 'id="assignee">bob<' in page.text
    assert "[assigned to bob]" in page.text  # in the audit trail
    r = client.post(f"/alerts/{two}", data={"csrf": token, "action": "assign", "me": "1"})
    assert r.status_code == 303 and _events(shift, two).assignee == "alice"
    queue = client.get("/")
    assert re.search(rf'/alerts/{one}\?.*?<td class="assignee">bob</td>', queue.text, re.S)
    assert _ids(client.get("/", params={"assignee": "bob"}).text) == [one]
    assert _ids(client.get("/", params={"assignee": "alice"}).text) == [two]
    nobody = _ids(client.get("/", params={"assignee": "-", "size": 200}).text)
    assert one not in nobody and two not in nobody and shift.critical[2] in nobody
    # bulk assign from the queue
    r = client.post("/", data={"csrf": token, "bulk": "assign", "assignee": "carol",
                               "id": shift.critical[3:5]})
    assert r.status_code == 303
    assert _ids(client.get("/", params={"assignee": "carol"}).text) == \
        sorted(shift.critical[3:5], reverse=True)


def test_entities_by_name_with_links_and_the_entity_index(shift, login):
    client, _ = login(shift.base)
    page = client.get("/", params={"size": 200}).text
    assert "entity=north-korea" not in page and "target=wagner-group" not in page
    assert re.search(r'<a href="/entities/wagner-group" title="target: wagner-group"[^>]*>'
                     r"PRIVATE MILITARY COMPANY &#39;WAGNER&#39;</a>", page)
    assert '<a href="/entities/north-korea" title="entity: north-korea"' in page
    assert "list: ofac_sdn" in page  # a value that is no entity, as it is
    # the entity filter takes a name, any case; an id still works
    by_name = set(_ids(client.get("/", params={"entity": "wagner", "size": 200}).text))
    by_id = set(_ids(client.get("/", params={"entity": "wagner-group", "size": 200}).text))
    assert set(shift.critical) <= by_name and by_name == by_id
    assert set(_ids(client.get("/", params={"entity": "North Korea", "size": 200}).text)) \
        >= set(shift.low)
    assert "No alert matches" in client.get("/", params={"entity": "zzqx nobody"}).text
    # the index and its search
    index = client.get("/entities")
    assert index.status_code == 200 and 'href="/entities/wagner-group"' in index.text
    found = client.get("/entities", params={"q": "Wagner"}).text
    rows = re.findall(r'<tr><td><a href="/entities/([^"]+)"', found)
    assert rows[0] == "wagner-group"
    assert "prigozhin-yevgeniy" not in rows  # Wagner is in its context words, not a name
    go = client.get("/entities", params={"q": "North Korea", "go": "1"})
    assert go.status_code == 303 and go.headers["location"] == "/entities/north-korea"
    assert "No entity matches" in client.get("/entities", params={"q": "zzqx"}).text


def test_a_failed_action_stays_at_the_page_address(shift, login, csrf):
    client, _ = login(shift.base)
    alert_id = shift.critical[5]
    address = f"/alerts/{alert_id}?back=%2F%3Fseverity%3Dcritical"
    page = client.get(address)
    assert f'action="/alerts/{alert_id}?back=%2F%3Fseverity%3Dcritical"' in page.text
    r = client.post(address, data={"csrf": csrf(page.text), "action": "dismissed",
                                   "note": ""})
    assert r.status_code == 400 and str(r.url).endswith(address)
    assert 'id="error"' in r.text and "needs a note" in r.text
    assert f'action="/alerts/{alert_id}?back=%2F%3Fseverity%3Dcritical"' in r.text
    r = client.post(address, data={"csrf": csrf(page.text), "action": "note",
                                   "note": "called the desk"})
    assert r.status_code == 303 and r.headers["location"] == address
    assert _events(shift, alert_id).events[-1].note == "called the desk"
    # the older address still works
    r = client.post(f"/alerts/{alert_id}/triage", data={"csrf": csrf(page.text),
                                                        "action": "acknowledged"})
    assert r.status_code == 303


HISTORY = REPO / "tests" / "data" / "ofac-history"


def test_a_list_entry_page_shows_its_list_data_and_history(tmp_path: Path):
    from sanctionwatch.app import make_app
    from sanctionwatch.config import load_settings
    from sanctionwatch.storage import users as us

    sdn = tmp_path / "sdn"
    sdn.mkdir()
    shutil.copy(HISTORY / "2023-01-24" / "sdn.csv", sdn / "sdn.csv")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"database: {{url: 'sqlite:///{tmp_path / 'web.db'}'}}\n"
        f"watchlist: {{path: '{REPO / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{REPO / 'rules'}']}}\n"
        f"lists: [{{name: ofac_sdn, kind: ofac_sdn, path: '{sdn}'}}]\n"
        "web: {secret: test-secret}\n", encoding="utf-8")
    settings = load_settings(cfg)
    app = make_app(settings, clock=lambda: datetime(2023, 1, 26, 20, tzinfo=UTC))
    try:
        app.refresh_list("ofac_sdn")
        shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", sdn / "sdn.csv")
        app.refresh_list("ofac_sdn")
        us.add_user(app.store, "alice", "analyst", PASSWORD, datetime.now(UTC))
    finally:
        app.close()
    with serve(settings) as base:
        client, _ = sign_in(base)
        try:
            page = client.get("/entities/ofac_sdn:22543")
            djuma = client.get("/entities/ofac_sdn:39776")
            kratol = client.get("/entities/ofac_sdn:39757")
        finally:
            client.close()
    assert page.status_code == 200, page.text[:300]
    text = page.text
    assert "PRIVATE MILITARY COMPANY &#39;WAGNER&#39;" in text
    assert re.search(r'id="programs">[^<]*TCO', text)
    assert 'id="history"' in text
    changes = re.findall(r'class="change-(\w+)"', text)
    assert changes == ["changed", "listed"]  # newest first: TCO added on 2023-01-26
    # remarks (dates of birth, passports) one to a line
    assert djuma.status_code == 200
    assert "<li>DOB 10 Jul 1993</li>" in djuma.text and "Passport 724609161" in djuma.text
    assert re.findall(r'class="change-(\w+)"', kratol.text) == ["listed"]


def test_graph_labels_wrap_between_words_and_keep_the_whole_name():
    from sanctionwatch.web import svg

    name = "FEDERAL STATE GOVERNMENTAL INSTITUTION 223 FLIGHT UNIT STATE AIRLINES"
    lines = svg.wrap(name)
    assert " ".join(lines) == name and all(len(x) <= svg.LINE_CHARS for x in lines)
    assert svg.wrap("Supercalifragilisticexpialidocious-Holdings Ltd") == [
        "Supercalifragilisticexpialidocious-Holdings", "Ltd"]
    center = svg.Node("a", "A", "/entities/a")
    other = svg.Node("b", name, "/entities/b")
    drawn = str(svg.network(center, [center, other], [svg.Edge("a", "b", "owns",
                                                               "watchlist")]))
    assert "…" not in drawn and drawn.count("<tspan") == len(lines) + 1
