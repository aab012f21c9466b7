"""`backfill`: an archive analysed on a Dask cluster, stored like the daemon stores
(sanctionwatch/backfill.py)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctionwatch.cli._common import (
    ConfigOpt,
    DbOpt,
    RulesOpt,
    WatchlistOpt,
    app,
    err,
    fail,
    format_option,
    opened,
    out,
)
from sanctionwatch.errors import ConfigError, SanctionwatchError


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        err.print(f"--since: not a date: {value!r} (use YYYY-MM-DD)", markup=False)
        raise typer.Exit(2) from None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _fields(pairs: list[str] | None) -> dict | None:
    if not pairs:
        return None
    mapping: dict[str, object] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not column:
            raise ConfigError(f"--field {pair!r}: use ARTICLE_FIELD=RECORD_FIELD "
                              "(e.g. text=body)")
        if name == "text":
            mapping["text"] = [c for c in column.split(",") if c]
        else:
            mapping[name] = column
    return mapping


@contextlib.contextmanager
def cluster(scheduler: str | None, workers: int | None) -> Iterator[object]:
    """A `distributed.Client`: to the scheduler at `scheduler`, else to a LocalCluster of
    `workers` processes (one thread each) on 127.0.0.1."""
    from distributed import Client, LocalCluster

    if not logging.getLogger().isEnabledFor(logging.INFO):  # without --verbose: warnings only
        for name in ("distributed", "distributed.scheduler", "distributed.nanny",
                     "distributed.core", "distributed.worker"):
            logging.getLogger(name).setLevel(logging.WARNING)
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as lc, Client(lc) as client:
        yield client


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def progress_line(p) -> str:
    total = max(p.total - p.skipped, 0)
    share = f" ({100 * p.done / total:.0f} %)" if total else ""
    return (f"backfill: {p.done:,} / ~{total:,} articles{share} · {p.rate:,.0f}/s · "
            f"{p.alerts:,} alert(s) · {_duration(p.eta)} left")


def summary(report, scheduler: str) -> Table:
    c, p = report.cycle, report.progress
    table = Table(title="backfill")
    table.add_column("")
    table.add_column("", justify="right")
    rows = [
        ("cluster", scheduler),
        ("workers (processes)", f"{len(report.workers):,}"),
        ("index loads", f"{report.index_loads:,}"),
        ("partitions", f"{p.partitions:,}"),
        ("items read", f"{c.items:,}"),
        ("articles stored", f"{c.articles_new:,}"),
        ("articles already stored", f"{c.articles_known:,}"),
        ("  of which copies noted", f"{c.copies:,}"),
        ("joined a story", f"{c.joined:,}"),
        ("before --since", f"{p.before_since:,}"),
        ("skipped (read by an earlier run)", f"~{p.skipped:,}"),
        ("alerts raised", f"{len(c.alerts):,}"),
    ]
    by_type: dict[str, int] = {}
    for a in c.alerts:
        by_type[a.intent.type] = by_type.get(a.intent.type, 0) + 1
    rows += [(f"  {k}", f"{v:,}") for k, v in sorted(by_type.items())]
    rows += [("problems", f"{len(c.problems):,}"),
             ("time", _duration(report.seconds)),
             ("rate", f"{p.rate:,.0f} articles/s")]
    for k, v in rows:
        table.add_row(k, v)
    return table


def _report_json(report) -> dict:
    c, p = report.cycle, report.progress
    return {"items": c.items, "articles_new": c.articles_new, "articles_known": c.articles_known,
            "copies": c.copies, "joined": c.joined, "alerts": len(c.alerts),
            "before_since": p.before_since, "partitions": p.partitions,
            "problems": c.problems, "failed": c.failed, "interrupted": c.interrupted,
            "workers": {k: vars(v) for k, v in report.workers.items()},
            "index_loads": report.index_loads, "seconds": report.seconds,
            "rate": p.rate, "missed": report.missed}


@app.command()
def backfill(
    paths: Annotated[list[Path], typer.Argument(
        help="JSONL / CSV files (also .gz) or folders of them and of article files")],
    since: Annotated[str | None, typer.Option(
        "--since", help="only articles published on or after this date (undated: kept)")]
    = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="a Dask scheduler's address (default: a local cluster)")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="worker processes of the local cluster (default: cores)")] = None,
    chunk: Annotated[int, typer.Option("--chunk", help="articles per partition")] = 500,
    source: Annotated[str, typer.Option(
        "--source", help="source name the articles are stored under")] = "backfill",
    field: Annotated[list[str] | None, typer.Option(
        "--field", help="record field of an article field, e.g. text=title,body; id=uid")]
    = None,
    delimiter: Annotated[str, typer.Option("--delimiter", help="CSV delimiter")] = ",",
    index_cache: Annotated[Path | None, typer.Option(
        "--index-cache", help="index cache folder the workers load from "
        "(default: .cache/index beside the config)")] = None,
    fmt: Annotated[str, format_option("table", "json", what="the summary")] = "table",
    config: ConfigOpt = None, watchlist: WatchlistOpt = None, rules: RulesOpt = None,
    db: DbOpt = None,
) -> None:
    """Analyse an archive on a Dask cluster and store it like the daemon (resumable)."""
    try:
        options = {"since": _since(since), "chunk": max(1, chunk), "source": source,
                   "fields": _fields(field), "delimiter": delimiter,
                   "cache_dir": index_cache.resolve() if index_cache else None}
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise ConfigError(f"{missing[0]}: no such file or folder")
    except SanctionwatchError as exc:
        fail(exc)
        return
    tty = sys.stderr.isatty()

    def show(p) -> None:
        line = progress_line(p)
        if tty:
            sys.stderr.write("\r" + line.ljust(100) + ("\n" if p.finished else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def on_signal(signum, frame) -> None:
        application.stop.set()

    with opened(config, watchlist, rules, db, create=True) as application:
        old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            with cluster(scheduler, workers) as client:
                report = application.backfill(client, paths, **options, on_progress=show,
                                              interval=1.0 if tty else 10.0)
        finally:
            for s, h in old.items():
                signal.signal(s, h)
    c = report.cycle
    if fmt == "json":
        sys.stdout.write(json.dumps(_report_json(report)) + "\n")
    else:
        out.print(summary(report, scheduler or f"LocalCluster on 127.0.0.1, "
                                           f"{workers or os.cpu_count()} worker(s)"))
    for problem in c.problems:
        err.print(f"problem: {problem}", markup=False)
    if c.interrupted:
        err.print("stopped: run the same command again to go on", markup=False)
    if c.failed or c.problems:
        raise typer.Exit(1)
