"""The App: the one door through which the daemon, every command, the web page and the tests
reach sanctionwatch. `make_app(settings)` opens it; its methods are the use cases.

Opening is cheap: the database is opened on first use, and the analyser (the compiled
watchlist, the rules, the watchlist watcher) is built on first use too, so that `alerts list`
never compiles the SDN list. What a command does through the App is what the daemon does:
an alert raised by `lists import`, an escalation from the CLI, a watchlist version recorded
by `watchlist versions` each get their deliveries and their re-screening job, whoever made
them.

    pipeline    run_once, run_source, deliver, flush_digests, retry_deliveries
    lifecycle   start, reload_watchlist, reload_rules, import_list, refresh_list, diff_lists,
                record_curated, rescreen, complete_pending
    reading     status, scan_analyzer, screener, screening, documents, healthy, metrics
    aggregates  app.alerts (triage), app.users (sign-in), app.versions (watchlist versions),
                app.entities (entities by name, list entries and their history),
                app.tokens (the JSON API's clients)
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctionwatch import wiring
from sanctionwatch.analysis import Analyzer
from sanctionwatch.config import Settings, interval_seconds
from sanctionwatch.delivery import Delivery, DeliveryReport
from sanctionwatch.errors import RuleError, SanctionwatchError, SourceError, StorageError
from sanctionwatch.lifecycle import rescreen as rs
from sanctionwatch.lifecycle.download import fetch_list
from sanctionwatch.lifecycle.lists import ImportReport, apply_import, matching_watchlist
from sanctionwatch.lifecycle.watcher import WatchlistWatcher
from sanctionwatch.matching.cache import paused_gc
from sanctionwatch.matching.screen import Screener
from sanctionwatch.pipeline import CycleReport, run_cycle, run_source
from sanctionwatch.rules.loader import load_rules, rule_files
from sanctionwatch.rules.model import RuleSet
from sanctionwatch.services.alerts import Alerts
from sanctionwatch.services.entities import Entities
from sanctionwatch.services.tokens import Tokens
from sanctionwatch.services.users import Users
from sanctionwatch.services.versions import Versions
from sanctionwatch.sources.files import iter_paths, read_documents
from sanctionwatch.storage import leases, source_state
from sanctionwatch.storage import outbox as ob
from sanctionwatch.storage import rescreens as rj
from sanctionwatch.storage import watchlists as wv
from sanctionwatch.storage.metrics import Counts, counts
from sanctionwatch.storage.source_state import JOBS_TABLE
from sanctionwatch.storage.store import Store
from sanctionwatch.types import ArticleData, Watchlist
from sanctionwatch.watchlist.csvfile import load_watchlist
from sanctionwatch.watchlist.diff import WatchlistDiff, diff_watchlists
from sanctionwatch.watchlist.importers import ImportedList, Progress, import_list
from sanctionwatch.watchlist.listchange import ListChange, list_changes

log = logging.getLogger("sanctionwatch.app")

WATCHLIST_FACT = "watchlist_version"
RULES_FACT = "rules_fingerprint"


def build_analyzer(settings: Settings, watchlist: Watchlist | None = None,
                   rules: RuleSet | None = None) -> Analyzer:
    """An analyser on `watchlist` (default: the curated folder) and the configured rules."""
    if watchlist is None:
        watchlist = load_watchlist(settings.resolve(settings.watchlist.path))
    if rules is None:
        rules = load_rules([settings.resolve(p) for p in settings.rules.paths])
    return Analyzer(watchlist, rules, wiring.match_settings(settings))


def rules_fingerprint(settings: Settings) -> str:
    """A hash of the configured rule files' names and bytes."""
    h = hashlib.sha256()
    for f in rule_files([settings.resolve(p) for p in settings.rules.paths]):
        h.update(str(f).encode() + b"\x00")
        try:
            h.update(Path(f).read_bytes())
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


