"""One cycle of the daemon: fetch -> skip known -> analyse -> store -> deliver.

The pipeline only sequences; it sees the source and channel protocols, the store and the
analyser. One failing item, source or channel never stops the others: failures are collected
in the report. An item is marked seen only after all its articles are stored, and articles
are stored with their alerts in one transaction, so a crash at any point loses nothing and a
re-run duplicates nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sanctionwatch.analysis import Analyzer
from sanctionwatch.channels.base import Channel, Route
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.sources.base import ItemProblem, Source
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert

log = logging.getLogger("sanctionwatch.pipeline")


@dataclass
class CycleReport:
    source: str
    items: int = 0
    articles_new: int = 0
    articles_known: int = 0
    alerts: list[Alert] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RoutedChannel:
    channel: Channel
    route: Route


def run_source(source: Source, store: Store, analyzer: Analyzer,
               channels: Sequence[RoutedChannel], now: Callable[[], datetime]) -> CycleReport:
    report = CycleReport(source.name)
    try:
        seen = store.seen_items(source.name)
        for item in source.fetch(seen):
            if isinstance(item, ItemProblem):
                report.problems.append(f"{source.name}: {item.key}: {item.message}")
                log.warning("source.item_failed source=%s item=%s reason=%s", source.name,
                            item.key, item.message)
                continue
            report.items += 1
            for data in item.articles:
                if store.has_article(data.content_hash):
                    report.articles_known += 1
                    continue
                result = analyzer.analyze(data.text)
                _article, created = store.ingest(data, result.mentions, result.intents, now())
                report.articles_new += 1
                report.alerts += created
            store.mark_seen(source.name, item.key, item.fingerprint, now())
    except SanctionwatchError as exc:
        report.problems.append(f"{source.name}: {exc}")
        log.error("source.failed source=%s reason=%s", source.name, exc)
    deliver(report.alerts, channels, report.problems)
    log.info("source.done source=%s items=%d new=%d known=%d alerts=%d problems=%d",
             source.name, report.items, report.articles_new, report.articles_known,
             len(report.alerts), len(report.problems))
    return report


def deliver(alerts: Sequence[Alert], channels: Sequence[RoutedChannel],
            problems: list[str]) -> None:
    for rc in channels:
        wanted = [a for a in alerts if rc.route.wants(a)]
        if not wanted:
            continue
        try:
            rc.channel.send(wanted)
        except SanctionwatchError as exc:
            problems.append(f"channel {rc.channel.name}: {exc}")
            log.error("channel.failed channel=%s reason=%s", rc.channel.name, exc)


def run_cycle(sources: Sequence[Source], store: Store, analyzer: Analyzer,
              channels: Sequence[RoutedChannel], now: Callable[[], datetime]) -> list[CycleReport]:
    return [run_source(s, store, analyzer, channels, now) for s in sources]
