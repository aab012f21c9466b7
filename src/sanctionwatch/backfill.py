"""Backfills: an archive (JSONL, CSV, folders of article files; gzip too) analysed on a Dask
cluster and stored through the daemon's own pipeline.

The design, in four decisions:

1. **Partitions are the readers' items.** Each PATH gets the reader the daemon would use for
   it (`sources/jsonl.py`, `csv.py`, `folder.py`; a folder gets all three, each for its kind
   of file), so a backfill reads, names and fingerprints articles exactly as a configured
   source does. Consecutive items are grouped into partitions of about `chunk` articles (a
   folder of small files makes few, large tasks). Item keys are prefixed by the PATH, so two
   archives never share a key.

2. **Workers only analyse.** A task gets a partition's texts and returns, per text, the
   mentions and alert intents of `Analyzer.analyze` (nothing for a text without a mention).
   The analyser's parts (watchlist in force, rules, match settings) are scattered to every
   worker once; a worker builds its `Analyzer` on the first task and keeps it for the life of
   its process, with the compiled index loaded from the index cache (`matching/cache.py`),
   which the driver fills before any task starts: no worker builds an index when it shares
   the cache folder, and one that does not (another machine) builds it once and caches it.

3. **The driver stores, in archive order, through `pipeline.run_source`.** The backfill is a
   `Source` whose `fetch` yields the items in the order the readers give them, each once its
   partition's analysis is back; the pipeline is handed a `Precomputed` analyser that returns
   the workers' result for each text. So storing, content-hash deduplication, copies,
   near-duplicate story clustering, alert uniqueness per story, the outbox and the
   seen-items bookkeeping are the daemon's code, unchanged, and the backfill gives exactly
   the mentions and alerts of `run --once` over the same articles (story clustering depends
   on the order articles are stored in, which is the same). Storing on one process is also
   what SQLite allows (one writer); on PostgreSQL it is still the right choice, because
   parallel writers could each start a story for two copies of one report and raise its
   alert twice. Storing costs a fraction of analysing (measured in bench/bench_backfill.py),
   so the driver is not the bottleneck until many workers.

4. **Resuming is the pipeline's.** An item is marked seen (source `--source`, default
   `backfill`) in the transaction that stores its last articles; a re-run after a killed
   driver skips the items seen, re-analyses at most the partitions in flight, and their
   articles already stored are recognised by content hash: nothing is stored or raised
   twice. A killed worker's task is run again by Dask on another worker (the scheduler keeps
   the task and its inputs); its result is the same, since analysis is pure. The seen
   fingerprint includes `--since`, so a re-run with an earlier date reads the archive again
   (stored articles are still skipped).

`--since DATE` keeps articles published on or after DATE; an article without a date is kept
(nothing says it is older).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from sanctionwatch.analysis import Analysis, Analyzer
from sanctionwatch.errors import SourceError
from sanctionwatch.matching.cache import load_or_build, save_index
from sanctionwatch.matching.matcher import MatchSettings
from sanctionwatch.pipeline import CycleReport, run_source
from sanctionwatch.rules.model import RuleSet
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.files import file_item, is_document
from sanctionwatch.sources.records import FieldMap, bulk_files, read_bulk
from sanctionwatch.storage import schema as t
from sanctionwatch.storage import stories
from sanctionwatch.types import AlertIntent, Mention, Watchlist

if TYPE_CHECKING:
    from sanctionwatch.app import App

log = logging.getLogger("sanctionwatch.backfill")
JSONL = (".jsonl", ".ndjson")
CSV = (".csv", ".tsv")


# --- the worker side -------------------------------------------------------------------------

@dataclass(frozen=True)
class AnalyzerSpec:
    """What a worker needs to build the daemon's analyser; scattered to each worker once."""

    watchlist: Watchlist
    rules: RuleSet
    settings: MatchSettings
    cache_dir: str
    key: str  # names this analyser in a worker's memory (a new backfill, a new key)