class App:
    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] | None = None,
                 create_database: bool = True):
        self.settings = settings
        # False for the commands that only read or change what is stored: a SQLite file that
        # is not there is then an error naming it, never a new empty database
        self.create_database = create_database
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.stop = threading.Event()  # set on SIGTERM / SIGINT
        # held while an item is stored and while the analyser is swapped: sources fetch side
        # by side, but store one at a time (SQLite has one writer; a story lookup must see
        # what another source just stored) and never with an analyser being replaced
        self.lock = threading.RLock()
        self.policy = wiring.policy(settings)
        self.match_settings = wiring.match_settings(settings)
        self.sources = wiring.sources(settings, self.stop)
        self.channels = wiring.channels(settings)
        self._store: Store | None = None
        self._delivery: Delivery | None = None
        self._analyzer: Analyzer | None = None
        self.rules: RuleSet | None = None
        self.watcher: WatchlistWatcher | None = None
        self._rules_fp = ""
        self._open = threading.RLock()
        self.alerts = Alerts(lambda: self.store, self.clock)
        self.users = Users(lambda: self.store, self.clock)
        self.versions = Versions(lambda: self.store)
        self.entities = Entities(lambda: self.analyzer.watchlist, self.versions)
        self.tokens = Tokens(lambda: self.store, self.clock)
        self._screening: tuple[Watchlist, Screener] | None = None

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the parts, opened on first use ---------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._open:
                if self._store is None:
                    if not self.create_database and not self.database_exists():
                        raise StorageError(
                            f"no database at {self.settings.database_url[len('sqlite:///'):]} "
                            "(`sanctionwatch init` or `sanctionwatch run` creates it; check "
                            "--config / --db)")
                    self._store = Store(self.settings.database_url,
                                        routes=wiring.routes(self.settings),
                                        group_window=wiring.group_window(self.settings))
        return self._store

    def database_exists(self) -> bool:
        """False for a SQLite file that is not there yet (reading commands create nothing)."""
        url = self.settings.database_url
        return not url.startswith("sqlite:///") or Path(url[len("sqlite:///"):]).is_file()

    @property
    def delivery(self) -> Delivery:
        if self._delivery is None:
            o = self.settings.alerts.outbox
            self._delivery = Delivery(
                self.store, self.channels,
                retry_base=timedelta(seconds=interval_seconds(o.retry_base)),
                retry_max=timedelta(seconds=interval_seconds(o.retry_max)),
                batch_size=o.batch_size)
        return self._delivery

    @property
    def analyzer(self) -> Analyzer:
        """The analyser in force: the curated watchlist (as the watcher keeps it) merged with
        the official lists in force, and the rules."""
        if self._analyzer is None:
            self.start()
        assert self._analyzer is not None
        return self._analyzer

    def swap_analyzer(self, analyzer: Analyzer) -> None:
        with self.lock:  # not while a source is storing an item
            self._analyzer = analyzer

    def start(self) -> None:
        """Load the rules and the watchlist (recording a new curated version, and a
        re-screening job when the folder or the rule files changed since the last run); a
        broken rule file or a broken folder without a last good version raises."""
        with self._open:
            if self._analyzer is not None:
                return
            self.rules = load_rules([self.settings.resolve(p) for p in self.settings.rules.paths])
            self._rules_fp = rules_fingerprint(self.settings)
            watcher = WatchlistWatcher(self)
            watcher.start()
            self.watcher = watcher
            self._note_rules(self._rules_fp)

    def _note_rules(self, fingerprint: str) -> None:
        """Record the rule files in force; a change since the last recorded ones needs a
        re-screening of the stored articles."""
        fact = source_state.get_fact(self.store, RULES_FACT)
        now = self.clock()
        if fact is not None and fact[0] != fingerprint and self.settings.watchlist.rescreen_days:
            rj.add_job(self.store, "rules", now - timedelta(
                days=self.settings.watchlist.rescreen_days), now, rules=fingerprint,
                note="rule files changed")
        if fact is None or fact[0] != fingerprint:
            source_state.set_fact(self.store, RULES_FACT, fingerprint, now)

    # -- the pipeline ---------------------------------------------------------------------

    def run(self, once: bool = False) -> list[CycleReport]:
        """The daemon in the foreground until SIGINT / SIGTERM (scheduler.py), or, with
        `once`, every source once with the same start-up (`run --once`, cron)."""
        from sanctionwatch import scheduler

        if once:
            return scheduler.run_once(self)
        scheduler.run_forever(self)
        return []

    def backfill(self, client, paths, *, since: datetime | None = None, chunk: int = 500,
                 source: str = "backfill", fields: dict | None = None, delimiter: str = ",",
                 cache_dir: Path | None = None, on_progress=None, interval: float = 1.0):
        """Analyse an archive on a Dask cluster (`client`) and store it as the daemon
        stores (backfill.py); `fields` maps article fields to record fields."""
        from sanctionwatch.backfill import BackfillOptions, run_backfill
        from sanctionwatch.sources.records import FieldMap

        fm = FieldMap.from_config(fields, "--field") if fields else None
        options = BackfillOptions(tuple(paths), source=source, since=since, chunk=chunk,
                                  fields=fm, delimiter=delimiter, cache_dir=cache_dir)
        rs = wiring.backfill_readers(options.paths, source, chunk, fm, delimiter)
        return run_backfill(self, client, options, rs, on_progress, interval)

    def run_once(self) -> list[CycleReport]:
        """Every source once, then the deliveries due (for `run --once`, cron and tests)."""
        self.complete_pending()
        reports = run_cycle(self.sources, self.store, self.analyzer, self.clock,
                            self.policy, self.stop, lock=self.lock,
                            in_force=lambda: self.analyzer)
        delivered = self.deliver()
        if delivered.errors:
            reports.append(CycleReport("outbox", problems=delivered.errors))
        return reports

    def run_source(self, name: str) -> CycleReport | None:
        """One source once (the scheduler's `source:NAME` job); None for an unknown name."""
        source = next((s for s in self.sources if s.name == name), None)
        if source is None:
            log.warning("scheduler.unknown_source source=%s", name)
            return None
        return run_source(source, self.store, self.analyzer, self.clock, self.policy,
                          self.stop, lock=self.lock, in_force=lambda: self.analyzer)

    def deliver(self) -> DeliveryReport:
        """Send every due delivery of the outbox (the scheduler's `outbox` job)."""
        if not self.channels:
            return DeliveryReport()
        return self.delivery.deliver_due(self.clock())

    def flush_digests(self, channel: str | None = None) -> int:
        """Make the digests waiting for the end of their hour or day due now (then `deliver`
        sends each as its period's digest, once); returns how many deliveries."""
        return ob.flush_digests(self.store, self.clock(), channel)

    def retry_deliveries(self, channel: str | None = None) -> int:
        """Make every delivery waiting for its next attempt due now; returns how many."""
        return ob.retry_now(self.store, self.clock(), channel)

    def delivery_queue(self) -> list[ob.QueueState]:
        return ob.queue_state(self.store)

    # -- the watchlist lifecycle ----------------------------------------------------------

    def reload_watchlist(self, force: bool = False):
        """Check the watchlist folder (the scheduler's `watchlist` job): a valid edit becomes
        a new version and a new analyser, swapped in atomically, and the stored articles are
        re-screened for its new names; a broken one keeps the last good version and raises a
        `system` alert (lifecycle/watcher.py)."""
        self.start()
        assert self.watcher is not None
        outcome = self.watcher.poll(force)
        self.complete_pending()
        return outcome

    def reload_rules(self) -> bool:
        """Load the rule files again when they changed (the scheduler's `refresh` job); a bad
        edit keeps the last good rules and is logged once. True when new rules are in force."""
        self.start()
        current = rules_fingerprint(self.settings)
        if current == self._rules_fp:
            return False
        self._rules_fp = current  # a bad version is reported once, not at every refresh
        try:
            rules = load_rules([self.settings.resolve(p) for p in self.settings.rules.paths])
        except RuleError as exc:
            log.error("refresh.failed keeping=last-good reason=%s", exc)
            return False
        self.rules = rules
        with paused_gc():
            analyzer = Analyzer(self.analyzer.watchlist, rules, self.match_settings)
        self.swap_analyzer(analyzer)
        self._note_rules(current)
        log.info("refresh.reloaded rules=%d", len(rules.rules))
        self.complete_pending()
        return True

    def curated_watchlist(self) -> Watchlist | None:
        """The curated watchlist in force (to rank list changes), or None when the folder is
        invalid and no version is stored."""
        try:
            self.start()
        except SanctionwatchError:
            return None
        return self.watcher.curated if self.watcher is not None else None

    def record_curated(self):
        """The curated folder as it is now, stored as a version when valid and new (with its
        re-screening job, completed by the next `run`, `lists import` or `rescreen`);
        returns the version in force."""
        self.start()
        assert self.watcher is not None
        self.watcher.poll(force=True)
        return self.watcher.version

    def import_list(self, kind: str, path: Path, *, name: str | None = None, date: str = "",
                    progress: Progress | None = None) -> ImportReport:
        """Import a list file as a new version of its list: the changes since the previous
        version become `list_change` alerts (delivered like every alert), and, for a list
        configured with `match: true`, the analyser and a re-screening follow."""
        with paused_gc():
            imported = import_list(kind, path, name=name, date=date, progress=progress)
        return self._apply(imported)

    def refresh_list(self, name: str, progress: Progress | None = None) -> ImportReport:
        """Fetch and import one configured list now (the scheduler's `list:NAME` jobs)."""
        cfgs = {c.name: c for c in self.settings.lists}
        if name not in cfgs:
            raise SourceError(f"no list named {name!r} in the configuration "
                              f"(configured: {', '.join(cfgs) or 'none'})")
        cfg = cfgs[name]
        path = fetch_list(cfg, self.settings, cancel=self.stop)
        with paused_gc():
            imported = import_list(cfg.kind, path, name=cfg.name, progress=progress)
        return self._apply(imported)

    def _apply(self, imported: ImportedList) -> ImportReport:
        previous = wv.latest_version(self.store, imported.name)
        report = apply_import(self.store, imported, self.clock(), self.curated_watchlist())
        cfg = next((c for c in self.settings.lists if c.name == imported.name), None)
        matching = cfg is not None and cfg.enabled and cfg.match
        if report.created and matching:
            days = self.settings.watchlist.rescreen_days
            if days:
                now = self.clock()
                rj.add_job(self.store, "list", now - timedelta(days=days), now,
                           version_id=report.version.id,
                           previous_id=previous.id if previous else None,
                           note=f"list {imported.name}")
            if self.watcher is not None:
                self.watcher.rebuild(f"list {imported.name} version {report.version.id}")
            self.complete_pending()
        return report

    def diff_lists(self, kind: str, old: Path, new: Path, *, name: str | None = None,
                   progress: Callable[[str], Progress | None] | None = None
                   ) -> tuple[ImportedList, ImportedList, WatchlistDiff, list[ListChange]]:
        """The changes between two list files, ranked against the curated watchlist, as the
        daemon would raise them; stores nothing."""
        a = import_list(kind, old, name=name, progress=progress(old.name) if progress else None)
        b = import_list(kind, new, name=name, progress=progress(new.name) if progress else None)
        try:
            curated = load_watchlist(self.settings.resolve(self.settings.watchlist.path))
        except SanctionwatchError:
            curated = None
        d = diff_watchlists(a.watchlist, b.watchlist)
        return a, b, d, list_changes(d, b.name, kind, b.date, a.watchlist, b.watchlist, curated)

    # -- re-screening ---------------------------------------------------------------------

    def rescreen(self, since: datetime | None = None,
                 progress: rs.Progress | None = None) -> rs.RescreenReport:
        """Check the stored articles fetched since `since` (default: the configured
        `watchlist.rescreen_days`) against the watchlist and rules in force now, after
        completing the pending jobs; alerts found say so."""
        report = self.complete_pending(progress)
        now = self.clock()
        if since is None:
            since = now - timedelta(days=self.settings.watchlist.rescreen_days or 30)
        job = rj.add_job(self.store, "manual", since, now, note="sanctionwatch rescreen")
        done = self._run_job(job, progress)
        report.jobs += done.jobs
        report.articles += done.articles
        report.alerts += done.alerts
        report.interrupted = done.interrupted
        return report

    def complete_pending(self, progress: rs.Progress | None = None) -> rs.RescreenReport:
        """Run the re-screening jobs that a version created here or in an earlier process
        left pending (a killed run's job is completed by the next)."""
        self.start()  # records the jobs of what changed since the last start
        report = rs.RescreenReport()
        for job in rj.pending(self.store):
            if self.stop.is_set():
                report.interrupted = True
                break
            done = self._run_job(job, progress)
            report.jobs += done.jobs
            report.articles += done.articles
            report.alerts += done.alerts
            if done.interrupted:
                report.interrupted = True
                break
        return report

    def _run_job(self, job: rj.RescreenJob, progress: rs.Progress | None) -> rs.RescreenReport:
        analyzer = self.analyzer
        assert self.watcher is not None and self.watcher.version is not None
        return rs.run_job(self.store, analyzer, job, self.watcher.version.id, self.clock(),
                          progress, self.stop, lock=self.lock)

    def rescreen_jobs(self, limit: int = 50) -> list[rj.RescreenJob]:
        return rj.jobs(self.store, limit)

    # -- reading --------------------------------------------------------------------------

    def scan_analyzer(self) -> Analyzer:
        """An analyser for `scan`, as the daemon matches (curated folder + lists in force),
        that records nothing and creates no database."""
        curated = load_watchlist(self.settings.resolve(self.settings.watchlist.path))
        store = self.store if self.database_exists() else None
        return build_analyzer(self.settings, matching_watchlist(self.settings, curated, store))

    def screener(self) -> Screener:
        """The name screener on the watchlist `scan` uses (creates no database)."""
        curated = load_watchlist(self.settings.resolve(self.settings.watchlist.path))
        store = self.store if self.database_exists() else None
        return Screener(matching_watchlist(self.settings, curated, store),
                        self.settings.matching.threshold)

    def screening(self) -> Screener:
        """The name screener on the watchlist in force (the analyser's), built once and again
        only when the analyser's watchlist is replaced (the API: no rebuild per request)."""
        wl = self.analyzer.watchlist
        cached = self._screening
        if cached is None or cached[0] is not wl:
            with self._open:
                cached = self._screening
                if cached is None or cached[0] is not wl:
                    cached = (wl, Screener(wl, self.settings.matching.threshold))
                    self._screening = cached
        return cached[1]

    @staticmethod
    def documents(paths: list[Path]) -> Iterator[tuple[Path, list[tuple[str, ArticleData
                                                                     | SanctionwatchError]]
                                                   | SanctionwatchError]]:
        """Each file under `paths` with its documents (a broken record of a JSON/JSONL file
        as its error, the others read), or the error that made the file unreadable."""
        for path in iter_paths(paths):
            try:
                yield path, list(read_documents(path))
            except SanctionwatchError as exc:
                yield path, exc

    @staticmethod
    def check_rules(paths: list[Path]) -> RuleSet:
        """Load rule files (RuleError lists every problem)."""
        return load_rules(paths)

    @staticmethod
    def diff_watchlists(old: Watchlist, new: Watchlist) -> WatchlistDiff:
        """Entities, aliases and relations added, removed and changed from `old` to `new`."""
        return diff_watchlists(old, new)

    @staticmethod
    def check_watchlist(folder: Path) -> Watchlist:
        """Load a watchlist folder (WatchlistError lists every problem)."""
        return load_watchlist(folder)

    def status(self) -> dict:
        """Sources, channels, the watchlist version in use and the re-screening jobs, as
        plain data (`status`, the web page's health view)."""
        store = self.store
        states = source_state.all_states(store)
        runs = source_state.scheduled_runs(store, JOBS_TABLE)
        queues = {q.channel: q for q in ob.queue_state(store)}
        fact = source_state.get_fact(store, WATCHLIST_FACT)
        jobs = rj.jobs(store, 10)
        held = leases.leases(store, self.clock(),
                             timedelta(seconds=self.settings.scheduler.lease_seconds))
        iso = _iso
        sources = []
        configured = {c.name: c for c in self.settings.sources}
        for name in [*configured, *sorted(set(states) - set(configured))]:
            st = states.get(name) or source_state.SourceState(name)
            cfg = configured.get(name)
            sources.append({
                "name": name, "kind": cfg.kind if cfg else "(not configured)",
                "enabled": bool(cfg and cfg.enabled), "last_run": iso(st.last_run),
                "last_success": iso(st.last_success), "last_error": st.last_error or None,
                "last_error_at": iso(st.last_error_at), "failures": st.failures,
                "backoff_until": iso(st.backoff_until),
                "next_run": iso(runs.get(f"source:{name}")), "items_seen": st.items_seen,
                "articles_new": st.articles_new})
        channels = []
        for c in self.settings.channels:
            q = queues.get(c.name)
            channels.append({"name": c.name, "kind": c.kind, "pending": q.pending if q else 0,
                             "failing": q.failing if q else 0, "sent": q.sent if q else 0,
                             "last_error": (q.last_error or None) if q else None})
        return {"sources": sources, "channels": channels,
                "leases": [{"name": x.name, "holder": x.holder, "heartbeat": iso(x.heartbeat),
                            "alive": x.alive} for x in held],
                "watchlist": {"version": fact[0], "loaded": iso(fact[1])} if fact else None,
                "rescreens": [{"id": j.id, "kind": j.kind, "status": j.status,
                               "created": iso(j.created), "finished": iso(j.finished),
                               "articles": j.articles, "alerts": j.alerts,
                               "what": j.describe()} for j in jobs]}

    def watchlist_label(self) -> str:
        """The watchlist in use: its stored curated version, with the counts in force."""
        wl = self.analyzer.watchlist
        version = self.watcher.version if self.watcher is not None else None
        label = f"version {version.id}" if version is not None else "no stored version"
        return f"{label} ({len(wl.entities)} entities, {len(wl.relations)} relations in force)"

    def record_watchlist_label(self) -> None:
        try:
            source_state.set_fact(self.store, WATCHLIST_FACT, self.watchlist_label(),
                                  self.clock())
        except SanctionwatchError as exc:
            log.warning("app.fact_failed key=%s reason=%s", WATCHLIST_FACT, exc)

    def healthy(self) -> bool:
        """Whether the database answers (`GET /healthz`): one `SELECT 1` on the store's pool."""
        return self.store.ping()

    def metrics(self) -> Counts:
        """The store's aggregate counts for `GET /metrics` (COUNT / GROUP BY at scrape time)."""
        return counts(self.store)

    def close(self) -> None:
        for channel in self.channels.values():
            close = getattr(channel, "close", None)
            if close is not None:
                close()
        if self._store is not None:
            self._store.close()


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


