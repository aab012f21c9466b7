"""Every route and permission of the web page over real HTTP: the real server (uvicorn) on
127.0.0.1, a real SQLite file filled by a pipeline cycle, users from the store."""

from __future__ import annotations

import re

import httpx
import pytest

from sanctionwatch.storage import alerts as tr
from sanctionwatch.storage.store import Store

PAGES = ["/", "/alerts/1", "/entities/wagner-group", "/watchlist", "/watchlist/diff?new=1",
         "/health"]


def _detail(site, alert_id):
    store = Store(site.settings.database_url)
    try:
        return tr.get_alert(store, alert_id)
    finally:
        store.close()


def _triage_order(alerts) -> list[int]:
    from sanctionwatch.types import SEVERITIES

    return [a.id for a in sorted(alerts, key=lambda a: (SEVERITIES.index(a.intent.severity),
                                                        a.id), reverse=True)]


def _hostile(site):
    return next(a for a in site.alerts() if "<script>" in a.intent.evidence)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_a_signed_in_user(site, path):
    r = httpx.get(site.base + path)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    assert httpx.get(site.base + r.headers["location"]).status_code == 200


@pytest.mark.parametrize("path", ["/alerts/1/triage", "/alerts/1/note", "/logout"])
def test_posts_without_a_session_are_refused(site, path):
    r = httpx.post(site.base + path, data={"action": "dismissed", "note": "x", "csrf": "x"})
    assert r.status_code == 403
    assert all(a.status != "dismissed" or a.id != 1 for a in site.alerts())


def test_sign_in_sets_a_safe_session_cookie_and_goes_to_next(site, login):
    client, r = login(site.base, next_path="/alerts/1")
    assert r.status_code == 303 and r.headers["location"] == "/alerts/1"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("sw_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # web.secure_cookies is off here (plain http on localhost)
    page = client.get("/alerts/1")
    assert page.status_code == 200 and 'id="who">alice<' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil",
                                    "javascript:alert(1)", "evil.example"])
def test_no_open_redirect_after_sign_in(site, login, target):
    _, r = login(site.base, next_path=target)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_wrong_password_and_forged_sign_in_form(site, login):
    _, r = login(site.base, password="wrong password")
    assert r.status_code == 401 and "wrong password" in r.text
    assert "sw_session" not in r.cookies
    # No token from our form: refused (login CSRF).
    r = httpx.post(site.base + "/login", data={"name": "alice", "password": "x", "token": "x"})
    assert r.status_code == 403


def test_sign_in_attempts_are_rate_limited(site, login):
    from datetime import UTC, datetime

    from sanctionwatch.storage import users as us

    store = Store(site.settings.database_url)
    try:
        us.add_user(store, "carol", "viewer", "carol's password", datetime.now(UTC))
    finally:
        store.close()
    for _ in range(5):
        _, r = login(site.base, name="carol", password="guess")
        assert r.status_code == 401
    # Locked: even the right password is refused until the window has passed.
    _, r = login(site.base, name="carol", password="carol's password")
    assert r.status_code == 429 and "Too many failed sign-ins" in r.text
    assert "sw_session" not in r.cookies
    # Other users are not locked out by carol's failures.
    _, r = login(site.base)
    assert r.status_code == 303


