"""The watchlist lifecycle in a running daemon: live edits, list refreshes, re-screening.

`WatchlistWatcher` is the thin adapter around the pure decision in `watchlist/watch.py`: each
poll hashes the bytes of `entities.csv` and `relations.csv`; a settled change is validated,
and a valid one becomes a new stored version and a new `Analyzer` (curated + official lists
in force), swapped into `App.analyzer` by one attribute assignment — scans in progress keep
the analyser they started with, the next ones take the new one. A broken edit keeps the last
good version running, is logged, and raises one `system` alert per distinct broken content.

`refresh_list` imports one configured official list (path or URL), stores it as a version,
diffs it against the previous one and raises `list_change` alerts. Whenever a version adds
names, stored articles of the last `watchlist.rescreen_days` days are screened again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sanctionwatch.analysis import Analyzer
from sanctionwatch.config import ListSettings, Settings
from sanctionwatch.errors import SourceError, WatchlistError
from sanctionwatch.matching.cache import paused_gc
from sanctionwatch.sources.http import HttpSettings, HttpStatusError, fetch
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, AlertIntent, ArticleData, Watchlist
from sanctionwatch.watchlist.csvfile import parse_watchlist, read_folder
from sanctionwatch.watchlist.diff import WatchlistDiff, carry_first_seen, diff_watchlists
from sanctionwatch.watchlist.importers import ImportedList, Progress, import_list
from sanctionwatch.watchlist.importers.ofac import CONS_FILES, SDN_FILES
from sanctionwatch.watchlist.listchange import ListChange, change_report, list_changes
from sanctionwatch.watchlist.merge import ListSnapshot, merge
from sanctionwatch.watchlist.rescreen import NewNames, new_mentions, rescreen_intents
from sanctionwatch.watchlist.versions import pack
from sanctionwatch.watchlist.watch import Outcome, Step, WatchState, on_load, on_poll

if TYPE_CHECKING:
    from sanctionwatch.app import App

log = logging.getLogger("sanctionwatch.watchlist")
BROKEN_LOG_EVERY = timedelta(minutes=10)


def lists_in_force(settings: Settings, store: Store) -> list[ListSnapshot]:
    """The latest stored snapshot of every enabled list configured with `match: true`."""
    out = []
    for cfg in settings.lists:
        if not (cfg.enabled and cfg.match):
            continue
        latest = wv.latest_version(store, cfg.name)
        if latest is not None:
            out.append(ListSnapshot(cfg.name, cfg.kind, wv.load_snapshot(store, latest.id)))
    return out


def matching_watchlist(settings: Settings, curated: Watchlist) -> Watchlist:
    """The curated watchlist merged with the stored lists configured with `match: true`, as
    the daemon matches; read-only: a database that does not exist yet is not created."""
    if not any(cfg.enabled and cfg.match for cfg in settings.lists):
        return curated
    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        return curated
    store = Store(url)
    try:
        return merge(curated, lists_in_force(settings, store))
    finally:
        store.close()


@dataclass
class RescreenReport:
    articles: int = 0
    alerts: list[Alert] = field(default_factory=list)


def rescreen(store: Store, analyzer: Analyzer, new: NewNames, since: datetime,
             now: datetime) -> RescreenReport:
    """Screen stored articles fetched since `since` again; keep what the new names found."""
    report = RescreenReport()
    if not new:
        return report
    for article, story_id in wv.articles_since(store, since):
        report.articles += 1
        result = analyzer.analyze(article.data.text)
        mentions = new_mentions(result.mentions, new)
        if not mentions:
            continue
        intents = rescreen_intents(result.intents, new)
        report.alerts += wv.add_rescreen_alerts(store, article.id, story_id, mentions, intents,
                                                new.version_id, now)
    log.info("watchlist.rescreened version=%d articles=%d alerts=%d names=%s", new.version_id,
             report.articles, len(report.alerts), new.describe())
    return report


def _raw_hash(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\x00" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


class WatchlistWatcher:
    """Keeps `app.analyzer` on the latest valid watchlist (curated folder + lists in force)."""

    def __init__(self, app: App, settle: bool = True):
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
        previous = self.curated
        if previous is None:
            latest = wv.latest_version(self.app.store, wv.CURATED)
            previous = wv.load_snapshot(self.app.store, latest.id) if latest else None
        version, created = wv.record_version(self.app.store, wv.CURATED, "curated", curated,
                                             now, source=str(self.folder), packed=packed)
        diff = diff_watchlists(previous, curated) if previous is not None and created else None
        if diff is not None:
            wv.set_changes(self.app.store, version.id, diff.summary())
        self.curated, self.version = curated, version
        if not initial or self.app.settings.lists:
            self._swap(curated, f"curated version {version.id}")
        log.info("watchlist.version id=%d created=%s %s%s", version.id, created, version.summary,
                 f" changes: {diff.summary()}" if diff else "")
        if diff is not None and not initial:
            self.rescreen(diff, version.id)

    def _swap(self, curated: Watchlist, reason: str) -> None:
        merged = merge(curated, lists_in_force(self.app.settings, self.app.store))
        old = self.app.analyzer
        with paused_gc():
            analyzer = Analyzer(merged, old.rules, old.matcher.settings)
        with self.app.lock:  # not while a source is storing an item
            self.app.analyzer = analyzer
        log.info("watchlist.swapped reason=%r entities=%d relations=%d", reason,
                 len(merged.entities), len(merged.relations))

    def rescreen(self, diff: WatchlistDiff, version_id: int) -> RescreenReport:
        """Screen the stored articles of the window again for the names `diff` added."""
        days = self.app.settings.watchlist.rescreen_days
        new = NewNames(diff.new_names(), frozenset(e.id for e in diff.added), version_id)
        if not days or not new:
            return RescreenReport()
        now = self.app.clock()
        return rescreen(self.app.store, self.app.analyzer, new, now - timedelta(days=days), now)

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


# -- official lists ----------------------------------------------------------------------------

@dataclass
class ImportReport:
    imported: ImportedList
    version: wv.VersionInfo
    created: bool
    diff: WatchlistDiff | None = None          # None for a first import
    changes: list[ListChange] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


def apply_import(store: Store, imported: ImportedList, now: datetime,
                 curated: Watchlist | None = None) -> ImportReport:
    """Store an imported list as a new version (unless unchanged), diff it against the
    previous version and raise a `list_change` alert per change, ranked by `curated`."""
    prev = wv.latest_version(store, imported.name)
    old = wv.load_snapshot(store, prev.id) if prev is not None else None
    new = carry_first_seen(old, imported.watchlist) if old is not None else imported.watchlist
    version, created = wv.record_version(store, imported.name, imported.kind, new, now,
                                         source=imported.source, list_date=imported.date)
    report = ImportReport(imported, version, created)
    if not created or old is None or prev is None:
        if created:
            wv.set_changes(store, version.id, "first import")
        return report
    report.diff = diff_watchlists(old, new)
    wv.set_changes(store, version.id, report.diff.summary())
    report.changes = list_changes(report.diff, imported.name, imported.kind, imported.date,
                                  old, new, curated)
    if report.changes:
        title = (f"{imported.name} changes: version {prev.id} "
                 f"({prev.list_date or prev.created.date().isoformat()}) -> version "
                 f"{version.id} ({imported.date or now.date().isoformat()})")
        text, intents = change_report(report.changes, title)
        data = ArticleData(wv.LIST_SOURCE_PREFIX + imported.name, f"version:{version.id}",
                           text, title=title)
        report.alerts = wv.raise_report(store, data, intents, now)
    log.info("lists.imported list=%s version=%d changes=%d alerts=%d %s", imported.name,
             version.id, len(report.changes), len(report.alerts), report.diff.summary())
    return report


# Official lists are large (the CSL is about 100 MB): the caps every feed obeys, scaled up.
LIST_HTTP = HttpSettings(timeout=60.0, deadline=900.0, max_bytes=512 * 1024 * 1024)


def fetch_list(cfg: ListSettings, settings: Settings, http: HttpSettings = LIST_HTTP,
               cancel: threading.Event | None = None) -> Path:
    """The local path of a configured list: its `path`, or its `url` downloaded into
    `<config folder>/.cache/lists/<name>/` (OFAC sets: every file of the set), under the
    same size cap and total deadline as every other HTTP exchange (sources/http.py)."""
    if cfg.path is not None:
        return settings.resolve(cfg.path)
    assert cfg.url is not None
    target = settings.resolve(Path(".cache") / "lists" / cfg.name)
    target.mkdir(parents=True, exist_ok=True)
    files = {"ofac_sdn": SDN_FILES, "ofac_consolidated": CONS_FILES}.get(cfg.kind)
    if files is None:
        name = cfg.url.rstrip("/").rsplit("/", 1)[-1] or f"{cfg.name}.data"
        _download(cfg, cfg.url, target / name, http, cancel, required=True)
        return target / name
    base = cfg.url if cfg.url.endswith("/") else cfg.url.rsplit("/", 1)[0] + "/"
    for i, f in enumerate(files):
        _download(cfg, base + f, target / f, http, cancel, required=i == 0)
    return target


def _download(cfg: ListSettings, url: str, dest: Path, http: HttpSettings,
              cancel: threading.Event | None, required: bool) -> None:
    try:
        resp = fetch(url, http, cancel=cancel)
    except HttpStatusError as exc:
        if exc.status == 404 and not required:
            dest.unlink(missing_ok=True)
            return
        raise SourceError(f"list {cfg.name!r}: cannot fetch {exc}") from exc
    except SourceError as exc:
        raise SourceError(f"list {cfg.name!r}: cannot fetch {exc}") from exc
    tmp = dest.with_suffix(dest.suffix + ".part")
    tmp.write_bytes(resp.body)
    tmp.replace(dest)


def refresh_list(app: App, name: str, progress: Progress | None = None) -> ImportReport:
    """Fetch, import and apply one configured list; rebuild the analyser when the list is
    used for matching and changed, and re-screen for the names it added."""
    cfgs = {c.name: c for c in app.settings.lists}
    if name not in cfgs:
        raise SourceError(f"no list named {name!r} in the configuration "
                          f"(configured: {', '.join(cfgs) or 'none'})")
    cfg = cfgs[name]
    path = fetch_list(cfg, app.settings, cancel=app.stop)
    with paused_gc():
        imported = import_list(cfg.kind, path, name=cfg.name, progress=progress)
    watcher = app.watcher
    curated = watcher.curated if watcher is not None else None
    report = apply_import(app.store, imported, app.clock(), curated)
    if report.created and cfg.match and watcher is not None:
        watcher.rebuild(f"list {name} version {report.version.id}")
        # a first import adds every name of the list: those are new names too
        diff = report.diff or diff_watchlists(Watchlist(()), imported.watchlist)
        watcher.rescreen(diff, report.version.id)
    return report
