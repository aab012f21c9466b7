"""Sign-in, sessions, CSRF and redirects for the web page.

- Sessions: a random token in an HttpOnly cookie (SameSite=Lax, Secure when
  `web.secure_cookies`); the database keeps its keyed hash (storage/users.py).
- CSRF: every state change is a POST carrying the session's CSRF token (compared in constant
  time); the sign-in form, which has no session yet, uses a double-submit token: a random
  cookie and an HMAC of it in the form.
- Redirects after sign-in go to local paths only (`/...`, never `//host` or a scheme).
- Sign-in attempts are rate limited per name and per client address (storage/users.py).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from sanctionwatch.types import Session, User

log = logging.getLogger("sanctionwatch.web")

SESSION_COOKIE = "sw_session"
LOGIN_COOKIE = "sw_login"


def safe_next(value: str | None) -> str:
    """`value` when it is a path on this site, else "/" (no open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value):
        return "/"
    return value


def set_cookie(response: Response, name: str, value: str, *, secure: bool,
               max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        samesite="lax", secure=secure)


def login_token(secret: bytes, nonce: str) -> str:
    """The sign-in form's token for the double-submit cookie `nonce`."""
    return hmac.new(secret, b"login:" + nonce.encode(), hashlib.sha256).hexdigest()


def new_login_nonce() -> str:
    return secrets.token_urlsafe(24)


def check_login_token(secret: bytes, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(login_token(secret, nonce), token)


def check_csrf(session: Session, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(session.csrf, str(token))


def client_of(request: Request, trusted: tuple[str, ...] = (),
              header: str = "x-forwarded-for") -> str:
    """The address of whoever sent the request. Behind a trusted proxy (its address listed in
    `web.trusted_proxies`) that is the right-most address of the proxy's header not itself a
    trusted proxy; anyone else's header is ignored, so it cannot be forged."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.headers.get(header, "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:200]
    return peer


class LoginGuard:
    """Sign-in with rate limiting: `limit` failures per name (4x per client address) within
    `window` lock further attempts until the window has passed."""

    def __init__(self, users, limit: int, window: timedelta):
        self.users, self.limit, self.window = users, limit, window  # App.users

    def locked(self, name: str, client: str, now: datetime) -> bool:
        by_name, by_client = self.users.recent_failures(name, client, now - self.window)
        return by_name >= self.limit or by_client >= 4 * self.limit

    def sign_in(self, name: str, password: str, client: str,
                now: datetime) -> tuple[User | None, str]:
        """(user, "") on success, else (None, reason for the person signing in). The attempt
        is counted before the password is checked (`users.reserve_attempt`), so parallel
        attempts cannot slip past the limit."""
        attempt = self.users.reserve_attempt(name, client, now, now - self.window,
                                             self.limit, 4 * self.limit)
        if attempt is None:
            log.warning("web.login_locked name=%r client=%s", name, client)
            minutes = max(1, int(self.window.total_seconds() // 60))
            return None, (f"Too many failed sign-ins. Try again in {minutes} minutes.")
        user = self.users.authenticate(name, password)
        self.users.finish_attempt(attempt, user is not None)
        if user is None:
            log.info("web.login_failed name=%r client=%s", name, client)
            return None, "Unknown user or wrong password."
        log.info("web.login name=%s role=%s client=%s", user.name, user.role, client)
        return user, ""
