"""One cycle of the daemon: fetch -> skip known -> find the story -> analyse -> store ->
deliver.

The pipeline only sequences; it sees the source and channel protocols, the store and the
analyser. Faults stay where they happen: an unreadable item is reported and the source goes
on; a source that fails (unreachable, hostile or malformed feed, a bug) is reported, backs off
for a while (`Policy`), and the other sources still run.

Idempotent and transactional: an article is stored with its signature, mentions and alerts in
one transaction; an item is marked seen only after all its articles are stored. A crash or kill
at any point, then a run, re-reads at most the unfinished items, skips their stored articles by
content hash, and raises no alert twice (alerts are unique per story). A stop request (SIGTERM)
is honoured between two articles: the current one is finished, the rest of its item waits for
the next run; a fetch in progress is cut within a fraction of a second (`Interrupted`, which
is not a failure of the source and starts no backoff).

Sources side by side. Several sources may run at once (the daemon runs each on its own
schedule): `lock` is held only while an item is stored, never while a source fetches, so a slow
server stalls its own source and nothing else; the analyser is taken under that lock for every
item (`in_force`), so a watchlist swap between two items applies to the next one.

Deliveries are not the pipeline's: an alert's deliveries are written in the transaction that
raises it (storage/deliveries.py), and the delivery worker sends them (delivery.py).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sanctionwatch.analysis import Analyzer
from sanctionwatch.dedupe import DedupeSettings, signature
from sanctionwatch.errors import Interrupted, SanctionwatchError
from sanctionwatch.sources.base import ItemProblem, Source, SourceItem
from sanctionwatch.storage import metrics, source_state, stories
from sanctionwatch.storage.store import Store
from sanctionwatch.types import Alert, ArticleData

log = logging.getLogger("sanctionwatch.pipeline")


@dataclass(frozen=True)
class Policy:
    """How the pipeline treats failures and copies. After the n-th failure in a row a source
    waits min(backoff_base * 2**(n-1), backoff_max) seconds before it is fetched again."""

    backoff_base: float = 60.0
    backoff_max: float = 6 * 3600.0
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    near_duplicates: bool = True
    # "mentions": only articles that mention a watchlist entity (the only ones that can carry
    # an alert) get a signature and join stories; "all": every article.
    story_scope: str = "mentions"
    batch_size: int = 100  # articles stored per transaction

    def backoff(self, failures: int) -> timedelta:
        exp = min(max(failures - 1, 0), 30)
        return timedelta(seconds=min(self.backoff_base * 2 ** exp, self.backoff_max))


@dataclass
class CycleReport:
    source: str
    items: int = 0
    articles_new: int = 0
    articles_known: int = 0
    copies: int = 0  # exact copies from another source or record, noted on the stored article
    joined: int = 0  # new articles that joined an existing story (near-duplicates)
    alerts: list[Alert] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failed: str = ""  # why the source as a whole failed
    skipped: str = ""  # why the source was not fetched (backoff)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Bench:
    """What storing needs, shared by the sources that run side by side."""

    store: Store
    lock: AbstractContextManager
    analyzer: Callable[[], Analyzer]
    now: Callable[[], datetime]
    policy: Policy
    stop: threading.Event | None


def run_source(source: Source, store: Store, analyzer: Analyzer,
               now: Callable[[], datetime],
               policy: Policy | None = None,
               stop: threading.Event | None = None, *,
               lock: AbstractContextManager | None = None,
               in_force: Callable[[], Analyzer] | None = None) -> CycleReport:
    """Fetch one source and store what is new; never raises for a fault of the source.
    `lock` is held while each item is stored; `in_force` (default: `analyzer`) gives the
    analyser for each item under it."""
    policy = policy or Policy()
    bench = _Bench(store, lock if lock is not None else contextlib.nullcontext(),
                   in_force or (lambda: analyzer), now, policy, stop)
    report = CycleReport(source.name)
    try:
        state = source_state.get_state(store, source.name)
    except SanctionwatchError as exc:
        return _failed(report, f"cannot read source state: {exc}")
    started = now()
    if state.backing_off(started):
        report.skipped = (f"backing off until {state.backoff_until:%Y-%m-%d %H:%M:%S}Z after "
                          f"{state.failures} failure(s): {state.last_error}")
        log.info("source.skipped source=%s reason=backoff until=%s failures=%d", source.name,
                 state.backoff_until.isoformat() if state.backoff_until else "",
                 state.failures)
        return report
    clock = time.monotonic()
    try:
        _fetch_and_store(source, bench, report)
    except Interrupted as exc:
        report.interrupted = True
        log.info("source.interrupted source=%s reason=%s", source.name, exc)
    except SanctionwatchError as exc:
        report.failed = str(exc)
    except Exception as exc:  # a bug in one source must not stop the daemon or other sources
        log.exception("source.crashed source=%s", source.name)
        report.failed = f"unexpected {type(exc).__name__}: {exc}"
    with bench.lock:
        _record(store, report, state.failures, policy, now())
        try:  # for /metrics: how long the run took, fetch included
            metrics.record_cycle(store, source.name, time.monotonic() - clock, now())
        except SanctionwatchError as exc:
            log.warning("source.metrics_failed source=%s reason=%s", source.name, exc)
    log.info("source.done source=%s items=%d new=%d known=%d copies=%d joined=%d alerts=%d "
             "problems=%d%s", source.name, report.items, report.articles_new,
             report.articles_known, report.copies, report.joined, len(report.alerts),
             len(report.problems), " interrupted=1" if report.interrupted else "")
    return report


def _fetch_and_store(source: Source, bench: _Bench, report: CycleReport) -> None:
    seen = bench.store.seen_items(source.name)
    stop = bench.stop
    for item in source.fetch(seen):
        if stop is not None and stop.is_set():
            report.interrupted = True
            return
        if isinstance(item, ItemProblem):
            message = f"{source.name}: {item.key}: {item.message}"
            report.problems.append(message)
            log.warning("source.item_failed source=%s item=%s reason=%s", source.name,
                        item.key, item.message)
            with bench.lock:
                source_state.note_item_problem(bench.store, source.name, bench.now(), message)
            continue
        with bench.lock:
            finished = _store_item(item, bench.store, bench.analyzer(), bench.now,
                                   bench.policy, stop, report)
        if not finished:
            report.interrupted = True
            return


def _store_item(item: SourceItem, store: Store, analyzer: Analyzer,
                now: Callable[[], datetime], policy: Policy, stop: threading.Event | None,
                report: CycleReport) -> bool:
    """Store an item's new articles, `batch_size` per transaction, and mark the item seen
    with the last of them; False when stopped before the item was finished."""
    if item.articles:
        report.items += 1
    known = stories.known_hashes(store, (d.content_hash for d in item.articles)) \
        if item.articles else {}
    size = max(1, policy.batch_size)
    for start in range(0, max(len(item.articles), 1), size):
        with store.batch():
            for data in item.articles[start:start + size]:
                if stop is not None and stop.is_set():
                    return False  # the articles stored so far commit; the item stays unseen
                article_id = known.get(data.content_hash)
                if article_id is not None:
                    report.articles_known += 1
                    if stories.record_copy(store, article_id, data.source, data.external_id,
                                           data.url, now()):
                        report.copies += 1
                    continue
                known[data.content_hash] = _store_article(data, store, analyzer, now, policy,
                                                          report)
            if start + size >= len(item.articles):
                store.mark_seen(report.source, item.key, item.fingerprint, now())
    return True


def _store_article(data: ArticleData, store: Store, analyzer: Analyzer,
                   now: Callable[[], datetime], policy: Policy, report: CycleReport) -> int:
    result = analyzer.analyze(data.text)
    wanted = policy.near_duplicates and (policy.story_scope == "all" or bool(result.mentions))
    sig = signature(data.text, data.url, policy.dedupe) if wanted else None
    match = stories.find_story(store, sig, policy.dedupe.threshold) if sig else None
    article, created = store.ingest(
        data, result.mentions, result.intents, now(),
        story_id=match.story_id if match else None,
        on_stored=(lambda conn, aid: stories.save_signature(conn, aid, sig)) if sig else None)
    report.articles_new += 1
    report.alerts += created
    if match is not None:
        report.joined += 1
        log.debug("story.joined article=%d story=%d like=%d similarity=%.2f reason=%s",
                  article.id, match.story_id, match.article_id, match.similarity, match.reason)
    return article.id


def _record(store: Store, report: CycleReport, failures_before: int, policy: Policy,
            at: datetime) -> None:
    """Keep the source's health: success ends a failure streak, failure extends the backoff."""
    try:
        if report.failed:
            until = at + policy.backoff(failures_before + 1)
            source_state.record_failure(store, report.source, at, report.failed, until,
                                        report.items, report.articles_new)
            report.problems.append(f"{report.source}: {report.failed}")
            log.error("source.failed source=%s failures=%d backoff_until=%s reason=%s",
                      report.source, failures_before + 1, until.isoformat(), report.failed)
        else:
            source_state.record_success(store, report.source, at, report.items,
                                        report.articles_new)
    except SanctionwatchError as exc:
        report.problems.append(f"{report.source}: cannot record source state: {exc}")
        log.error("source.state_failed source=%s reason=%s", report.source, exc)


def _failed(report: CycleReport, reason: str) -> CycleReport:
    report.failed = reason
    report.problems.append(f"{report.source}: {reason}")
    log.error("source.failed source=%s reason=%s", report.source, reason)
    return report


def run_cycle(sources: Sequence[Source], store: Store, analyzer: Analyzer,
              now: Callable[[], datetime],
              policy: Policy | None = None,
              stop: threading.Event | None = None, *,
              lock: AbstractContextManager | None = None,
              in_force: Callable[[], Analyzer] | None = None) -> list[CycleReport]:
    """Every source once, in order; stops early (between articles) when `stop` is set."""
    reports = []
    for s in sources:
        if stop is not None and stop.is_set():
            break
        reports.append(run_source(s, store, analyzer, now, policy, stop, lock=lock,
                                  in_force=in_force))
    return reports