def test_queue_filters_counts_chart_and_paging(site, login):
    client, _ = login(site.base)
    page = client.get("/")
    assert page.status_code == 200
    total = len(site.alerts())
    assert f"{total} alert(s) selected" in page.text
    assert '<svg class="chart"' in page.text
    ids = re.findall(r'class="open" href="/alerts/(\d+)', page.text)
    # Triage order by default: the most severe first, newest first within a severity.
    assert [int(i) for i in ids] == _triage_order(site.alerts())
    newest = client.get("/", params={"sort": "newest"})
    assert [int(i) for i in re.findall(r'class="open" href="/alerts/(\d+)', newest.text)] == \
        sorted((a.id for a in site.alerts()), reverse=True)
    designations = site.alerts(type="designation")
    page = client.get("/", params={"type": "designation"})
    assert {int(i) for i in re.findall(r'class="open" href="/alerts/(\d+)', page.text)} == \
        {a.id for a in designations}
    assert f"{len(designations)} alert(s) selected" in page.text
    # Counts by status and type, among what the other filters select.
    assert re.search(r'designation <span>' + str(len(designations)) + '</span>', page.text)
    for params, expect in [
        ({"severity": "high"}, site.alerts(severity="high")),
        ({"entity": "north-korea"}, site.alerts(entity_id="north-korea")),
        ({"status": "new", "entity": "wagner-group"}, site.alerts(status="new",
                                                              entity_id="wagner-group")),
    ]:
        page = client.get("/", params=params)
        got = {int(i) for i in re.findall(r'class="open" href="/alerts/(\d+)', page.text)}
        assert got == {a.id for a in expect}, params
    assert "No alert matches" in client.get("/", params={"source": "nowhere"}).text
    assert client.get("/", params={"source": "drop"}).text.count('class="open"') == total
    assert "No alert matches" in client.get("/", params={"until": "2000-01-01"}).text
    assert client.get("/", params={"since": "2000-01-01"}).text.count('class="open"') == total
    assert client.get("/", params={"since": "yesterday"}).status_code == 400
    assert client.get("/", params={"status": "bogus"}).status_code == 400
    # Keyset paging: two per page, older and newer links walk every alert once.
    seen, url = [], "/?size=2"
    while url:
        page = client.get(url.replace("&amp;", "&"))
        seen += [int(i) for i in re.findall(r'class="open" href="/alerts/(\d+)', page.text)]
        m = re.search(r'href="([^"]+)" id="older"', page.text)
        url = m.group(1) if m else ""
    assert seen == _triage_order(site.alerts())
    newer = re.search(r'href="([^"]+)" id="newer"', page.text).group(1).replace("&amp;", "&")
    back = client.get(newer)
    assert [int(i) for i in re.findall(r'class="open" href="/alerts/(\d+)', back.text)] == \
        seen[-(len(seen) % 2 or 2) - 2:-(len(seen) % 2 or 2)]


def test_alert_page_shows_evidence_why_sources_and_trail(site, login):
    client, _ = login(site.base)
    designation = next(a for a in site.alerts(type="designation")
                       if "<script>" not in a.intent.evidence)
    page = client.get(f"/alerts/{designation.id}")
    assert page.status_code == 200
    evidence = re.search(r'id="evidence">(.*?)</blockquote>', page.text, re.S).group(1)
    assert "<mark>groupe Wagner</mark>" in evidence
    assert designation.intent.rule_id in page.text
    assert "fournir" in page.text or "imposées" in page.text
    assert "drop" in re.search(r'id="sources">(.*?)</ul>', page.text, re.S).group(1)
    trail = re.search(r'id="trail">(.*?)</table>', page.text, re.S).group(1)
    assert "raised by rule" in trail
    assert client.get("/alerts/999999").status_code == 404


def test_hostile_article_text_is_escaped(site, login, hostile_text):
    client, _ = login(site.base)
    hostile = _hostile(site)
    page = client.get(f"/alerts/{hostile.id}")
    assert "<script>document.title" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;" in page.text
    assert "&lt;img src=x onerror=&#34;window.pwned=true&#34;&gt;" in page.text
    queue = client.get("/")
    assert "<script>document" not in queue.text and "&lt;script&gt;" in queue.text


def test_viewer_reads_but_cannot_change_alerts(site, login, csrf):
    client, _ = login(site.base, name="victor")
    page = client.get("/alerts/1")
    assert page.status_code == 200
    assert 'id="triage"' not in page.text and "only analysts can change them" in page.text
    token = csrf(page.text)  # the logout form's token: valid for this session
    before = _detail(site, 1)
    for path, data in [("/alerts/1/triage", {"action": "dismissed", "note": "no"}),
                       ("/alerts/1/note", {"note": "hello"})]:
        r = client.post(path, data={**data, "csrf": token})
        assert r.status_code == 403 and "Only analysts" in r.text
    after = _detail(site, 1)
    assert after.alert.status == before.alert.status and after.events == before.events


