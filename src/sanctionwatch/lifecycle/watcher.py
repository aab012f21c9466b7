"""The curated watchlist in a running app: live edits of the folder.

`WatchlistWatcher` is the thin adapter around the pure decision in `watchlist/watch.py`: each
poll hashes the bytes of `entities.csv` and `relations.csv`; a settled change is validated,
and a valid one becomes a new stored version and a new `Analyzer` (curated + official lists
in force), swapped into the host's `analyzer` by one attribute assignment under the host's
lock — scans in progress keep the analyser they started with, the next ones take the new one.
A broken edit keeps the last good version running, is logged, and raises one `system` alert
per distinct broken content. A version that adds names records a re-screening job
(lifecycle/rescreen.py), also when the edit was made while no daemon ran.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sanctionwatch.analysis import Analyzer
from sanctionwatch.config import Settings
from sanctionwatch.errors import WatchlistError
from sanctionwatch.lifecycle.lists import lists_in_force
from sanctionwatch.matching.cache import paused_gc
from sanctionwatch.matching.matcher import MatchSettings
from sanctionwatch.rules.model import RuleSet
from sanctionwatch.storage import rescreens as rj
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, AlertIntent, ArticleData, Watchlist
from sanctionwatch.watchlist.csvfile import parse_watchlist, read_folder
from sanctionwatch.watchlist.diff import diff_watchlists
from sanctionwatch.watchlist.merge import merge
from sanctionwatch.watchlist.versions import pack
from sanctionwatch.watchlist.watch import Outcome, Step, WatchState, on_load, on_poll


class Host(Protocol):
    """What the watcher needs of the app it serves (`App` is one)."""

    settings: Settings
    store: Store
    clock: Callable[[], datetime]
    lock: threading.RLock

    rules: RuleSet
    match_settings: MatchSettings

    def swap_analyzer(self, analyzer: Analyzer) -> None: ...

log = logging.getLogger("sanctionwatch.watchlist")
BROKEN_LOG_EVERY = timedelta(minutes=10)


def _raw_hash(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\x00" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


class WatchlistWatcher:
    """Keeps `app.analyzer` on the latest valid watchlist (curated folder + lists in force)."""

    def __init__(self, app: Host, settle: bool = True):
        self.app = app
        self.settle = settle
        self.folder = app.settings.resolve(app.settings.watchlist.path)
        self.state = WatchState()
        self.curated: Watchlist | None = None
        self.version: wv.VersionInfo | None = None
        self.problems: tuple[str, ...] = ()   # the broken edit waiting to be fixed, if any
        self._lock = threading.RLock()
        self._last_broken_log: datetime | None = None

    @property
    def healthy(self) -> bool:
        return self.state.healthy

    def start(self) -> None:
        """Take the folder as it is now: record it as a version, and merge the official
        lists in force into the analyser (a broken folder here fails loudly: make_app)."""
        with self._lock:
            files = read_folder(self.folder)
            raw = _raw_hash(files)
            try:
                curated = parse_watchlist(self.folder, files)
            except WatchlistError as exc:
                self._start_on_last_good(raw, exc)
                return
            packed = pack(curated)
            self.state, _ = on_load(WatchState(), raw, packed[1])
            self._install(curated, packed, initial=True)

    def _start_on_last_good(self, raw: str, exc: WatchlistError) -> None:
        """A restart with a broken folder: run on the last stored version, and report the
        folder as a broken edit. Without any stored version there is nothing to run on."""
        latest = wv.latest_version(self.app.store, wv.CURATED)
        if latest is None:
            raise exc
        self.curated, self.version = wv.load_snapshot(self.app.store, latest.id), latest
        self.problems = tuple(str(p) for p in exc.problems)
        self.state, _ = on_load(WatchState(good=latest.content_hash), raw, None)
        self._swap(self.curated, f"last good curated version {latest.id} (folder invalid)")
        now = self.app.clock()
        self._log_broken(now)
        self._system_alert(raw, now)

    def poll(self, force: bool = False) -> Outcome | Step:
        """One check of the folder (the scheduler's `watchlist` job); `force` skips the
        settling poll (for `App.reload_watchlist(force=True)` and tests)."""
        with self._lock:
            now = self.app.clock()
            files = read_folder(self.folder)
            raw = _raw_hash(files)
            self.state, step = on_poll(self.state, raw, settle=self.settle and not force)
            if step is not Step.LOAD:
                if step is Step.IDLE and not self.state.healthy:
                    self._log_broken(now, again=True)
                return step
            try:
                with paused_gc():
                    curated = parse_watchlist(self.folder, files)
                    packed: tuple[bytes, str] | None = pack(curated)
            except WatchlistError as exc:
                curated, packed = None, None
                self.problems = tuple(str(p) for p in exc.problems)
            digest = packed[1] if packed is not None else None
            self.state, outcome = on_load(self.state, raw, digest)
            if outcome is Outcome.BROKEN:
                self._log_broken(now)
                self._system_alert(raw, now)
            elif outcome is Outcome.STILL_BROKEN:
                self._log_broken(now, again=True)
            elif curated is not None and packed is not None:
                if self.problems:
                    log.info("watchlist.recovered folder=%s", self.folder)
                    self.problems = ()
                if outcome is Outcome.SWAP:
                    self._install(curated, packed)
            return outcome

    def rebuild(self, reason: str) -> None:
        """Build the analyser again on the curated version in force plus the lists in force
        (after a list refresh)."""
        with self._lock:
            if self.curated is not None:
                self._swap(self.curated, reason)

    # -- effects ------------------------------------------------------------------------

    def _install(self, curated: Watchlist, packed: tuple[bytes, str],
                 initial: bool = False) -> None:
        now = self.app.clock()
        latest = wv.latest_version(self.app.store, wv.CURATED)
        latest_id = latest.id if latest is not None else None
        previous = self.curated
        if previous is None:
            previous = wv.load_snapshot(self.app.store, latest.id) if latest else None
        version, created = wv.record_version(self.app.store, wv.CURATED, "curated", curated,
                                             now, source=str(self.folder), packed=packed)
        diff = diff_watchlists(previous, curated) if previous is not None and created else None
        if diff is not None:
            wv.set_changes(self.app.store, version.id, diff.summary())
        self.curated, self.version = curated, version
        self._swap(curated, f"curated version {version.id}")
        log.info("watchlist.version id=%d created=%s %s%s", version.id, created, version.summary,
                 f" changes: {diff.summary()}" if diff else "")
        if diff is not None and diff.new_names():
            since = now - timedelta(days=self.app.settings.watchlist.rescreen_days)
            if self.app.settings.watchlist.rescreen_days:
                rj.add_job(self.app.store, "watchlist", since, now, version_id=version.id,
                           previous_id=latest_id, note=diff.summary())

    def _swap(self, curated: Watchlist, reason: str) -> None:
        merged = merge(curated, lists_in_force(self.app.settings, self.app.store))
        with paused_gc():
            analyzer = Analyzer(merged, self.app.rules, self.app.match_settings)
        self.app.swap_analyzer(analyzer)  # under the app's lock: not while an item is stored
        log.info("watchlist.swapped reason=%r entities=%d relations=%d", reason,
                 len(merged.entities), len(merged.relations))

    def _log_broken(self, now: datetime, again: bool = False) -> None:
        if again and self._last_broken_log and now - self._last_broken_log < BROKEN_LOG_EVERY:
            return
        self._last_broken_log = now
        version = self.version.id if self.version else "none"
        log.error("watchlist.invalid folder=%s problems=%d in_force=version %s%s\n%s",
                  self.folder, len(self.problems), version, " (still)" if again else "",
                  "\n".join(self.problems[:50]))

    def _system_alert(self, raw: str, now: datetime) -> list[Alert]:
        title = f"watchlist edit rejected: {self.folder}"
        version = f"version {self.version.id}" if self.version else "the last good version"
        head = f"{len(self.problems)} problem(s); {version} stays in force until fixed"
        evidence = "\n".join(self.problems[:20])
        text = f"{title}\n{head}\n{evidence}\n" + "\n".join(self.problems[20:])
        start = len(title) + len(head) + 2
        intent = AlertIntent(
            type="system", severity="high", entity_ids=(),
            roles=(("component", "watchlist"), ("folder", str(self.folder))),
            evidence=evidence, evidence_start=start, evidence_end=start + len(evidence),
            rule_id="watchlist.invalid", rule_version=1,
            why=f"the edited watchlist is invalid; {version} stays in force until it is fixed",
            message=f"{title}: {head}")
        data = ArticleData(wv.SYSTEM_SOURCE, f"watchlist:{raw[:16]}", text.rstrip() + "\n",
                           title=title)
        return wv.raise_report(self.app.store, data, [intent], now)
