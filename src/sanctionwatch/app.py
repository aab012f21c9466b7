"""make_app(settings): the one place that wires concrete adapters. CLI, daemon and tests use it.

Registries map the short names used in config.yaml to adapter factories; adding a kind of
source or channel means adding one entry here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctionwatch.analysis import Analyzer
from sanctionwatch.channels.base import Route
from sanctionwatch.channels.console import ConsoleChannel
from sanctionwatch.channels.email import EmailChannel
from sanctionwatch.channels.file import FileChannel
from sanctionwatch.channels.webhook import WebhookChannel
from sanctionwatch.config import (
    ChannelSettings,
    CsvOptions,
    EmailOptions,
    FeedOptions,
    FileOptions,
    FolderOptions,
    JsonlOptions,
    Settings,
    SourceSettings,
    WebhookOptions,
    interval_seconds,
)
from sanctionwatch.dedupe import DedupeSettings
from sanctionwatch.errors import ConfigError, SourceError, WatchlistError
from sanctionwatch.lifecycle import WatchlistWatcher
from sanctionwatch.matching.matcher import MatchSettings
from sanctionwatch.pipeline import CycleReport, Policy, RoutedChannel, run_cycle
from sanctionwatch.rules.loader import load_rules
from sanctionwatch.sources.base import Source
from sanctionwatch.sources.csv import CsvSource
from sanctionwatch.sources.feed import FeedSource, trafilatura_extractor
from sanctionwatch.sources.folder import FolderSource
from sanctionwatch.sources.http import HttpSettings
from sanctionwatch.sources.jsonl import JsonlSource
from sanctionwatch.sources.records import FieldMap
from sanctionwatch.storage.metrics import Counts, counts
from sanctionwatch.storage.outbox import DeliveryReport, Outbox, OutboxRoute
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Watchlist
from sanctionwatch.watchlist.csvfile import load_watchlist


def _folder(cfg: SourceSettings, settings: Settings, stop: threading.Event) -> Source:
    o = cfg.options
    assert isinstance(o, FolderOptions)
    return FolderSource(cfg.name, settings.resolve(o.path))


def _feed(cfg: SourceSettings, settings: Settings, stop: threading.Event) -> Source:
    o = cfg.options
    assert isinstance(o, FeedOptions)
    http = HttpSettings(timeout=o.timeout, deadline=o.deadline, max_bytes=o.max_bytes,
                        **({"user_agent": o.user_agent} if o.user_agent else {}))
    extractor = trafilatura_extractor() if o.fulltext else None
    return FeedSource(cfg.name, o.url, http, extractor, o.fulltext_min_chars, cancel=stop)


def _bulk_args(cfg: SourceSettings, settings: Settings) -> dict:
    o = cfg.options
    assert isinstance(o, JsonlOptions)
    return {"path": settings.resolve(o.path), "chunk": o.chunk,
            "fields": FieldMap.from_config(o.fields, f"source {cfg.name!r}")}


def _jsonl(cfg: SourceSettings, settings: Settings, stop: threading.Event) -> Source:
    return JsonlSource(cfg.name, **_bulk_args(cfg, settings))


def _csv(cfg: SourceSettings, settings: Settings, stop: threading.Event) -> Source:
    o = cfg.options
    assert isinstance(o, CsvOptions)
    try:
        return CsvSource(cfg.name, delimiter=o.delimiter, encoding=o.encoding,
                         **_bulk_args(cfg, settings))
    except SourceError as exc:
        raise ConfigError(str(exc)) from exc


def policy(settings: Settings) -> Policy:
    """The pipeline's failure and dedupe policy from the `scheduler` and `dedupe` sections."""
    s, d = settings.scheduler, settings.dedupe
    return Policy(backoff_base=float(s.backoff_base_seconds),
                  backoff_max=float(s.backoff_max_seconds),
                  dedupe=DedupeSettings(threshold=d.threshold, shingle=d.shingle_words),
                  near_duplicates=d.near_duplicates, story_scope=d.scope)


