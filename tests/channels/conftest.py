"""Real servers on 127.0.0.1 for channel tests: an HTTP webhook receiver that can fail or
hang on demand, and alerts built from the seed article's evidence."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sanctionwatch.types import Alert, AlertIntent, Feature, Mention

NOW = datetime(2022, 12, 22, 12, 0, tzinfo=UTC)
EVIDENCE = ("Les États-Unis ont déclaré que la Corée du Nord continuerait de fournir des armes "
            "aux mercenaires du groupe Wagner en Ukraine.")


def intent(severity: str = "high", entity: str = "wagner-group", n: int = 0) -> AlertIntent:
    """A support_network intent; `n` varies the supporter so that intents differ."""
    s = EVIDENCE.index("Corée du Nord")
    w = EVIDENCE.index("groupe Wagner")
    supporter = "north-korea" if n == 0 else f"supporter-{n}"
    return AlertIntent(
        type="support_network", severity=severity, entity_ids=(supporter, entity),
        roles=(("supporter", supporter), ("target", entity)), evidence=EVIDENCE,
        evidence_start=0, evidence_end=len(EVIDENCE), rule_id="support.supply", rule_version=1,
        why="trigger «fournir des armes aux» (fr)", message=f"{supporter} supports {entity}",
        mentions=(
            Mention(supporter, s, s + 13, "Corée du Nord", 1.0, "Corée du Nord", "name",
                    (Feature("exact", 1.0, "exact spelling"),)),
            Mention(entity, w, w + 13, "groupe Wagner", 1.0, "groupe Wagner", "short",
                    (Feature("exact", 1.0, "organisation word <next> to the name"),)),
        ))


def alert(alert_id: int = 7, severity: str = "high", **extra) -> Alert:
    return Alert(alert_id, intent(severity), 1, "new", NOW, NOW, "seeds:000.txt", dict(extra))


class Receiver:
    """A webhook receiver. `plan` is consumed one entry per request: "ok", "fail" (HTTP 500)
    or "hang" (answers nothing for `hang_seconds`, then drops the request); when it is empty
    every request is "ok". Only requests answered 2xx are recorded in `received`."""

    def __init__(self) -> None:
        self.plan: list[str] = []
        self.hang_seconds = 1.0
        self.received: list[tuple[dict, dict]] = []
        self.requests = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    action = receiver.plan.pop(0) if receiver.plan else "ok"
                if action == "hang":
                    time.sleep(receiver.hang_seconds)
                    self.close_connection = True
                    return
                if action == "fail":
                    self._answer(500, b"receiver down")
                    return
                with receiver.lock:
                    receiver.received.append((dict(self.headers), json.loads(body)))
                self._answer(200, b"ok")

            def _answer(self, code: int, body: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies(self) -> list[dict]:
        with self.lock:
            return [b for _, b in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()
    r.thread.join(timeout=5)


@pytest.fixture
def make_alert():
    return alert


@pytest.fixture
def make_intent():
    return intent
