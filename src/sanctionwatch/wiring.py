"""The composition root: concrete adapters built from the configuration. Registries map the
short names used in config.yaml to adapter factories; adding a kind of source or channel means
adding one entry here. Only `app.py` imports this module."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from sanctionwatch.channels.base import Channel, Route
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
from sanctionwatch.errors import ConfigError, SourceError
from sanctionwatch.matching.matcher import MatchSettings
from sanctionwatch.pipeline import Policy
from sanctionwatch.sources.base import Source
from sanctionwatch.sources.csv import CsvSource
from sanctionwatch.sources.feed import FeedSource, trafilatura_extractor
from sanctionwatch.sources.folder import FolderSource
from sanctionwatch.sources.http import HttpSettings
from sanctionwatch.sources.jsonl import JsonlSource
from sanctionwatch.sources.records import FieldMap
from sanctionwatch.storage.deliveries import OutboxRoute


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


def _adapter(registry: dict, cfg, settings: Settings, what: str, *args):
    """The adapter a config entry names by its `kind`, or a ConfigError naming the kinds."""
    factory = registry.get(cfg.kind)
    if factory is None:
        raise ConfigError(f"{what} {cfg.name!r}: unknown kind {cfg.kind!r} "
                          f"(known: {', '.join(sorted(registry))})")
    return factory(cfg, settings, *args)


def sources(settings: Settings, stop: threading.Event) -> list[Source]:
    return [_adapter(SOURCE_KINDS, cfg, settings, "source", stop)
            for cfg in settings.sources if cfg.enabled]


def channels(settings: Settings) -> dict[str, Channel]:
    return {cfg.name: _adapter(CHANNEL_KINDS, cfg, settings, "channel")
            for cfg in settings.channels if cfg.enabled}


def routes(settings: Settings) -> list[OutboxRoute]:
    """What each enabled channel receives (severity, types, events, digest)."""
    return [OutboxRoute(cfg.name, Route(cfg.min_severity, tuple(cfg.types)).wants,
                        frozenset(cfg.events), cfg.digest)
            for cfg in settings.channels if cfg.enabled]


def group_window(settings: Settings) -> timedelta | None:
    window = interval_seconds(settings.alerts.group_window)
    return timedelta(seconds=window) if window else None


def backfill_readers(paths, name: str, chunk: int = 500, fields: FieldMap | None = None,
                     delimiter: str = ","):
    """The readers of a backfill's PATHs, in order (backfill.py): each the reader a source of
    its kind uses; a folder gets one per kind of file it holds."""
    from sanctionwatch.backfill import CSV, JSONL, DocumentFiles, Reader
    from sanctionwatch.sources.records import bulk_suffix

    out = []
    for path in paths:
        prefix = str(path.resolve())
        if path.is_dir():
            out.append(Reader(prefix, JsonlSource(name, path, fields, chunk), "jsonl"))
            out.append(Reader(prefix, CsvSource(name, path, fields, delimiter, chunk=chunk),
                              "csv"))
            out.append(Reader(prefix, FolderSource(name, path, skip=JSONL), "files"))
        elif path.is_file():
            suffix = bulk_suffix(path)
            if suffix in JSONL:
                out.append(Reader(prefix, JsonlSource(name, path, fields, chunk), "jsonl"))
            elif suffix in CSV:
                sep = "\t" if suffix == ".tsv" and delimiter == "," else delimiter
                out.append(Reader(prefix, CsvSource(name, path, fields, sep, chunk=chunk),
                                  "csv"))
            else:
                out.append(Reader(prefix, DocumentFiles(name, [path]), "files"))
        else:
            raise SourceError(f"{path}: no such file or folder")
    return out
