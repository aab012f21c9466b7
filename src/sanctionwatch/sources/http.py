"""HTTP fetching for sources and list downloads: timeouts, a total deadline from connect to
the last byte, cancellation by the daemon's stop event, a response size cap enforced while
streaming, bounded redirects, conditional requests (ETag / Last-Modified) and a proper
User-Agent. Every failure becomes a `SourceError` whose message says what went wrong; no httpx
exception escapes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from sanctionwatch import __version__
from sanctionwatch.errors import HttpStatusError, Interrupted, SourceError

log = logging.getLogger("sanctionwatch.sources.http")
POLL = 0.1  # seconds between two checks of the deadline and the cancel event

USER_AGENT = (f"sanctionwatch/{__version__} (news monitor; feed reader; "
              "+https://pypi.org/project/sanctionwatch/)")


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """`timeout`: seconds for each connect / read / write; `deadline`: seconds for the whole
    request including the body; `max_bytes`: the largest (decoded) body accepted."""

    timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


def fetch(url: str, settings: HttpSettings | None = None, *, etag: str = "",
          last_modified: str = "", accept: str = "*/*",
          transport: httpx.AsyncBaseTransport | None = None,
          cancel: threading.Event | None = None) -> Response:
    """GET `url`. A 304 answer to a conditional request is returned (`not_modified`); any
    other status outside 2xx (`HttpStatusError`), a timeout, a body over the cap or a redirect
    loop raises `SourceError`.

    The deadline covers the whole exchange, from connect to the last byte: a server that
    trickles its headers or body a byte at a time is cut at `deadline` however fast each byte
    comes. `cancel` (the daemon's stop event) ends the exchange within a fraction of a second
    with `Interrupted`. The exchange runs on its own event loop in the calling thread, so that
    cancelling it closes the connection instead of leaving a blocked thread behind."""
    s = settings or HttpSettings()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs can be fetched")
    headers = {"User-Agent": s.user_agent, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        return asyncio.run(_guarded(url, s, headers, transport, cancel))
    except httpx.TooManyRedirects as exc:
        raise SourceError(f"{url}: too many redirects (more than {s.max_redirects})") from exc
    except httpx.TimeoutException as exc:
        kind = type(exc).__name__.replace("Timeout", "").lower() or "request"
        raise SourceError(f"{url}: timed out ({kind}, no answer within {s.timeout:g}s)") \
            from exc
    except httpx.DecodingError as exc:
        raise SourceError(f"{url}: cannot decode the response body: {exc}") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {type(exc).__name__}: {exc or 'request failed'}") from exc


async def _guarded(url: str, s: HttpSettings, headers: dict[str, str],
                   transport: httpx.AsyncBaseTransport | None,
                   cancel: threading.Event | None) -> Response:
    """The exchange under the deadline and the cancel event (checked every `POLL` s)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + s.deadline
    task = asyncio.ensure_future(_exchange(url, s, headers, transport))
    while True:
        left = end - loop.time()
        done, _ = await asyncio.wait({task}, timeout=max(0.0, min(POLL, left)))
        if done:
            return task.result()
        if cancel is not None and cancel.is_set():
            await _abandon(task)
            raise Interrupted(f"{url}: stopped before the answer was complete "
                              "(the monitor is shutting down)")
        if loop.time() >= end:
            await _abandon(task)
            raise SourceError(f"{url}: too slow: no complete answer within {s.deadline:g}s "
                              "(deadline)")


async def _abandon(task: asyncio.Future) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
        await task


async def _exchange(url: str, s: HttpSettings, headers: dict[str, str],
                    transport: httpx.AsyncBaseTransport | None) -> Response:
    async with httpx.AsyncClient(timeout=httpx.Timeout(s.timeout), follow_redirects=True,
                                 max_redirects=s.max_redirects, headers=headers,
                                 transport=transport) as client, \
            client.stream("GET", url) as resp:
        for hop in resp.history:
            if hop.status_code in (301, 308):
                log.warning("http.moved_permanently url=%s to=%s", hop.url,
                            hop.headers.get("location", ""))
        hdrs = {k.lower(): v for k, v in resp.headers.items()}
        if resp.status_code == 304:
            return Response(304, str(resp.url), b"", hdrs)
        if not 200 <= resp.status_code < 300:
            retry = hdrs.get("retry-after")
            raise HttpStatusError(
                f"{url}: HTTP {resp.status_code} {resp.reason_phrase}"
                + (f" (retry after {retry})" if retry else ""), resp.status_code)
        declared = hdrs.get("content-length", "")
        if declared.isdigit() and int(declared) > s.max_bytes:
            raise SourceError(f"{url}: response too large: Content-Length {declared} "
                              f"exceeds the cap of {s.max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > s.max_bytes:
                raise SourceError(f"{url}: response too large: more than {s.max_bytes} "
                                  "bytes received; rejected")
            chunks.append(chunk)
        return Response(resp.status_code, str(resp.url), b"".join(chunks), hdrs)
