"""People who sign in to the web triage page: users, sign-in attempts and sessions.

Passwords are kept as Argon2id hashes (argon2-cffi, its recommended parameters); a hash made
with older parameters is upgraded at the next successful sign-in. Every sign-in attempt is
recorded, so failures per name and per client address within a window can lock further
attempts out (rate limiting that holds across restarts and processes). A session is a random
token given to the browser; the table keeps only its keyed hash (HMAC-SHA256 with the web
secret), its CSRF token and its expiry.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sanctionwatch.errors import UserError
from sanctionwatch.storage import schema as t
from sanctionwatch.storage.store import Store
from sanctionwatch.types import ROLES, Session, User

MIN_PASSWORD = 8
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,199}")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so that an unknown name costs the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def _user(row) -> User:
    return User(row.id, row.name, row.role, row.created, bool(row.disabled))


def _check(name: str, role: str) -> None:
    if not _NAME.fullmatch(name or ""):
        raise UserError(f"user name {name!r}: use letters, digits, '.', '_', '@' or '-' "
                        "(starting with a letter or digit, at most 200)")
    if role not in ROLES:
        raise UserError(f"role {role!r}: use one of {', '.join(ROLES)}")


def add_user(store: Store, name: str, role: str, password: str, now: datetime) -> User:
    """Create a user with an Argon2id hash of `password`."""
    _check(name, role)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"user {name}: the password needs at least {MIN_PASSWORD} characters")
    with store.transaction() as conn:
        if conn.execute(sa.select(t.users.c.id).where(t.users.c.name == name)).first():
            raise UserError(f"user {name} exists already")
        uid = conn.execute(t.users.insert().values(
            name=name, role=role, password_hash=_hasher.hash(password), created=now,
            disabled=False)).inserted_primary_key[0]
        return _user(conn.execute(sa.select(t.users).where(t.users.c.id == uid)).one())


def set_role(store: Store, name: str, role: str) -> User:
    _check(name, role)
    with store.transaction() as conn:
        if not conn.execute(t.users.update().where(t.users.c.name == name)
                            .values(role=role)).rowcount:
            raise UserError(f"user {name}: no such user")
        return _user(conn.execute(sa.select(t.users).where(t.users.c.name == name)).one())


def _known(conn, name: str):
    row = conn.execute(sa.select(t.users).where(t.users.c.name == name)).first()
    if row is None:
        raise UserError(f"user {name}: no such user")
    return row


def _end_sessions(conn, name: str) -> int:
    return conn.execute(t.web_sessions.delete().where(t.web_sessions.c.user_name == name)
                        ).rowcount


def set_disabled(store: Store, name: str, disabled: bool) -> User:
    """Disable a user (they cannot sign in, and their open sessions end at once) or enable
    them again (their password and role are unchanged)."""
    with store.transaction() as conn:
        _known(conn, name)
        conn.execute(t.users.update().where(t.users.c.name == name).values(disabled=disabled))
        if disabled:
            _end_sessions(conn, name)
        return _user(conn.execute(sa.select(t.users).where(t.users.c.name == name)).one())


def set_password(store: Store, name: str, password: str) -> User:
    """A new password (an Argon2id hash of it); the user's open sessions end."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"user {name}: the password needs at least {MIN_PASSWORD} characters")
    with store.transaction() as conn:
        _known(conn, name)
        conn.execute(t.users.update().where(t.users.c.name == name)
                     .values(password_hash=_hasher.hash(password)))
        _end_sessions(conn, name)
        return _user(conn.execute(sa.select(t.users).where(t.users.c.name == name)).one())


def remove_user(store: Store, name: str) -> User:
    """Delete a user and their sessions. The record keeps their name: triage events
    (`alert_events.actor`), suppressions (`created_by`, `removed_by`), assignments and sign-in
    attempts refer to users by name, not by row, so the history stays as it was written."""
    with store.transaction() as conn:
        user = _user(_known(conn, name))
        _end_sessions(conn, name)
        conn.execute(t.users.delete().where(t.users.c.name == name))
        return user


def list_users(store: Store) -> list[User]:
    with store.transaction() as conn:
        return [_user(r) for r in conn.execute(sa.select(t.users).order_by(t.users.c.name))]


def get_user(store: Store, name: str) -> User | None:
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.users).where(t.users.c.name == name)).first()
    return _user(row) if row is not None else None


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when `password` is theirs (and the account is enabled), else None."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.users).where(t.users.c.name == name)).first()
    if row is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with store.transaction() as conn:
            conn.execute(t.users.update().where(t.users.c.id == row.id)
                         .values(password_hash=_hasher.hash(password)))
    user = _user(row)
    return None if user.disabled else user


