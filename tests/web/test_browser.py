"""The analyst's path in a real browser: Debian's chromium, headless, driven by Playwright,
against the real server (uvicorn on 127.0.0.1). Sign in, filter the queue, open an alert
with the keyboard, dismiss it with a note, and read the audit trail; a hostile article that
carries <script> is shown as text and runs nothing.

Skipped only when no chromium binary exists (`.ci/run` installs it); never runs
`playwright install`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sanctionwatch.storage import alerts as tr
from sanctionwatch.storage.store import Store

CHROMIUM = next((p for p in (os.environ.get("SANCTIONWATCH_CHROMIUM"), "/usr/bin/chromium",
                             shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and Path(p).is_file()), None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium binary (/usr/bin/chromium): install Debian's chromium "
                    "(apt-get install chromium) to run the browser tests; .ci/run does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site.base)
    p = context.new_page()
    p.set_default_timeout(15_000)
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.errors = errors
    try:
        yield p
    finally:
        context.close()


def _sign_in(page, password):
    page.goto("/")
    assert "/login" in page.url  # sign-in required
    page.fill("#name", "alice")
    page.fill("#password", password)
    page.click("#signin")
    page.wait_for_url("**/")
    assert page.text_content("#who") == "alice"


def test_sign_in_filter_open_dismiss_and_read_the_trail(page, site, password):
    _sign_in(page, password)
    # Filter the queue: type designation, status new.
    page.select_option("#f-type", "designation")
    page.select_option("#f-status", "new")
    page.click("#apply")
    page.wait_for_url(lambda url: "type=designation" in url)
    expected = _triage_order(site.alerts(type="designation", status="new"))
    assert expected, "the seed data raises designation alerts"
    shown = [int(x) for x in page.locator("table.queue a.open").all_text_contents()]
    assert shown == expected
    # Open the first alert with the keyboard: j selects it, Enter opens it.
    page.keyboard.press("j")
    assert "selected" in (page.locator("table.queue tr.row").first.get_attribute("class") or "")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: f"/alerts/{expected[0]}?back=" in url)
    assert page.locator("#evidence mark").count() >= 1  # matched spans highlighted
    assert page.text_content("#status") == "new"
    # Dismiss with a note.
    page.fill("#note", "known story, already handled by the desk")
    page.click("#do-dismissed")
    page.wait_for_url(lambda url: f"/alerts/{expected[0]}?back=" in url)
    assert page.text_content("#status") == "dismissed"
    last = page.locator("#trail tbody tr").last
    assert last.locator("td.actor").text_content() == "alice"
    assert "new → dismissed" in last.text_content()
    assert last.locator("td.note").text_content() == "known story, already handled by the desk"
    event = _trail(site, expected[0])[-1]
    assert (event.actor, event.to_status) == ("alice", "dismissed")
    assert page.errors == []


def test_hostile_article_is_shown_escaped_and_runs_nothing(page, site, password):
    _sign_in(page, password)
    hostile = _hostile(site)
    page.goto(f"/alerts/{hostile.id}")
    evidence = page.text_content("#evidence")
    assert "<script>document.title='PWNED';window.pwned=true;</script>" in evidence
    assert '<img src=x onerror="window.pwned=true">' in evidence
    assert page.locator("#evidence script, #evidence img").count() == 0
    page.click("#article summary")
    assert "<script>" in page.text_content("#article .article")
    assert page.evaluate("() => window.pwned") is None
    assert "PWNED" not in page.title()
    # The queue shows the same evidence, as text.
    page.goto("/")
    assert page.locator("table.queue td.evidence script").count() == 0
    assert page.evaluate("() => window.pwned") is None
    assert page.errors == []


def test_keys_work_the_queue_and_the_alert_page(page, site, password, tmp_path):
    """j selects, x ticks, a asks for the note and Enter acknowledges the ticked alerts;
    on an alert m assigns it to me; d asks for the note, Ctrl+Enter dismisses."""
    _sign_in(page, password)
    page.goto("/?status=new")
    order = _triage_order(site.alerts(status="new"))
    assert len(order) >= 2
    shown = [int(x) for x in page.locator("table.queue a.open").all_text_contents()]
    assert shown == order
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("a")
    assert page.evaluate("() => document.activeElement.id") == "bulk-note"
    page.keyboard.type("seen on the morning shift")
    page.screenshot(path=str(tmp_path / "queue-bulk.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_selector("#queue")
    for alert_id in order[:2]:
        event = _trail(site, alert_id)[-1]
        assert (event.actor, event.to_status, event.note) == (
            "alice", "acknowledged", "seen on the morning shift")
    # the queue kept its filter; the two are gone from "new"
    assert "status=new" in page.url
    left = [int(x) for x in page.locator("table.queue a.open").all_text_contents()]
    assert order[0] not in left and order[1] not in left
    # an alert page: m assigns it to me, d then Ctrl+Enter dismisses with a note
    page.goto(f"/alerts/{order[0]}")
    page.keyboard.press("m")
    page.wait_for_selector("#assignee")
    page.wait_for_function("() => document.getElementById('assignee').textContent === 'alice'")
    page.keyboard.press("d")
    page.keyboard.type("duplicate of an older alert")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => document.getElementById('status').textContent === "
                           "'dismissed'")
    assert page.errors == []


@pytest.mark.parametrize("path", ["/", "/alerts/1", "/entities", "/entities/wagner-group"])
def test_phone_width_layout(browser, site, password, tmp_path, path):
    """At 390 px wide no page scrolls sideways; the queue is cards; screenshots are kept in
    the test's folder."""
    context = browser.new_context(base_url=site.base, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    try:
        p = context.new_page()
        p.set_default_timeout(15_000)
        _sign_in(p, password)
        p.goto(path)
        width = p.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        p.screenshot(path=str(tmp_path / f"phone{path.replace('/', '_') or '_'}.png"),
                     full_page=True)
        assert width[0] <= width[1] + 1, width
        if path == "/":
            assert p.evaluate("() => getComputedStyle(document.querySelector("
                              "'table.queue thead')).display") == "none"
    finally:
        context.close()


def test_the_graph_labels_are_whole_names_and_do_not_overlap(page, site, password, tmp_path):
    _sign_in(page, password)
    page.goto("/entities/wagner-group")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
        'svg.graph text.node-label')).map(t => {
          const r = t.getBoundingClientRect();
          return [r.left, r.top, r.right, r.bottom, t.textContent]; })""")
    page.locator("#graph").screenshot(path=str(tmp_path / "graph.png"))
    assert len(boxes) >= 5
    names = " ".join(b[4] for b in boxes)
    assert "…" not in names
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
    # the svg is drawn inside its box: no label leaves it
    frame = page.evaluate("() => { const r = document.querySelector('svg.graph')"
                          ".getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }")
    for b in boxes:
        assert frame[0] - 1 <= b[0] and b[2] <= frame[2] + 1, (b, frame)


def test_the_font_stack_falls_back_to_cjk_fonts(page, site, password):
    _sign_in(page, password)
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in family and family.rstrip().endswith("sans-serif")


def _triage_order(alerts) -> list[int]:
    from sanctionwatch.types import SEVERITIES

    return [a.id for a in sorted(alerts, key=lambda a: (SEVERITIES.index(a.intent.severity),
                                                        a.id), reverse=True)]


def _hostile(site):
    return next(a for a in site.alerts() if "<script>" in a.intent.evidence)


def _trail(site, alert_id):
    store = Store(site.settings.database_url)
    try:
        return tr.get_alert(store, alert_id).events
    finally:
        store.close()