@dataclass(frozen=True)
class PartitionResult:
    """Per text of a partition: (mentions, intents), or None when nothing was found."""

    found: tuple[tuple[tuple[Mention, ...], tuple[AlertIntent, ...]] | None, ...]
    worker: str  # host:pid of the process that analysed it
    loaded: bool  # whether this task loaded the worker's analyser
    seconds: float  # wall time of the analysis (loading excluded)
    cpu: float = 0.0  # CPU time of the analysis, this process only


_ANALYZERS: dict[str, Analyzer] = {}
_LOST: Any = object()  # a partition the cluster cancelled: submitted again
_ANALYZER_LOCK = threading.Lock()


def worker_analyzer(spec: AnalyzerSpec) -> tuple[Analyzer, bool]:
    """This process's analyser for `spec`, loaded once (index from the cache); True when this
    call loaded it."""
    with _ANALYZER_LOCK:
        analyzer = _ANALYZERS.get(spec.key)
        if analyzer is not None:
            return analyzer, False
        matcher = load_or_build(spec.watchlist, spec.settings, Path(spec.cache_dir))
        analyzer = Analyzer(spec.watchlist, spec.rules, spec.settings, matcher=matcher)
        _ANALYZERS.clear()  # one backfill at a time per worker: drop an older analyser
        _ANALYZERS[spec.key] = analyzer
        log.info("backfill.worker_loaded pid=%d entities=%d", os.getpid(),
                 len(spec.watchlist.entities))
        return analyzer, True


def analyze_partition(spec: AnalyzerSpec, texts: Sequence[str]) -> PartitionResult:
    """The task a worker runs: the pure analysis of each text (no store, no clock)."""
    analyzer, loaded = worker_analyzer(spec)
    started, cpu = time.perf_counter(), time.process_time()
    found = []
    for text in texts:
        result = analyzer.analyze(text)
        found.append((result.mentions, result.intents) if result.mentions else None)
    return PartitionResult(tuple(found), f"{socket.gethostname()}:{os.getpid()}", loaded,
                           time.perf_counter() - started, time.process_time() - cpu)


# --- the readers -----------------------------------------------------------------------------

class DocumentFiles:
    """Article files named one by one (not in a folder): one item per file, as `folder`."""

    def __init__(self, name: str, files: Sequence[Path]):
        self.name = name
        self.files = list(files)

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        for p in self.files:  # a broken JSONL record is reported and skipped, as in `folder`
            yield from file_item(self.name, p.name, p, seen)


@dataclass(frozen=True)
class Reader:
    """One reader over one PATH; `prefix` (the PATH) starts the keys of its items."""

    prefix: str
    source: Any  # a Source: JsonlSource, CsvSource, FolderSource or DocumentFiles
    kind: str


_RANGE = re.compile(r":(\d+)-(\d+)$")


def estimate(rs: Sequence[Reader], seen: Mapping[str, str]) -> tuple[int, int]:
    """(articles in the archive, articles in items already seen), both approximate (a line
    count for bulk files, one per article file): enough to tell the time left."""
    total = 0
    for r in rs:
        path = Path(r.prefix)
        if r.kind == "files":
            files = [path] if path.is_file() else [
                p for p in path.rglob("*") if is_document(p) and p.suffix.lower() not in JSONL]
            total += len(files)
            continue
        for file in bulk_files(path, JSONL if r.kind == "jsonl" else CSV, "backfill"):
            try:
                data = read_bulk(file)
            except SourceError:
                continue
            lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
            total += lines if r.kind == "jsonl" else max(lines - 1, 0)
    done = 0
    for key in seen:
        m = _RANGE.search(key)
        done += int(m.group(2)) - int(m.group(1)) + 1 if m else 1
    return total, min(done, total)


# --- the driver side -------------------------------------------------------------------------

