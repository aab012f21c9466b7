"""Benchmark: 10,000 alerts delivered through the file and webhook channels by the outbox.

Creates the alerts in a fresh SQLite store (1,000 articles x 10 alerts, each stored with its
two deliveries in the article's transaction), then times the outbox worker sending every
delivery: JSON Lines to a file, and one HTTP POST per alert to a webhook receiver on 127.0.0.1
(http.server in its own process, HTTP/1.1 keep-alive). Checks that each alert arrived
exactly once on both channels. Target: delivery of the 10,000 alerts in <= 30 s.

    python bench/bench_delivery.py [--alerts N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sanctionwatch.channels.base import Route
from sanctionwatch.channels.file import FileChannel
from sanctionwatch.channels.webhook import WebhookChannel
from sanctionwatch.delivery import Delivery
from sanctionwatch.storage.deliveries import OutboxRoute
from sanctionwatch.storage.store import Store
from sanctionwatch.types import AlertIntent, ArticleData, Mention

NOW = datetime(2022, 12, 22, 12, 0, tzinfo=UTC)
EVIDENCE = "Les États-Unis ont déclaré que la Corée du Nord continuerait de fournir des armes " \
           "aux mercenaires du groupe Wagner."


def intent(n: int) -> AlertIntent:
    s, w = EVIDENCE.index("Corée"), EVIDENCE.index("groupe Wagner")
    return AlertIntent(
        type="support_network", severity="high", entity_ids=(f"supporter-{n}", "wagner-group"),
        roles=(("supporter", f"supporter-{n}"), ("target", "wagner-group")), evidence=EVIDENCE,
        evidence_start=0, evidence_end=len(EVIDENCE), rule_id="support.supply", rule_version=1,
        why="trigger «fournir des armes aux» (fr)",
        mentions=(Mention(f"supporter-{n}", s, s + 13, "Corée du Nord", 1.0, "x", "name"),
                  Mention("wagner-group", w, w + 13, "groupe Wagner", 1.0, "x", "short")))


def receive(port_out, stop) -> None:
    """The webhook receiver, in its own process (as a real one would be): records each alert
    id, answers 204; `GET /` returns the ids received."""
    received: list[int] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                received.append(body["alert"]["id"])
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            with lock:
                data = json.dumps(received).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port_out.put(server.server_address[1])
    stop.wait(600)  # bounded: the receiver never outlives a forgotten benchmark
    server.shutdown()
    server.server_close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alerts", type=int, default=10_000)
    args = ap.parse_args()
    per_article = 10
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    proc = multiprocessing.Process(target=receive, args=(ports, stop), daemon=True)
    proc.start()
    url = f"http://127.0.0.1:{ports.get(timeout=30)}/"
    try:
        run(args.alerts, per_article, url)
    finally:
        stop.set()
        proc.join(timeout=10)


def run(alerts: int, per_article: int, url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        routes = [OutboxRoute(n, Route("low").wants) for n in ("file", "hook")]
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}", routes=routes)
        t0 = time.perf_counter()
        n = 0
        for k in range(alerts // per_article):
            intents = [intent(n + j) for j in range(per_article)]
            n += per_article
            store.ingest(ArticleData("bench", f"a{k}", f"article {k}"), (), intents, NOW)
        created = time.perf_counter() - t0
        path = Path(tmp) / "alerts.jsonl"
        hook = WebhookChannel("hook", url)
        channels = {"file": FileChannel("file", path), "hook": hook}
        outbox = Delivery(store, channels)
        t1 = time.perf_counter()
        report = outbox.deliver_due(NOW)
        delivered = time.perf_counter() - t1
        received = json.loads(hook.client.get(url).text)
        hook.close()
        lines = path.read_text(encoding="utf-8").splitlines()
        file_ids = [json.loads(x)["id"] for x in lines]
        again = outbox.deliver_due(NOW).total_sent
        store.close()
    ok = (len(file_ids) == len(set(file_ids)) == n and len(received) == len(set(received)) == n
          and again == 0 and not report.errors)
    print(f"alerts: {n}  created (with 2 deliveries each): {created:.2f} s")
    print(f"delivered: file {report.sent.get('file', 0)}, webhook {report.sent.get('hook', 0)} "
          f"in {delivered:.2f} s ({2 * n / delivered:,.0f} deliveries/s); "
          f"target <= 30 s: {'met' if delivered <= 30 else 'MISSED'}")
    print(f"exactly once on both channels, nothing resent: {'yes' if ok else 'NO'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