def _console(cfg: ChannelSettings, settings: Settings):
    return ConsoleChannel(cfg.name)


def _file(cfg: ChannelSettings, settings: Settings):
    o = cfg.options
    assert isinstance(o, FileOptions)
    return FileChannel(cfg.name, settings.resolve(o.path), o.format)


def _email(cfg: ChannelSettings, settings: Settings):
    o = cfg.options
    assert isinstance(o, EmailOptions)
    return EmailChannel(
        cfg.name, host=o.host, port=o.port, sender=o.sender,
        recipients=[o.to] if isinstance(o.to, str) else list(o.to), tls=o.tls,
        username_env=o.username_env, password_env=o.password_env, timeout=o.timeout,
        ca_file=str(settings.resolve(o.ca_file)) if o.ca_file else None,
        link=o.link or settings.alerts.link)


def _webhook(cfg: ChannelSettings, settings: Settings):
    o = cfg.options
    assert isinstance(o, WebhookOptions)
    return WebhookChannel(cfg.name, o.url, format=o.format, timeout=o.timeout,
                          headers=o.headers, link=o.link or settings.alerts.link)


SOURCE_KINDS: dict[str, Callable[[SourceSettings, Settings, threading.Event], Source]] = {
    "folder": _folder, "feed": _feed, "jsonl": _jsonl, "csv": _csv}
CHANNEL_KINDS: dict[str, Callable] = {"console": _console, "file": _file, "email": _email,
                                      "webhook": _webhook}


def match_settings(settings: Settings) -> MatchSettings:
    m = settings.matching
    return MatchSettings(threshold=m.threshold, fuzzy=m.fuzzy, fuzzy_floor=m.fuzzy_floor)


def build_analyzer(settings: Settings, watchlist_dir: Path | None = None,
                   rules_dirs: list[Path] | None = None,
                   watchlist: Watchlist | None = None) -> Analyzer:
    if watchlist is None:
        watchlist = load_watchlist(watchlist_dir or settings.resolve(settings.watchlist.path))
    rules = load_rules(rules_dirs or [settings.resolve(p) for p in settings.rules.paths])
    return Analyzer(watchlist, rules, match_settings(settings))


@dataclass
class App:
    settings: Settings
    store: Store
    analyzer: Analyzer
    sources: list[Source]
    channels: list[RoutedChannel]  # sent to directly by the pipeline; empty: the outbox sends
    clock: Callable[[], datetime]
    outbox: Outbox | None = None
    channel_map: dict[str, object] = field(default_factory=dict)  # name -> channel, for outbox
    policy: Policy = field(default_factory=Policy)
    stop: threading.Event = field(default_factory=threading.Event)  # set on SIGTERM / SIGINT
    # held while an item is stored and while the analyser is swapped: sources fetch side by
    # side, but store one at a time (SQLite has one writer; a story lookup must see what
    # another source just stored) and never with an analyser that is being replaced
    lock: threading.RLock = field(default_factory=threading.RLock)
    # keeps `analyzer` on the latest valid watchlist (lifecycle.py); set by make_app
    watcher: WatchlistWatcher | None = None

    def run_once(self) -> list[CycleReport]:
        reports = run_cycle(self.sources, self.store, self.analyzer, self.channels, self.clock,
                            self.policy, self.stop, lock=self.lock,
                            in_force=lambda: self.analyzer)
        if self.outbox is not None:
            delivered = self.deliver()
            if delivered.errors:
                reports.append(CycleReport("outbox", problems=delivered.errors))
        return reports

    def reload_watchlist(self, force: bool = False):
        """Check the watchlist folder (the scheduler's `watchlist` job): a valid edit becomes
        a new version and a new analyser, swapped in atomically; a broken one keeps the last
        good version and raises a `system` alert (lifecycle.py)."""
        return self.watcher.poll(force) if self.watcher is not None else None

    def refresh_list(self, name: str, progress=None):
        """Import one configured official list now (the scheduler's `list:NAME` jobs)."""
        from sanctionwatch.lifecycle import refresh_list

        return refresh_list(self, name, progress)

    def deliver(self) -> DeliveryReport:
        """Send every due delivery of the outbox (the scheduler's `outbox` job)."""
        if self.outbox is None:
            return DeliveryReport()
        return self.outbox.deliver_due(self.channel_map, self.clock())

    def flush_digests(self, channel: str | None = None) -> int:
        """Make the digests waiting for the end of their hour or day due now (then `deliver`
        sends each as its period's digest, once); returns how many deliveries."""
        from sanctionwatch.storage.outbox import flush_digests

        return flush_digests(self.store, self.clock(), channel)

    def healthy(self) -> bool:
        """Whether the database answers (`GET /healthz`): one `SELECT 1` on the store's pool."""
        return self.store.ping()

    def metrics(self) -> Counts:
        """The store's aggregate counts for `GET /metrics` (COUNT / GROUP BY at scrape time)."""
        return counts(self.store)

    def close(self) -> None:
        for channel in self.channel_map.values():
            close = getattr(channel, "close", None)
            if close is not None:
                close()
        self.store.close()