# -- sign-in attempts (rate limiting) ---------------------------------------------------------

def reserve_attempt(store: Store, name: str, client: str, now: datetime, since: datetime,
                    limit: int, client_limit: int) -> int | None:
    """Count a sign-in attempt before its password is checked, atomically: the attempt is
    stored as a failure first, and refused (None) when it makes the failures of this name
    since its last success, or of this client, exceed `limit` / `client_limit` within the
    window. Forty parallel wrong passwords then get exactly `limit` checks. Attempts of one
    name are serialised (PostgreSQL: an advisory lock on the name; SQLite: the insert takes
    the database's write lock). Returns the attempt id for `finish_attempt`."""
    la = t.login_attempts.c
    with store.transaction() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:n))"), {"n": name[:200]})
        attempt = conn.execute(t.login_attempts.insert().values(
            name=name[:200], client=client[:200], at=now, ok=False)).inserted_primary_key[0]
        last_ok = conn.execute(sa.select(sa.func.max(la.at)).where(
            (la.name == name[:200]) & la.ok & (la.at >= since))).scalar()
        by_name = conn.execute(sa.select(sa.func.count()).where(
            (la.name == name[:200]) & ~la.ok & (la.at >= (last_ok or since)))).scalar_one()
        by_client = conn.execute(sa.select(sa.func.count()).where(
            (la.client == client[:200]) & ~la.ok & (la.at >= since))).scalar_one()
        if by_name > limit or by_client > client_limit:
            conn.execute(t.login_attempts.delete().where(la.id == attempt))
            return None
    return attempt


def finish_attempt(store: Store, attempt: int, ok: bool) -> None:
    """Record how a reserved attempt ended (it stays a failure unless the password was right)."""
    if ok:
        with store.transaction() as conn:
            conn.execute(t.login_attempts.update().where(t.login_attempts.c.id == attempt)
                         .values(ok=True))


def record_attempt(store: Store, name: str, client: str, ok: bool, now: datetime) -> None:
    with store.transaction() as conn:
        conn.execute(t.login_attempts.insert().values(name=name[:200], client=client[:200],
                                                      at=now, ok=ok))


def recent_failures(store: Store, name: str, client: str, since: datetime) -> tuple[int, int]:
    """(failures for this name, failures from this client) at or after `since`; a success
    for the name resets its count."""
    la = t.login_attempts.c
    with store.transaction() as conn:
        last_ok = conn.execute(sa.select(sa.func.max(la.at)).where(
            (la.name == name) & la.ok & (la.at >= since))).scalar()
        by_name = conn.execute(sa.select(sa.func.count()).where(
            (la.name == name) & ~la.ok & (la.at >= (last_ok or since)))).scalar_one()
        by_client = conn.execute(sa.select(sa.func.count()).where(
            (la.client == client) & ~la.ok & (la.at >= since))).scalar_one()
    return by_name, by_client


# -- sessions ---------------------------------------------------------------------------------

def _token_hash(secret: bytes, token: str) -> str:
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()


def create_session(store: Store, secret: bytes, user: User, now: datetime,
                   lifetime: timedelta) -> str:
    """A new session for `user`; returns the token for the cookie (kept only as a hash).
    Expired sessions are removed on the way."""
    token = secrets.token_urlsafe(32)
    with store.transaction() as conn:
        conn.execute(t.web_sessions.delete().where(t.web_sessions.c.expires < now))
        conn.execute(t.web_sessions.insert().values(
            token_hash=_token_hash(secret, token), user_name=user.name,
            csrf=secrets.token_urlsafe(32), created=now, expires=now + lifetime))
    return token


def get_session(store: Store, secret: bytes, token: str, now: datetime) -> Session | None:
    """The live session of `token` with its (enabled) user, else None."""
    if not token:
        return None
    s, u = t.web_sessions.c, t.users.c
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.users, s.csrf, s.expires).join(
            t.web_sessions, u.name == s.user_name).where(
            s.token_hash == _token_hash(secret, token))).first()
    if row is None or row.expires <= now or row.disabled:
        return None
    return Session(_user(row), row.csrf, row.expires)


def end_session(store: Store, secret: bytes, token: str) -> None:
    with store.transaction() as conn:
        conn.execute(t.web_sessions.delete().where(
            t.web_sessions.c.token_hash == _token_hash(secret, token)))
