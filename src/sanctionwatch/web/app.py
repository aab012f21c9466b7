"""The web triage page: `create_app(settings)` builds the ASGI app over `make_app(settings)`.

The page goes through the same `App` as the CLI — its triage (so the audit trail,
suppressions and outbox deliveries behave exactly as with `sanctionwatch alerts ...`), its
watchlist versions and the data of `sanctionwatch status`. Pages are
rendered on the server (Jinja2, autoescaped); static files are part of the package.

Every page needs a signed-in user (except `/healthz`, which says only whether the database
answers, and `/metrics`, aggregate counts for Prometheus); only analysts change alerts
(checked on the server for every POST); every POST carries the session's CSRF token.
The JSON API for other systems lives under /api/v1 (web/api.py: bearer tokens, JSON errors,
OpenAPI at /api/v1/openapi.json).
Responses carry a strict Content-Security-Policy (scripts and styles from this site only), so
even text that escaped escaping could not run a script.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from sanctionwatch.app import App, make_app
from sanctionwatch.config import Settings, interval_seconds
from sanctionwatch.types import Session
from sanctionwatch.web import security as sec
from sanctionwatch.web.base import (
    CSP,
    HERE,
    SECRET_ENV,
    WebState,
    action,
    log,
    page,
    render,
    web_state,
)

# -- sign-in ------------------------------------------------------------------------------

async def login_form(request: Request) -> Response:
    w = web_state(request)
    nonce = sec.new_login_nonce()
    response = render(request, "login.html", {
        "next": sec.safe_next(request.query_params.get("next")), "error": "",
        "token": sec.login_token(w.secret, nonce), "name": "", "session": None})
    sec.set_cookie(response, sec.LOGIN_COOKIE, nonce, secure=w.secure_cookies, max_age=3600)
    return response


async def login_submit(request: Request) -> Response:
    w = web_state(request)
    form = await request.form()
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    target = sec.safe_next(str(form.get("next", "")))
    if not sec.check_login_token(w.secret, request.cookies.get(sec.LOGIN_COOKIE),
                                 str(form.get("token", ""))):
        raise HTTPException(403, "The sign-in form expired or did not come from this site. "
                                 "Reload the page and try again.")
    user, error = await run_in_threadpool(w.guard.sign_in, name, password,
                                          sec.client_of(request, *w.proxies), w.now())
    if user is None:
        nonce = sec.new_login_nonce()
        status = 429 if error.startswith("Too many") else 401
        response = render(request, "login.html", {
            "next": target, "error": error, "token": sec.login_token(w.secret, nonce),
            "name": name, "session": None}, status=status)
        sec.set_cookie(response, sec.LOGIN_COOKIE, nonce, secure=w.secure_cookies,
                       max_age=3600)
        return response
    token = await run_in_threadpool(w.app.users.create_session, w.secret, user,
                                    w.session_lifetime)
    response = RedirectResponse(target, status_code=303)
    sec.set_cookie(response, sec.SESSION_COOKIE, token, secure=w.secure_cookies,
                   max_age=int(w.session_lifetime.total_seconds()))
    response.delete_cookie(sec.LOGIN_COOKIE, path="/")
    return response


def _logout(request: Request, session: Session, form) -> Response:
    w = web_state(request)
    w.app.users.end_session(w.secret, request.cookies.get(sec.SESSION_COOKIE, ""))
    log.info("web.logout name=%s", session.user.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sec.SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=w.secure_cookies)
    return response


# -- for load balancers and monitoring (no sign-in) -----------------------------------------

async def healthz(request: Request) -> Response:
    """`{"status":"ok"}`, or 503 when the database does not answer; nothing else is told."""
    if await run_in_threadpool(web_state(request).app.healthy):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "unavailable"}, status_code=503)


# -- errors and headers -------------------------------------------------------------------

async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", "") or "Something went wrong."
    if request.url.path.startswith("/api/"):  # API clients get JSON errors, never a page
        from sanctionwatch.web.api import HTTP_CODES, error_response

        return error_response(status, HTTP_CODES.get(status, "error"),
                              "no such route" if status == 404 else str(detail),
                              headers=getattr(exc, "headers", None))
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)


class SecurityHeaders:
    """The security headers on every response (a plain ASGI middleware: no task and no
    queue per request, as BaseHTTPMiddleware has, which the API's latency would feel)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        cache = path != "/static" and not path.startswith("/static/")

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                if cache:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return Jinja2Templates(env=env)


def create_app(settings: Settings, *, app: App | None = None) -> Starlette:
    """The ASGI app. Built over `make_app(settings)` (the one wiring function) unless an
    `App` is given (tests pass one to control the clock); closes the App it made on
    shutdown."""
    from sanctionwatch.web import alerts as alert_views
    from sanctionwatch.web import api, metrics, pages

    owns = app is None
    core = app or make_app(settings)
    web = settings.web
    # The config's secret, else the environment's (a config without a `web:` section).
    secret_text = web.secret or os.environ.get(SECRET_ENV, "")
    secret = secret_text.encode() if secret_text else secrets.token_bytes(32)
    if not secret_text:
        log.warning("web.secret_missing: web.secret is empty; a random secret is used, "
                    "sessions end when the server restarts (set SANCTIONWATCH_WEB_SECRET)")
    state = WebState(core, secret, web.secure_cookies, timedelta(hours=web.session_hours),
                     sec.LoginGuard(core.users, web.login_attempts,
                                    timedelta(seconds=interval_seconds(web.login_window))),
                     _templates(), owns,
                     proxies=(tuple(web.trusted_proxies), web.client_header.lower()))
    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", action(_logout, analyst=False), methods=["POST"]),
        Route("/", page(alert_views.queue), methods=["GET"]),
        Route("/", action(alert_views.bulk), methods=["POST"]),
        Route("/alerts/{alert_id:int}", page(alert_views.detail), methods=["GET"]),
        Route("/alerts/{alert_id:int}", action(alert_views.act), methods=["POST"]),
        Route("/alerts/{alert_id:int}/triage", action(alert_views.triage), methods=["POST"]),
        Route("/alerts/{alert_id:int}/note", action(alert_views.note), methods=["POST"]),
        Route("/entities", page(pages.entities), methods=["GET"]),
        Route("/entities/{entity_id:path}", page(pages.entity), methods=["GET"]),
        Route("/watchlist", page(pages.watchlist), methods=["GET"]),
        Route("/watchlist/diff", page(pages.watchlist_diff), methods=["GET"]),
        Route("/health", page(pages.health), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics.endpoint(metrics.registry(core.metrics)), methods=["GET"]),
        *api.routes(),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    def shutdown() -> None:
        if state.owns_app:
            core.close()

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_app):
        yield
        shutdown()

    asgi = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                     exception_handlers={HTTPException: http_error, 404: http_error},
                     lifespan=lifespan)
    asgi.state.web = state
    return asgi
