"""make_app(settings): the one place that wires concrete adapters. CLI, daemon and tests use it.

Registries map the short names used in config.yaml to adapter factories; adding a kind of
source or channel means adding one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sanctionwatch.analysis import Analyzer
from sanctionwatch.channels.base import Route
from sanctionwatch.channels.console import ConsoleChannel
from sanctionwatch.channels.file import FileChannel
from sanctionwatch.config import ChannelSettings, Settings, SourceSettings
from sanctionwatch.errors import ConfigError
from sanctionwatch.matching.matcher import MatchSettings
from sanctionwatch.pipeline import CycleReport, RoutedChannel, run_cycle
from sanctionwatch.rules.loader import load_rules
from sanctionwatch.sources.base import Source
from sanctionwatch.sources.folder import FolderSource
from sanctionwatch.storage.store import Store
from sanctionwatch.watchlist.csvfile import load_watchlist


def _extra(cfg: SourceSettings | ChannelSettings, key: str, default=None):
    return (cfg.model_extra or {}).get(key, default)


def _folder(cfg: SourceSettings, settings: Settings) -> Source:
    path = _extra(cfg, "path")
    if not path:
        raise ConfigError(f"source {cfg.name!r}: a folder source needs 'path'")
    return FolderSource(cfg.name, settings.resolve(path))


def _console(cfg: ChannelSettings, settings: Settings):
    return ConsoleChannel(cfg.name)


def _file(cfg: ChannelSettings, settings: Settings):
    path = _extra(cfg, "path")
    if not path:
        raise ConfigError(f"channel {cfg.name!r}: a file channel needs 'path'")
    return FileChannel(cfg.name, settings.resolve(path))


SOURCE_KINDS: dict[str, Callable[[SourceSettings, Settings], Source]] = {"folder": _folder}
CHANNEL_KINDS: dict[str, Callable] = {"console": _console, "file": _file}


def match_settings(settings: Settings) -> MatchSettings:
    m = settings.matching
    return MatchSettings(threshold=m.threshold, fuzzy=m.fuzzy, fuzzy_floor=m.fuzzy_floor)


def build_analyzer(settings: Settings, watchlist_dir: Path | None = None,
                   rules_dirs: list[Path] | None = None) -> Analyzer:
    watchlist = load_watchlist(watchlist_dir or settings.resolve(settings.watchlist.path))
    rules = load_rules(rules_dirs or [settings.resolve(p) for p in settings.rules.paths])
    return Analyzer(watchlist, rules, match_settings(settings))


@dataclass
class App:
    settings: Settings
    store: Store
    analyzer: Analyzer
    sources: list[Source]
    channels: list[RoutedChannel]
    clock: Callable[[], datetime]

    def run_once(self) -> list[CycleReport]:
        return run_cycle(self.sources, self.store, self.analyzer, self.channels, self.clock)

    def close(self) -> None:
        self.store.close()


def make_app(settings: Settings, *, clock: Callable[[], datetime] | None = None,
             channels: list[RoutedChannel] | None = None) -> App:
    sources = []
    for cfg in settings.sources:
        if not cfg.enabled:
            continue
        factory = SOURCE_KINDS.get(cfg.kind)
        if factory is None:
            raise ConfigError(f"source {cfg.name!r}: unknown kind {cfg.kind!r} "
                              f"(known: {', '.join(sorted(SOURCE_KINDS))})")
        sources.append(factory(cfg, settings))
    if channels is None:
        channels = []
        for cfg in settings.channels:
            if not cfg.enabled:
                continue
            factory = CHANNEL_KINDS.get(cfg.kind)
            if factory is None:
                raise ConfigError(f"channel {cfg.name!r}: unknown kind {cfg.kind!r} "
                                  f"(known: {', '.join(sorted(CHANNEL_KINDS))})")
            channels.append(RoutedChannel(factory(cfg, settings),
                                          Route(cfg.min_severity, tuple(cfg.types))))
    analyzer = build_analyzer(settings)
    store = Store(settings.database_url)
    return App(settings, store, analyzer, sources, channels,
               clock or (lambda: datetime.now(UTC)))
