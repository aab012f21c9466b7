"""Stored versions of the curated watchlist and of every imported official list: history,
one version's content, the version before it."""

from __future__ import annotations

from collections.abc import Callable

from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Watchlist


class Versions:
    def __init__(self, store: Callable[[], Store]):
        self._store = store

    def lists(self) -> list[wv.VersionInfo]:
        """The latest version of every stored list (the curated one included)."""
        return wv.list_names(self._store())

    def history(self, list_name: str | None = None,
                limit: int | None = None) -> list[wv.VersionInfo]:
        """Versions, newest first (of one list, or of all)."""
        return wv.versions(self._store(), list_name, limit)

    def latest(self, list_name: str) -> wv.VersionInfo | None:
        return wv.latest_version(self._store(), list_name)

    def get(self, version_id: int) -> wv.VersionInfo | None:
        return wv.get_version(self._store(), version_id)

    def previous(self, version: wv.VersionInfo) -> wv.VersionInfo | None:
        return wv.previous_version(self._store(), version)

    def snapshot(self, version_id: int) -> Watchlist:
        return wv.load_snapshot(self._store(), version_id)

    def rescreen_of(self, alert_ids: list[int]) -> dict[int, int]:
        """Alert id -> the watchlist version whose re-screening found it."""
        return wv.rescreen_versions(self._store(), alert_ids)
