"""People who sign in to the web page: accounts (Argon2id hashes, roles, disabling), sign-in
attempts (the login guard's counters) and sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sanctionwatch.storage import users as us
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Session, User


class Users:
    def __init__(self, store: Callable[[], Store], clock: Callable[[], datetime]):
        self._store, self._clock = store, clock

    def list(self) -> list[User]:
        return us.list_users(self._store())

    def get(self, name: str) -> User | None:
        return us.get_user(self._store(), name)

    def add(self, name: str, role: str, password: str) -> User:
        return us.add_user(self._store(), name, role, password, self._clock())

    def set_role(self, name: str, role: str) -> User:
        return us.set_role(self._store(), name, role)

    def set_disabled(self, name: str, disabled: bool) -> User:
        return us.set_disabled(self._store(), name, disabled)

    def set_password(self, name: str, password: str) -> User:
        return us.set_password(self._store(), name, password)

    def remove(self, name: str) -> User:
        return us.remove_user(self._store(), name)

    # -- signing in -----------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> User | None:
        return us.authenticate(self._store(), name, password)

    def recent_failures(self, name: str, client: str, since: datetime) -> tuple[int, int]:
        return us.recent_failures(self._store(), name, client, since)

    def reserve_attempt(self, name: str, client: str, now: datetime, since: datetime,
                        limit: int, client_limit: int) -> int | None:
        return us.reserve_attempt(self._store(), name, client, now, since, limit, client_limit)

    def finish_attempt(self, attempt: int, ok: bool) -> None:
        us.finish_attempt(self._store(), attempt, ok)

    def create_session(self, secret: bytes, user: User, lifetime: timedelta) -> str:
        return us.create_session(self._store(), secret, user, self._clock(), lifetime)

    def session(self, secret: bytes, token: str) -> Session | None:
        return us.get_session(self._store(), secret, token, self._clock())

    def end_session(self, secret: bytes, token: str) -> None:
        us.end_session(self._store(), secret, token)