class Precomputed:
    """Stands for the analyser in the pipeline: the workers' analysis of each text of the
    partition being stored; a text it was not given is analysed here (never happens unless a
    reader changed its mind)."""

    def __init__(self, fallback: Analyzer):
        self.fallback = fallback
        self.results: dict[str, Analysis] = {}
        self.missed = 0

    def set(self, texts: Sequence[str], found: Sequence) -> None:
        """The analyses of one partition (the one being stored)."""
        self.results = {text: Analysis(*f) if f is not None else Analysis((), ())
                        for text, f in zip(texts, found, strict=True)}

    def analyze(self, text: str, trace=None) -> Analysis:
        result = self.results.get(text)
        if result is None:
            self.missed += 1
            return self.fallback.analyze(text, trace)
        return result


@dataclass
class Progress:
    """What a backfill has done so far (passed to the progress callback)."""

    total: int = 0  # articles in the archive (estimate)
    skipped: int = 0  # articles in items seen by an earlier run (estimate)
    done: int = 0  # articles handed to the pipeline, or left out by --since
    before_since: int = 0
    partitions: int = 0
    alerts: int = 0
    waited: float = 0.0  # seconds the driver waited for the cluster (the rest: reading, storing)
    started: float = field(default_factory=time.monotonic)
    finished: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> int:
        return max(self.total - self.skipped - self.done, 0)

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate so far, None before anything is done."""
        return self.remaining / self.rate if self.rate > 0 else None


@dataclass
class WorkerTally:
    partitions: int = 0
    articles: int = 0
    loads: int = 0
    seconds: float = 0.0
    cpu: float = 0.0


@dataclass
class BackfillReport:
    cycle: CycleReport
    progress: Progress
    workers: dict[str, WorkerTally]
    missed: int  # texts analysed on the driver (should be 0)
    seconds: float
    driver_cpu: float = 0.0  # CPU time of the driver process (reading, storing, scheduling)

    @property
    def index_loads(self) -> int:
        return sum(w.loads for w in self.workers.values())


@dataclass(frozen=True)
class BackfillOptions:
    paths: tuple[Path, ...]
    source: str = "backfill"
    since: datetime | None = None
    chunk: int = 500  # articles per partition (about)
    window: int | None = None  # partitions in flight; default 4 per worker thread
    fields: FieldMap | None = None
    delimiter: str = ","
    cache_dir: Path | None = None  # the index cache; default <config folder>/.cache/index


class BackfillSource:
    """The archive as one source: items in archive order, each yielded once its partition's
    analysis is back from the cluster (see the module docstring)."""

    def __init__(self, options: BackfillOptions, rs: Sequence[Reader],
                 submit: Callable[..., Any], precomputed: Precomputed,
                 progress: Progress,
                 tick: Callable[[], None], known: Callable[[set[str]], Mapping[str, int]],
                 stop: threading.Event | None = None, window: int = 8):
        self.name = options.source
        self.options = options
        self.rs = list(rs)
        self.submit = submit
        self.precomputed = precomputed
        self.progress = progress
        self.tick = tick
        self.known = known
        self.stop = stop
        self.window = max(1, window)
        self.workers: dict[str, WorkerTally] = {}
        self.suffix = f"|since={options.since.isoformat()}" if options.since else ""

    def _mine(self, fingerprint: str) -> bool:
        """Whether a seen item was read with this run's --since."""
        return fingerprint.endswith(self.suffix) if self.suffix else "|since=" not in fingerprint

    def _local_seen(self, seen: Mapping[str, str], prefix: str) -> dict[str, str]:
        """The seen items of one reader, with its own keys and fingerprints."""
        head, n, cut = prefix + "|", len(prefix) + 1, len(self.suffix)
        return {k[n:]: fp[:len(fp) - cut] for k, fp in seen.items()
                if k.startswith(head) and self._mine(fp)}

    def _items(self, seen: Mapping[str, str]) -> Iterator:
        """(item, articles left out by --since) or a problem, reader after reader."""
        since = self.options.since
        for r in self.rs:
            for item in r.source.fetch(self._local_seen(seen, r.prefix)):
                if isinstance(item, ItemProblem):
                    yield ItemProblem(f"{r.prefix}|{item.key}", item.message)
                    continue
                articles = item.articles
                if since is not None:
                    articles = tuple(a for a in articles
                                     if a.published is None or a.published >= since)
                yield (SourceItem(f"{r.prefix}|{item.key}", item.fingerprint + self.suffix,
                                  articles), len(item.articles) - len(articles))

    def _partitions(self, seen: Mapping[str, str]) -> Iterator[list]:
        """Consecutive entries of `_items`, about `chunk` articles together."""
        part: list = []
        size = 0
        for entry in self._items(seen):
            part.append(entry)
            if not isinstance(entry, ItemProblem):
                size += len(entry[0].articles)
            if size >= self.options.chunk:
                yield part
                part, size = [], 0
        if part:
            yield part

    def fetch(self, seen: Mapping[str, str]) -> Iterator[SourceItem | ItemProblem]:
        self.progress.total, self.progress.skipped = estimate(
            self.rs, {k: v for k, v in seen.items() if self._mine(v)})
        self.progress.started = time.monotonic()
        pending: deque = deque()
        parts = self._partitions(seen)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                part = next(parts, None)
                if part is None:
                    exhausted = True
                    break
                texts = self._to_analyse(part)
                pending.append((part, texts, self.submit(texts) if texts else None))
            if not pending:
                return
            part, texts, future = pending.popleft()
            if future is not None:
                result = self._wait(future)
                tries = 1
                while result is _LOST and tries < 4:  # see _wait
                    log.warning("backfill.partition_lost retry=%d", tries)
                    future = self.submit(texts, True)
                    result = self._wait(future)
                    tries += 1
                if result is _LOST:
                    raise SourceError("a partition was lost by the cluster four times")
                if result is None:
                    return  # stopped: the pipeline sees the stop too
                self._tally(result, len(texts))
                self.precomputed.set(texts, result.found)
            for entry in part:
                if isinstance(entry, ItemProblem):
                    yield entry
                    continue
                item, left_out = entry
                yield item  # the pipeline stores it before this generator goes on
                self.progress.done += len(item.articles) + left_out
                self.progress.before_since += left_out
                self.tick()
            self.progress.partitions += 1

    def _to_analyse(self, part: list) -> list[str]:
        """The texts of a partition's articles not stored yet (a re-run, or an archive the
        daemon read already: their articles are only noted as copies by the pipeline)."""
        hashed = [(a.content_hash, a.text) for e in part if not isinstance(e, ItemProblem)
                  for a in e[0].articles]
        known = self.known({h for h, _ in hashed}) if hashed else {}
        return list(dict.fromkeys(text for h, text in hashed if h not in known))

    def _wait(self, future) -> PartitionResult | None:
        """The partition's result, None when stopped. Polls `done()` (`result(timeout=)` of
        distributed can fail with an error of its own when the timeout races the result)."""
        started = time.monotonic()
        pause = 0.005
        try:
            while not future.done():
                if self.stop is not None and self.stop.is_set():
                    return None
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
                self.tick()
            try:
                return future.result()
            except CancelledError:
                # a worker killed at the wrong moment can leave a task cancelled (seen with
                # distributed 2026.11: "cancelled for reason: unknown"): submitted again
                return _LOST
        finally:
            self.progress.waited += time.monotonic() - started

    def _tally(self, result: PartitionResult, articles: int) -> None:
        w = self.workers.setdefault(result.worker, WorkerTally())
        w.partitions += 1
        w.articles += articles
        w.loads += int(result.loaded)
        w.seconds += result.seconds
        w.cpu += result.cpu


