"""Time the web triage queue page with 100,000 alerts in SQLite (target: <= 300 ms server
time per page).

Builds a SQLite file with N articles and N alerts (types, statuses, severities, entities and
sources spread as in a busy desk, created over 90 days), signs in through the real sign-in
form, then requests the queue through the ASGI app in-process (no network) with the filters
analysts use and deep keyset pages, and prints the median and worst time of each beside the
target. Run: python bench/bench_web.py [--alerts 100000] [--repeat 5] [--keep FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from sanctionwatch.config import RulesSettings, Settings, SourceSettings, WatchlistSettings
from sanctionwatch.storage import schema as t
from sanctionwatch.storage import users as us
from sanctionwatch.storage.store import Store

REPO = Path(__file__).resolve().parents[1]
TARGET_MS = 300.0
TYPES = ["designation", "support_network", "network_link", "mention", "list_change"]
STATUSES = ["new", "acknowledged", "escalated", "dismissed"]
SEVERITIES = ["low", "medium", "high", "critical"]
ENTITIES = ["wagner-group", "prigozhin-yevgeniy", "north-korea", "utkin-dmitry",
            "concord-management"] + [f"ofac_sdn:{i}" for i in range(200)]
SOURCES = [f"feed-{i}" for i in range(20)]
PASSWORD = "benchmark password"


def fill(url: str, n: int, now: datetime) -> None:
    store = Store(url)
    rnd = random.Random(8)
    start = now - timedelta(days=90)
    try:
        with store.transaction() as conn:
            for lo in range(0, n, 10_000):
                arts, alerts = [], []
                for i in range(lo + 1, min(lo + 10_000, n) + 1):
                    created = start + timedelta(seconds=90 * 86400 * i / n)
                    ents = rnd.sample(ENTITIES[:5] if rnd.random() < 0.6 else ENTITIES, 2)
                    text = f"{ents[0]} and {ents[1]} were mentioned in report {i}."
                    arts.append({"id": i, "source": rnd.choice(SOURCES), "external_id": str(i),
                                 "url": f"https://news.example.org/{i}", "title": f"Report {i}",
                                 "text": text, "content_hash": f"{i:064x}", "published": created,
                                 "fetched": created, "story_id": i})
                    typ = rnd.choice(TYPES)
                    alerts.append({
                        "id": i, "dedupe_key": f"story:{i}|{typ}|{'|'.join(ents)}",
                        "group_key": f"{typ}|{'|'.join(ents)}", "type": typ, "phase": None,
                        "severity": rnd.choice(SEVERITIES),
                        "status": rnd.choices(STATUSES, [5, 2, 1, 3])[0],
                        "entity_ids": ents, "roles": [["target", ents[0]], ["linked", ents[1]]],
                        "article_id": i, "evidence": text, "evidence_start": 0,
                        "evidence_end": len(text), "spans": [], "rule_id": f"{typ}.bench",
                        "rule_version": 1, "why": "benchmark", "message": "", "created": created,
                        "updated": created, "assignee": None})
                conn.execute(t.articles.insert(), arts)
                conn.execute(t.alerts.insert(), alerts)
        us.add_user(store, "bench", "analyst", PASSWORD, now)
    finally:
        store.close()


async def measure(asgi, cases: list[tuple[str, str]], repeat: int) -> list[tuple[str, list]]:
    transport = httpx.ASGITransport(app=asgi, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        page = await client.get("/login")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        r = await client.post("/login", data={"name": "bench", "password": PASSWORD,
                                              "token": token, "next": "/"})
        assert r.status_code == 303, r.text
        results = []
        first = await client.get("/?sort=newest")
        older = re.search(r'before=(\d+)" id="older"', first.text)
        for label, url in cases:
            if "{deep}" in url:
                url = url.replace("{deep}", str(int(older.group(1)) // 3 if older else 1))
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                r = await client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, (url, r.status_code, r.text[:300])
            results.append((f"{label:34s} {url}", times))
        return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--alerts", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="build (or reuse) this SQLite file")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.keep or Path(tmp.name) / "bench_web.db"
    url = f"sqlite:///{db}"
    now = datetime.now(UTC)
    if not db.exists():
        t0 = time.perf_counter()
        fill(url, args.alerts, now)
        print(f"built {args.alerts:,} alerts in {time.perf_counter() - t0:.1f} s ({db})")
    from sanctionwatch.config import WebSettings
    from sanctionwatch.web import create_app

    settings = Settings(base_dir=REPO, database={"url": url},
                        watchlist=WatchlistSettings(path=REPO / "watchlist"),
                        rules=RulesSettings(paths=(REPO / "rules",)),
                        sources=(SourceSettings(name="feed-0", kind="folder", path=tmp.name),),
                        web=WebSettings(secret="bench"))
    asgi = create_app(settings)
    day = (now - timedelta(days=30)).date().isoformat()
    old = (now - timedelta(days=85)).date().isoformat()
    old_end = (now - timedelta(days=79)).date().isoformat()
    cases = [
        ("queue, no filter (triage order)", "/"),
        ("queue, newest first", "/?sort=newest"),
        ("entity by name", "/?entity=Wagner"),
        ("status new", "/?status=new"),
        ("type + severity", "/?type=designation&severity=high"),
        ("entity (common)", "/?entity=wagner-group"),
        ("entity (rare)", "/?entity=ofac_sdn%3A17"),
        ("source", "/?source=feed-3"),
        ("date range", f"/?since={day}&until={now.date().isoformat()}"),
        ("old date range (one week)", f"/?since={old}&until={old_end}"),
        ("all filters", f"/?status=new&type=mention&entity=north-korea&source=feed-1"
                        f"&since={day}"),
        ("deep keyset page (newest first)", "/?sort=newest&before={deep}"),
        ("deep keyset page (triage order)", "/?before=1.{deep}"),
    ]
    try:
        results = asyncio.run(measure(asgi, cases, args.repeat))
    finally:
        asgi.state.web.app.close()
    print(f"queue page, {args.alerts:,} alerts in SQLite, {args.repeat} runs each "
          f"(target <= {TARGET_MS:.0f} ms):")
    worst = 0.0
    for label, times in results:
        med = statistics.median(times)
        worst = max(worst, med)
        print(f"  {label:90s} median {med:7.1f} ms  max {max(times):7.1f} ms  "
              f"{'ok' if med <= TARGET_MS else 'OVER'}")
    print(f"worst median {worst:.1f} ms: {'within' if worst <= TARGET_MS else 'over'} the "
          f"{TARGET_MS:.0f} ms target")
    tmp.cleanup()


if __name__ == "__main__":
    main()
