"""The web triage page: `create_app(settings)` builds the ASGI app over `make_app(settings)`.

The page reuses what the CLI uses — the store, the triage functions of storage/alerts.py (so
the audit trail, suppressions and outbox deliveries behave exactly as with `sanctionwatch
alerts ...`), the watchlist in force and the data of `sanctionwatch status`. Pages are
rendered on the server (Jinja2, autoescaped); static files are part of the package.

Every page needs a signed-in user (except `/healthz`, which says only whether the database
answers, and `/metrics`, aggregate counts for Prometheus); only analysts change alerts
(checked on the server for every POST); every POST carries the session's CSRF token.
Responses carry a strict Content-Security-Policy (scripts and styles from this site only), so
even text that escaped escaping could not run a script.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from sanctionwatch.app import App, make_app
from sanctionwatch.config import Settings, interval_seconds
from sanctionwatch.storage import users as us
from sanctionwatch.web import security as sec

log = logging.getLogger("sanctionwatch.web")
HERE = Path(__file__).resolve().parent
SECRET_ENV = "SANCTIONWATCH_WEB_SECRET"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class WebState:
    """What every request handler needs, kept on `starlette_app.state.web`."""

    app: App
    secret: bytes
    secure_cookies: bool
    session_lifetime: timedelta
    guard: sec.LoginGuard
    templates: Jinja2Templates
    owns_app: bool = True
    cache: dict = field(default_factory=dict)
    proxies: tuple[tuple[str, ...], str] = ((), "x-forwarded-for")  # trusted, their header

    @property
    def store(self):
        return self.app.store

    @property
    def settings(self) -> Settings:
        return self.app.settings

    def now(self):
        return self.app.clock()


def web_state(request: Request) -> WebState:
    return request.app.state.web


def current_session(request: Request) -> us.Session | None:
    """The signed-in session of this request (looked up once per request)."""
    if "session" not in request.scope.setdefault("sw", {}):
        w = web_state(request)
        token = request.cookies.get(sec.SESSION_COOKIE, "")
        request.scope["sw"]["session"] = us.get_session(w.store, w.secret, token, w.now())
    return request.scope["sw"]["session"]


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def page(view: Callable) -> Callable:
    """A GET page for signed-in users: runs `view(request, session)` in a worker thread
    (the store is synchronous); without a session, redirects to the sign-in page."""
    async def endpoint(request: Request) -> Response:
        session = await run_in_threadpool(current_session, request)
        if session is None:
            return login_redirect(request)
        return await run_in_threadpool(view, request, session)
    endpoint.__name__ = view.__name__
    return endpoint


def action(view: Callable, *, analyst: bool = True) -> Callable:
    """A POST for signed-in users with a valid CSRF token (and, if `analyst`, the analyst
    role): runs `view(request, session, form)` in a worker thread."""
    async def endpoint(request: Request) -> Response:
        session = await run_in_threadpool(current_session, request)
        if session is None:
            raise HTTPException(403, "Sign in first.")
        form = await request.form()
        if not sec.check_csrf(session, form.get("csrf")):
            log.warning("web.csrf_rejected user=%s path=%s", session.user.name, request.url.path)
            raise HTTPException(403, "The form expired or did not come from this site "
                                     "(CSRF check failed). Reload the page and try again.")
        if analyst and not session.user.can_triage:
            log.warning("web.forbidden user=%s role=%s path=%s", session.user.name,
                        session.user.role, request.url.path)
            raise HTTPException(403, "Only analysts can change alerts.")
        return await run_in_threadpool(view, request, session, form)
    endpoint.__name__ = view.__name__
    return endpoint


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    w = web_state(request)
    session = context.get("session")
    if session is None and "sw" in request.scope:
        session = request.scope["sw"].get("session")
    return w.templates.TemplateResponse(request, name, {"session": session, **context},
                                        status_code=status)


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
    token = await run_in_threadpool(us.create_session, w.store, w.secret, user, w.now(),
                                    w.session_lifetime)
    response = RedirectResponse(target, status_code=303)
    sec.set_cookie(response, sec.SESSION_COOKIE, token, secure=w.secure_cookies,
                   max_age=int(w.session_lifetime.total_seconds()))
    response.delete_cookie(sec.LOGIN_COOKIE, path="/")
    return response


def _logout(request: Request, session: us.Session, form) -> Response:
    w = web_state(request)
    us.end_session(w.store, w.secret, request.cookies.get(sec.SESSION_COOKIE, ""))
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
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.url.path != "/static" and not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return Jinja2Templates(env=env)


def create_app(settings: Settings, *, app: App | None = None) -> Starlette:
    """The ASGI app. Built over `make_app(settings)` (the one wiring function) unless an
    `App` is given (tests pass one to control the clock); closes the App it made on
    shutdown."""
    from sanctionwatch.web import alerts as alert_views
    from sanctionwatch.web import metrics, pages

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
                     sec.LoginGuard(core.store, web.login_attempts,
                                    timedelta(seconds=interval_seconds(web.login_window))),
                     _templates(), owns,
                     proxies=(tuple(web.trusted_proxies), web.client_header.lower()))
    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", action(_logout, analyst=False), methods=["POST"]),
        Route("/", page(alert_views.queue), methods=["GET"]),
        Route("/alerts/{alert_id:int}", page(alert_views.detail), methods=["GET"]),
        Route("/alerts/{alert_id:int}/triage", action(alert_views.triage), methods=["POST"]),
        Route("/alerts/{alert_id:int}/note", action(alert_views.note), methods=["POST"]),
        Route("/entities/{entity_id:path}", page(pages.entity), methods=["GET"]),
        Route("/watchlist", page(pages.watchlist), methods=["GET"]),
        Route("/watchlist/diff", page(pages.watchlist_diff), methods=["GET"]),
        Route("/health", page(pages.health), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics.endpoint(metrics.registry(core.metrics)), methods=["GET"]),
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