def test_analyst_triage_with_note_csrf_and_suppression(site, login, csrf):
    client, _ = login(site.base)
    target = next(a for a in site.alerts(status="new") if a.intent.type == "network_link")
    page = client.get(f"/alerts/{target.id}")
    token = csrf(page.text)
    # Without (or with a wrong) CSRF token: refused, nothing changes.
    for bad in ({}, {"csrf": "forged"}):
        r = client.post(f"/alerts/{target.id}/triage", data={"action": "acknowledged", **bad})
        assert r.status_code == 403
    assert _detail(site, target.id).alert.status == "new"
    r = client.post(f"/alerts/{target.id}/triage",
                    data={"action": "acknowledged", "note": "checking", "csrf": token})
    assert r.status_code == 303 and r.headers["location"] == f"/alerts/{target.id}"
    last = _detail(site, target.id).events[-1]
    assert (last.actor, last.from_status, last.to_status, last.note) == \
        ("alice", "new", "acknowledged", "checking")
    # A dismissal needs a note: the page says so and nothing changes.
    r = client.post(f"/alerts/{target.id}/triage",
                    data={"action": "dismissed", "note": " ", "csrf": token})
    assert r.status_code == 400 and "needs a note" in r.text
    assert _detail(site, target.id).alert.status == "acknowledged"
    r = client.post(f"/alerts/{target.id}/triage", data={
        "action": "dismissed", "note": "the composer", "csrf": token, "suppress": "pattern",
        "suppress_value": "opera|Bayreuth", "suppress_days": "30",
        "suppress_entity": "wagner-group"})
    assert r.status_code == 303
    d = _detail(site, target.id)
    assert d.alert.status == "dismissed" and d.events[-1].actor == "alice"
    store = Store(site.settings.database_url)
    try:
        sups = tr.list_suppressions(store, d.events[-1].at)
    finally:
        store.close()
    assert any(s.pattern == "opera|Bayreuth" and s.created_by == "alice"
               and s.entity_id == "wagner-group" for s in sups)
    # A bad pattern is reported, not stored.
    r = client.post(f"/alerts/{target.id}/triage", data={
        "action": "new", "note": "", "csrf": token, "suppress": "pattern",
        "suppress_value": "("})
    assert r.status_code == 400
    r = client.post(f"/alerts/{target.id}/note", data={"note": "see ticket 12", "csrf": token})
    assert r.status_code == 303
    assert _detail(site, target.id).events[-1].note == "see ticket 12"
    assert client.post("/alerts/999999/triage", data={"action": "new", "note": "x",
                                                      "csrf": token}).status_code == 404
    assert client.post(f"/alerts/{target.id}/triage", data={
        "action": "deleted", "csrf": token}).status_code == 400


def test_entity_page_names_provenance_mentions_and_graph(site, login):
    client, _ = login(site.base)
    page = client.get("/entities/wagner-group")
    assert page.status_code == 200
    assert "PRIVATE MILITARY COMPANY" in page.text and "groupe Wagner" in page.text
    assert 'id="programs"' in page.text and "origin: curated" in page.text
    graph = re.search(r'id="graph">(.*?)</figure>', page.text, re.S).group(1)
    assert 'class="edge edge-watchlist"' in graph       # relations on the watchlist
    assert 'class="edge edge-alert"' in graph           # links found in alerts
    assert 'stroke-dasharray="6 4"' in graph            # drawn differently
    assert "Recent mentions" in page.text and "<mark>groupe Wagner</mark>" in page.text
    assert client.get("/entities/no-such-entity").status_code == 404


