"""Official lists: importing one as a stored version (diffed against the previous version, with
a `list_change` alert per change), and the watchlist the daemon matches with — the curated
folder merged with the lists in force."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sanctionwatch.config import Settings
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, ArticleData, Watchlist
from sanctionwatch.watchlist.diff import WatchlistDiff, carry_first_seen, diff_watchlists
from sanctionwatch.watchlist.importers import ImportedList
from sanctionwatch.watchlist.listchange import ListChange, change_report, list_changes
from sanctionwatch.watchlist.merge import ListSnapshot, merge

log = logging.getLogger("sanctionwatch.lists")


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


def matching_watchlist(settings: Settings, curated: Watchlist, store: Store | None) -> Watchlist:
    """The curated watchlist merged with the stored lists configured with `match: true`, as
    the daemon matches (`store` None: no database yet, the curated watchlist alone)."""
    if store is None or not any(cfg.enabled and cfg.match for cfg in settings.lists):
        return curated
    return merge(curated, lists_in_force(settings, store))


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
