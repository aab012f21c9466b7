"""The JSON API under /api/v1, served beside the triage page and through the same `App`.

- Authentication: `Authorization: Bearer TOKEN` (`sanctionwatch tokens add NAME --role ...`);
  the token is looked up by its hash on every request, so a revocation holds at once. Viewer
  tokens read, screen and scan; only analyst tokens triage (as on the page). A triage is in
  the alert's audit trail as `api:NAME` (user names cannot hold ':', so it is never a
  person's).
- Limits: `web.api_rate_per_minute` requests per token (a token bucket in this process; 429
  with Retry-After), `web.api_max_body_bytes` per body (413, checked on Content-Length and
  while reading), `web.api_max_batch` names or articles per batch (413).
- Errors are JSON, `{"error": {"code": CODE, "message": TEXT, "details": [...]}}`, with a
  stable `code` (api_schemas.Error lists them).
- The records are the CLI's: `screen_record` and `scan_records` of app.py build both.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sanctionwatch.app import alert_detail_record, scan_records, screen_record
from sanctionwatch.errors import SanctionwatchError, TriageError
from sanctionwatch.types import ApiToken, QueueFilter
from sanctionwatch.web import api_schemas as s
from sanctionwatch.web.base import web_state

log = logging.getLogger("sanctionwatch.api")
ACTOR_PREFIX = "api:"
LINK_TYPES = ("support_network", "network_link")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 details: list[dict] | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.headers = details, headers


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_response(status: int, code: str, message: str, details: list[dict] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    err: dict[str, Any] = {"code": code, "message": message}
    if details:
        err["details"] = details
    return JSON({"error": err}, status_code=status, headers=headers)


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "payload_too_large", 429: "rate_limited"}


class RateLimiter:
    """A token bucket per API token: `per_minute` requests, refilled evenly."""

    def __init__(self, per_minute: int):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.buckets: dict[int, tuple[float, float]] = {}  # token id -> (level, at)
        self.lock = threading.Lock()

    def take(self, key: int) -> float:
        """0 when the request may go, else the seconds until it may."""
        now = time.monotonic()
        with self.lock:
            level, at = self.buckets.get(key, (self.capacity, now))
            level = min(self.capacity, level + (now - at) * self.rate)
            if level >= 1.0:
                self.buckets[key] = (level - 1.0, now)
                return 0.0
            self.buckets[key] = (level, now)
            return (1.0 - level) / self.rate


def _limiter(request: Request) -> RateLimiter:
    w = web_state(request)
    lim = w.cache.get("api_limiter")
    if lim is None:
        lim = w.cache["api_limiter"] = RateLimiter(w.settings.web.api_rate_per_minute)
    return lim


def _authenticate(request: Request) -> ApiToken:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer TOKEN "
                       "(sanctionwatch tokens add NAME)",
                       headers={"WWW-Authenticate": "Bearer"})
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer TOKEN'",
                       headers={"WWW-Authenticate": "Bearer"})
    found = web_state(request).app.tokens.authenticate(token.strip())
    if found is None:
        raise ApiError(401, "invalid_token", "unknown or revoked token",
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return found


async def _body(request: Request, model: type[BaseModel]) -> Any:
    """The request body validated by `model` (size, media type and JSON checked first)."""
    limit = web_state(request).settings.web.api_max_body_bytes
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            too_big = int(declared) > limit
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None
        if too_big:
            raise ApiError(413, "payload_too_large", f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"the body is not valid JSON: {exc}") from None
    return _validate(model, data)


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                   for e in exc.errors(include_url=False, include_input=False,
                                       include_context=False)]
        raise ApiError(422, "invalid_request", "the request does not validate",
                       details[:50]) from None


def _query(request: Request, model: type[BaseModel]) -> Any:
    params = request.query_params
    unknown = sorted(set(params) - set(model.model_fields))
    if unknown:
        raise ApiError(422, "invalid_request", f"unknown query parameter(s): "
                       f"{', '.join(unknown)}")
    return _validate(model, {k: params[k] for k in params})


def _check_batch(request: Request, n: int) -> None:
    most = web_state(request).settings.web.api_max_batch
    if n > most:
        raise ApiError(413, "batch_too_large", f"{n} items in one request; at most {most}")


Handler = Callable[[Request, ApiToken], Awaitable[Any]]


def endpoint(handler: Handler, *, analyst: bool = False) -> Callable:
    """A route: token, rate limit and role checked, the handler's value sent as JSON, every
    failure as a JSON error."""
    async def run(request: Request) -> Response:
        try:
            token = await run_in_threadpool(_authenticate, request)
            wait = _limiter(request).take(token.id)
            if wait:
                raise ApiError(429, "rate_limited", f"token {token.name}: more than "
                               f"{web_state(request).settings.web.api_rate_per_minute} "
                               "requests a minute", headers={
                                   "Retry-After": str(max(1, int(wait + 0.999)))})
            if analyst and not token.can_triage:
                log.warning("api.forbidden token=%s role=%s path=%s", token.name, token.role,
                            request.url.path)
                raise ApiError(403, "forbidden", "only analyst tokens change alerts")
            result = await handler(request, token)
            return JSON(result)
        except ApiError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)
        except SanctionwatchError as exc:
            log.error("api.failed path=%s reason=%s", request.url.path, exc)
            return error_response(500, "internal_error", str(exc))
        except Exception:  # never an HTML page or a bare 500 to an API client
            log.exception("api.crashed path=%s", request.url.path)
            return error_response(500, "internal_error", "unexpected error; see the log")
    run.__name__ = handler.__name__
    return run


# -- the routes -----------------------------------------------------------------------------

async def screen(request: Request, token: ApiToken) -> dict:
    req: s.ScreenRequest = await _body(request, s.ScreenRequest)
    items = req.items()
    _check_batch(request, len(items))
    app = web_state(request).app

    def work() -> list[dict]:
        screener = app.screening()
        out = []
        for n, q in enumerate(items):
            try:
                out.append(screen_record(screener, q.name, req.limit, entity_type=q.type,
                                         country=q.country, birth_date=q.birth_date))
            except ValueError as exc:
                loc = ["queries", n] if req.queries is not None else []
                raise ApiError(422, "invalid_request", str(exc), [
                    {"loc": loc, "msg": str(exc), "type": "value_error"}]) from None
        return out

    return {"results": await run_in_threadpool(work)}


async def scan(request: Request, token: ApiToken) -> dict:
    req: s.ScanRequest = await _body(request, s.ScanRequest)
    items = req.items()
    _check_batch(request, len(items))
    app = web_state(request).app

    def work() -> list[dict]:
        analyzer = app.analyzer
        records: list[dict] = []
        for n, a in enumerate(items, 1):
            records += scan_records(a.id if a.id is not None else f"#{n}",
                                    analyzer.analyze(a.text))
        return records

    return {"records": await run_in_threadpool(work)}


def _date(value: str | None, name: str, end_of_day: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid_request", f"{name}: not an ISO date or datetime: "
                       f"{value!r}", [{"loc": [name], "msg": "not an ISO date",
                                       "type": "value_error"}]) from None
    d = d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)
    if end_of_day and len(value) <= 10:
        d += timedelta(days=1)
    return d


async def alerts(request: Request, token: ApiToken) -> dict:
    q: s.AlertsQuery = _query(request, s.AlertsQuery)
    f = QueueFilter(q.status, q.type, q.severity, q.entity, q.source,
                    _date(q.since, "since"), _date(q.until, "until", end_of_day=True),
                    q.assignee)
    app = web_state(request).app

    def work() -> dict:
        page = app.alerts.page(f, before=q.before, after=q.after, size=q.limit)
        recs = []
        for a in page.alerts:
            rec = a.record()
            rec["source"] = page.sources.get(a.id)
            recs.append(rec)
        return {"alerts": recs, "older": page.older, "newer": page.newer}

    return await run_in_threadpool(work)


def _alert_id(request: Request) -> int:
    value = int(request.path_params["alert_id"])
    if not 1 <= value <= 2**63 - 1:
        raise ApiError(404, "not_found", f"no such alert: {value}")
    return value


def _detail(app, alert_id: int) -> dict:
    try:
        return alert_detail_record(app.alerts.get(alert_id))
    except TriageError as exc:
        raise ApiError(404, "not_found", str(exc)) from None


async def alert(request: Request, token: ApiToken) -> dict:
    alert_id = _alert_id(request)
    return await run_in_threadpool(_detail, web_state(request).app, alert_id)


async def triage(request: Request, token: ApiToken) -> dict:
    alert_id = _alert_id(request)
    req: s.TriageRequest = await _body(request, s.TriageRequest)
    app = web_state(request).app
    actor = ACTOR_PREFIX + token.name

    def work() -> dict:
        try:
            app.alerts.triage(alert_id, req.status, actor=actor, note=req.note,
                              assignee=req.assignee)
        except TriageError as exc:
            if "no such alert" in str(exc):
                raise ApiError(404, "not_found", str(exc)) from None
            raise ApiError(409, "conflict", str(exc)) from None
        log.info("api.triage token=%s alert=%d status=%s", token.name, alert_id, req.status)
        return _detail(app, alert_id)

    return await run_in_threadpool(work)


def _entity_record(e) -> dict:
    return {"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases),
            "programs": list(e.programs), "countries": list(e.countries),
            "notes": e.notes, "origin": e.origin, "extra": dict(e.extra)}


async def entity(request: Request, token: ApiToken) -> dict:
    entity_id = request.path_params["entity_id"]
    app = web_state(request).app

    def work() -> dict:
        wl = app.analyzer.watchlist
        e = wl.by_id.get(entity_id)
        if e is None:
            raise ApiError(404, "not_found", f"entity {entity_id!r}: not on the watchlist "
                           "in force")
        relations = [{"source": r.source, "relation": r.relation, "target": r.target,
                      "notes": r.notes,
                      "other": (r.target if r.source == entity_id else r.source),
                      "other_name": getattr(wl.by_id.get(
                          r.target if r.source == entity_id else r.source), "name", None)}
                     for r in wl.relations if entity_id in (r.source, r.target)]
        found = []
        for a in app.alerts.of_entity(entity_id, LINK_TYPES, limit=200):
            roles = dict(a.intent.roles)
            found.append({"alert_id": a.id, "type": a.intent.type, "status": a.status,
                          "roles": roles, "created": a.created.isoformat()})
        return {**_entity_record(e), "relations": relations, "links_found": found}

    return await run_in_threadpool(work)


async def versions(request: Request, token: ApiToken) -> dict:
    q: s.VersionsQuery = _query(request, s.VersionsQuery)
    app = web_state(request).app

    def work() -> dict:
        in_force = app.watcher.version.id if app.watcher and app.watcher.version else None
        return {"versions": [{
            "id": v.id, "list": v.list_name, "kind": v.kind, "created": v.created.isoformat(),
            "list_date": v.list_date, "source": v.source, "summary": v.summary,
            "entities": v.entities, "aliases": v.aliases, "relations": v.relations,
            "content_hash": v.content_hash, "in_force": v.id == in_force}
            for v in app.versions.history(q.list, limit=q.limit)]}

    return await run_in_threadpool(work)


_OPENAPI: dict | None = None


async def openapi(request: Request) -> Response:
    global _OPENAPI
    if _OPENAPI is None:
        _OPENAPI = s.openapi()
    return JSON(_OPENAPI)


def routes() -> list[Route]:
    return [
        Route("/api/v1/openapi.json", openapi, methods=["GET"]),
        Route("/api/v1/screen", endpoint(screen), methods=["POST"]),
        Route("/api/v1/scan", endpoint(scan), methods=["POST"]),
        Route("/api/v1/alerts", endpoint(alerts), methods=["GET"]),
        Route("/api/v1/alerts/{alert_id:int}", endpoint(alert), methods=["GET"]),
        Route("/api/v1/alerts/{alert_id:int}/triage", endpoint(triage, analyst=True),
              methods=["POST"]),
        Route("/api/v1/entities/{entity_id:path}", endpoint(entity), methods=["GET"]),
        Route("/api/v1/watchlist/versions", endpoint(versions), methods=["GET"]),
    ]
