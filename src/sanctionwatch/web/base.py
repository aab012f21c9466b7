"""What every request handler shares: the per-app state (`WebState`), the signed-in session of
a request, the page and action wrappers (sign-in, CSRF and role checks) and rendering."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from sanctionwatch.app import App
from sanctionwatch.config import Settings
from sanctionwatch.types import Session
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
    def settings(self) -> Settings:
        return self.app.settings

    def now(self):
        return self.app.clock()


def web_state(request: Request) -> WebState:
    return request.app.state.web


def current_session(request: Request) -> Session | None:
    """The signed-in session of this request (looked up once per request)."""
    if "session" not in request.scope.setdefault("sw", {}):
        w = web_state(request)
        token = request.cookies.get(sec.SESSION_COOKIE, "")
        request.scope["sw"]["session"] = w.app.users.session(w.secret, token)
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