def _adapter(registry: dict, cfg, settings: Settings, what: str, *args):
    """The adapter a config entry names by its `kind`, or a ConfigError naming the kinds."""
    factory = registry.get(cfg.kind)
    if factory is None:
        raise ConfigError(f"{what} {cfg.name!r}: unknown kind {cfg.kind!r} "
                          f"(known: {', '.join(sorted(registry))})")
    return factory(cfg, settings, *args)


def make_app(settings: Settings, *, clock: Callable[[], datetime] | None = None,
             channels: list[RoutedChannel] | None = None) -> App:
    stop = threading.Event()
    sources = [_adapter(SOURCE_KINDS, cfg, settings, "source", stop)
               for cfg in settings.sources if cfg.enabled]
    if channels is None:
        channels = [RoutedChannel(_adapter(CHANNEL_KINDS, cfg, settings, "channel"),
                                  Route(cfg.min_severity, tuple(cfg.types)))
                    for cfg in settings.channels if cfg.enabled]
    try:
        analyzer = build_analyzer(settings)
    except WatchlistError:  # broken folder: the watcher starts on the last good version
        analyzer = build_analyzer(settings, watchlist=Watchlist(()))  # (or raises)
    store = Store(settings.database_url)
    outbox, channel_map = _outbox(settings, store, channels)
    app = App(settings, store, analyzer, sources, [], clock or (lambda: datetime.now(UTC)),
              outbox, channel_map, policy(settings), stop)
    app.watcher = WatchlistWatcher(app)
    app.watcher.start()
    return app


def _outbox(settings: Settings, store: Store,
            channels: list[RoutedChannel]) -> tuple[Outbox, dict[str, object]]:
    """Alerts reach channels through the outbox: deliveries are stored with the alert change
    and sent by `App.deliver` (storage/outbox.py); grouping per `alerts.group_window`."""
    window = interval_seconds(settings.alerts.group_window)
    store.group_window = timedelta(seconds=window) if window else None
    by_name = {c.name: c for c in settings.channels}
    routes = []
    for rc in channels:
        cfg = by_name.get(rc.channel.name)
        routes.append(OutboxRoute(rc.channel.name, rc.route.wants,
                                  frozenset(cfg.events) if cfg else frozenset({"new", "update"}),
                                  cfg.digest if cfg else None))
    o = settings.alerts.outbox
    outbox = Outbox(store, routes, retry_base=timedelta(seconds=interval_seconds(o.retry_base)),
                    retry_max=timedelta(seconds=interval_seconds(o.retry_max)),
                    batch_size=o.batch_size).install()
    return outbox, {rc.channel.name: rc.channel for rc in channels}