def test_watchlist_history_diff_and_source_health(site, login):
    client, _ = login(site.base)
    page = client.get("/watchlist")
    assert page.status_code == 200 and 'id="history"' in page.text
    vid = re.search(r"/watchlist/diff\?new=(\d+)", page.text).group(1)
    diff = client.get(f"/watchlist/diff?new={vid}")
    assert diff.status_code == 200 and "entities" in diff.text and "Added entities" in diff.text
    assert client.get("/watchlist/diff?new=424242").status_code == 404
    assert client.get("/watchlist/diff?new=x").status_code == 400
    assert client.get("/watchlist?list=nolist").status_code == 404
    health = client.get("/health")
    assert health.status_code == 200
    row = re.search(r"<td>drop</td><td>folder</td>(.*?)</tr>", health.text, re.S).group(1)
    assert "never" not in row  # the cycle succeeded
    assert "<td>file</td>" in health.text


def test_sign_out_ends_the_session(site, login, csrf):
    client, _ = login(site.base)
    token = csrf(client.get("/").text)
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    r = client.post("/logout", data={"csrf": token})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_secure_cookies_when_configured(site, password):
    """With `web.secure_cookies: true` the session and sign-in cookies are Secure."""
    import asyncio

    from sanctionwatch.web import create_app

    web = site.settings.web.model_copy(update={"secure_cookies": True})
    asgi = create_app(site.settings.model_copy(update={"web": web}))

    async def go():
        transport = httpx.ASGITransport(app=asgi, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="https://127.0.0.1") as c:
            form = await c.get("/login")
            token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)
            r = await c.post("/login", data={"name": "alice", "password": password,
                                             "token": token, "next": "/"})
            return form, r

    try:
        form, r = asyncio.run(go())
    finally:
        asgi.state.web.app.close()
    assert "Secure" in form.headers["set-cookie"]
    assert r.status_code == 303
    session = next(c for c in r.headers.get_list("set-cookie") if c.startswith("sw_session="))
    assert "Secure" in session and "HttpOnly" in session and "SameSite=lax" in session


def test_oversized_numbers_and_filters_are_refused_with_a_reason(site, login):
    """A 20-digit id, a 4,000-digit number or a 60 KB filter: 404 or 400, never a 500."""
    client, _ = login(site.base)
    assert client.get("/alerts/" + "9" * 20).status_code == 404
    assert client.get("/alerts/" + "9" * 4000).status_code == 404
    big = client.get("/", params={"size": "9" * 25})
    assert big.status_code == 400 and "size: too large" in big.text
    long = client.get("/", params={"size": "9" * 4000})
    assert long.status_code == 400 and "size: too long" in long.text
    huge = client.get("/", params={"entity": "x" * 60_000})
    assert huge.status_code in (400, 414, 431) and "Traceback" not in huge.text
    assert client.get("/", params={"before": "-1"}).status_code == 400
    assert client.get("/watchlist/diff", params={"new": "9" * 25}).status_code == 400


def test_parallel_wrong_passwords_get_exactly_the_limit_of_checks(site):
    """Forty wrong passwords for one name at once: five are checked (401), the rest refused
    (429); the attempt is counted before its password is, so none slips past."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, datetime

    from sanctionwatch.storage import users as us

    from .conftest import sign_in

    store = Store(site.settings.database_url)
    try:
        us.add_user(store, "dora", "viewer", "dora's password", datetime.now(UTC))
    finally:
        store.close()

    def attempt(_):
        client, response = sign_in(site.base, name="dora", password="guess")
        client.close()
        return response.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert codes.count(401) == 5 and codes.count(429) == 35, codes


def test_the_client_address_comes_from_a_trusted_proxy_only():
    from starlette.requests import Request

    from sanctionwatch.web.security import client_of

    def request(peer: str, forwarded: str) -> Request:
        return Request({"type": "http", "client": (peer, 5000), "headers": [
            (b"x-forwarded-for", forwarded.encode())]})

    trusted = ("10.0.0.2",)
    assert client_of(request("10.0.0.2", "198.51.100.7, 10.0.0.2"), trusted) == "198.51.100.7"
    assert client_of(request("203.0.113.9", "198.51.100.7"), trusted) == "203.0.113.9"
    assert client_of(request("10.0.0.2", "1.2.3.4, 198.51.100.7"), trusted) == "198.51.100.7"
    assert client_of(request("10.0.0.2", ""), trusted) == "10.0.0.2"
