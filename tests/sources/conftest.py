"""A real HTTP server on 127.0.0.1 (port 0, a thread) serving the feeds in tests/data/feeds
and misbehaving on purpose: redirects, a redirect loop, a server that never answers, one that
trickles its body, one that trickles its headers, a 2 GB Content-Length, an endless body, a
500, and conditional requests."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml",
         ".xml": "application/xml", ".html": "text/html; charset=utf-8"}


@dataclass
class FeedServer:
    base: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    dynamic: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    conditional: bool = True

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p == path]


def _handler(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._route(path)

        def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _body(self, body: bytes, ctype: str):
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            modified = "Fri, 20 Jan 2023 18:05:00 GMT"
            if server.conditional and (self.headers.get("If-None-Match") == etag
                                       or self.headers.get("If-Modified-Since") == modified):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            extra = {"ETag": etag, "Last-Modified": modified} if server.conditional else {}
            self._send(200, body, ctype, extra)

        def _route(self, path: str):
            if path in server.dynamic:
                body, ctype = server.dynamic[path]
                self._body(body, ctype)
            elif path.startswith(("/feeds/", "/articles/")):
                f = FEEDS / path.rsplit("/", 1)[1]
                if not f.is_file():
                    self._send(404, b"not found", "text/plain")
                    return
                body = f.read_bytes().replace(b"{{BASE}}", server.base.encode())
                ctype = TYPES.get(f.suffix, "application/octet-stream")
                if f.name.startswith("cp1252"):
                    ctype = "application/rss+xml"  # no charset: the XML declaration lies
                self._body(body, ctype)
            elif path.startswith("/redirect/"):
                self.send_response(301)
                self.send_header("Location", "/feeds/" + path.rsplit("/", 1)[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/silent":  # accepts the connection, never answers
                server.stopping.wait(30)
            elif path == "/trickle":  # answers, then one byte at a time
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(100000):
                    if server.stopping.wait(0.05):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif path == "/slow-headers":  # a status line, then headers a byte at a time
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Pad: ")
                self.wfile.flush()
                while not server.stopping.wait(0.05):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                self.close_connection = True
            elif path == "/huge":  # claims 2 GB
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(2 * 1024 ** 3))
                self.end_headers()
                self._stream()
            elif path == "/endless":  # no length: a body that never ends
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                self._stream()
            elif path == "/error":
                self._send(500, b"boom", "text/plain", {"Retry-After": "120"})
            else:
                self._send(404, b"not found", "text/plain")

        def _stream(self):
            chunk = b"<rss>" + b"x" * 65536
            deadline = time.monotonic() + 20
            while not server.stopping.is_set() and time.monotonic() < deadline:
                self.wfile.write(chunk)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer()
    httpd = _Server(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
