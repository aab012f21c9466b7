"""Bearer tokens of the JSON API's clients: made, listed, revoked, checked.

A token is `sw_` and 43 random URL-safe characters (256 bits), shown once when made. The
table keeps its SHA-256 only: the token is random and long, so a plain hash is as good as a
slow one and costs nothing per request. A revoked token stays listed (its name is in the audit
trail) but is refused. The last use is written at most once a minute per token, so a busy
client does not write the database on every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from sanctionwatch.errors import UserError
from sanctionwatch.storage import schema as t
from sanctionwatch.storage.store import Store
from sanctionwatch.types import ROLES, ApiToken

PREFIX = "sw_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,199}")
LAST_USED_EVERY = timedelta(minutes=1)
_c = t.api_tokens.c


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _token(row) -> ApiToken:
    return ApiToken(row.id, row.name, row.role, row.created, row.last_used, row.revoked,
                    row.prefix)


def add_token(store: Store, name: str, role: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for the client `name`: (its record, the token — shown once)."""
    if not _NAME.fullmatch(name or ""):
        raise UserError(f"token name {name!r}: use letters, digits, '.', '_', '@' or '-' "
                        "(starting with a letter or digit, at most 200)")
    if role not in ROLES:
        raise UserError(f"role {role!r}: use one of {', '.join(ROLES)}")
    secret = PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as conn:
        if conn.execute(sa.select(_c.id).where(_c.name == name)).first():
            raise UserError(f"token {name} exists already (revoke it, or choose another name)")
        tid = conn.execute(t.api_tokens.insert().values(
            name=name, role=role, token_hash=token_hash(secret), prefix=secret[:8],
            created=now)).inserted_primary_key[0]
        row = conn.execute(sa.select(t.api_tokens).where(_c.id == tid)).one()
    return _token(row), secret


def list_tokens(store: Store) -> list[ApiToken]:
    with store.transaction() as conn:
        return [_token(r) for r in conn.execute(sa.select(t.api_tokens).order_by(_c.name))]


def revoke_token(store: Store, name: str, now: datetime) -> ApiToken:
    """Refuse the token of `name` from now on (kept in the list, marked revoked)."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.api_tokens).where(_c.name == name)).first()
        if row is None:
            raise UserError(f"no token named {name}")
        if row.revoked is None:
            conn.execute(t.api_tokens.update().where(_c.id == row.id).values(revoked=now))
        return _token(conn.execute(sa.select(t.api_tokens).where(_c.id == row.id)).one())


def authenticate(store: Store, token: str, now: datetime) -> ApiToken | None:
    """The live token `token` is (its last use recorded), or None (unknown or revoked)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    digest = token_hash(token)
    with store.transaction() as conn:
        row = conn.execute(sa.select(t.api_tokens).where(_c.token_hash == digest)).first()
        if row is None or row.revoked is not None:
            return None
        if row.last_used is None or now - row.last_used >= LAST_USED_EVERY:
            conn.execute(t.api_tokens.update().where(_c.id == row.id).values(last_used=now))
            row = conn.execute(sa.select(t.api_tokens).where(_c.id == row.id)).one()
    return _token(row)