# -- the records: the JSON forms shared by the command line and the API ----------------------

def scan_records(document: str, result) -> list[dict]:
    """The `scan --format jsonl` records of one analysed document (DESIGN.md): its mentions,
    then its alerts. The CLI writes one per line, `POST /api/v1/scan` returns the same."""
    recs: list[dict] = [
        {"kind": "mention", "document": document, "entity_id": m.entity_id,
         "matched": m.matched, "start": m.start, "end": m.end, "score": m.score,
         "match_kind": m.kind, "alias": m.alias, "explanation": m.explanation}
        for m in result.mentions]
    for i in result.intents:
        rec = {"kind": "alert", "document": document, "type": i.type,
               "entity_ids": list(i.entity_ids), "severity": i.severity,
               "evidence": i.evidence}
        if i.phase:
            rec["phase"] = i.phase
        for role in ("target", "supporter"):
            if i.role(role):
                rec[role] = i.role(role)
        rec.update({"evidence_start": i.evidence_start, "evidence_end": i.evidence_end,
                    "rule_id": i.rule_id, "rule_version": i.rule_version, "why": i.why})
        recs.append(rec)
    return recs


def candidate_record(c) -> dict:
    """A screening candidate as `screen --format json|jsonl` and `POST /api/v1/screen` give it;
    `checks` (the type, country and birth date the query gave, compared) only when asked."""
    rec = {"entity_id": c.entity_id, "name": c.name, "matched_alias": c.matched_alias,
           "score": c.score, "match": c.match, "type": c.entity_type, "why": c.why}
    checks = getattr(c, "checks", ())
    if checks:
        rec["checks"] = dict(checks)
    return rec


