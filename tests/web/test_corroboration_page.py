"""The alert page shows the corroboration both ways over real HTTP: the news alert names the
list change that confirms it and links to it, the list change links back to the news. The
list snapshots are the real SDN files of 2023-01-24 and 2023-01-26; the news sentence was
written for the test."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sanctionwatch.app import make_app
from sanctionwatch.config import load_settings
from sanctionwatch.storage import users as us
from sanctionwatch.storage.alerts import get_alert
from sanctionwatch.types import ArticleData

from .conftest import PASSWORD, REPO, serve, sign_in

HISTORY = REPO / "tests" / "data" / "ofac-history"
NEWS = ("Washington said on Friday that it would designate the Wagner Group as a "
        "transnational criminal organization next week.")


def test_the_alert_page_shows_what_confirms_it(tmp_path: Path):
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
    # the lists are imported on the day they were published (the slices carry no date)
    app = make_app(settings, clock=lambda: datetime(2023, 1, 26, 20, tzinfo=UTC))
    try:
        result = app.analyzer.analyze(NEWS)
        _, [news] = app.store.ingest(
            ArticleData("wire", "tco-plan", NEWS, published=datetime(2023, 1, 20, tzinfo=UTC)),
            result.mentions, result.intents, datetime(2023, 1, 20, 18, tzinfo=UTC))
        app.refresh_list("ofac_sdn")
        shutil.copy(HISTORY / "2023-01-26" / "sdn.csv", sdn / "sdn.csv")
        app.refresh_list("ofac_sdn")
        links = get_alert(app.store, news.id).links
        us.add_user(app.store, "alice", "analyst", PASSWORD, datetime.now(UTC))
    finally:
        app.close()
    assert links
    with serve(settings) as base:
        client, _ = sign_in(base)
        try:
            page = client.get(f"/alerts/{news.id}").text
            back = client.get(f"/alerts/{links[0].list_id}").text
        finally:
            client.close()
        assert "<h2>Corroboration</h2>" in page
        assert "confirmed by ofac_sdn 2023-01-26: programme added" in page
        for link in links:
            assert f'href="/alerts/{link.list_id}"' in page
        assert f'href="/alerts/{news.id}"' in back and "reported in the news" in back
