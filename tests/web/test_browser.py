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
    expected = sorted((a.id for a in site.alerts(type="designation", status="new")),
                      reverse=True)
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
    page.wait_for_url(f"**/alerts/{expected[0]}")
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


def _hostile(site):
    return next(a for a in site.alerts() if "<script>" in a.intent.evidence)


def _trail(site, alert_id):
    store = Store(site.settings.database_url)
    try:
        return tr.get_alert(store, alert_id).events
    finally:
        store.close()
