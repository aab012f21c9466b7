"""Bearer tokens of the JSON API's client systems (storage/tokens.py): add (the token is
returned once), list, revoke, and the check of a request's token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sanctionwatch.storage import tokens as tk
from sanctionwatch.storage.store import Store
from sanctionwatch.types import ApiToken


class Tokens:
    def __init__(self, store: Callable[[], Store], clock: Callable[[], datetime]):
        self._store, self._clock = store, clock

    def add(self, name: str, role: str) -> tuple[ApiToken, str]:
        return tk.add_token(self._store(), name, role, self._clock())

    def list(self) -> list[ApiToken]:
        return tk.list_tokens(self._store())

    def revoke(self, name: str) -> ApiToken:
        return tk.revoke_token(self._store(), name, self._clock())

    def authenticate(self, token: str) -> ApiToken | None:
        return tk.authenticate(self._store(), token, self._clock())