def _alert_count(app: App) -> int:
    with app.store.transaction() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.alerts)).scalar_one())


def run_backfill(app: App, client, options: BackfillOptions, rs: Sequence[Reader],
                 on_progress: Callable[[Progress], None] | None = None,
                 interval: float = 1.0) -> BackfillReport:
    """Backfill the archive (read by `rs`, wiring.backfill_readers) through `app`'s store
    with `client`'s cluster (a `distributed.Client`); `on_progress` is called at most every
    `interval` seconds and once at the end. `App.backfill` is the door to this."""
    started, cpu = time.perf_counter(), time.process_time()
    analyzer = app.analyzer
    cache_dir = options.cache_dir or app.settings.resolve(Path(".cache") / "index")
    save_index(analyzer.matcher, cache_dir)  # the workers load it instead of building it
    spec = AnalyzerSpec(analyzer.watchlist, analyzer.rules, analyzer.matcher.settings,
                        str(cache_dir), f"{id(analyzer)}-{time.time_ns()}")
    spec_future = client.scatter(spec, broadcast=True, hash=False)
    threads = sum(client.nthreads().values()) or 1
    progress = Progress()
    alerts_before = _alert_count(app)
    last = [0.0]

    def tick(final: bool = False) -> None:
        now = time.monotonic()
        if on_progress is None or (not final and now - last[0] < interval):
            return
        last[0] = now
        progress.alerts = _alert_count(app) - alerts_before
        on_progress(progress)

    spec_future = [spec_future]

    def submit(texts: list[str], again: bool = False):
        if again and spec_future[0].status != "finished":  # the analyser's parts were lost
            spec_future[0] = client.scatter(spec, broadcast=True, hash=False)
        return client.submit(analyze_partition, spec_future[0], texts, pure=False)

    precomputed = Precomputed(analyzer)
    source = BackfillSource(options, rs, submit, precomputed, progress, tick,
                            lambda hashes: stories.known_hashes(app.store, hashes), app.stop,
                            options.window or 4 * threads)
    # no backoff: a backfill that failed is run again by hand, at once
    policy = dataclasses.replace(app.policy, backoff_base=0.0)
    cycle = run_source(source, app.store, precomputed, app.clock, policy, app.stop,
                       lock=app.lock, in_force=lambda: precomputed)
    progress.finished = True
    tick(final=True)
    progress.alerts = len(cycle.alerts)
    return BackfillReport(cycle, progress, source.workers, precomputed.missed,
                          time.perf_counter() - started, time.process_time() - cpu)