def screen_record(screener: Screener, query: str, limit: int = 10, **known) -> dict:
    """`{"query": NAME, "candidates": [...]}`, a line of `screen --format jsonl`; `known`
    (entity_type, country, birth_date) narrows and checks the candidates (Screener.screen)."""
    return {"query": query,
            "candidates": [candidate_record(c) for c in screener.screen(query, limit, **known)]}


def alert_detail_record(detail) -> dict:
    """An alert with its sources, audit trail and deliveries as plain JSON-able data
    (`alerts show --format json`, `GET /api/v1/alerts/{id}`)."""
    rec = detail.alert.record()
    rec["assignee"] = detail.assignee
    rec["sources"] = [{"article_id": s.article_id, "source": s.source,
                       "external_id": s.external_id, "url": s.url, "title": s.title,
                       "published": _iso(s.published), "added": _iso(s.added)}
                      for s in detail.sources]
    rec["events"] = [{"at": _iso(e.at), "actor": e.actor, "from_status": e.from_status,
                      "to_status": e.to_status, "note": e.note} for e in detail.events]
    if detail.deliveries:
        rec["deliveries"] = [{"channel": d.channel, "reason": d.reason, "status": d.status,
                              "attempts": d.attempts, "sent": _iso(d.sent),
                              "last_error": d.last_error} for d in detail.deliveries]
    return rec


def make_app(settings: Settings, *, clock: Callable[[], datetime] | None = None,
             create_database: bool = True) -> App:
    """Open the App on a configuration (the one factory: daemon, commands, web, tests)."""
    return App(settings, clock=clock, create_database=create_database)
