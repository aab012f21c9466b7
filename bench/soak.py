"""Soak run: the daemon for N minutes (default 30) against good and hostile feeds and a flaky
webhook, killed with SIGKILL every few minutes and started again at once.

On 127.0.0.1, in this process: a feed server with four good feeds that gain a new entry every
few seconds (each entry a short report, written here, of a designation or a supply link naming
curated watchlist entities), feeds whose entries carry NUL bytes, `&#0;`, zero-width characters
and one byte that is not UTF-8 (stored, cleaned), and feeds that must be refused without
stalling anything: entity expansion, headers sent a byte at a time, a body that trickles, an
endless body, HTTP 500; and a webhook receiver that answers 500 to about half the requests.
The daemon (`sanctionwatch run`, its own process) reads them on short intervals.

At the end, with publishing stopped and the daemon given time to catch up, it checks, from the
database and the receiver's log:
- every published entry is stored exactly once (no loss across kills, no duplicate);
- no two alerts share a dedupe key and every alert has its webhook delivery sent;
- every delivery reached the receiver (a delivery sent again after a kill carries the same
  Idempotency-Key, and is counted as a resend, not as a second alert);
- no good source is stalled (each succeeded within its last intervals), every hostile source
  was tried and its error recorded;
- SIGTERM at the end stops the daemon within 10 s, exit 0, no traceback in its log.

    python bench/soak.py [--minutes 30] [--kill-min 60] [--kill-max 240] [--db URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
RUN = [sys.executable, "-c", "from sanctionwatch.cli import main; main()"]
GOOD = ("wire-a", "wire-b", "wire-c", "wire-d")
# readable feeds whose text needs cleaning: stored, and counted
DIRTY = ("nul-bytes", "bad-byte")
# feeds that must be refused, each for its own reason, without stalling the others
HOSTILE = {"laughs": "hostile XML", "slow-headers": "too slow", "trickle": "too slow",
           "endless": "too large", "error": "HTTP 500"}

# Short reports written for this bench: (supplier or None, target, sentence template).
REPORTS = (
    (None, "Wagner Group", "The US Treasury said on day {n} that it had added the {t} to its "
     "sanctions list, citing operations in several African states."),
    ("North Korea", "Wagner Group", "Officials said on day {n} that {s} had shipped rockets "
     "and artillery shells to the {t} by rail."),
    (None, "Sovcomflot", "Britain announced on day {n} that it would freeze the assets of "
     "{t}, the state-owned shipping group."),
    ("Evro Polis", "Wagner Group", "A report on day {n} said {s} had paid fighters of the {t} "
     "through a network of shell companies."),
    (None, "Kratol Aviation", "The European Union on day {n} imposed sanctions on {t} for "
     "flying equipment to Mali."),
)


FILLER = ("harbour", "morning", "council", "bridge", "weather", "market", "railway", "school",
          "river", "festival", "museum", "garden", "election", "budget", "hospital", "stadium",
          "library", "airport", "village", "factory", "harvest", "border", "theatre", "summit",
          "tunnel", "archive", "forest", "island", "vineyard", "quarry", "lighthouse", "canal")


@dataclass
class World:
    """What the feed server serves and the receiver received; shared with the handlers."""

    entries: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    received: list[tuple[str, int]] = field(default_factory=list)  # (idempotency key, alert)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def publish(self, feed: str, n: int) -> None:
        supplier, target, template = REPORTS[n % len(REPORTS)]
        text = template.format(n=n, s=supplier or "", t=target)
        # ordinary words in a random order, so that reports are separate stories and not
        # near-duplicates of one another (which would join one story and raise one alert)
        filler = " ".join(self.rng.sample(FILLER, 14))
        body = f"{text} Background: {filler}."
        with self.lock:
            self.entries.setdefault(feed, []).append((f"{feed}-{n}", f"Report {n}", body))

    def rss(self, feed: str) -> bytes:
        with self.lock:
            items = list(self.entries.get(feed, ()))
        now = format_datetime(datetime.now(UTC))
        parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                 f"<title>{feed}</title><link>http://example.org/{feed}</link>"
                 "<description>soak</description>"]
        for guid, title, body in items[-60:]:  # a window, as real feeds keep
            parts.append(f"<item><guid>{guid}</guid><title>{escape(title)}</title>"
                         f"<link>http://example.org/{guid}</link><pubDate>{now}</pubDate>"
                         f"<description>{escape(body)}</description></item>")
        parts.append("</channel></rss>")
        return "".join(parts).encode("utf-8")


def dirty_feeds() -> dict[str, bytes]:
    """Two fixed feeds with text that must be cleaned where it enters."""
    nul = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>n</title>'
           "<link>http://example.org/n</link><description>d</description>"
           "<item><guid>nul-1</guid><title>Night report</title><link>http://example.org/n1"
           "</link><description>Officials said Pri\u200bgo\u200dzhin's men had received "
           "drones from North Korea &amp;#0; a raw NUL follows: \x00 end.</description></item>"
           "<item><guid>nul-2</guid><title>Zalgo</title><link>http://example.org/n2</link>"
           "<description>W\u0301\u0301\u0301agner fighters were seen near Bangui on the "
           "day the sanctions took effect.</description></item>"
           "</channel></rss>").encode("utf-8")
    bad = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>b</title>'
           "<link>http://example.org/b</link><description>d</description>"
           "<item><guid>bad-1</guid><title>Сводка</title><link>http://example.org/b1</link>"
           "<description>Минфин США ввёл санкции против ЧВК «Вагнер». ").encode() + \
        b"\xff" + b"</description></item></channel></rss>"
    return {"nul-bytes": nul, "bad-byte": bad}


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
          b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
          b']><rss><channel><title>&c;</title></channel></rss>')


def feed_handler(world: World, dirty: dict[str, bytes]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, body: bytes, ctype: str = "application/rss+xml") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            name = self.path.strip("/").removesuffix(".rss")
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._route(name)

        def _route(self, name: str) -> None:
            if name in GOOD:
                self._send(200, world.rss(name))
            elif name in dirty:
                self._send(200, dirty[name])
            elif name == "laughs":
                self._send(200, LAUGHS)
            elif name == "error":
                self._send(500, b"down for maintenance", "text/plain")
            elif name == "slow-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Pad: ")
                while not world.stopping.wait(0.2):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                self.close_connection = True
            elif name == "trickle":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                while not world.stopping.wait(0.2):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif name == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                self.close_connection = True
                chunk = b"<rss>" + b"x" * 65536
                while not world.stopping.is_set():
                    self.wfile.write(chunk)
            else:
                self._send(404, b"not found", "text/plain")

    return Handler


def hook_handler(world: World):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with world.lock:
                fail = world.rng.random() < 0.5
                if fail:
                    world.refused += 1
                else:
                    alert = json.loads(body)["alert"]["id"]
                    world.received.append((self.headers.get("Idempotency-Key", ""), alert))
            status = 500 if fail else 204
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def serve(handler) -> tuple[ThreadingHTTPServer, str]:
    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address) -> None:
            pass  # clients cut slow answers on purpose

    httpd = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def write_config(work: Path, feeds: str, hook: str, db: str) -> Path:
    sources = []
    for name in (*GOOD, *DIRTY):
        sources.append(f"  - {{name: {name}, kind: feed, url: '{feeds}/{name}.rss', "
                       "interval: 5s, timeout: 3, deadline: 6}")
    for name in HOSTILE:
        sources.append(f"  - {{name: {name}, kind: feed, url: '{feeds}/{name}.rss', "
                       "interval: 5s, timeout: 3, deadline: 6, max_bytes: 1048576}")
    cfg = work / "config.yaml"
    cfg.write_text(
        f"database: {{url: '{db}'}}\n"
        f"watchlist: {{path: '{REPO / 'watchlist'}'}}\n"
        f"rules: {{paths: ['{REPO / 'rules'}']}}\n"
        "sources:\n" + "\n".join(sources) + "\n"
        f"channels: [{{name: hook, kind: webhook, url: '{hook}/alerts', timeout: 3}}]\n"
        "alerts: {group_window: 0, outbox: {interval: 2s, retry_base: 1s, retry_max: 8s}}\n"
        "scheduler: {jitter_seconds: 0, backoff_base_seconds: 5, backoff_max_seconds: 20,\n"
        "            refresh_interval: 0}\n", encoding="utf-8")
    return cfg


class Daemon:
    def __init__(self, cfg: Path, log: Path):
        self.cfg, self.log, self.proc = cfg, log, None
        self.starts = 0

    def start(self) -> None:
        fh = self.log.open("a")
        self.proc = subprocess.Popen([*RUN, "-v", "run", "--config", str(self.cfg)],
                                     stdout=fh, stderr=fh, cwd=self.cfg.parent)
        fh.close()
        self.starts += 1

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--kill-min", type=float, default=60.0, help="seconds between kills, least")
    ap.add_argument("--kill-max", type=float, default=240.0, help="seconds between kills, most")
    ap.add_argument("--publish-every", type=float, default=4.0, help="seconds between entries")
    ap.add_argument("--db", default="", help="database URL (default: SQLite in a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sanctionwatch-soak-"))
    db = args.db or f"sqlite:///{work / 'soak.db'}"
    world = World()
    feeds_httpd, feeds = serve(feed_handler(world, dirty_feeds()))
    hook_httpd, hook = serve(hook_handler(world))
    daemon = Daemon(write_config(work, feeds, hook, db), work / "daemon.log")
    rng = random.Random(11)
    started = time.monotonic()
    end = started + args.minutes * 60
    n = 0
    kills = 0
    print(f"soak: {args.minutes:g} min, work folder {work}, database {db}", flush=True)
    daemon.start()
    next_kill = time.monotonic() + rng.uniform(args.kill_min, args.kill_max)
    next_entry = time.monotonic()
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_entry:
            world.publish(GOOD[n % len(GOOD)], n)
            n += 1
            next_entry = now + args.publish_every
        if now >= next_kill:
            daemon.kill()
            kills += 1
            daemon.start()
            next_kill = now + rng.uniform(args.kill_min, args.kill_max)
            print(f"  {(now - started) / 60:5.1f} min: kill -9 #{kills}, restarted; "
                  f"{n} entries published", flush=True)
        time.sleep(0.2)

    print(f"publishing stopped after {n} entries; letting the daemon catch up", flush=True)
    engine = sa.create_engine(db)
    expected = {(f, guid) for f in GOOD for guid, _, _ in world.entries.get(f, ())}
    expected |= {("nul-bytes", "nul-1"), ("nul-bytes", "nul-2"), ("bad-byte", "bad-1")}
    catch_up = time.monotonic() + 180
    while time.monotonic() < catch_up:
        with engine.connect() as c:
            stored = c.execute(sa.text("SELECT count(*) FROM articles")).scalar()
            pending = c.execute(sa.text("SELECT count(*) FROM deliveries WHERE status <> 'sent'"
                                        )).scalar()
        if stored >= len(expected) and not pending:
            break
        time.sleep(2)
    stop_at = time.monotonic()
    daemon.proc.send_signal(signal.SIGTERM)
    try:
        code = daemon.proc.wait(30)
    except subprocess.TimeoutExpired:
        daemon.kill()
        code = -9
    stop_seconds = time.monotonic() - stop_at
    world.stopping.set()
    feeds_httpd.shutdown()
    hook_httpd.shutdown()

    with engine.connect() as c:
        rows = c.execute(sa.text("SELECT source, external_id FROM articles")).all()
        alerts = c.execute(sa.text("SELECT id, dedupe_key FROM alerts")).all()
        deliveries = c.execute(sa.text("SELECT id, alert_id, status FROM deliveries")).all()
        states = {r.source: r for r in c.execute(sa.text(
            "SELECT source, last_success, last_error, failures FROM source_state")).all()}
    engine.dispose()
    # feedparser reads a guid that is not a URL relative to the feed's address
    stored = Counter((r.source, r.external_id.rsplit("/", 1)[-1]) for r in rows)
    got = set(stored)
    duplicates = {k: v for k, v in stored.items() if v > 1}
    lost = sorted(k for k in expected if k not in got)
    dup_keys = [k for k, v in Counter(a.dedupe_key for a in alerts).items() if v > 1]
    delivered = {a for _, a in world.received}
    keys = Counter(k for k, _ in world.received)
    unsent = [d.id for d in deliveries if d.status != "sent"]
    undelivered = sorted({a.id for a in alerts} - delivered)
    # a good source has succeeded recently; a hostile one was tried and its reason recorded
    horizon = datetime.now(UTC) - timedelta(seconds=90)
    stalled = [s for s in (*GOOD, *DIRTY) if s not in states or states[s].last_success is None
               or _utc(states[s].last_success) < horizon]
    untried = [s for s in HOSTILE if s not in states or not states[s].last_error]
    wrong_reason = [s for s, why in HOSTILE.items()
                    if s in states and why not in (states[s].last_error or "")]
    log = daemon.log.read_text(errors="replace")
    tracebacks = log.count("Traceback")

    checks = [
        ("every published entry stored", not lost, f"{len(got & expected)}/{len(expected)}"
         + (f", lost {lost[:5]}" if lost else "")),
        ("no entry stored twice", not duplicates, f"{len(duplicates)} duplicated"),
        ("alerts unique", not dup_keys, f"{len(alerts)} alerts, {len(dup_keys)} duplicate keys"),
        ("every delivery sent", not unsent, f"{len(deliveries)} deliveries, {len(unsent)} unsent"),
        ("every alert reached the webhook", not undelivered,
         f"{len(delivered)}/{len(alerts)}; receiver refused {world.refused} requests; "
         f"{sum(v - 1 for v in keys.values())} resent with the same Idempotency-Key"),
        ("no good source stalled", not stalled, ", ".join(stalled) or "all succeeded in the "
         "last 90 s"),
        ("hostile sources refused with their reason", not untried and not wrong_reason,
         ", ".join(f"{s}: {(states[s].last_error or '')[:60]}" for s in wrong_reason)
         or "all refused"),
        ("SIGTERM answered", code == 0 and stop_seconds < 10, f"exit {code} in "
         f"{stop_seconds:.1f} s"),
        ("no traceback in the daemon's log", tracebacks == 0, f"{tracebacks} traceback(s), "
         f"{daemon.starts} starts, {kills} kill -9"),
    ]
    print()
    for name, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    failed = [c for c in checks if not c[1]]
    print(f"\nsoak: {args.minutes:g} min, {kills} kill -9, {n} entries, {len(alerts)} alerts: "
          + ("all checks passed" if not failed else f"{len(failed)} check(s) FAILED"))
    if not args.keep and not failed:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"work folder kept: {work}")
    return 1 if failed else 0


def _utc(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