def outcome(store) -> dict[str, list[tuple]]:
    """What two runs over the same articles must agree on, whichever path stored them (a
    backfill, `run --once`): the articles, their mentions, and the alerts with the articles
    they carry, each named by the article's external id (ids and source names may differ)."""
    a, m, al, aa = t.articles.c, t.mentions.c, t.alerts.c, t.alert_articles.c
    with store.transaction() as conn:
        ext = dict(conn.execute(sa.select(a.id, a.external_id)).all())
        articles = sorted((r.external_id, r.content_hash, ext.get(r.story_id))
                          for r in conn.execute(sa.select(a.external_id, a.content_hash,
                                                          a.story_id)))
        mentions = sorted((ext[r.article_id], r.entity_id, r.start, r.end, r.matched,
                           round(r.score, 6), r.kind) for r in conn.execute(
            sa.select(m.article_id, m.entity_id, m.start, m.end, m.matched, m.score, m.kind)))
        carried: dict[int, list[str]] = {}
        for r in conn.execute(sa.select(aa.alert_id, aa.article_id)):
            carried.setdefault(r.alert_id, []).append(ext[r.article_id])
        alerts = sorted((r.type, r.phase or "", r.severity, repr(r.entity_ids), repr(r.roles),
                         ext[r.article_id], r.evidence, r.rule_id,
                         tuple(sorted(carried.get(r.id, ())))) for r in conn.execute(
            sa.select(al.id, al.type, al.phase, al.severity, al.entity_ids, al.roles,
                      al.article_id, al.evidence, al.rule_id)))
    return {"articles": articles, "mentions": mentions, "alerts": alerts}
